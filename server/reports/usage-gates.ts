import type { Db } from '../store/sqlite.js';
import { bucketLabelSql, bucketSpans, fillSeries, hourKeySql, hourOfKeySql, rangeParams, type Bucket, type UsageRange } from './usage-buckets.js';

/** Registered cars of the estate's own people, and cars that come and go (charter classes). */
const RESIDENT = `('resident', 'monthly')`;
const VISITOR = `('visitor', 'window', 'temporary')`;

export interface GateBucket {
  bucket: string;
  entries: number;
  exits: number;
  residentEntries: number;
  visitorEntries: number;
  residentExits: number;
  visitorExits: number;
  /** Most cars inside at any one moment of the bucket (all lots of the estate). */
  peakOccupancy: number;
  /** Cars inside when the bucket (or the range) ends. */
  occupancyEnd: number;
  /** Fees billed at exit in this bucket: every class, and visitors' (visitor, window, temporary) alone. */
  feesFen: number;
  visitorFeesFen: number;
}

const SUMS = ['entries', 'exits', 'residentEntries', 'visitorEntries', 'residentExits', 'visitorExits', 'feesFen', 'visitorFeesFen'] as const;

/**
 * Three reads of two covering indexes (migration 008), all in index order:
 *  - entries and exits per UTC hour, each grouped straight off its index
 *    (the index is ordered by the hour key, so no sort);
 *  - the peak: both index scans merged in time order (SQLite merges the two
 *    ordered arms of the UNION ALL, no sort either), a running count gives the
 *    occupancy after every event, and its highest value per hour is kept.
 * Then per local bucket: the sums, and the peak — which is also at least the
 * occupancy the bucket started with (cars inside before its first event),
 * hence the running total of the net change over buckets.
 */
const IN_RANGE = (col: string) => `estate_id = @estateId AND ${hourKeySql(col)} BETWEEN @fromHk AND @toHk AND ${col} >= @fromIso AND ${col} < @toIso`;
const sql = (bucket: Bucket) => `
  WITH entered AS (
    SELECT ${hourKeySql('entry_at')} AS hk, COUNT(*) AS entries,
      SUM(vehicle_class IN ${RESIDENT}) AS residentEntries, SUM(vehicle_class IN ${VISITOR}) AS visitorEntries
    FROM stays WHERE ${IN_RANGE('entry_at')} GROUP BY hk
  ),
  exited AS (
    SELECT ${hourKeySql('exit_at')} AS hk, COUNT(*) AS exits,
      SUM(vehicle_class IN ${RESIDENT}) AS residentExits, SUM(vehicle_class IN ${VISITOR}) AS visitorExits,
      SUM(COALESCE(fee_fen, 0)) AS feesFen, SUM(CASE WHEN vehicle_class IN ${VISITOR} THEN COALESCE(fee_fen, 0) ELSE 0 END) AS visitorFeesFen
    FROM stays WHERE ${IN_RANGE('exit_at')} GROUP BY hk
  ),
  -- Ordered by (hour, time) only, which both index scans already are: a third key
  -- would cost a sort. Two passages in the same millisecond are rare enough.
  events(hk, t, d) AS (
    SELECT ${hourKeySql('exit_at')}, exit_at, -1 FROM stays WHERE ${IN_RANGE('exit_at')}
    UNION ALL
    SELECT ${hourKeySql('entry_at')}, entry_at, 1 FROM stays WHERE ${IN_RANGE('entry_at')}
    ORDER BY 1, 2
  ),
  peaks AS (
    SELECT hk, MAX(occ) AS peak FROM (SELECT hk, SUM(d) OVER (ROWS UNBOUNDED PRECEDING) AS occ FROM events) GROUP BY hk
  ),
  hourly(hk, entries, residentEntries, visitorEntries, exits, residentExits, visitorExits, feesFen, visitorFeesFen, peak) AS (
    SELECT hk, entries, residentEntries, visitorEntries, 0, 0, 0, 0, 0, NULL FROM entered
    UNION ALL SELECT hk, 0, 0, 0, exits, residentExits, visitorExits, feesFen, visitorFeesFen, NULL FROM exited
    UNION ALL SELECT hk, 0, 0, 0, 0, 0, 0, 0, 0, peak FROM peaks
  ),
  b AS (
    SELECT ${bucketLabelSql(bucket, hourOfKeySql('hk'))} AS bucket, ${SUMS.map((k) => `SUM(${k}) AS ${k}`).join(', ')}, SUM(entries) - SUM(exits) AS net, MAX(peak) AS peak
    FROM (SELECT hk, ${SUMS.map((k) => `SUM(${k}) AS ${k}`).join(', ')}, MAX(peak) AS peak FROM hourly GROUP BY hk) GROUP BY bucket
  )
  SELECT *, @base + SUM(net) OVER (ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS occupancyEnd FROM b ORDER BY bucket`;

export function createGateUsage(db: Db) {
  const queries = new Map((['hour', 'day', 'week', 'month'] as const).map((b) => [b, db.prepare(sql(b))]));
  // Cars inside when the range starts: entered before it, minus those that also left before it.
  const inside = db.prepare(
    `SELECT (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND entry_at < @fromIso)
          - (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND exit_at < @fromIso) AS n`,
  );
  return (r: UsageRange) => {
    const params = { ...rangeParams(r), fromHk: new Date(r.fromMs).toISOString().slice(0, 13), toHk: new Date(r.toMs).toISOString().slice(0, 13) };
    const base = (inside.get(params) as { n: number }).n;
    const rows = queries.get(r.bucket)!.all({ ...params, base }) as (Omit<GateBucket, 'peakOccupancy'> & { net: number; peak: number })[];
    let carried = base;
    const series = fillSeries(bucketSpans(r.bucket, r.fromMs, r.toMs), rows, (span, row): GateBucket => {
      if (!row) return { bucket: span.bucket, ...zeroSums(), peakOccupancy: carried, occupancyEnd: carried };
      const started = row.occupancyEnd - row.net;
      carried = row.occupancyEnd;
      const { net: _n, peak, ...rest } = row;
      return { ...rest, peakOccupancy: Math.max(started, base + peak) };
    });
    const peak = series.reduce<GateBucket | undefined>((best, b) => (!best || b.peakOccupancy > best.peakOccupancy ? b : best), undefined);
    const totals = Object.fromEntries(SUMS.map((k) => [k, series.reduce((a, b) => a + b[k], 0)])) as Record<(typeof SUMS)[number], number>;
    return {
      ...totals,
      occupancyStart: base,
      occupancyEnd: carried,
      peakOccupancy: peak?.peakOccupancy ?? base,
      peakBucket: peak?.bucket ?? null,
      series,
    };
  };
}

const zeroSums = () => Object.fromEntries(SUMS.map((k) => [k, 0])) as Record<(typeof SUMS)[number], number>;
