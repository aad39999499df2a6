import { lang } from './lang.js';
import { dutyWords, type DutyKey } from './messages/duty.js';
import type { Roster, Shift, Skill, Volunteer } from './types-duty.js';

/*
 * The roster as a committee member types it on a phone: one line per volunteer
 * (`wang 门岗 综合`), per shift (`周一-周五 08:00-20:00 门岗 wang li`) and the
 * committee (`lao-zhang lao-he`). Pure: text ⇄ Roster, in either language, so the
 * editor shows the saved roster as text and a mistake names its line.
 */

export const SKILLS: readonly Skill[] = ['gate', 'charger', 'elevator', 'general'];

export interface RosterText {
  volunteers: string;
  shifts: string;
  committee: string;
}

export interface RosterTextError {
  key: DutyKey;
  params?: Record<string, string | number>;
}

const EN_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ZH_DAYS = '一二三四五六日';
const EVERY_DAY = ['每天', '每日', 'daily', 'everyday', '*'];
const SPLIT = /[\s,，、]+/;

const words = () => dutyWords[lang()];
const lines = (text: string) =>
  text
    .split('\n')
    .map((line, i) => ({ n: i + 1, text: line.trim() }))
    .filter((l) => l.text && !l.text.startsWith('#'));

function oneDay(word: string): number | undefined {
  const w = word.trim().toLowerCase();
  if (/^[1-7]$/.test(w)) return Number(w);
  const zh = /^(?:周|星期|礼拜)([一二三四五六日天])$/.exec(w);
  if (zh) return zh[1] === '天' ? 7 : ZH_DAYS.indexOf(zh[1]!) + 1;
  const en = /^[a-z]{3,9}$/.test(w) ? EN_DAYS.indexOf(w.slice(0, 3)) : -1;
  return en >= 0 ? en + 1 : undefined;
}

