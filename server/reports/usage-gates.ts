import type { Db } from '../store/sqlite.js';
import { HOUR_MS, hourBuckets, hourKeySql, spanParams, type UsageRange } from './usage-buckets.js';
import { createHourlyRollup } from './usage-rollup.js';

/** Registered cars of the estate's own people, and cars that come and go (charter classes). */
const RESIDENT = `('resident', 'monthly')`;
const VISITOR = `('visitor', 'window', 'temporary')`;

/** Summed per bucket and over the range. Fees are billed at exit: every class's, and visitors' (visitor, window, temporary) alone. */
const SUMS = ['entries', 'exits', 'residentEntries', 'visitorEntries', 'residentExits', 'visitorExits', 'feesFen', 'visitorFeesFen'] as const;
/**
 * `series` is columnar: `bucket` holds the labels, and every other field an
 * array as long, one value per bucket. `peakOccupancy` is the most cars inside
 * at any moment of the bucket (all lots of the estate), `occupancyEnd` the cars
 * inside when it (or the range) ends.
 */
export const GATE_SERIES = ['entries', 'exits', 'residentEntries', 'visitorEntries', 'residentExits', 'visitorExits', 'peakOccupancy', 'occupancyEnd', 'feesFen', 'visitorFeesFen'] as const;
export type GateSeries = { bucket: string[] } & Record<(typeof GATE_SERIES)[number], number[]>;

/** The rollup's columns (migration 011): the first eight are `SUMS`, in order, then the hour's `rise` (see there). */
const COLUMNS = ['entries', 'exits', 'resident_entries', 'visitor_entries', 'resident_exits', 'visitor_exits', 'fees_fen', 'visitor_fees_fen', 'rise'] as const;
/** Each column's place among an hour's figures. */
const C = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<(typeof COLUMNS)[number], number>;

/**
 * One hour's figures from the stored passages: two reads of two covering
 * indexes (migration 008), both in index order and neither with a sort:
 *  - the passages of each UTC hour in time order, as one string of a letter
 *    per car: `R`/`V`/`I` a resident/visitor/other car entering, `r`/`v`/`i` one
 *    leaving. Both index scans are merged (SQLite merges the two ordered arms of
 *    the UNION ALL, and the GROUP BY follows that order, so `group_concat` sees
 *    the rows in it);
 *  - the fees billed at exit per UTC hour, off the exit index.
 * Then in JS one pass over each hour's letters gives its counts and its rise:
 * how far the count of cars inside climbed above where the hour began. Only
 * hour rows cross into JS; no per-passage row or call does.
 */
const IN_SPAN = (col: string) => `estate_id = @estateId AND ${hourKeySql(col)} BETWEEN @fromHk AND @toHk AND ${col} >= @fromIso AND ${col} < @toIso`;
const letter = (resident: string, visitor: string, other: string) =>
  `CASE WHEN vehicle_class IN ${RESIDENT} THEN '${resident}' WHEN vehicle_class IN ${VISITOR} THEN '${visitor}' ELSE '${other}' END`;
// Ordered by (hour, time) only, which both index scans already are: a third key
// would cost a sort. Two passages in the same millisecond are rare enough.
const passagesSql = `
  WITH events(hk, t, c) AS (
    SELECT ${hourKeySql('exit_at')}, exit_at, ${letter('r', 'v', 'i')} FROM stays WHERE ${IN_SPAN('exit_at')}
    UNION ALL
    SELECT ${hourKeySql('entry_at')}, entry_at, ${letter('R', 'V', 'I')} FROM stays WHERE ${IN_SPAN('entry_at')}
    ORDER BY 1, 2
  )
  SELECT hk, group_concat(c, '') AS seq FROM events GROUP BY hk`;
const feesSql = `
  SELECT ${hourKeySql('exit_at')} AS hk, SUM(fee_fen) AS feesFen, SUM(CASE WHEN vehicle_class IN ${VISITOR} THEN fee_fen ELSE 0 END) AS visitorFeesFen
  FROM stays WHERE ${IN_SPAN('exit_at')} AND fee_fen IS NOT NULL GROUP BY hk`;

const [RESIDENT_IN, VISITOR_IN, RESIDENT_OUT, VISITOR_OUT] = ['R', 'V', 'r', 'v'].map((ch) => ch.charCodeAt(0));
const LOWER = 'a'.charCodeAt(0); // exits are lower case
const hourOfKey = (hk: string) => Date.parse(`${hk}:00:00Z`) / HOUR_MS;
const total = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);

/** The rollup row `[hr, ...COLUMNS]` of one hour's passages (fees still 0). */
function hourRow(hr: number, seq: string): number[] {
  const row = [hr, ...COLUMNS.map(() => 0)];
  const count = (col: number) => row[col + 1]!++;
  let net = 0;
  let rise = 0;
  for (let i = 0; i < seq.length; i++) {
    const c = seq.charCodeAt(i);
    if (c < LOWER) {
      count(C.entries);
      if (c === RESIDENT_IN) count(C.resident_entries);
      else if (c === VISITOR_IN) count(C.visitor_entries);
      if (++net > rise) rise = net;
    } else {
      count(C.exits);
      if (c === RESIDENT_OUT) count(C.resident_exits);
      else if (c === VISITOR_OUT) count(C.visitor_exits);
      net--;
    }
  }
  row[C.rise + 1] = rise;
  return row;
}

