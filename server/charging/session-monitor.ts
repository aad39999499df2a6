import type { ChargingDetection, ChargingSafety } from '../charter/charging-schema.js';
import { duration } from './pricing.js';
import type { StopReason } from './types.js';

export { STOP_REASON_ZH, type StopReason } from './types.js';

/**
 * Watches one session's port readings and says when to stop it. Pure: the time is
 * the reading's `atMs`, never the wall clock.
 *
 * - over-temperature: port `tempC` above `safety.maxPortTempC` (or the shed's
 *   `ambientTempC`, when given, above `safety.maxAmbientTempC`).
 * - over-power: `powerW` above `detection.overPowerW`.
 * - unplugged: `powerW` below `unplugBelowW` right after a reading that drew at least
 *   that much. Billing stops at that reading (`unpluggedAtMs`).
 * - full: `powerW` below `fullBelowW` on every reading for `fullForMinutes`, timed from
 *   the first low reading (exactly `fullForMinutes` counts); one reading at or above
 *   `fullBelowW` restarts the wait. `fullAtMs` is the reading that completed it. A
 *   bike already full at plug-in (0 W from the start) therefore ends as full too.
 * - max-energy: session energy ≥ `maxWh`; max-time: elapsed ≥ `maxMinutes`.
 *
 * When several hold in one reading, the first in this order is reported:
 * over-temperature, over-power (fire safety first: the committee must see these),
 * then unplugged, full (what physically happened), then max-energy, max-time (the
 * backstops that would have ended it anyway). `fullAtMs` and `unpluggedAtMs` are
 * recorded whenever their condition holds, even when another reason is reported,
 * so billing and occupancy still see them.
 *
 * Once it has said stop, the monitor is latched: later readings change nothing and
 * answer `{ state: 'full' }` after a full stop, `{ state: 'stopped' }` otherwise.
 * Readings older than the last one seen (redelivered telemetry) are ignored.
 */

export interface PortReading {
  atMs: number;
  powerW: number;
  /** Energy of this session; a port meter that counts on is corrected with `energyWhAtStart`. */
  energyWh: number;
  tempC: number;
  ambientTempC?: number;
}

export interface MonitorLimits {
  maxMinutes: number;
  maxWh?: number;
  startedAtMs: number;
  /** The clause the start decision cited; max-time, max-energy and resident stops cite it. Default: the detection clause. */
  clause?: string;
  /** The port's energy meter at the start, when it counts across sessions. Default 0. */
  energyWhAtStart?: number;
}

export type MonitorStop = { stop: StopReason; clause: string; explain: string };
export type MonitorState = { state: 'charging' | 'full-pending' | 'full' | 'stopped' };
export type MonitorStep = MonitorStop | MonitorState;
/** The reasons the service learns from elsewhere (alarms, the resident, the device). */
export type ExternalStopReason = Extract<StopReason, 'smoke' | 'resident-stop' | 'fault' | 'power-loss'>;

export interface SessionMonitor {
  observe(reading: PortReading): MonitorStep;
  /** Ends the session for a reason the readings don't show; latches like `observe`. */
  stopFor(reason: ExternalStopReason): MonitorStop;
  readonly maxPowerW: number;
  readonly energyWh: number;
  readonly fullAtMs: number | undefined;
  readonly unpluggedAtMs: number | undefined;
  readonly maxTempC: number | undefined;
  readonly startTempC: number | undefined;
  readonly reachedFull: boolean;
  readonly stopped: StopReason | undefined;
}

interface Track {
  maxPowerW: number;
  energyWh: number;
  maxTempC?: number;
  startTempC?: number;
  lastAtMs?: number;
  lastPowerW?: number;
  lowSinceMs?: number;
  fullAtMs?: number;
  unpluggedAtMs?: number;
  stopped?: StopReason;
}

type Check = (r: PortReading) => MonitorStop | undefined;

const MS_PER_MIN = 60_000;

