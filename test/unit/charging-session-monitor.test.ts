import { describe, it, expect } from 'vitest';
import { createSessionMonitor, type MonitorLimits, type MonitorStep } from '../../server/charging/session-monitor.js';
import { STOP_REASON_ZH, type StopReason } from '../../server/charging/types.js';
import { aChargingSection, beijing } from '../support/charging.js';

const START = beijing('D1 10:00');
const MIN = 60_000;
const base = aChargingSection((c) => (c.safety.maxAmbientTempC = 45)); // full <15 W for 10 min, unplug <3 W, 1000 W, 60 °C

/** [minutes after start, W, Wh, °C, ambient °C?] */
type R = [min: number, w: number, wh?: number, c?: number, ambient?: number];
type Expected = { stop: StopReason; clause: string } | { state: 'charging' | 'full-pending' | 'full' | 'stopped' };
type Row = [name: string, readings: R[], expected: Expected, limits?: Partial<MonitorLimits>];

const monitor = (limits: Partial<MonitorLimits> = {}) =>
  createSessionMonitor(base.detection, base.safety, { maxMinutes: 480, startedAtMs: START, clause: '5.2', ...limits });
const feed = (m: ReturnType<typeof monitor>, rs: R[]): MonitorStep[] =>
  rs.map(([min, w, wh = 100, c = 30, ambient]) => m.observe({ atMs: START + min * MIN, powerW: w, energyWh: wh, tempC: c, ambientTempC: ambient }));

// prettier-ignore
const ROWS: Row[] = [
  ['drawing power', [[0, 200], [1, 210]], { state: 'charging' }],
  ['first low reading: full pending', [[0, 200], [60, 12]], { state: 'full-pending' }],
  // full: under 15 W for 10 minutes, timed from the first low reading
  ['full exactly at the float time', [[0, 200], [60, 12], [65, 11], [70, 12]], { stop: 'full', clause: '5.5' }],
  ['a second short of the float time', [[0, 200], [60, 12], [69.99, 12]], { state: 'full-pending' }],
  ['a spike restarts the wait', [[0, 200], [60, 12], [65, 200], [70, 12], [75, 12]], { state: 'full-pending' }],
  ['full 10 min after the spike', [[0, 200], [60, 12], [65, 200], [70, 12], [80, 12]], { stop: 'full', clause: '5.5' }],
  ['exactly 15 W is not low', [[0, 200], [60, 15], [70, 15]], { state: 'charging' }],
  ['full at plug-in: 0 W from the start', [[0, 0], [5, 0], [10, 0]], { stop: 'full', clause: '5.5' }],
  // unplug: under 3 W right after drawing power
  ['unplugged while charging', [[0, 200], [30, 0]], { stop: 'unplugged', clause: '5.5' }],
  ['unplugged while floating', [[0, 200], [60, 10], [65, 1]], { stop: 'unplugged', clause: '5.5' }],
  ['0 W at the start is not an unplug', [[0, 0], [1, 0]], { state: 'full-pending' }],
  ['exactly 3 W is not an unplug', [[0, 200], [1, 3]], { state: 'full-pending' }],
  // over-power, over-temperature
  ['1000 W is the limit, allowed', [[0, 1000]], { state: 'charging' }],
  ['1001 W: over-power', [[0, 200], [3, 1001]], { stop: 'over-power', clause: '5.5' }],
  ['60 °C is the limit, allowed', [[0, 200, 10, 60]], { state: 'charging' }],
  ['60.1 °C: over-temperature', [[0, 200, 10, 30], [20, 200, 60, 60.1]], { stop: 'over-temperature', clause: '5.6' }],
  ['shed at 46 °C > 45 °C', [[0, 200, 10, 30, 46]], { stop: 'over-temperature', clause: '5.6' }],
  // limits
  ['just under max time', [[0, 200], [479.99, 200]], { state: 'charging' }],
  ['max time 480 min', [[0, 200], [480, 200]], { stop: 'max-time', clause: '5.2' }],
  ['max time cites the detection clause when none given', [[0, 200], [480, 200]], { stop: 'max-time', clause: '5.5' }, { clause: undefined }],
  ['max time from a curfew limit', [[0, 200], [90, 200]], { stop: 'max-time', clause: '5.2.1' }, { maxMinutes: 90, clause: '5.2.1' }],
  ['just under max energy', [[0, 200, 0], [100, 200, 499]], { state: 'charging' }, { maxWh: 500 }],
  ['max energy 500 Wh', [[0, 200, 0], [100, 200, 500]], { stop: 'max-energy', clause: '5.2' }, { maxWh: 500 }],
  ['a meter counting on: 1499 − 1000', [[0, 200, 1000], [100, 200, 1499]], { state: 'charging' }, { maxWh: 500, energyWhAtStart: 1000 }],
  ['a meter counting on: 1500 − 1000', [[0, 200, 1000], [100, 200, 1500]], { stop: 'max-energy', clause: '5.2' }, { maxWh: 500, energyWhAtStart: 1000 }],
  // several in one reading: safety first, then what happened, then the backstops
  ['over-temperature beats over-power', [[0, 1200, 10, 70]], { stop: 'over-temperature', clause: '5.6' }],
  ['over-power beats max time', [[0, 200], [480, 1200]], { stop: 'over-power', clause: '5.5' }],
  ['unplug beats max time', [[0, 200], [480, 0]], { stop: 'unplugged', clause: '5.5' }],
  ['full beats max time', [[0, 200], [470, 10], [480, 10]], { stop: 'full', clause: '5.5' }],
  ['max energy beats max time', [[0, 200, 0], [480, 200, 600]], { stop: 'max-energy', clause: '5.2' }, { maxWh: 500 }],
  // after a stop the monitor is latched
  ['after full: state full', [[0, 200], [60, 10], [70, 10], [75, 0]], { state: 'full' }],
  ['after over-power: stopped', [[0, 1200], [1, 200]], { state: 'stopped' }],
  ['an older reading is ignored', [[0, 200], [30, 200], [20, 0]], { state: 'charging' }],
];

