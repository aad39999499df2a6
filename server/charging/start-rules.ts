import type { ChargingSection } from '../charter/charging-schema.js';
import { inDailyWindow, localClock, parseTimeOfDay } from '../parking/local-time.js';
import type { ChargingPort, StartDecision } from './types.js';

/**
 * May a session start on this port now, and with what limits? Pure. Run after
 * `checkCard` said yes. In order, the first that refuses answers:
 *
 * 1. Shed too hot (`safety.maxAmbientTempC`, when the shed reports it): deny.
 * 2. Curfew (`session.curfew`), judged at the start moment only, every day:
 *    'deny' refuses new sessions inside the window; 'limit' lets them start for at
 *    most `limitMinutes`, or — without it — until the curfew ends. A session begun
 *    before the curfew runs on under its own limits.
 * 3. Breaker budget of the shed (`breaker` with `breaker.sheds[shedId]` replacing the
 *    fields it gives): the ports charging now, this one added, must stay within
 *    `maxChargingPorts`; their power plus `newSessionW` (a new session's assumed
 *    draw until telemetry shows it) within `maxTotalW`. Over: 'queue' or 'deny'.
 * 4. Start with `session.maxMinutes` (or the curfew limit, if shorter) and `session.maxWh`.
 * The requesting port is never counted against itself.
 */

export interface StartInput {
  charging: ChargingSection;
  shedId: string;
  port: number;
  atMs: number;
  /** Ports charging now in this shed. */
  chargingNow: ChargingPort[];
  /** The shed's latest ambient temperature, when it reports one. */
  ambientTempC?: number;
}

type Refusal = Extract<StartDecision, { action: 'queue' | 'deny' }>;
const DAY_MIN = 1440;

function ambientCheck(i: StartInput): Refusal | undefined {
  const s = i.charging.safety;
  if (s.maxAmbientTempC === undefined || i.ambientTempC === undefined || i.ambientTempC <= s.maxAmbientTempC) return undefined;
  return { action: 'deny', clause: s.clause, reason: '棚内温度过高 暂停充电', explain: `充电棚内${i.ambientTempC}°C，超过公约第${s.clause}条的${s.maxAmbientTempC}°C，暂不开始充电` };
}

/** Minutes from `atMs` to the next `to` (HH:MM), at least 1. */
function minutesUntil(atMs: number, to: string): number {
  const left = (parseTimeOfDay(to) - localClock(atMs).minutes + DAY_MIN) % DAY_MIN;
  return Math.max(1, left);
}

/** Undefined outside the curfew; a refusal, or the longest a night session may run. */
function curfewCheck(i: StartInput): Refusal | { limitMinutes: number; clause: string; note: string } | undefined {
  const c = i.charging.session.curfew;
  if (!c || !inDailyWindow(i.atMs, c.from, c.to, [1, 2, 3, 4, 5, 6, 7])) return undefined;
  if (c.mode === 'deny') {
    return { action: 'deny', clause: c.clause, reason: `${c.from}-${c.to}禁止充电`, explain: `公约第${c.clause}条规定${c.from}至${c.to}不开始新的充电，请${c.to}以后再来` };
  }
  const limitMinutes = c.limitMinutes ?? minutesUntil(i.atMs, c.to);
  const note = c.limitMinutes !== undefined ? `夜间（${c.from}–${c.to}）开始的充电最长${limitMinutes}分钟` : `夜间（${c.from}–${c.to}）开始的充电到${c.to}结束`;
  return { limitMinutes, clause: c.clause, note };
}

/** The shed's limits: the estate-wide breaker with this shed's override laid over it. */
export function shedBudget(charging: ChargingSection, shedId: string) {
  const b = charging.breaker;
  const o = b.sheds[shedId] ?? {};
  return {
    clause: o.clause ?? b.clause,
    maxChargingPorts: o.maxChargingPorts ?? b.maxChargingPorts,
    maxTotalW: o.maxTotalW ?? b.maxTotalW,
    whenOver: o.whenOver ?? b.whenOver,
    newSessionW: b.newSessionW,
  };
}

function breakerCheck(i: StartInput): Refusal | undefined {
  const b = shedBudget(i.charging, i.shedId);
  const others = i.chargingNow.filter((p) => p.port !== i.port);
  const drawW = Math.round(others.reduce((sum, p) => sum + p.powerW, 0));
  let why: string | undefined;
  if (b.maxChargingPorts !== undefined && others.length + 1 > b.maxChargingPorts) {
    why = `本棚已有${others.length}个端口在充电，公约第${b.clause}条规定最多同时${b.maxChargingPorts}个`;
  } else if (b.maxTotalW !== undefined && drawW + b.newSessionW > b.maxTotalW) {
    why = `本棚正在用电${drawW}W，再开一路（按${b.newSessionW}W估）将超过公约第${b.clause}条的${b.maxTotalW}W线路上限`;
  }
  if (!why) return undefined;
  return b.whenOver === 'queue'
    ? { action: 'queue', clause: b.clause, reason: '线路满载 排队等待', explain: `${why}，已排队，有端口空出后自动开始` }
    : { action: 'deny', clause: b.clause, reason: '线路满载 请稍后再试', explain: `${why}，请稍后再试` };
}

export function decideStart(i: StartInput): StartDecision {
  const hot = ambientCheck(i);
  if (hot) return hot;
  const night = curfewCheck(i);
  if (night && 'action' in night) return night;
  const over = breakerCheck(i);
  if (over) return over;
  const s = i.charging.session;
  const maxWh = s.maxWh !== undefined ? { maxWh: s.maxWh } : {};
  const whLimit = s.maxWh !== undefined ? `、最多${s.maxWh}Wh` : '';
  if (night && night.limitMinutes < s.maxMinutes) {
    return { action: 'start', maxMinutes: night.limitMinutes, ...maxWh, clause: night.clause, explain: `开始充电：按公约第${night.clause}条，${night.note}，本次最长${night.limitMinutes}分钟${whLimit}` };
  }
  return { action: 'start', maxMinutes: s.maxMinutes, ...maxWh, clause: s.clause, explain: `开始充电：按公约第${s.clause}条，本次最长${s.maxMinutes}分钟${whLimit}` };
}
