import type { ELEVATOR_FAULT_CODES } from '../../devices/index.js';
import type { Severity } from '../alerts/types.js';

/**
 * The elevator fault catalogue, in the vocabulary of GB/T 24476 (电梯、自动扶梯和自动人行道
 * 物联网, 2017 §11 fault/event/alarm data; the 2023 edition keeps the terms): every
 * contract code, plus the one the gateway derives on its own, with a severity, a
 * Chinese label for the dashboard and the duty volunteer's phone, and `needsPerson`.
 *
 * `needsPerson`: the alert stays open after the device (or the telemetry) says the
 * condition is over, until a person closes it with a note of what was done. It is
 * set where "the controller says it is fine" is not evidence that it is: someone may
 * still be shut in, or the safety device that tripped must by rule be reset and the
 * lift inspected by a competent person before it carries people again.
 */

export type ContractFaultCode = (typeof ELEVATOR_FAULT_CODES)[number];
/** Codes only the gateway raises, derived from telemetry (see watch.ts). */
export type GatewayFaultCode = 'door-open-too-long';
/**
 * Codes monitoring boxes report beyond the contract's list (their fault tables in
 * devices/vendors/elevatorbox/fault-tables.ts name them; "at least" allows them).
 */
export type BoxFaultCode =
  | 'safety-circuit-open'
  | 'door-lock-circuit-open'
  | 'brake-fault'
  | 'smoke'
  | 'motor-runtime-limiter'
  | 'impact-detected'
  | 'speed-anomaly'
  | 'floor-position-lost'
  | 'rerun-prevented'
  | 'door-obstructed'
  | 'overload'
  | 'sensor-fault'
  | 'battery-low'
  | 'abnormal-vibration'
  | 'landing-button-stuck'
  | 'button-battery-low';
export type KnownFaultCode = ContractFaultCode | GatewayFaultCode | BoxFaultCode;

export interface FaultInfo {
  code: string;
  severity: Severity;
  /** Chinese label, GB/T 24476 wording where it has one. */
  zh: string;
  needsPerson: boolean;
}

const f = (code: KnownFaultCode, severity: Severity, zh: string, needsPerson: boolean): FaultInfo => ({ code, severity, zh, needsPerson });

