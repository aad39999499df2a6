import { elevatorRun, type ElevatorFold, type ElevatorRunState, type TravelDirection } from '../../devices/index.js';
import type { ElevatorFaultRules } from '../charter/elevator-access-schema.js';
import type { Severity } from '../alerts/types.js';
import { FAULTS, type KnownFaultCode } from './faults.js';

/**
 * Faults the device did not report, derived from its telemetry. Pure: time comes in
 * as `atMs` on each reading (the gateway's receive time), never from a clock.
 *
 * - `door-open-while-running` (运行中开门): at once, from `elevatorRun`.
 * - `stopped-outside-door-zone` (非平层停梯): stopped, door shut, and `inDoorZone === false`
 *   for at least `stoppedBetweenFloorsS`. A controller that does not send `inDoorZone`
 *   (an addition to contract v1) gives no between-floors signal, so this is not derived
 *   for it: a car parked at a landing with its door shut looks exactly the same.
 * - `door-open-too-long` (长时间开门): door open for at least `doorOpenTooLongS`.
 *
 * Derived faults use the contract's codes where the meaning is the same, so a device that
 * reports the fault itself and a gateway that derives it land on one alert, not two.
 *
 * Timed conditions are judged only from readings: two readings in a row with the door
 * open count as open in between. The first reading is the baseline: a condition already
 * true counts from that reading, since we did not see it start. A reading older than
 * the last one (reordered delivery) is ignored. `tick(atMs)` re-judges the last reading
 * at a later time, for a controller that goes quiet while nothing changes.
 */

export interface WatchReading {
  atMs: number;
  floor: number;
  direction: TravelDirection;
  doorOpen: boolean;
  running: boolean;
  loadPct?: number;
  inDoorZone?: boolean;
}

export type DerivedFaultCode = Extract<KnownFaultCode, 'door-open-while-running' | 'stopped-outside-door-zone' | 'door-open-too-long'>;

export interface DerivedFault {
  code: DerivedFaultCode;
  severity: Severity;
  /** Chinese label (faults.ts). */
  zh: string;
  needsPerson: boolean;
  /** The clause of the charter's fault rules (`ElevatorFaultRules.clause`). */
  clause: string;
  floor: number;
  /** When the condition was first seen (the start of the timed limit). */
  sinceMs: number;
  explain: string;
}

export interface WatchResult {
  /** The car as `elevatorRun` folds it: last reading, runs and door cycles. */
  state: ElevatorRunState;
  /** Derived faults open now. */
  active: DerivedFault[];
  /** Open from this reading on: raise alerts. */
  raised: DerivedFault[];
  /** Over with this reading: clear alerts (one that needs a person stays open for them). */
  cleared: DerivedFault[];
}

type Condition = true | false | 'unknown';
type Timed = Exclude<DerivedFaultCode, 'door-open-while-running'>;

function condition(code: Timed, r: WatchReading): Condition {
  if (code === 'door-open-too-long') return r.doorOpen;
  if (r.running || r.doorOpen) return false;
  return r.inDoorZone === undefined ? 'unknown' : !r.inDoorZone;
}

function explain(code: DerivedFaultCode, r: WatchReading, sinceMs: number, rules: ElevatorFaultRules): string {
  const s = Math.round((r.atMs - sinceMs) / 1000);
  switch (code) {
    case 'door-open-while-running':
      return `电梯在${r.floor}层附近开着门运行，门锁回路可能被短接或失效（公约第${rules.clause}条）：立即停梯，派人检查后才能恢复使用`;
    case 'stopped-outside-door-zone':
      return `电梯停在${r.floor}层附近的门区外，门已关闭${s}秒，达到公约第${rules.clause}条的${rules.stoppedBetweenFloorsS}秒：轿厢内如有人会被困，请确认`;
    case 'door-open-too-long':
      return `电梯在${r.floor}层开门已${s}秒，达到公约第${rules.clause}条的${rules.doorOpenTooLongS}秒：请查看是否有人挡门或门故障`;
  }
}

