/**
 * Estates are in China: local time is UTC+8 all year (no daylight saving), so a
 * fixed offset is exact and needs no time-zone database.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Minutes since local midnight, and the ISO weekday (1 = Monday) of the local date. */
export function localClock(atMs: number): { minutes: number; weekday: number; date: string } {
  const d = new Date(atMs + CHINA_OFFSET_MS);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  return { minutes: d.getUTCHours() * 60 + d.getUTCMinutes(), weekday, date: d.toISOString().slice(0, 10) };
}

export function parseTimeOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * Is `atMs` inside a daily window like 18:00–08:00 on one of `days`? A window that
 * crosses midnight belongs to the day it started on: Friday 18:00–08:00 covers
 * Saturday 07:00 too.
 */
export function inDailyWindow(atMs: number, from: string, to: string, days: number[]): boolean {
  const { minutes, weekday } = localClock(atMs);
  const f = parseTimeOfDay(from);
  const t = parseTimeOfDay(to);
  if (f === t) return days.includes(weekday); // all day
  if (f < t) return minutes >= f && minutes < t && days.includes(weekday);
  if (minutes >= f) return days.includes(weekday);
  if (minutes < t) return days.includes(weekday === 1 ? 7 : weekday - 1);
  return false;
}

/** The end of a local calendar date (a validity date like 2026-12-31 is valid through that whole day). */
export function endOfLocalDate(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`) + 24 * 3_600_000;
}

/** The first instant of the local calendar month containing `atMs`, and of the next one. */
export function localMonth(atMs: number): { from: number; to: number } {
  const { date } = localClock(atMs);
  const [y, m] = date.split('-').map(Number) as [number, number];
  const from = Date.parse(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  return { from, to: Date.parse(`${ny}-${String(nm).padStart(2, '0')}-01T00:00:00+08:00`) };
}

/** ¥6, ¥6.50: how a fee reads on an LED board. */
export function yuan(fen: number): string {
  return fen % 100 === 0 ? `¥${fen / 100}` : `¥${(fen / 100).toFixed(2)}`;
}
