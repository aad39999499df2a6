import { z } from 'zod';
import { CHINA_OFFSET_MS } from '../parking/local-time.js';

/**
 * Time buckets of the usage reports, in estate-local time (UTC+8, no DST).
 *
 * Every report aggregates in two stages: first by UTC hour — a cheap key, since
 * stored times are `toISOString()` (`2025-03-01T06:12:00.000Z`) and the first 13
 * characters name the hour — then those few thousand hour rows are grouped by
 * the local bucket with `strftime` on the hour shifted +8 h. UTC+8 is a whole
 * number of hours, so a UTC hour always lies inside one local hour/day/week/month,
 * and the expensive date formatting runs per hour, not per row.
 */
export const Bucket = z.enum(['hour', 'day', 'week', 'month']);
export type Bucket = z.infer<typeof Bucket>;

const HOUR_MS = 3_600_000;
const OFFSET_S = CHINA_OFFSET_MS / 1000;

/** SQL for the local bucket label of `hr`, an integer UTC hour since the epoch. */
export function bucketLabelSql(bucket: Bucket, hr: string): string {
  const local = `${hr} * 3600 + ${OFFSET_S}, 'unixepoch'`;
  switch (bucket) {
    case 'hour':
      return `strftime('%Y-%m-%d %H:00', ${local})`;
    case 'day':
      return `date(${local})`;
    case 'week': // the Monday that starts the week: 'weekday 0' is the coming Sunday (or today), less six days
      return `date(${local}, 'weekday 0', '-6 days')`;
    case 'month':
      return `strftime('%Y-%m', ${local})`;
  }
}

/** Stage one's key: the UTC hour of a stored ISO time, `2025-03-01T06` — a `substr`, no date parsing per row. */
export const hourKeySql = (isoColumn: string) => `substr(${isoColumn}, 1, 13)`;

/** Stage two: the integer UTC hour since the epoch of such a key (parsed once per hour row). */
export const hourOfKeySql = (key: string) => `(unixepoch(${key} || ':00:00') / 3600)`;

/** The same label, in JS, for the zero-filled list of buckets. */
export function bucketLabel(bucket: Bucket, atMs: number): string {
  const local = new Date(atMs + CHINA_OFFSET_MS).toISOString();
  switch (bucket) {
    case 'hour':
      return `${local.slice(0, 10)} ${local.slice(11, 13)}:00`;
    case 'day':
      return local.slice(0, 10);
    case 'week': {
      const d = new Date(atMs + CHINA_OFFSET_MS);
      const back = (d.getUTCDay() + 6) % 7; // days since Monday
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - back)).toISOString().slice(0, 10);
    }
    case 'month':
      return local.slice(0, 7);
  }
}

export interface BucketSpan {
  bucket: string;
  /** Seconds of this bucket that lie inside the asked range (the first and last may be partial). */
  seconds: number;
}

/** Every bucket touched by [fromMs, toMs), in order, each with its seconds inside the range. */
export function bucketSpans(bucket: Bucket, fromMs: number, toMs: number): BucketSpan[] {
  const out: BucketSpan[] = [];
  for (let t = Math.floor(fromMs / HOUR_MS) * HOUR_MS; t < toMs; t += HOUR_MS) {
    const seconds = (Math.min(toMs, t + HOUR_MS) - Math.max(fromMs, t)) / 1000;
    const label = bucketLabel(bucket, t);
    const last = out[out.length - 1];
    if (last?.bucket === label) last.seconds += seconds;
    else out.push({ bucket: label, seconds });
  }
  return out;
}

export interface UsageRange {
  estateId: string;
  fromMs: number;
  toMs: number;
  bucket: Bucket;
}

/** Named SQL parameters of a range: ISO UTC bounds compare as text with the stored times. */
export const rangeParams = (r: UsageRange) => ({ estateId: r.estateId, fromIso: new Date(r.fromMs).toISOString(), toIso: new Date(r.toMs).toISOString() });

/** Zero-fills a series: every bucket of the range, with the SQL row for it or `empty`. */
export function fillSeries<R extends { bucket: string }, T>(spans: BucketSpan[], rows: R[], make: (span: BucketSpan, row: R | undefined) => T): T[] {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return spans.map((s) => make(s, byBucket.get(s.bucket)));
}

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