/** `每天`, `周一-周五`, `周六、周日`, `1,3,5` → weekdays; undefined when a part cannot be read. */
export function readDays(token: string): number[] | undefined {
  if (EVERY_DAY.includes(token.toLowerCase())) return [1, 2, 3, 4, 5, 6, 7];
  const days = new Set<number>();
  for (const part of token.split(/[,，、]/)) {
    const range = part.split(/[-–~至]/);
    const from = oneDay(range[0] ?? '');
    const to = range.length === 2 ? oneDay(range[1]!) : from;
    if (range.length > 2 || from === undefined || to === undefined || to < from) return undefined;
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

export function readSkill(word: string): Skill | undefined {
  const w = word.toLowerCase();
  return SKILLS.find((s) => s === w || dutyWords.zh[`skill.${s}`] === word || dutyWords.en[`skill.${s}`].toLowerCase() === w);
}

function readTime(token: string): { from: string; to: string } | undefined {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(token);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
  const pad = (h: number, mi: number) => `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
  return { from: pad(h1, m1), to: pad(h2, m2) };
}

function readVolunteers(text: string): Volunteer[] | RosterTextError {
  const out: Volunteer[] = [];
  for (const line of lines(text)) {
    const [username, ...rest] = line.text.split(SPLIT);
    const skills: Skill[] = [];
    for (const word of rest) {
      const skill = readSkill(word);
      if (!skill) return { key: 'edit.err.skill', params: { where: words()['edit.where.volunteers'], line: line.n, text: word } };
      if (!skills.includes(skill)) skills.push(skill);
    }
    out.push({ username: username!, skills });
  }
  return out;
}

function readShifts(text: string, volunteers: Volunteer[]): Shift[] | RosterTextError {
  const out: Shift[] = [];
  for (const line of lines(text)) {
    // `08:00 - 20:00` is one token, however it was spaced.
    const [dayWord = '', time = '', skillWord = '', ...usernames] = line.text.replace(/(\d:\d\d)\s*[-–~至到]\s*(\d)/, '$1-$2').split(/\s+/);
    const days = readDays(dayWord);
    if (!days) return { key: 'edit.err.day', params: { line: line.n, text: dayWord } };
    const hours = readTime(time);
    if (!hours) return { key: 'edit.err.time', params: { line: line.n } };
    const skill = readSkill(skillWord);
    if (!skill) return { key: 'edit.err.skill', params: { where: words()['edit.where.shifts'], line: line.n, text: skillWord } };
    const names = usernames.flatMap((u) => u.split(/[,，、]/)).filter(Boolean);
    if (!names.length) return { key: 'edit.err.people', params: { line: line.n } };
    // The server skips people it cannot reach or who lack the skill; saying so here beats an empty duty at 3 am.
    for (const name of names) {
      const v = volunteers.find((x) => x.username === name);
      if (!v) return { key: 'edit.err.unknown', params: { line: line.n, text: name } };
      if (skill !== 'general' && !v.skills.includes(skill)) return { key: 'edit.err.noSkill', params: { line: line.n, text: name } };
    }
    for (const weekday of days) out.push({ weekday, ...hours, skill, usernames: names });
  }
  return out;
}

const isError = (x: unknown): x is RosterTextError => !Array.isArray(x);

/** The typed text as a roster; swaps and the elevator company are kept from `previous`. */
export function readRoster(text: RosterText, previous: Roster | null): Roster | RosterTextError {
  const volunteers = readVolunteers(text.volunteers);
  if (isError(volunteers)) return volunteers;
  const shifts = readShifts(text.shifts, volunteers);
  if (isError(shifts)) return shifts;
  const committee = text.committee.split(SPLIT).filter(Boolean);
  if (!committee.length) return { key: 'edit.err.committee' };
  return { volunteers, shifts, swaps: previous?.swaps ?? [], committee, ...(previous?.elevatorCompany ? { elevatorCompany: previous.elevatorCompany } : {}) };
}

export const isRoster = (x: Roster | RosterTextError): x is Roster => 'volunteers' in x;

/** In Chinese the labels (门岗); in English the codes (gate): one word each, as the parser splits on spaces. */
const skillWord = (s: Skill) => (lang() === 'zh' ? dutyWords.zh[`skill.${s}`] : s);

/** [1,2,3,4,5] → 周一-周五, all seven → 每天, [6,7] → 周六、周日. */
export function daysText(days: number[]): string {
  const w = words();
  if (days.length === 7) return w['day.all'];
  const runs: number[][] = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && last.at(-1) === d - 1) last.push(d);
    else runs.push([d]);
  }
  const day = (d: number) => w[`day.${d}` as DutyKey];
  return runs.map((r) => (r.length >= 3 ? `${day(r[0]!)}-${day(r.at(-1)!)}` : r.map(day).join(lang() === 'zh' ? '、' : ','))).join(lang() === 'zh' ? '、' : ',');
}

/** Shifts that differ only in weekday, as one: `每天 00:00-00:00 门岗 a b` rather than seven lines. */
export function groupShifts(shifts: Shift[]): { shift: Shift; days: number[] }[] {
  const groups = new Map<string, { shift: Shift; days: number[] }>();
  for (const s of shifts) {
    const key = [s.from, s.to, s.skill, ...s.usernames].join('|');
    const g = groups.get(key);
    if (g) g.days.push(s.weekday);
    else groups.set(key, { shift: s, days: [s.weekday] });
  }
  return [...groups.values()].map((g) => ({ ...g, days: [...new Set(g.days)].sort((a, b) => a - b) }));
}

/** The roster as the editor shows it: shifts that differ only in weekday share a line. */
export function rosterText(roster: Roster | null): RosterText {
  if (!roster) return { volunteers: '', shifts: '', committee: '' };
  return {
    volunteers: roster.volunteers.map((v) => [v.username, ...v.skills.map(skillWord)].join(' ')).join('\n'),
    shifts: groupShifts(roster.shifts)
      .map(({ shift: s, days }) => [daysText(days), `${s.from}-${s.to}`, skillWord(s.skill), ...s.usernames].join(' '))
      .join('\n'),
    committee: roster.committee.join(' '),
  };
}