function checks(d: ChargingDetection, s: ChargingSafety, l: MonitorLimits, t: Track): Check[] {
  const limitClause = l.clause ?? d.clause;
  const stop = (reason: StopReason, clause: string, explain: string): MonitorStop => ({ stop: reason, clause, explain });
  return [
    (r) => (r.tempC > s.maxPortTempC ? stop('over-temperature', s.clause, `端口温度${r.tempC}°C，超过公约第${s.clause}条的${s.maxPortTempC}°C，已断电`) : undefined),
    (r) =>
      s.maxAmbientTempC !== undefined && r.ambientTempC !== undefined && r.ambientTempC > s.maxAmbientTempC
        ? stop('over-temperature', s.clause, `充电棚内${r.ambientTempC}°C，超过公约第${s.clause}条的${s.maxAmbientTempC}°C，已断电`)
        : undefined,
    (r) => (r.powerW > d.overPowerW ? stop('over-power', d.clause, `功率${Math.round(r.powerW)}W，超过公约第${d.clause}条单口上限${d.overPowerW}W，已断电`) : undefined),
    (r) => (t.unpluggedAtMs === r.atMs ? stop('unplugged', d.clause, `功率降到${d.unplugBelowW}W以下，判定已拔出，按公约第${d.clause}条结束充电，计费到此刻`) : undefined),
    (r) => (t.fullAtMs === r.atMs ? stop('full', d.clause, `功率低于${d.fullBelowW}W已持续${d.fullForMinutes}分钟，按公约第${d.clause}条判定已充满`) : undefined),
    () => (l.maxWh !== undefined && t.energyWh >= l.maxWh ? stop('max-energy', limitClause, `本次已充${Math.round(t.energyWh)}Wh，达到公约第${limitClause}条的${l.maxWh}Wh上限`) : undefined),
    (r) =>
      r.atMs - l.startedAtMs >= l.maxMinutes * MS_PER_MIN
        ? stop('max-time', limitClause, `已充电${duration(Math.floor((r.atMs - l.startedAtMs) / MS_PER_MIN))}，达到公约第${limitClause}条的最长${l.maxMinutes}分钟`)
        : undefined,
  ];
}

/** Fold one reading into the figures, and mark unplug and full when their condition holds now. */
function track(d: ChargingDetection, l: MonitorLimits, t: Track, r: PortReading): void {
  t.maxPowerW = Math.max(t.maxPowerW, r.powerW);
  t.energyWh = Math.max(t.energyWh, r.energyWh - (l.energyWhAtStart ?? 0));
  t.startTempC ??= r.tempC;
  t.maxTempC = Math.max(t.maxTempC ?? r.tempC, r.tempC);
  if (t.lastPowerW !== undefined && t.lastPowerW >= d.unplugBelowW && r.powerW < d.unplugBelowW) t.unpluggedAtMs ??= r.atMs;
  t.lowSinceMs = r.powerW < d.fullBelowW ? (t.lowSinceMs ?? r.atMs) : undefined;
  if (t.lowSinceMs !== undefined && r.atMs - t.lowSinceMs >= d.fullForMinutes * MS_PER_MIN) t.fullAtMs ??= r.atMs;
  t.lastPowerW = r.powerW;
  t.lastAtMs = r.atMs;
}

const latchedState = (t: Track): MonitorState => ({ state: t.stopped === 'full' ? 'full' : 'stopped' });

export function createSessionMonitor(detection: ChargingDetection, safety: ChargingSafety, limits: MonitorLimits): SessionMonitor {
  const t: Track = { maxPowerW: 0, energyWh: 0 };
  const rules = checks(detection, safety, limits, t);
  const latch = (s: MonitorStop): MonitorStop => {
    t.stopped ??= s.stop; // the first reason stands: a smoke alarm after a full stop does not rewrite why it ended
    return s;
  };
  return {
    observe(r) {
      if (t.stopped) return latchedState(t);
      if (t.lastAtMs !== undefined && r.atMs < t.lastAtMs) return { state: t.lowSinceMs !== undefined ? 'full-pending' : 'charging' };
      track(detection, limits, t, r);
      for (const rule of rules) {
        const s = rule(r);
        if (s) return latch(s);
      }
      return { state: t.lowSinceMs !== undefined ? 'full-pending' : 'charging' };
    },
    stopFor(reason) {
      const clause = reason === 'resident-stop' ? (limits.clause ?? detection.clause) : safety.clause;
      const why = { smoke: '烟雾报警', fault: '设备报告故障', 'power-loss': '充电棚停电', 'resident-stop': '用户结束充电' }[reason];
      return latch({ stop: reason, clause, explain: `${why}，按公约第${clause}条结束本次充电` });
    },
    get maxPowerW() { return t.maxPowerW; },
    get energyWh() { return t.energyWh; },
    get fullAtMs() { return t.fullAtMs; },
    get unpluggedAtMs() { return t.unpluggedAtMs; },
    get maxTempC() { return t.maxTempC; },
    get startTempC() { return t.startTempC; },
    get reachedFull() { return t.fullAtMs !== undefined; },
    get stopped() { return t.stopped; },
  };
}
