import { describe, it, expect } from 'vitest';
import { onDuty, Roster, shiftStartDate, skillFor, swapProblem, type Skill } from '../../server/alerts/roster.js';
import { aRoster, at, rosterInput } from '../support/roster.js';

type Row = [name: string, edit: (r: Record<string, any>) => void, skill: Skill, when: string, expected: string[]];
const none = () => {};

// 2025-03-03 is a Monday. The builder's roster: Monday gate day [wang, li, zhou], gate night 20:00–06:00 [li, wang],
// elevator [chen] and general 08:00–22:00 [liu, wang].
// prettier-ignore
const ROWS: Row[] = [
  ['Monday morning: the gate day shift, in order', none, 'gate', '2025-03-03 09:00', ['wang', 'li', 'zhou']],
  ['the day shift still at 19:59', none, 'gate', '2025-03-03 19:59', ['wang', 'li', 'zhou']],
  ['20:00: the night shift takes over', none, 'gate', '2025-03-03 20:00', ['li', 'wang']],
  ['Tuesday 05:30: still Monday’s night shift', none, 'gate', '2025-03-04 05:30', ['li', 'wang']],
  ['Tuesday 06:00: the night shift is over, nobody on', none, 'gate', '2025-03-04 06:00', []],
  ['Monday 07:00: Sunday has no night shift', none, 'gate', '2025-03-03 07:00', []],
  ['the next Monday too', none, 'gate', '2025-03-10 09:00', ['wang', 'li', 'zhou']],
  ['elevator on Monday', none, 'elevator', '2025-03-03 10:00', ['chen']],
  ['chargers have no shift: the general shift covers', none, 'charger', '2025-03-03 10:00', ['liu', 'wang']],
  ['no charger or general shift at 23:00', none, 'charger', '2025-03-03 23:00', []],
  ['the general shift itself keeps people without skills', none, 'general', '2025-03-03 10:00', ['liu', 'wang']],
  ['a swap for that date', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'chen' }), 'gate', '2025-03-03 09:00', ['chen', 'li', 'zhou']],
  ['the swap is for one date only', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'chen' }), 'gate', '2025-03-10 09:00', ['wang', 'li', 'zhou']],
  ['a swap names the night shift by its start date', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'li', to: 'zhou' }), 'gate', '2025-03-04 02:00', ['zhou', 'wang']],
  ['a swap dated the morning after does not touch the night shift', (r) => r.swaps.push({ date: '2025-03-04', skill: 'gate', from: 'li', to: 'zhou' }), 'gate', '2025-03-04 02:00', ['li', 'wang']],
  ['a swap for another skill does not apply', (r) => r.swaps.push({ date: '2025-03-03', skill: 'elevator', from: 'wang', to: 'chen' }), 'gate', '2025-03-03 09:00', ['wang', 'li', 'zhou']],
  ['swapped to someone without the skill: skipped', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'zhao' }), 'gate', '2025-03-03 09:00', ['li', 'zhou']],
  ['swapped to someone already next: once, in the first place', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'zhou' }), 'gate', '2025-03-03 09:00', ['zhou', 'li']],
  ['a name not on the volunteer list is skipped', (r) => r.shifts[0].usernames.unshift('ghost'), 'gate', '2025-03-03 09:00', ['wang', 'li', 'zhou']],
  ['an unknown name is skipped on a general shift too', (r) => r.shifts[3].usernames.unshift('ghost'), 'general', '2025-03-03 09:00', ['liu', 'wang']],
  ['a volunteer without the skill is skipped', (r) => r.shifts[0].usernames.unshift('zhao'), 'gate', '2025-03-03 09:00', ['wang', 'li', 'zhou']],
  ['nobody able on the skill’s shift: the general shift covers', (r) => (r.shifts[2].usernames = ['liu']), 'elevator', '2025-03-03 10:00', ['liu', 'wang']],
  ['two shifts at once: both chains, in roster order, once each', (r) => r.shifts.push({ weekday: 1, from: '09:00', to: '12:00', skill: 'gate', usernames: ['chen', 'wang'] }), 'gate', '2025-03-03 10:00', ['wang', 'li', 'zhou', 'chen']],
  ['Sunday night shift into Monday', (r) => r.shifts.push({ weekday: 7, from: '22:00', to: '07:00', skill: 'gate', usernames: ['zhou'] }), 'gate', '2025-03-03 06:30', ['zhou']],
  ['from = to is all day', (r) => r.shifts.push({ weekday: 2, from: '00:00', to: '00:00', skill: 'charger', usernames: ['zhao'] }), 'charger', '2025-03-04 23:59', ['zhao']],
];