export const FAULTS: Record<KnownFaultCode, FaultInfo> = {
  // The most urgent thing this product handles: people shut in a car, often elderly.
  // A controller that clears it (the car re-levelled, the door opened) has not told us
  // anyone got out or is unhurt; a person confirms that and closes it.
  trapped: f('trapped', 'critical', '困人', true),
  // The door-lock circuit exists so the car cannot move with a door open; seeing it means
  // that circuit was bridged or failed — the shearing accident behind many lift deaths.
  // Stop the lift; it must be inspected before use even if the next reading looks normal.
  'door-open-while-running': f('door-open-while-running', 'critical', '运行中开门', true),
  // Stopped outside a landing's door zone (非平层停梯): anyone inside cannot get out. It
  // ends by itself when the car re-levels; whether someone was shut in is carried by
  // `trapped` and `emergency.call`, which do need a person.
  'stopped-outside-door-zone': f('stopped-outside-door-zone', 'critical', '非平层停梯', false),
  // Overspeed trips the governor and safety gear (限速器-安全钳), which a competent person
  // must release and check before the lift returns to service (GB/T 7588.1).
  overspeed: f('overspeed', 'critical', '超速', true),
  // Over-travel at the top (冲顶) or bottom (蹲底) hits the final limit switch or buffers;
  // the lift may not return to service by itself afterwards (GB/T 7588.1, final limit switches).
  'top-overrun': f('top-overrun', 'critical', '冲顶', true),
  'bottom-overrun': f('bottom-overrun', 'critical', '蹲底', true),
  // Door fails to open or close (开关门故障): the lift is out of service, but it ends when
  // the door works again; if it shuts people in, `trapped` follows.
  'door-fault': f('door-fault', 'high', '门故障', false),
  // Power loss (停电): upstairs residents who cannot manage the stairs are stuck at home.
  // It ends when power returns; a car stopped with people inside raises `trapped` too.
  'power-loss': f('power-loss', 'high', '停电', false),
  // Repeated door reopening (反复开关门): something in the doorway or a worn door sensor.
  // A maintenance hint, not an emergency; it ends by itself.
  'frequent-door-reopen': f('frequent-door-reopen', 'low', '反复开关门', false),
  // E-bike in the car (电动车进入轿厢): a battery fire in a closed car is deadly, so the car
  // holds its door open until the bike leaves. Recorded for the committee; it ends by itself.
  'ebike-detected': f('ebike-detected', 'medium', '电动车入梯', false),
  // Added to the contract: the car left the landing with its doors open (开门走车, unintended car
  // movement). The brake or drive failed to hold the car: the UCMP device trips and a competent person
  // must release it (GB/T 7588.1 §5.6.7); nobody rides until then.
  'moving-with-door-open': f('moving-with-door-open', 'critical', '开门走车', true),
  // Reported by monitoring boxes (GB/T 24476 fault and event data, and the platforms' own tables).
  // A safety chain that opened, the door-lock circuit, the brake, smoke or an impact stop the lift
  // and want an inspection before it carries people again.
  'safety-circuit-open': f('safety-circuit-open', 'critical', '安全回路断路', true),
  'door-lock-circuit-open': f('door-lock-circuit-open', 'critical', '门锁回路断路', true),
  'brake-fault': f('brake-fault', 'critical', '制动系统故障', true),
  smoke: f('smoke', 'critical', '轿厢烟雾', true),
  'motor-runtime-limiter': f('motor-runtime-limiter', 'high', '电动机运转时间限制器动作', true),
  'impact-detected': f('impact-detected', 'high', '轿厢撞击', true),
  // The lift is unreliable or out of service, but it ends when the condition does.
  'speed-anomaly': f('speed-anomaly', 'high', '运行速度异常', false),
  'floor-position-lost': f('floor-position-lost', 'high', '楼层信息丢失', false),
  'rerun-prevented': f('rerun-prevented', 'high', '防止电梯再运行故障', false),
  'door-obstructed': f('door-obstructed', 'medium', '关门时受阻挡', false),
  overload: f('overload', 'medium', '超员', false),
  'sensor-fault': f('sensor-fault', 'medium', '传感器异常', false),
  'battery-low': f('battery-low', 'medium', '应急电源电量低', false),
  'abnormal-vibration': f('abnormal-vibration', 'medium', '电梯异常振动', false),
  // Maintenance hints.
  'landing-button-stuck': f('landing-button-stuck', 'low', '层站按钮粘连', false),
  'button-battery-low': f('button-battery-low', 'low', '报警按钮电量低', false),
  // Gateway-derived: door held open past the charter's limit (长时间开门). In a one-lift
  // building nobody else can ride meanwhile; usually furniture or a door fault. Ends when it shuts.
  'door-open-too-long': f('door-open-too-long', 'medium', '长时间开门', false),
};

/**
 * Any code a device may send ("at least" the contract's codes). An unknown code is
 * taken seriously (high) but not held open for a person: we cannot say it needs one.
 */
export function faultInfo(code: string): FaultInfo {
  return Object.hasOwn(FAULTS, code) ? FAULTS[code as KnownFaultCode] : { code, severity: 'high', zh: `未知故障（${code}）`, needsPerson: false };
}

/** What a fault event means for the alert list: one open alert per elevator and `kind`. */
export type FaultAlert =
  | { op: 'raise'; kind: string; severity: Severity; needsPerson: boolean; title: string; detail: { code: string; floor?: number; derived: boolean } }
  /** `staysOpen`: the alert is marked cleared by the device but waits for a person to close it. */
  | { op: 'clear'; kind: string; staysOpen: boolean };

/**
 * A device's `fault` event (or a derived fault, `derived: true`) as an alert to raise or
 * clear. Device-reported and derived faults of one code share the alert `kind`.
 */
export function faultAlert(e: { code: string; active: boolean; floor?: number }, derived = false): FaultAlert {
  const info = faultInfo(e.code);
  const kind = `elevator.${e.code}`;
  if (!e.active) return { op: 'clear', kind, staysOpen: info.needsPerson };
  const where = e.floor !== undefined ? `（${e.floor}层）` : '';
  return {
    op: 'raise',
    kind,
    severity: info.severity,
    needsPerson: info.needsPerson,
    title: `电梯${info.zh}${where}${derived ? '（由运行数据判断）' : ''}`,
    detail: { code: e.code, ...(e.floor !== undefined && { floor: e.floor }), derived },
  };
}