const DOOR = 'door-open-while-running';

/** The first reading: counters resumed (or 0), nothing counted, anything unsafe raised at once. */
function baseline(reading: WatchReading, counts?: Pick<ElevatorRunState, 'doorCycles' | 'runs'>): ElevatorFold {
  const state = elevatorRun.initial(reading, counts);
  const observations = elevatorRun.observe(state);
  return { state, observations, raised: observations, cleared: [] };
}

type Out = { raised: DerivedFault[]; cleared: DerivedFault[] };

/** What the watch remembers between readings besides the run state. */
interface Memory {
  rules: ElevatorFaultRules;
  limitMs: Record<Timed, number>;
  /** When each timed condition started holding, while it holds. */
  since: Map<Timed, number>;
  active: Map<DerivedFaultCode, DerivedFault>;
}

function fault(m: Memory, code: DerivedFaultCode, r: WatchReading, sinceMs: number): DerivedFault {
  const { severity, zh, needsPerson } = FAULTS[code];
  return { code, severity, zh, needsPerson, clause: m.rules.clause, floor: r.floor, sinceMs, explain: explain(code, r, sinceMs, m.rules) };
}

function raise(m: Memory, out: Out, f: DerivedFault): void {
  m.active.set(f.code, f);
  out.raised.push(f);
}

function clear(m: Memory, out: Out, code: DerivedFaultCode): void {
  const was = m.active.get(code);
  if (!was) return;
  m.active.delete(code);
  out.cleared.push(was);
}

/** The timed conditions of reading `r`, judged at `atMs` (its own time, or later from `tick`). */
function judgeTimed(m: Memory, r: WatchReading, atMs: number, out: Out): void {
  for (const code of Object.keys(m.limitMs) as Timed[]) {
    const c = condition(code, r);
    if (c === 'unknown') continue; // no evidence either way: neither start, raise nor clear
    if (!c) {
      m.since.delete(code);
      clear(m, out, code);
      continue;
    }
    const start = m.since.get(code) ?? r.atMs;
    m.since.set(code, start);
    if (!m.active.has(code) && atMs - start >= m.limitMs[code]) raise(m, out, fault(m, code, { ...r, atMs }, start));
  }
}

/**
 * `createElevatorWatch(rules)` for one elevator. `counts` resumes the run and door-cycle
 * counters a store kept (the maintenance interval and the cost sharing count them).
 */
export function createElevatorWatch(rules: ElevatorFaultRules, counts?: Pick<ElevatorRunState, 'doorCycles' | 'runs'>) {
  const m: Memory = {
    rules,
    limitMs: { 'stopped-outside-door-zone': rules.stoppedBetweenFloorsS * 1000, 'door-open-too-long': rules.doorOpenTooLongS * 1000 },
    since: new Map(),
    active: new Map(),
  };
  let state: ElevatorRunState | undefined;
  let last: WatchReading | undefined;
  const result = (out: Out): WatchResult => ({ state: state!, active: [...m.active.values()], ...out });

  return {
    observe(reading: WatchReading): WatchResult {
      if (last && reading.atMs < last.atMs) return result({ raised: [], cleared: [] });
      const out: Out = { raised: [], cleared: [] };
      const folded = state ? elevatorRun.fold(state, reading) : baseline(reading, counts);
      state = folded.state;
      last = reading;
      if (folded.raised.includes(DOOR)) raise(m, out, fault(m, DOOR, reading, reading.atMs));
      if (folded.cleared.includes(DOOR)) clear(m, out, DOOR);
      judgeTimed(m, reading, reading.atMs, out);
      return result(out);
    },
    /** Re-judges the last reading at `atMs`, when no new reading came. Undefined before the first reading. */
    tick(atMs: number): WatchResult | undefined {
      if (!last) return undefined;
      const out: Out = { raised: [], cleared: [] };
      if (atMs >= last.atMs) judgeTimed(m, last, atMs, out);
      return result(out);
    },
  };
}

export type ElevatorWatch = ReturnType<typeof createElevatorWatch>;
