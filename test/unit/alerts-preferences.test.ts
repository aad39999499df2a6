import { describe, it, expect } from 'vitest';
import { NotificationPrefs, shouldNotify } from '../../server/alerts/preferences.js';
import type { Severity } from '../../server/alerts/types.js';
import { at } from '../support/roster.js';

type Row = [name: string, pref: NotificationPrefs, alert: { kind: string; severity: Severity }, when: string, expected: boolean];

const NIGHT = { quietHours: { from: '22:00', to: '07:00' } };
const doorFault = { kind: 'elevator.door-fault', severity: 'high' as Severity };
const smoke = { kind: 'charger.smoke', severity: 'critical' as Severity };

// prettier-ignore
const ROWS: Row[] = [
  ['no preferences: everything', {}, doorFault, '2025-03-03 03:00', true],
  ['kinds by prefix', { kinds: ['elevator.'] }, doorFault, '2025-03-03 10:00', true],
  ['a kind not chosen', { kinds: ['elevator.'] }, smoke, '2025-03-03 10:00', false],
  ['one of several prefixes', { kinds: ['gate.', 'charger.smoke'] }, smoke, '2025-03-03 10:00', true],
  ['a whole kind as its own prefix', { kinds: ['device.offline'] }, { kind: 'device.offline', severity: 'low' }, '2025-03-03 10:00', true],
  ['below the least severity', { minSeverity: 'high' }, { kind: 'gate.jam', severity: 'medium' }, '2025-03-03 10:00', false],
  ['at the least severity', { minSeverity: 'high' }, doorFault, '2025-03-03 10:00', true],
  ['above it', { minSeverity: 'high' }, smoke, '2025-03-03 10:00', true],
  ['quiet hours across midnight, late evening', NIGHT, doorFault, '2025-03-03 23:00', false],
  ['quiet hours across midnight, early morning', NIGHT, doorFault, '2025-03-04 06:59', false],
  ['quiet hours start at `from`', NIGHT, doorFault, '2025-03-03 22:00', false],
  ['quiet hours end at `to`', NIGHT, doorFault, '2025-03-04 07:00', true],
  ['before quiet hours', NIGHT, doorFault, '2025-03-03 21:59', true],
  ['quiet hours every day of the week', NIGHT, doorFault, '2025-03-09 02:00', false],
  ['a daytime nap', { quietHours: { from: '12:30', to: '14:00' } }, doorFault, '2025-03-03 13:00', false],
  ['critical overrides quiet hours', NIGHT, smoke, '2025-03-04 02:00', true],
  ['critical does not override the kinds chosen', { ...NIGHT, kinds: ['gate.'] }, smoke, '2025-03-04 02:00', false],
  ['all three, passing', { ...NIGHT, kinds: ['elevator.'], minSeverity: 'medium' }, doorFault, '2025-03-03 15:00', true],
];

describe('shouldNotify', () => {
  it.each(ROWS)('%s', (_name, pref, alert, when, expected) => {
    expect(shouldNotify(NotificationPrefs.parse(pref), alert, at(when))).toBe(expected);
  });
});

// prettier-ignore
const SCHEMA_ROWS: [name: string, input: unknown, errorPath: string | undefined][] = [
  ['empty: everything', {}, undefined],
  ['all fields', { kinds: ['elevator.'], minSeverity: 'low', quietHours: { from: '23:00', to: '06:30' } }, undefined],
  ['an empty kinds list', { kinds: [] }, 'kinds'],
  ['an unknown severity', { minSeverity: 'urgent' }, 'minSeverity'],
  ['quiet hours from = to', { quietHours: { from: '22:00', to: '22:00' } }, 'quietHours.to'],
  ['quiet hours not HH:MM', { quietHours: { from: '10pm', to: '07:00' } }, 'quietHours.from'],
];

describe('NotificationPrefs', () => {
  it.each(SCHEMA_ROWS)('%s', (_name, input, errorPath) => {
    const r = NotificationPrefs.safeParse(input);
    if (!errorPath) return expect(r.success).toBe(true);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(errorPath);
  });
});