describe('onDuty', () => {
  it.each(ROWS)('%s', (_name, edit, skill, when, expected) => {
    expect(onDuty(aRoster(edit), skill, at(when))).toEqual(expected);
  });
});

// prettier-ignore
const DATES: [name: string, shift: { weekday: number; from: string; to: string }, when: string, date: string | undefined][] = [
  ['inside a day shift', { weekday: 1, from: '08:00', to: '20:00' }, '2025-03-03 08:00', '2025-03-03'],
  ['another weekday', { weekday: 2, from: '08:00', to: '20:00' }, '2025-03-03 09:00', undefined],
  ['the evening half of a night shift', { weekday: 1, from: '20:00', to: '06:00' }, '2025-03-03 23:59', '2025-03-03'],
  ['the morning half belongs to the day before', { weekday: 1, from: '20:00', to: '06:00' }, '2025-03-04 00:00', '2025-03-03'],
  ['between the halves', { weekday: 1, from: '20:00', to: '06:00' }, '2025-03-03 12:00', undefined],
  ['Sunday night into Monday', { weekday: 7, from: '20:00', to: '06:00' }, '2025-03-03 01:00', '2025-03-02'],
];

describe('shiftStartDate', () => {
  it.each(DATES)('%s', (_name, shift, when, date) => {
    expect(shiftStartDate(shift, at(when))).toBe(date);
  });
});

describe('skillFor', () => {
  it.each([
    ['gate', 'gate'],
    ['camera', 'gate'],
    ['charger', 'charger'],
    ['elevator', 'elevator'],
    ['water-pump', 'general'],
    ['toString', 'general'],
  ])('%s → %s', (kind, skill) => expect(skillFor(kind)).toBe(skill));
});

type SchemaRow = [name: string, edit: (r: Record<string, any>) => void, errorPath: string | undefined];

// prettier-ignore
const SCHEMA_ROWS: SchemaRow[] = [
  ['the builder’s roster', none, undefined],
  ['no elevator company', (r) => delete r.elevatorCompany, undefined],
  ['weekday 8', (r) => (r.shifts[0].weekday = 8), 'shifts.0.weekday'],
  ['24:00 is not a time of day', (r) => (r.shifts[0].to = '24:00'), 'shifts.0.to'],
  ['an unknown skill', (r) => (r.volunteers[0].skills = ['plumbing']), 'volunteers.0.skills.0'],
  ['a shift with nobody', (r) => (r.shifts[0].usernames = []), 'shifts.0.usernames'],
  ['a swap with oneself', (r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'wang' }), 'swaps.0.to'],
  ['a swap date that is not a date', (r) => r.swaps.push({ date: '2025-02-30', skill: 'gate', from: 'wang', to: 'li' }), 'swaps.0.date'],
  ['no committee to fall back on', (r) => (r.committee = []), 'committee'],
];

describe('Roster schema', () => {
  it.each(SCHEMA_ROWS)('%s', (_name, edit, errorPath) => {
    const input = rosterInput();
    edit(input);
    const r = Roster.safeParse(input);
    if (!errorPath) return expect(r.success).toBe(true);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(errorPath);
  });
});

describe('swapProblem', () => {
  // 2026-11-23 is a Monday (ISO weekday 1).
  const roster = {
    volunteers: [
      { username: 'vol-a', skills: ['gate' as const] },
      { username: 'vol-b', skills: ['gate' as const] },
      { username: 'vol-c', skills: ['charger' as const] },
    ],
    shifts: [{ weekday: 1, from: '08:00', to: '20:00', skill: 'gate' as const, usernames: ['vol-a'] }],
  };

  it('accepts a gate volunteer taking a Monday gate shift', () => {
    expect(swapProblem(roster, { date: '2026-11-23', skill: 'gate', from: 'vol-a', to: 'vol-b' })).toBeUndefined();
  });

  it.each([
    ['a Tuesday: vol-a has no gate shift then', { date: '2026-11-24', skill: 'gate' as const, from: 'vol-a', to: 'vol-b' }, 'from'],
    ['someone not on the shift', { date: '2026-11-23', skill: 'gate' as const, from: 'vol-b', to: 'vol-a' }, 'from'],
    ['another skill', { date: '2026-11-23', skill: 'charger' as const, from: 'vol-a', to: 'vol-c' }, 'from'],
    ['a stranger taking over', { date: '2026-11-23', skill: 'gate' as const, from: 'vol-a', to: 'zhang-stranger' }, 'to'],
    ['a volunteer without the gate skill', { date: '2026-11-23', skill: 'gate' as const, from: 'vol-a', to: 'vol-c' }, 'to'],
  ])('refuses %s, naming the field', (_why, swap, field) => {
    expect(swapProblem(roster, swap)?.field).toBe(field);
  });
});
