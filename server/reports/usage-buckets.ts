import { z } from 'zod';
import { CHINA_OFFSET_MS } from '../parking/local-time.js';

/**
 * Time buckets of the usage reports, in estate-local time (UTC+8, no DST).
 *
 * Every report works in two stages: first its figures per UTC hour — from the
 * rollup (server/reports/usage-rollup.ts) or, for hours it cannot hold, from
 * the stored rows, keyed by the first 13 characters of the stored ISO time
 * (`2025-03-01T06`), a cheap `substr` — then those hours are grouped here into
 * local buckets. UTC+8 is a whole number of hours, so a UTC hour always lies
 * inside one local hour/day/week/month.
 */
export const Bucket = z.enum(['hour', 'day', 'week', 'month']);
export type Bucket = z.infer<typeof Bucket>;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The longest range a report answers: a year and a bit of hourly buckets (≈ 9,600) is as much as one chart should carry. */
export const MAX_RANGE_MS = 400 * DAY_MS;
const OFFSET_H = CHINA_OFFSET_MS / HOUR_MS;

/** The UTC hour of a stored ISO time, `2025-03-01T06` — a `substr`, no date parsing per row. */
export const hourKeySql = (isoColumn: string) => `substr(${isoColumn}, 1, 13)`;

/** The integer UTC hour since the epoch of such a key (parsed once per hour row). */
export const hourOfKeySql = (key: string) => `(unixepoch(${key} || ':00:00') / 3600)`;

/** The local bucket label of the moment `atMs`. */
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

export interface UsageRange {
  estateId: string;
  fromMs: number;
  toMs: number;
  bucket: Bucket;
}

/** The UTC hours a range touches: `count` of them from `first` (hours since the epoch); the first and last may be partial. */
export const rangeHours = (r: { fromMs: number; toMs: number }) => {
  const first = Math.floor(r.fromMs / HOUR_MS);
  return { first, count: Math.ceil(r.toMs / HOUR_MS) - first };
};

/** The local buckets over a range's hours: bucket `b` covers the hours `starts[b]` up to `starts[b + 1]` (indexes from the first hour). */
export interface HourBuckets {
  labels: string[];
  /** One entry more than `labels`: the last is the number of hours. */
  starts: number[];
}

const HH = Array.from({ length: 24 }, (_, h) => ` ${String(h).padStart(2, '0')}:00`);

export function hourBuckets(bucket: Bucket, firstHr: number, count: number): HourBuckets {
  const labels: string[] = [];
  const starts: number[] = [];
  let date = ''; // the local date of an hourly label, formatted once a day
  for (let i = 0; i < count; i++) {
    const atMs = (firstHr + i) * HOUR_MS;
    const localHour = (firstHr + i + OFFSET_H) % 24;
    // Only an hour that starts a local day can start a day, week or month.
    const startsDay = i === 0 || localHour === 0;
    if (bucket === 'hour') {
      if (startsDay) date = bucketLabel('day', atMs);
      labels.push(date + HH[localHour]!);
      starts.push(i);
    } else if (startsDay) {
      const label = bucketLabel(bucket, atMs);
      if (label !== labels[labels.length - 1]) {
        labels.push(label);
        starts.push(i);
      }
    }
  }
  starts.push(count);
  return { labels, starts };
}

/** Named SQL parameters of a span: ISO UTC bounds compare as text with the stored times. */
export const spanParams = (estateId: string, fromMs: number, toMs: number) => ({ estateId, fromIso: new Date(fromMs).toISOString(), toIso: new Date(toMs).toISOString() });

export const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