describe('session monitor', () => {
  it.each(ROWS)('%s', (_name, readings, expected, limits) => {
    const steps = feed(monitor(limits), readings);
    expect(steps.at(-1)).toMatchObject(expected);
    const stops = steps.filter((s) => 'stop' in s);
    expect(stops.length).toBeLessThanOrEqual(1); // only one stop, ever
    if ('stop' in expected) {
      expect(stops).toHaveLength(1);
      expect((stops[0] as { explain: string }).explain).toContain(`第${expected.clause}条`);
    }
  });

  it('keeps the figures billing and the risk review need', () => {
    const m = monitor();
    feed(m, [[0, 0, 0, 28], [1, 180, 3, 29], [60, 350, 300, 41.5], [120, 12, 520, 36], [125, 8, 521, 35], [126, 0, 521, 35]]);
    expect(m).toMatchObject({ maxPowerW: 350, energyWh: 521, maxTempC: 41.5, startTempC: 28, unpluggedAtMs: START + 126 * MIN, stopped: 'unplugged', reachedFull: false });
    expect(m.fullAtMs).toBeUndefined();
  });

  it('records full even when another reason is reported in the same reading', () => {
    const m = monitor({ maxMinutes: 70 });
    const last = feed(m, [[0, 200], [60, 10], [70, 10]]).at(-1);
    expect(last).toMatchObject({ stop: 'full' });
    expect(m.fullAtMs).toBe(START + 70 * MIN);
  });

  it.each([
    ['smoke', '5.6'],
    ['fault', '5.6'],
    ['power-loss', '5.6'],
    ['resident-stop', '5.2'],
  ] as const)('stopFor(%s) cites %s and latches', (reason, clause) => {
    const m = monitor();
    feed(m, [[0, 200]]);
    expect(m.stopFor(reason)).toMatchObject({ stop: reason, clause, explain: expect.stringContaining(`第${clause}条`) });
    expect(feed(m, [[1, 1200]]).at(-1)).toEqual({ state: 'stopped' });
    expect(m.stopped).toBe(reason);
  });

  it('labels every stop reason in Chinese', () => {
    const reasons: StopReason[] = ['full', 'unplugged', 'max-time', 'max-energy', 'over-power', 'over-temperature', 'smoke', 'resident-stop', 'fault', 'power-loss'];
    expect(Object.keys(STOP_REASON_ZH).sort()).toEqual([...reasons].sort());
    for (const r of reasons) expect(STOP_REASON_ZH[r]).toMatch(/^[\u4e00-\u9fff]{2,10}$/);
  });
});
