import { describe, expect, it } from 'vitest';
import { Roster } from '../../server/alerts/roster.js';
import { daysText, readDays, readRoster, rosterText, type RosterText } from '../../dashboard/src/roster-text.js';
import { aRoster } from '../support/roster.js';

/* The roster editor's lines, as a table: what a committee member types → what is saved, or which line is wrong. */
describe('days as people write them', () => {
  it.each([
    ['每天', [1, 2, 3, 4, 5, 6, 7]],
    ['周一-周五', [1, 2, 3, 4, 5]],
    ['周六、周日', [6, 7]],
    ['星期天', [7]],
    ['1,3,5', [1, 3, 5]],
    ['Mon-Fri', [1, 2, 3, 4, 5]],
    ['sat,sun', [6, 7]],
    ['周八', undefined],
    ['周五-周一', undefined],
  ])('%s → %j', (text, days) => expect(readDays(text)).toEqual(days));

  it.each([
    [[1, 2, 3, 4, 5, 6, 7], '每天'],
    [[1, 2, 3, 4, 5], '周一-周五'],
    [[6, 7], '周六、周日'],
    [[1, 3, 4, 5], '周一、周三-周五'],
  ])('%j → %s', (days, text) => expect(daysText(days)).toBe(text));
});

const typed = (o: Partial<RosterText>): RosterText => ({ volunteers: 'wang 门岗 综合\nli gate', shifts: '周一-周五 08:00-20:00 门岗 wang li', committee: 'lao-zhang', ...o });

describe('readRoster', () => {
  it('reads shifts into one per weekday, in order of duty, that the server’s schema accepts', () => {
    const r = readRoster(typed({ shifts: '# 白班\n周一-周五 8:00 - 20:00 门岗 wang li\n每天 22:00-06:00 综合 wang' }), null);
    expect(() => Roster.parse(r)).not.toThrow();
    const roster = Roster.parse(r);
    expect(roster.shifts.filter((s) => s.skill === 'gate')).toHaveLength(5);
    expect(roster.shifts[0]).toEqual({ weekday: 1, from: '08:00', to: '20:00', skill: 'gate', usernames: ['wang', 'li'] });
    expect(roster.shifts.filter((s) => s.skill === 'general').map((s) => s.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(roster.volunteers).toEqual([{ username: 'wang', skills: ['gate', 'general'] }, { username: 'li', skills: ['gate'] }]);
  });

  it.each([
    [{ volunteers: 'wang 门岗\nli 保安' }, 'edit.err.skill', { line: 2, text: '保安' }],
    [{ shifts: '周八 08:00-20:00 门岗 wang' }, 'edit.err.day', { line: 1, text: '周八' }],
    [{ shifts: '周一 8点-20点 门岗 wang' }, 'edit.err.time', { line: 1 }],
    [{ shifts: '周一 08:00-20:00 门岗' }, 'edit.err.people', { line: 1 }],
    [{ shifts: '周一 08:00-20:00 门岗 wang\n周二 08:00-20:00 门岗 zhou' }, 'edit.err.unknown', { line: 2, text: 'zhou' }],
    [{ shifts: '周一 08:00-20:00 电梯 li' }, 'edit.err.noSkill', { line: 1, text: 'li' }],
    [{ committee: '  ' }, 'edit.err.committee', undefined],
  ])('%j → %s', (o, key, params) => {
    const r = readRoster(typed(o), null);
    expect(r).toMatchObject({ key, ...(params ? { params } : {}) });
  });

  it('keeps the swaps and the elevator company, which the editor does not show', () => {
    const previous = aRoster((r) => r.swaps.push({ date: '2025-03-03', skill: 'gate', from: 'wang', to: 'zhou' }));
    const r = readRoster(rosterText(previous), previous) as Roster;
    expect(r.swaps).toEqual(previous.swaps);
    expect(r.elevatorCompany).toEqual(previous.elevatorCompany);
  });

  it('reads back what it shows: the saved roster survives a round trip through the editor', () => {
    const previous = aRoster();
    const r = readRoster(rosterText(previous), previous) as Roster;
    expect(r.volunteers).toEqual(previous.volunteers);
    expect(new Set(r.shifts.map((s) => JSON.stringify(s)))).toEqual(new Set(previous.shifts.map((s) => JSON.stringify(s))));
    expect(r.committee).toEqual(previous.committee);
  });
});
