import { z } from 'zod';
import type { DeviceKind } from '../../devices/index.js';
import { localClock, parseTimeOfDay } from '../parking/local-time.js';

/**
 * The duty roster (值班表): resident volunteers, who covers what when, one-day swaps,
 * the committee as the catch-all, and the elevator maintenance company. Pure: time
 * is epoch ms, read in Beijing time through `local-time.ts`.
 */

export const Skill = z.enum(['gate', 'charger', 'elevator', 'general']).describe('gate 门岗道闸 / charger 充电棚 / elevator 电梯 / general 综合');
export type Skill = z.infer<typeof Skill>;

/**
 * Which skill a device kind's alerts need. Typed over every `DeviceKind`, so a new
 * kind in `devices/kinds.ts` does not compile until it says who looks after it.
 */
export const SKILL_OF_KIND: Record<DeviceKind, Skill> = { gate: 'gate', camera: 'gate', charger: 'charger', elevator: 'elevator' };

/** The skill for a device kind; a kind not on the list (or an estate-level alert) needs 'general'. */
export function skillFor(deviceKind: string): Skill {
  return Object.hasOwn(SKILL_OF_KIND, deviceKind) ? SKILL_OF_KIND[deviceKind as DeviceKind] : 'general';
}

const Username = z.string().min(1).max(64);
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

export const Volunteer = z.object({ username: Username, skills: z.array(Skill).default([]) });
export type Volunteer = z.infer<typeof Volunteer>;

export const Shift = z
  .object({
    weekday: z.number().int().min(1).max(7).describe('1 = 周一 … 7 = 周日 (ISO weekday the shift starts on)'),
    from: TimeOfDay,
    to: TimeOfDay.describe('早于 from 即跨午夜，算开始那天的班；等于 from 为全天 (earlier than `from`: crosses midnight; equal: all day)'),
    skill: Skill,
    usernames: z.array(Username).min(1).describe('顺序即顺位：第一位当班，其后依次为下一位 (first is on duty, then the next people)'),
  })
  .describe('一个班次 (one shift)');
export type Shift = z.infer<typeof Shift>;

export const Swap = z
  .object({
    date: z.iso.date().describe('班次开始那天的日期（北京时间）(local date the shift starts)'),
    skill: Skill,
    from: Username,
    to: Username,
  })
  .refine((s) => s.from !== s.to, { message: 'a swap needs two different people', path: ['to'] })
  .describe('换班：当天该技能班次中 to 顶替 from (on that date, `to` takes `from`’s place)');
export type Swap = z.infer<typeof Swap>;

export const Roster = z.object({
  volunteers: z.array(Volunteer),
  shifts: z.array(Shift).default([]),
  swaps: z.array(Swap).default([]),
  committee: z.array(Username).min(1).describe('业委会：兜底，无人值班或无人认领时通知 (the catch-all)'),
  elevatorCompany: z
    .object({ name: z.string().min(1).max(50), contact: z.string().min(1).max(200).describe('通知渠道 id (a channel id the notifier knows)') })
    .optional(),
});
export type Roster = z.infer<typeof Roster>;

/**
 * Every person a roster names, with where (`volunteers.0.username`, `shifts.2.usernames.1`,
 * `swaps.0.to`, `committee.1`), first place first: each must be a person of the estate.
 */
export function rosterPeople(roster: Pick<Roster, 'volunteers' | 'shifts' | 'swaps' | 'committee'>): { field: string; username: string }[] {
  const all = [
    ...roster.volunteers.map((v, i) => ({ field: `volunteers.${i}.username`, username: v.username })),
    ...roster.shifts.flatMap((s, i) => s.usernames.map((u, j) => ({ field: `shifts.${i}.usernames.${j}`, username: u }))),
    ...roster.swaps.flatMap((s, i) => [
      { field: `swaps.${i}.from`, username: s.from },
      { field: `swaps.${i}.to`, username: s.to },
    ]),
    ...roster.committee.map((u, i) => ({ field: `committee.${i}`, username: u })),
  ];
  const seen = new Set<string>();
  return all.filter((p) => !seen.has(p.username) && seen.add(p.username));
}

