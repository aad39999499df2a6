import type { Db } from '../store/sqlite.js';
import { HOUR_MS, rangeHours } from './usage-buckets.js';

/** A report's figures per UTC hour over a range: `cols[f][i]` is figure `f` of hour `first + i`. */
export interface Hours {
  first: number;
  count: number;
  cols: Float64Array[];
}

export interface HourlySource {
  /** The rollup table (migration 011), and its figure columns in order (after `estate_id, hr`). */
  table: string;
  columns: readonly string[];
  /**
   * From the stored rows: the figures of each UTC hour of [fromMs, toMs) that
   * has any, counting only what lies inside those exact bounds (a span may
   * start or end mid-hour), as rows `[hr, ...figures]`. `nowMs` is where a
   * running charging session's port time ends for now.
   */
  compute(estateId: string, fromMs: number, toMs: number, nowMs: number): number[][];
}

/**
 * A report's hourly figures over a range. Closed whole hours (before the
 * current one) come from the rollup table; the hours it lacks are computed
 * from the stored rows, one query per gap, and stored on the way — including
 * hours without traffic, as zeros, since a missing row means "not filled".
 * The range's partial first and last hours, the current hour and any later one
 * are computed afresh and never stored: the current hour changes with every
 * passage, and a running session's port time in it grows by the second. (A
 * closed hour already holds all a running session can add to it, the whole
 * hour; when the session ends, its trigger deletes its hours.)
 *
 * Callers run it in a transaction, so what is read and what is stored come
 * from one snapshot, with the triggers' deletions either before it or after.
 */
export function createHourlyRollup(db: Db, src: HourlySource) {
  const width = src.columns.length;
  const list = src.columns.join(', ');
  const read = db.prepare(`SELECT hr, ${list} FROM ${src.table} WHERE estate_id = ? AND hr >= ? AND hr < ?`).raw(true);
  const write = db.prepare(`INSERT OR REPLACE INTO ${src.table} (estate_id, hr, ${list}) VALUES (?, ?${', ?'.repeat(width)})`);
  const zeros = new Array<number>(width).fill(0);

  /** The closed whole hours of [fromMs, toMs): [lo, hi), empty when lo = hi. */
  const closed = (fromMs: number, toMs: number, nowMs: number) => {
    const lo = Math.ceil(fromMs / HOUR_MS);
    return { lo, hi: Math.max(lo, Math.min(Math.floor(toMs / HOUR_MS), Math.floor(nowMs / HOUR_MS))) };
  };

  /** Hands every row of the closed hours [lo, hi) to `put`, first computing and storing the ones the rollup lacks; returns how many it computed. */
  function ensure(estateId: string, lo: number, hi: number, nowMs: number, put: (row: number[]) => void): number {
    const filled = new Uint8Array(hi - lo);
    for (const row of read.all(estateId, lo, hi) as number[][]) {
      filled[row[0]! - lo] = 1;
      put(row);
    }
    let computed = 0;
    for (let i = 0; i < filled.length; i++) {
      if (filled[i]) continue;
      let j = i;
      while (j < filled.length && !filled[j]) j++;
      const rows = new Map(src.compute(estateId, (lo + i) * HOUR_MS, (lo + j) * HOUR_MS, nowMs).map((row) => [row[0]!, row]));
      for (let hr = lo + i; hr < lo + j; hr++) {
        const row = rows.get(hr);
        if (row) put(row);
        write.run(estateId, hr, ...(row ? row.slice(1) : zeros));
      }
      computed += j - i;
      i = j;
    }
    return computed;
  }

  return {
    hours(estateId: string, fromMs: number, toMs: number, nowMs: number): Hours {
      const { first, count } = rangeHours({ fromMs, toMs });
      const cols = src.columns.map(() => new Float64Array(count));
      const put = (row: number[]) => {
        const i = row[0]! - first;
        for (let f = 0; f < width; f++) cols[f]![i] = row[f + 1]!;
      };
      const fresh = (a: number, b: number) => {
        if (a < b) for (const row of src.compute(estateId, a, b, nowMs)) put(row);
      };
      const { lo, hi } = closed(fromMs, toMs, nowMs);
      fresh(fromMs, Math.min(toMs, lo * HOUR_MS));
      ensure(estateId, lo, hi, nowMs, put);
      fresh(Math.max(fromMs, hi * HOUR_MS), toMs);
      return { first, count, cols };
    },
    /** Stores the closed hours of [fromMs, toMs) the rollup lacks (the background pre-fill); returns how many it computed. */
    fill(estateId: string, fromMs: number, toMs: number, nowMs: number): number {
      const { lo, hi } = closed(fromMs, toMs, nowMs);
      return ensure(estateId, lo, hi, nowMs, () => {});
    },
  };
}
