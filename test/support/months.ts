import { localMonthOf } from '../../server/accounts/months.js';

/**
 * The accounts tests' calendar: statements are per local (UTC+8) month, and
 * things such as refunds are stamped with the real time, so the tests work in
 * this month (C), the last (P) and the one before (Q), whatever today is.
 */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + m - 1 + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export const C = localMonthOf(new Date().toISOString());
export const P = shiftMonth(C, -1);
export const Q = shiftMonth(C, -2);

/** A local time in a month, as the store keeps it (ISO UTC): local('2026-10', '03', '10:00'). */
export const local = (month: string, day: string, hm: string) => new Date(`${month}-${day}T${hm}:00+08:00`).toISOString();
