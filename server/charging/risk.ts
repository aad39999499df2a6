import type { SessionSummary } from './types.js';

/**
 * Which ports and cards a volunteer should look at (巡检提示), from finished
 * sessions. Pure. Nothing here stops a session — the monitor does that; this is
 * the slow signal that comes before a shed fire: a socket that warms more each
 * session, a charger that trips the power limit again and again, a battery that
 * never tapers off.
 *
 * "Never full" counts only sessions that had the chance: ended by max-time or
 * max-energy without reaching full, out of those plus the ones that reached full.
 * A resident who unplugs after an hour says nothing about the battery.
 */

/** A socket carrying an e-bike charger (≤ 3 A) warms a few °C; 15 °C on average per session points to a loose or burnt contact. */
export const TEMP_RISE_FLAG_C = 15;
/** One over-power trip may be a charger's inrush; two on the same port or card is a pattern (a shorted socket, a modified charger). */
export const OVER_POWER_TRIPS_FLAG = 2;
/** Any stop for over-temperature: the port passed the charter's limit once, a person should check the socket. */
export const OVER_TEMP_STOPS_FLAG = 1;
/** A healthy battery fills within the session limit (8 h typical); half the sessions capped while still drawing power is not chance. */
export const NEVER_FULL_RATIO_FLAG = 0.5;
/** Averages and ratios over fewer sessions than this are noise (one hot afternoon, one old loaner battery). */
export const MIN_SESSIONS_FOR_TRENDS = 3;

export interface PortRisk {
  port: number;
  sessions: number;
  /** Mean of (highest − starting port temperature) per session, 0.1 °C. */
  tempRisePerSessionC: number;
  overPowerTrips: number;
  overTempStops: number;
  /** Capped without full ÷ sessions that had the chance (0 when none had). */
  neverFullRatio: number;
  flagged: boolean;
  /** Chinese, one line per reason it is flagged. */
  why: string[];
}

export interface CardRisk {
  cardId: string;
  sessions: number;
  overPowerTrips: number;
  neverFull: number;
  neverFullRatio: number;
  why: string[];
}

const cappedWithoutFull = (s: SessionSummary) => !s.reachedFull && (s.stopReason === 'max-time' || s.stopReason === 'max-energy');
const hadTheChance = (s: SessionSummary) => s.reachedFull || cappedWithoutFull(s);
const pct = (r: number) => `${Math.round(r * 100)}%`;

function groupBy<K>(sessions: SessionSummary[], key: (s: SessionSummary) => K): Map<K, SessionSummary[]> {
  const m = new Map<K, SessionSummary[]>();
  for (const s of sessions) m.set(key(s), [...(m.get(key(s)) ?? []), s]);
  return m;
}

function neverFull(list: SessionSummary[]): { count: number; ratio: number; chances: number } {
  const chances = list.filter(hadTheChance).length;
  const count = list.filter(cappedWithoutFull).length;
  return { count, chances, ratio: chances === 0 ? 0 : count / chances };
}

const count = (list: SessionSummary[], reason: SessionSummary['stopReason']) => list.filter((s) => s.stopReason === reason).length;

function onePort(port: number, list: SessionSummary[]): PortRisk {
  const rise = Math.round((list.reduce((sum, s) => sum + (s.maxTempC - s.startTempC), 0) / list.length) * 10) / 10;
  const overPowerTrips = count(list, 'over-power');
  const overTempStops = count(list, 'over-temperature');
  const nf = neverFull(list);
  const trends = list.length >= MIN_SESSIONS_FOR_TRENDS;
  const why: string[] = [];
  if (trends && rise >= TEMP_RISE_FLAG_C) why.push(`平均每次升温${rise}°C（≥${TEMP_RISE_FLAG_C}°C），插座可能接触不良`);
  if (overTempStops >= OVER_TEMP_STOPS_FLAG) why.push(`超温断电${overTempStops}次`);
  if (overPowerTrips >= OVER_POWER_TRIPS_FLAG) why.push(`超功率断电${overPowerTrips}次`);
  if (nf.chances >= MIN_SESSIONS_FOR_TRENDS && nf.ratio >= NEVER_FULL_RATIO_FLAG) why.push(`${pct(nf.ratio)}的充电到时限仍未充满，端口可能供电不足`);
  return { port, sessions: list.length, tempRisePerSessionC: rise, overPowerTrips, overTempStops, neverFullRatio: nf.ratio, flagged: why.length > 0, why };
}

/** Every port that has sessions, in port order, flagged or not. */
export function portRisk(sessions: SessionSummary[]): PortRisk[] {
  return [...groupBy(sessions, (s) => s.port)].sort(([a], [b]) => a - b).map(([port, list]) => onePort(port, list));
}

/**
 * Cards whose sessions trip the power limit repeatedly (a modified battery or
 * charger, 改装电池) or that run to the limit without ever filling (a failing
 * battery), most trips first. Only cards with a reason are listed.
 */
export function cardsWorthALook(sessions: SessionSummary[]): CardRisk[] {
  const out: CardRisk[] = [];
  for (const [cardId, list] of groupBy(sessions, (s) => s.cardId)) {
    const overPowerTrips = count(list, 'over-power');
    const nf = neverFull(list);
    const why: string[] = [];
    if (overPowerTrips >= OVER_POWER_TRIPS_FLAG) why.push(`超功率断电${overPowerTrips}次，可能是改装电池或充电器`);
    if (nf.count >= MIN_SESSIONS_FOR_TRENDS && nf.ratio >= NEVER_FULL_RATIO_FLAG) why.push(`${nf.count}次充到时限仍未充满（${pct(nf.ratio)}），电池可能老化`);
    if (why.length > 0) out.push({ cardId, sessions: list.length, overPowerTrips, neverFull: nf.count, neverFullRatio: nf.ratio, why });
  }
  return out.sort((a, b) => b.overPowerTrips - a.overPowerTrips || b.neverFull - a.neverFull || a.cardId.localeCompare(b.cardId));
}