export function createGateUsage(db: Db) {
  const params = (estateId: string, fromMs: number, toMs: number) => ({ ...spanParams(estateId, fromMs, toMs), fromHk: new Date(fromMs).toISOString().slice(0, 13), toHk: new Date(toMs).toISOString().slice(0, 13) });
  const passages = db.prepare(passagesSql).raw(true);
  const feesByHour = db.prepare(feesSql).raw(true);
  // Cars inside when the range starts (see occupancyAt).
  const before = db.prepare(
    // (The hour-key bounds let every count seek its index instead of scanning the estate's.)
    `SELECT (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('entry_at')} <= @fromHk AND entry_at < @fromIso)
          - (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('exit_at')} <= @fromHk AND exit_at < @fromIso)`,
  ).pluck();
  const since = db.prepare(
    `SELECT (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('exit_at')} IS NULL)
          + (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('exit_at')} >= @toHk AND exit_at >= @toIso)
          - (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('entry_at')} >= @toHk AND entry_at >= @toIso)`,
  ).pluck();
  const firstEntry = db.prepare(`SELECT entry_at FROM stays WHERE estate_id = ? ORDER BY ${hourKeySql('entry_at')}, entry_at LIMIT 1`).pluck();
  /**
   * Cars inside at the range's start T. Per stay, [entered before T] − [left
   * before T] = [not left yet] + [left from T on] − [entered from T on], and
   * "from T on" is the range itself, whose entries and exits its hours give,
   * plus what came after it. So the count can run over the estate's history
   * before the range or over what followed it, exact either way: it takes the
   * shorter stretch, and a report of last month costs the same in the estate's
   * first year as in its tenth.
   */
  const occupancyAt = (p: ReturnType<typeof params>, rangeNet: number, nowMs: number) => {
    const first = firstEntry.get(p.estateId) as string | undefined;
    const history = first === undefined ? 0 : Date.parse(p.fromIso) - Date.parse(first);
    return history <= nowMs - Date.parse(p.toIso) ? (before.get(p) as number) : (since.get(p) as number) - rangeNet;
  };
  const rollup = createHourlyRollup(db, {
    table: 'usage_gate_hours',
    columns: COLUMNS,
    compute(estateId, fromMs, toMs) {
      const p = params(estateId, fromMs, toMs);
      const rows = new Map((passages.all(p) as [hk: string, seq: string][]).map(([hk, seq]) => [hk, hourRow(hourOfKey(hk), seq)]));
      for (const [hk, feesFen, visitorFeesFen] of feesByHour.all(p) as [string, number, number][]) {
        const row = rows.get(hk)!; // a fee is billed at an exit: its hour has a passage
        row[C.fees_fen + 1] = feesFen;
        row[C.visitor_fees_fen + 1] = visitorFeesFen;
      }
      return [...rows.values()];
    },
  });

  return {
    fill: rollup.fill,
    report(r: UsageRange, nowMs: number) {
      const { first, count, cols } = rollup.hours(r.estateId, r.fromMs, r.toMs, nowMs);
      const base = occupancyAt(params(r.estateId, r.fromMs, r.toMs), total(cols[C.entries]!) - total(cols[C.exits]!), nowMs);
      const { labels, starts } = hourBuckets(r.bucket, first, count);
      const series = Object.fromEntries([['bucket', labels], ...GATE_SERIES.map((k) => [k, new Array<number>(labels.length)])]) as GateSeries;
      const totals = Object.fromEntries(SUMS.map((k) => [k, 0])) as Record<(typeof SUMS)[number], number>;
      let occ = base;
      let peak = -1; // index of the first bucket with the highest peak
      for (let b = 0; b < labels.length; b++) {
        // The bucket's peak: where it began, or higher where an hour's rise took it.
        let high = occ;
        for (let i = starts[b]!; i < starts[b + 1]!; i++) {
          high = Math.max(high, occ + cols[C.rise]![i]!);
          occ += cols[C.entries]![i]! - cols[C.exits]![i]!;
        }
        SUMS.forEach((k, s) => {
          const col = cols[s]!;
          let sum = 0;
          for (let i = starts[b]!; i < starts[b + 1]!; i++) sum += col[i]!;
          series[k][b] = sum;
          totals[k] += sum;
        });
        series.peakOccupancy[b] = high;
        series.occupancyEnd[b] = occ;
        if (peak < 0 || high > series.peakOccupancy[peak]!) peak = b;
      }
      return {
        ...totals,
        occupancyStart: base,
        occupancyEnd: occ,
        peakOccupancy: peak < 0 ? base : series.peakOccupancy[peak]!,
        peakBucket: peak < 0 ? null : labels[peak]!,
        series,
      };
    },
  };
}
