import { CHINA_OFFSET_MS } from '../parking/local-time.js';

/** A statement month: 2026-03. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** The local (UTC+8) calendar month as UTC instants: 2026-03 → [2026-02-28T16:00Z, 2026-03-31T16:00Z). */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = Date.UTC(y, m - 1, 1) - CHINA_OFFSET_MS;
  const to = Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) - CHINA_OFFSET_MS;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The local month an instant falls in: 2026-02-28T16:00Z → 2026-03. */
export function localMonthOf(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 7);
}

/** 2026-03-05 08:30, local time: how a line's date reads on the notice board. */
export function localMinute(iso: string): string {
  const d = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * What the committee types: a local date (a receipt's date) is that day's local
 * midnight; a datetime keeps its instant. Both are stored as ISO UTC so they
 * compare as text with the ledgers' times.
 */
export function instantOf(input: string): string {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(input) ? `${input}T00:00:00+08:00` : input).toISOString();
}
