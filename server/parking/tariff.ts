import type { Tariff } from '../charter/tariff-schema.js';

/**
 * The temporary-parking fee (临时停车费), computed at exit. Pure: no clock, no I/O.
 * Every fee cites `tariff.clause`. How a stay is priced, step by step:
 *
 * 1. Minutes. Entry and exit are cut to the whole minute (seconds dropped), so the
 *    fee matches the HH:MM a resident sees on the receipt. All times of day are
 *    Beijing time, a fixed UTC+8 (China has no DST). Exit before entry throws
 *    `TariffError('exit-before-entry')`; a zero-length stay is simply within the free time.
 * 2. Free time. A stay of at most `freeMinutes` costs nothing (one 'free' line, never cut).
 *    Longer: billing starts after the free minutes, or at entry when
 *    `chargeFreeMinutesWhenExceeded` (then there is no 'free' line).
 * 3. Segments. The billed time is cut at the night window's edges (`night.from`,
 *    `night.to`) and at every `dayBoundary`. Each piece is one line, 'day' or 'night'.
 * 4. Day pricing runs on one meter for the whole visit that pauses while the night
 *    rate applies: the first `firstPeriod.minutes` day minutes cost `firstPeriod.priceFen`
 *    (charged once per visit, as soon as any day minute is billed), then every started
 *    `increment.minutes` costs `increment.priceFen`. A unit begun before the night
 *    continues next morning, so a night never causes an extra round-up.
 * 5. Night pricing replaces day pricing inside the window: every started
 *    `night.unitMinutes` costs `night.priceFen`, on a meter that restarts each night.
 * 6. A started unit is charged in full, and it is charged to the line (and so to
 *    the day) in which it starts.
 * 7. Caps, in this order, each walking the lines from entry to exit and letting a
 *    line take only what is left under the cap (so the later lines are the ones cut):
 *    `night.capFen` per night (one window, even when it spans a day boundary), then
 *    `dailyCapFen` per day (from `dayBoundary` to the next one), then `perVisitCapFen`
 *    over the whole visit. A cut line says which cap cut it last.
 * 8. Multi-day stays are just more segments: the daily cap resets at every
 *    `dayBoundary`, the first period is never charged twice.
 * The total is the sum of the lines, always.
 */

export type FeeLineKind = 'free' | 'day' | 'night';
export type CapKind = 'daily' | 'night' | 'visit';

export interface FeeLine {
  /** Local time, ISO 8601 with offset: '2025-03-01T21:50+08:00'. */
  from: string;
  to: string;
  kind: FeeLineKind;
  fen: number;
  capped?: CapKind;
}

export interface Fee {
  totalFen: number;
  /** Length of the stay in whole minutes. */
  minutes: number;
  clause: string;
  lines: FeeLine[];
  /** One plain Chinese sentence for the resident. */
  explain: string;
}

export type TariffErrorCode = 'exit-before-entry' | 'invalid-time';