const DAY_MS = 24 * 3_600_000;

/**
 * The local date a shift started on, if it is running at `atMs`. A shift that
 * crosses midnight belongs to the day it starts: Friday 22:00–06:00 covers
 * Saturday 05:00, and a swap for it names Friday's date.
 */
export function shiftStartDate(shift: Pick<Shift, 'weekday' | 'from' | 'to'>, atMs: number): string | undefined {
  const now = localClock(atMs);
  const f = parseTimeOfDay(shift.from);
  const t = parseTimeOfDay(shift.to);
  const startedToday = f === t || (f < t ? now.minutes >= f && now.minutes < t : now.minutes >= f);
  if (startedToday) return now.weekday === shift.weekday ? now.date : undefined;
  if (f > t && now.minutes < t) {
    const yesterday = localClock(atMs - DAY_MS);
    return yesterday.weekday === shift.weekday ? yesterday.date : undefined;
  }
  return undefined;
}

const unique = (names: string[]) => [...new Set(names)];

/**
 * Why a swap cannot stand, or undefined: `from` must be on a shift of that skill
 * starting that weekday (else the swap would silently change nothing), and `to`
 * must be a volunteer who can do it (else nobody would be reached that night).
 */
export function swapProblem(roster: Pick<Roster, 'volunteers' | 'shifts'>, swap: Swap): { field: 'from' | 'to'; message: string } | undefined {
  const weekday = localClock(Date.parse(`${swap.date}T12:00:00+08:00`)).weekday;
  const shifts = roster.shifts.filter((s) => s.skill === swap.skill && s.weekday === weekday);
  if (!shifts.some((s) => s.usernames.includes(swap.from))) return { field: 'from', message: `${swap.from} has no ${swap.skill} shift starting on ${swap.date}` };
  const v = roster.volunteers.find((x) => x.username === swap.to);
  if (!v) return { field: 'to', message: `${swap.to} is not on the volunteer list` };
  if (swap.skill !== 'general' && !v.skills.includes(swap.skill)) return { field: 'to', message: `${swap.to} does not have the ${swap.skill} skill` };
  return undefined;
}

/** Who a shift running at `atMs` puts on duty, after that day's swaps, skipping people who cannot do it. */
function shiftChain(roster: Roster, shift: Shift, date: string): string[] {
  const swaps = roster.swaps.filter((s) => s.date === date && s.skill === shift.skill);
  const names = shift.usernames.map((n) => swaps.reduce((who, s) => (who === s.from ? s.to : who), n));
  return names.filter((n) => {
    const v = roster.volunteers.find((x) => x.username === n);
    // Someone not on the volunteer list cannot be reached; a specialised shift also needs the skill.
    return v !== undefined && (shift.skill === 'general' || v.skills.includes(shift.skill));
  });
}

function chainFor(roster: Roster, skill: Skill, atMs: number): string[] {
  return unique(
    roster.shifts
      .filter((s) => s.skill === skill)
      .flatMap((s) => {
        const date = shiftStartDate(s, atMs);
        return date === undefined ? [] : shiftChain(roster, s, date);
      }),
  );
}

/**
 * The ordered chain for `skill` at `atMs`, and the shift that supplies it. Shifts
 * for the skill come first; when nobody with the skill is on (no shift then, or
 * everyone on it skipped) the 'general' shift covers it.
 */
export function dutyFor(roster: Roster, skill: Skill, atMs: number): { skill: Skill; chain: string[] } {
  const own = chainFor(roster, skill, atMs);
  return own.length > 0 || skill === 'general' ? { skill, chain: own } : { skill: 'general', chain: chainFor(roster, 'general', atMs) };
}

/** The ordered chain for `skill` at `atMs`: first is on duty, the rest are next in line. */
export function onDuty(roster: Roster, skill: Skill, atMs: number): string[] {
  return dutyFor(roster, skill, atMs).chain;
}
