import type { Db } from '../store/sqlite.js';
import { bucketLabel, hourKeySql, rangeParams, type UsageRange } from './usage-buckets.js';

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
 * Two reads of two covering indexes (migration 008), both in index order and
 * neither with a sort:
 *  - the passages of each UTC hour in time order, as one string of a letter
 *    per car: `R`/`V`/`I` a resident/visitor/other car entering, `r`/`v`/`i` one
 *    leaving. Both index scans are merged (SQLite merges the two ordered arms of
 *    the UNION ALL, and the GROUP BY follows that order, so `group_concat` sees
 *    the rows in it);
 *  - the fees billed at exit per UTC hour, off the exit index.
 * Then in JS, hour by hour over the range, one pass over each hour's letters:
 * the counts, and the hour's peak — the occupancy it started with (the base
 * plus the net change so far) plus the highest running count of its passages.
 * Each local bucket takes the sums and the highest peak of its hours. Only a
 * few thousand hour rows cross into JS; no per-passage row or call does.
 */
const IN_RANGE = (col: string) => `estate_id = @estateId AND ${hourKeySql(col)} BETWEEN @fromHk AND @toHk AND ${col} >= @fromIso AND ${col} < @toIso`;
const letter = (resident: string, visitor: string, other: string) =>
  `CASE WHEN vehicle_class IN ${RESIDENT} THEN '${resident}' WHEN vehicle_class IN ${VISITOR} THEN '${visitor}' ELSE '${other}' END`;
// Ordered by (hour, time) only, which both index scans already are: a third key
// would cost a sort. Two passages in the same millisecond are rare enough.
const passagesSql = `
  WITH events(hk, t, c) AS (
    SELECT ${hourKeySql('exit_at')}, exit_at, ${letter('r', 'v', 'i')} FROM stays WHERE ${IN_RANGE('exit_at')}
    UNION ALL
    SELECT ${hourKeySql('entry_at')}, entry_at, ${letter('R', 'V', 'I')} FROM stays WHERE ${IN_RANGE('entry_at')}
    ORDER BY 1, 2
  )
  SELECT hk, group_concat(c, '') AS seq FROM events GROUP BY hk`;
const feesSql = `
  SELECT ${hourKeySql('exit_at')} AS hk, SUM(fee_fen) AS feesFen, SUM(CASE WHEN vehicle_class IN ${VISITOR} THEN fee_fen ELSE 0 END) AS visitorFeesFen
  FROM stays WHERE ${IN_RANGE('exit_at')} AND fee_fen IS NOT NULL GROUP BY hk`;

const HOUR_MS = 3_600_000;
const [RESIDENT_IN, VISITOR_IN, RESIDENT_OUT, VISITOR_OUT] = ['R', 'V', 'r', 'v'].map((ch) => ch.charCodeAt(0));
const LOWER = 'a'.charCodeAt(0); // exits are lower case

export function createGateUsage(db: Db) {
  const passages = db.prepare(passagesSql).raw(true);
  const feesByHour = db.prepare(feesSql).raw(true);
  // Cars inside when the range starts: entered before it, minus those that also left before it.
  const inside = db.prepare(
    // (The hour-key bound lets both counts seek their index instead of scanning the estate's.)
    `SELECT (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('entry_at')} <= @fromHk AND entry_at < @fromIso)
          - (SELECT COUNT(*) FROM stays WHERE estate_id = @estateId AND ${hourKeySql('exit_at')} <= @fromHk AND exit_at < @fromIso) AS n`,
  );
  return (r: UsageRange) => {
    const params = { ...rangeParams(r), fromHk: new Date(r.fromMs).toISOString().slice(0, 13), toHk: new Date(r.toMs).toISOString().slice(0, 13) };
    const base = (inside.get(params) as { n: number }).n;
    const seqs = new Map(passages.all(params) as [hk: string, seq: string][]);
    const fees = new Map((feesByHour.all(params) as [hk: string, feesFen: number, visitorFeesFen: number][]).map((row) => [row[0], row]));
    const series: GateBucket[] = [];
    let cur: GateBucket | undefined;
    let occ = base;
    for (let t = Math.floor(r.fromMs / HOUR_MS) * HOUR_MS; t < r.toMs; t += HOUR_MS) {
      const label = bucketLabel(r.bucket, t);
      if (cur?.bucket !== label) {
        cur = { bucket: label, entries: 0, exits: 0, residentEntries: 0, visitorEntries: 0, residentExits: 0, visitorExits: 0, peakOccupancy: occ, occupancyEnd: occ, feesFen: 0, visitorFeesFen: 0 };
        series.push(cur);
      }
      const hk = new Date(t).toISOString().slice(0, 13);
      const seq = seqs.get(hk);
      if (seq === undefined) continue; // no passage: the occupancy holds
      let peak = cur.peakOccupancy;
      for (let i = 0; i < seq.length; i++) {
        const c = seq.charCodeAt(i);
        if (c < LOWER) {
          cur.entries++;
          if (c === RESIDENT_IN) cur.residentEntries++;
          else if (c === VISITOR_IN) cur.visitorEntries++;
          if (++occ > peak) peak = occ;
        } else {
          cur.exits++;
          if (c === RESIDENT_OUT) cur.residentExits++;
          else if (c === VISITOR_OUT) cur.visitorExits++;
          occ--;
        }
      }
      cur.peakOccupancy = peak;
      cur.occupancyEnd = occ;
      const f = fees.get(hk);
      if (f) {
        cur.feesFen += f[1];
        cur.visitorFeesFen += f[2];
      }
    }
    let peak: GateBucket | undefined;
    const totals = { entries: 0, exits: 0, residentEntries: 0, visitorEntries: 0, residentExits: 0, visitorExits: 0, feesFen: 0, visitorFeesFen: 0 };
    for (const b of series) {
      if (!peak || b.peakOccupancy > peak.peakOccupancy) peak = b;
      for (const k of SUMS) totals[k] += b[k];
    }
    return {
      ...totals,
      occupancyStart: base,
      occupancyEnd: occ,
      peakOccupancy: peak?.peakOccupancy ?? base,
      peakBucket: peak?.bucket ?? null,
      series,
    };
  };
}