export class TariffError extends Error {
  override name = 'TariffError';
  constructor(
    readonly code: TariffErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MS_PER_MIN = 60_000;
const DAY_MIN = 1440;
const UTC8_OFFSET_MIN = 8 * 60; // Beijing time, fixed: China has kept no DST since 1991

/** An internal line: times in local epoch minutes (minutes since 1970-01-01 00:00 Beijing time). */
interface Piece {
  from: number;
  to: number;
  kind: FeeLineKind;
  rawFen: number;
  day: number; // index of the day window (for the daily cap)
  night?: number; // start of the night window this piece belongs to (for the night cap)
}

export function computeFee(entryAtMs: number, exitAtMs: number, t: Tariff): Fee {
  checkTimes(entryAtMs, exitAtMs);
  const entry = toLocalMinute(entryAtMs);
  const exit = toLocalMinute(exitAtMs);
  const minutes = exit - entry;
  if (minutes <= t.freeMinutes) {
    const free = [{ from: entry, to: exit, kind: 'free' as const, rawFen: 0, day: dayIndex(entry, t) }];
    return finish(free, minutes, t);
  }
  const billFrom = t.chargeFreeMinutesWhenExceeded ? entry : entry + t.freeMinutes;
  const free: Piece[] = billFrom > entry ? [{ from: entry, to: billFrom, kind: 'free', rawFen: 0, day: dayIndex(entry, t) }] : [];
  return finish([...free, ...priceSegments(segments(billFrom, exit, t), t)], minutes, t);
}

function checkTimes(entryAtMs: number, exitAtMs: number): void {
  if (!Number.isFinite(entryAtMs) || !Number.isFinite(exitAtMs)) {
    throw new TariffError('invalid-time', `entry ${entryAtMs} or exit ${exitAtMs} is not a time; check the stay record`);
  }
  if (exitAtMs < entryAtMs) {
    const [a, b] = [new Date(entryAtMs).toISOString(), new Date(exitAtMs).toISOString()];
    throw new TariffError('exit-before-entry', `exit ${b} is before entry ${a}; check the gate clocks and the matched stay`);
  }
}

/** Step 3: cut [from, to) at the night edges and the day boundary. */
function segments(from: number, to: number, t: Tariff): Omit<Piece, 'rawFen'>[] {
  const edges = [hhmm(t.dayBoundary), ...(t.night ? [hhmm(t.night.from), hhmm(t.night.to)] : [])];
  const out: Omit<Piece, 'rawFen'>[] = [];
  for (let at = from; at < to; ) {
    const next = Math.min(to, ...edges.map((e) => at + (mod(e - at, DAY_MIN) || DAY_MIN)));
    const night = nightStart(at, t);
    out.push({ from: at, to: next, kind: night === undefined ? 'day' : 'night', day: dayIndex(at, t), ...(night === undefined ? {} : { night }) });
    at = next;
  }
  return out;
}

/** Steps 4–6: the raw price of each segment, units counted where they start. */
function priceSegments(segs: Omit<Piece, 'rawFen'>[], t: Tariff): Piece[] {
  let dayMeter = 0;
  let nightMeter = 0;
  let lastNight: number | undefined;
  return segs.map((s) => {
    const len = s.to - s.from;
    if (s.kind === 'night' && t.night) {
      if (s.night !== lastNight) [nightMeter, lastNight] = [0, s.night];
      const units = unitsStarted(nightMeter + len, 0, t.night.unitMinutes) - unitsStarted(nightMeter, 0, t.night.unitMinutes);
      nightMeter += len;
      return { ...s, rawFen: units * t.night.priceFen };
    }
    const first = dayMeter === 0 && len > 0 ? t.firstPeriod.priceFen : 0;
    const { minutes: after, priceFen } = t.increment;
    const units = unitsStarted(dayMeter + len, t.firstPeriod.minutes, after) - unitsStarted(dayMeter, t.firstPeriod.minutes, after);
    dayMeter += len;
    return { ...s, rawFen: first + units * priceFen };
  });
}

/** How many units of `unit` minutes, laid end to end from meter value `start`, have begun before meter value `x`. */
function unitsStarted(x: number, start: number, unit: number): number {
  return x <= start ? 0 : Math.ceil((x - start) / unit);
}

/** Step 7: night caps, then daily caps, then the visit cap, each from entry to exit. */
function applyCaps(pieces: Piece[], t: Tariff): { piece: Piece; fen: number; capped?: CapKind }[] {
  const nightUsed = new Map<number, number>();
  const dayUsed = new Map<number, number>();
  let visitUsed = 0;
  return pieces.map((piece) => {
    let fen = piece.rawFen;
    let capped: CapKind | undefined;
    const take = (cap: number | undefined, used: number, kind: CapKind): number => {
      if (cap === undefined || fen <= cap - used) return used + fen;
      [fen, capped] = [Math.max(0, cap - used), kind];
      return used + fen;
    };
    if (piece.night !== undefined) nightUsed.set(piece.night, take(t.night?.capFen, nightUsed.get(piece.night) ?? 0, 'night'));
    dayUsed.set(piece.day, take(t.dailyCapFen, dayUsed.get(piece.day) ?? 0, 'daily'));
    visitUsed = take(t.perVisitCapFen, visitUsed, 'visit');
    return capped ? { piece, fen, capped } : { piece, fen };
  });
}

function finish(pieces: Piece[], minutes: number, t: Tariff): Fee {
  const capped = applyCaps(pieces, t);
  const lines: FeeLine[] = capped.map(({ piece, fen, capped: c }) => ({
    from: localIso(piece.from),
    to: localIso(piece.to),
    kind: piece.kind,
    fen,
    ...(c ? { capped: c } : {}),
  }));
  const totalFen = lines.reduce((sum, l) => sum + l.fen, 0);
  return { totalFen, minutes, clause: t.clause, lines, explain: explain(pieces, lines, minutes, totalFen, t) };
}

/** The sentence on the receipt, naming only the rules that priced this stay. */
function explain(pieces: Piece[], lines: FeeLine[], minutes: number, totalFen: number, t: Tariff): string {
  const parts = [`停车${duration(minutes)}`];
  if (minutes <= t.freeMinutes) return [...parts, t.freeMinutes > 0 ? `在免费${duration(t.freeMinutes)}内，不收费` : '不收费'].join('，');
  if (t.freeMinutes > 0) {
    parts.push(t.chargeFreeMinutesWhenExceeded ? `超过免费${duration(t.freeMinutes)}，从入场起计费` : `免费${duration(t.freeMinutes)}`);
  }
  const minutesOf = (kind: FeeLineKind) => pieces.filter((p) => p.kind === kind).reduce((sum, p) => sum + p.to - p.from, 0);
  const dayMinutes = minutesOf('day');
  if (dayMinutes > 0) parts.push(`首${duration(t.firstPeriod.minutes)}${yuan(t.firstPeriod.priceFen)}`);
  if (dayMinutes > t.firstPeriod.minutes) parts.push(`之后每${duration(t.increment.minutes)}${yuan(t.increment.priceFen)}`);
  if (t.night && minutesOf('night') > 0) {
    const n = t.night;
    parts.push(`夜间${n.from}至${n.to}每${duration(n.unitMinutes)}${yuan(n.priceFen)}`);
  }
  const hit = (c: CapKind) => lines.some((l) => l.capped === c);
  if (hit('night') && t.night?.capFen !== undefined) parts.push(`每晚封顶${yuan(t.night.capFen)}`);
  if (hit('daily') && t.dailyCapFen !== undefined) parts.push(`每日封顶${yuan(t.dailyCapFen)}`);
  if (hit('visit') && t.perVisitCapFen !== undefined) parts.push(`单次封顶${yuan(t.perVisitCapFen)}`);
  return [...parts, `共${yuan(totalFen)}`].join('，');
}

/** 135 → '2小时15分', 45 → '45分钟', 60 → '1小时', 1530 → '1天1小时30分'. */
export function duration(minutes: number): string {
  const [d, h, m] = [Math.floor(minutes / DAY_MIN), Math.floor((minutes % DAY_MIN) / 60), minutes % 60];
  if (d === 0 && h === 0) return `${m}分钟`;
  return `${d ? `${d}天` : ''}${h ? `${h}小时` : ''}${m ? `${m}分` : ''}`;
}

/** 800 → '8元', 750 → '7.5元', 5 → '0.05元'. */
export function yuan(fen: number): string {
  const y = Math.floor(fen / 100);
  const f = fen % 100;
  return f === 0 ? `${y}元` : `${y}.${String(f).padStart(2, '0').replace(/0$/, '')}元`;
}

// --- local time (Beijing, fixed UTC+8), in whole minutes ---

const mod = (a: number, n: number) => ((a % n) + n) % n;
const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const toLocalMinute = (ms: number) => Math.floor(ms / MS_PER_MIN) + UTC8_OFFSET_MIN;
const localIso = (m: number) => `${new Date(m * MS_PER_MIN).toISOString().slice(0, 16)}+08:00`;

/** Which day window (dayBoundary to the next dayBoundary) the local minute `m` falls in. */
function dayIndex(m: number, t: Tariff): number {
  return Math.floor((m - hhmm(t.dayBoundary)) / DAY_MIN);
}

/** The local minute the night window containing `m` began, or undefined in the daytime. */
function nightStart(m: number, t: Tariff): number | undefined {
  if (!t.night) return undefined;
  const [from, to, tod] = [hhmm(t.night.from), hhmm(t.night.to), mod(m, DAY_MIN)];
  const midnight = m - tod;
  if (from < to) return tod >= from && tod < to ? midnight + from : undefined;
  if (tod >= from) return midnight + from;
  return tod < to ? midnight - DAY_MIN + from : undefined;
}
