import { describe, it, expect } from 'vitest';
import { ELEVATOR_FAULT_CODES } from '../../devices/index.js';
import { FAULTS, faultAlert, faultInfo, type KnownFaultCode } from '../../server/elevator/faults.js';
import type { Severity } from '../../server/alerts/types.js';

// [code, severity, Chinese label, needsPerson]
type Row = [KnownFaultCode, Severity, string, boolean];

// prettier-ignore
const CATALOGUE: Row[] = [
  ['trapped',                   'critical', '困人',       true],
  ['door-open-while-running',   'critical', '运行中开门', true],
  ['stopped-outside-door-zone', 'critical', '非平层停梯', false],
  ['overspeed',                 'critical', '超速',       true],
  ['top-overrun',               'critical', '冲顶',       true],
  ['bottom-overrun',            'critical', '蹲底',       true],
  ['door-fault',                'high',     '门故障',     false],
  ['power-loss',                'high',     '停电',       false],
  ['frequent-door-reopen',      'low',      '反复开关门', false],
  ['ebike-detected',            'medium',   '电动车入梯', false],
  ['door-open-too-long',        'medium',   '长时间开门', false],
  ['moving-with-door-open',     'critical', '开门走车',   true],
  // Codes monitoring boxes report beyond the contract's list (devices/vendors/elevatorbox/fault-tables.ts).
  ['safety-circuit-open',       'critical', '安全回路断路', true],
  ['door-lock-circuit-open',    'critical', '门锁回路断路', true],
  ['brake-fault',               'critical', '制动系统故障', true],
  ['smoke',                     'critical', '轿厢烟雾',   true],
  ['motor-runtime-limiter',     'high',     '电动机运转时间限制器动作', true],
  ['impact-detected',           'high',     '轿厢撞击',   true],
  ['speed-anomaly',             'high',     '运行速度异常', false],
  ['floor-position-lost',       'high',     '楼层信息丢失', false],
  ['rerun-prevented',           'high',     '防止电梯再运行故障', false],
  ['door-obstructed',           'medium',   '关门时受阻挡', false],
  ['overload',                  'medium',   '超员',       false],
  ['sensor-fault',              'medium',   '传感器异常', false],
  ['battery-low',               'medium',   '应急电源电量低', false],
  ['abnormal-vibration',        'medium',   '电梯异常振动', false],
  ['landing-button-stuck',      'low',      '层站按钮粘连', false],
  ['button-battery-low',        'low',      '报警按钮电量低', false],
];
const BOX_CODES = CATALOGUE.slice(12).map((r) => r[0]);

describe('elevator faults: the catalogue', () => {
  it('covers every contract code, the gateway-derived one and the monitoring boxes\' codes, and nothing else', () => {
    expect(Object.keys(FAULTS).sort()).toEqual([...ELEVATOR_FAULT_CODES, 'door-open-too-long', ...BOX_CODES].sort());
    expect(CATALOGUE.map((r) => r[0]).sort()).toEqual(Object.keys(FAULTS).sort());
  });

  it.each(CATALOGUE)('%s: %s, %s, needsPerson %s', (code, severity, zh, needsPerson) => {
    expect(faultInfo(code)).toEqual({ code, severity, zh, needsPerson });
  });

  it.each([['water-in-pit'], ['constructor'], ['toString']])('unknown code %s: high, no person required', (code) => {
    expect(faultInfo(code)).toEqual({ code, severity: 'high', zh: `未知故障（${code}）`, needsPerson: false });
  });
});

describe('elevator faults: a device raises and clears each code', () => {
  it.each(CATALOGUE)('%s', (code, severity, zh, needsPerson) => {
    expect(faultAlert({ code, active: true, floor: 4 })).toEqual({
      op: 'raise',
      kind: `elevator.${code}`,
      severity,
      needsPerson,
      title: `电梯${zh}（4层）`,
      detail: { code, floor: 4, derived: false },
    });
    // A clear that needs a person leaves the alert open for them (trapped above all).
    expect(faultAlert({ code, active: false, floor: 4 })).toEqual({ op: 'clear', kind: `elevator.${code}`, staysOpen: needsPerson });
  });

  it.each([
    ['no floor, from the device', { code: 'power-loss', active: true }, false, '电梯停电', { code: 'power-loss', derived: false }],
    ['derived from telemetry', { code: 'door-open-too-long', active: true, floor: 1 }, true, '电梯长时间开门（1层）（由运行数据判断）', { code: 'door-open-too-long', floor: 1, derived: true }],
    ['unknown code', { code: 'water-in-pit', active: true, floor: -1 }, false, '电梯未知故障（water-in-pit）（-1层）', { code: 'water-in-pit', floor: -1, derived: false }],
  ] as const)('title and detail: %s', (_name, event, derived, title, detail) => {
    expect(faultAlert(event, derived)).toMatchObject({ op: 'raise', title, detail });
  });
});
