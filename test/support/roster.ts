import { AlertsSection } from '../../server/charter/alerts-schema.js';
import { Roster } from '../../server/alerts/roster.js';

/** '2025-03-03 09:00' (Beijing time) → epoch ms. 2025-03-03 is a Monday; 03-09 a Sunday. */
export function at(local: string): number {
  const ms = Date.parse(`${local.replace(' ', 'T')}:00+08:00`);
  if (Number.isNaN(ms)) throw new Error(`not 'YYYY-MM-DD HH:MM': ${local}`);
  return ms;
}

export const MIN = 60_000;

/**
 * A small estate's roster: on Mondays wang leads the gate day shift (li, zhou next),
 * li the gate night shift 20:00–06:00 (wang next), chen the elevator 08:00–20:00,
 * liu the general shift 08:00–22:00 (wang next). Nobody covers chargers; nothing on
 * other days. zhao knows chargers only, liu has no skill. The committee is lao-zhang
 * and lao-he; the elevator company is reached on 'sms:otis-hotline'.
 */
export function rosterInput(): Record<string, any> {
  return {
    volunteers: [
      { username: 'wang', skills: ['gate', 'general'] },
      { username: 'li', skills: ['gate'] },
      { username: 'zhou', skills: ['gate'] },
      { username: 'chen', skills: ['elevator', 'gate'] },
      { username: 'zhao', skills: ['charger'] },
      { username: 'liu', skills: [] },
    ],
    shifts: [
      { weekday: 1, from: '08:00', to: '20:00', skill: 'gate', usernames: ['wang', 'li', 'zhou'] },
      { weekday: 1, from: '20:00', to: '06:00', skill: 'gate', usernames: ['li', 'wang'] },
      { weekday: 1, from: '08:00', to: '20:00', skill: 'elevator', usernames: ['chen'] },
      { weekday: 1, from: '08:00', to: '22:00', skill: 'general', usernames: ['liu', 'wang'] },
    ],
    swaps: [],
    committee: ['lao-zhang', 'lao-he'],
    elevatorCompany: { name: '奥的斯维保', contact: 'sms:otis-hotline' },
  };
}

/** `edit` changes the raw input before zod parses it: `aRoster(r => { r.swaps.push(…) })`. */
export function aRoster(edit?: (r: Record<string, any>) => void): Roster {
  const input = rosterInput();
  edit?.(input);
  return Roster.parse(input);
}

/** The alerts section with its defaults (10 / 20 / 5 min), clause 7.1, all-hands 7.2, points 7.3. */
export function anAlertsSection(edit?: (a: Record<string, any>) => void): AlertsSection {
  const input: Record<string, any> = { clause: '7.1', allHandsClause: '7.2', pointsClause: '7.3' };
  edit?.(input);
  return AlertsSection.parse(input);
}
