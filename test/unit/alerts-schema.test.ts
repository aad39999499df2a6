import { describe, it, expect } from 'vitest';
import { AlertsSection } from '../../server/charter/alerts-schema.js';

// prettier-ignore
const ROWS: [name: string, input: Record<string, unknown>, errorPath: string | undefined][] = [
  ['a clause is enough', { clause: '7.1' }, undefined],
  ['the charter’s own times', { clause: '7.1', escalateAfterMin: 5, committeeAfterMin: 15, remindEveryMin: 3 }, undefined],
  ['no clause', {}, 'clause'],
  ['a clause that is not a number', { clause: '第七条' }, 'clause'],
  ['committee before the next person', { clause: '7.1', escalateAfterMin: 20, committeeAfterMin: 10 }, 'committeeAfterMin'],
  ['committee with the next person', { clause: '7.1', escalateAfterMin: 10, committeeAfterMin: 10 }, 'committeeAfterMin'],
  ['zero minutes between reminders', { clause: '7.1', remindEveryMin: 0 }, 'remindEveryMin'],
  ['half a point', { clause: '7.1', pointsPerResolved: { low: 0.5 } }, 'pointsPerResolved.low'],
];

describe('AlertsSection', () => {
  it.each(ROWS)('%s', (_name, input, errorPath) => {
    const r = AlertsSection.safeParse(input);
    if (!errorPath) return expect(r.success).toBe(true);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(errorPath);
  });

  it('fills the defaults a committee may leave out', () => {
    expect(AlertsSection.parse({ clause: '7.1', pointsPerResolved: { critical: 8 } })).toEqual({
      clause: '7.1',
      escalateAfterMin: 10,
      committeeAfterMin: 20,
      remindEveryMin: 5,
      allHandsKinds: ['elevator.trapped', 'elevator.emergency-call'],
      pointsPerResolved: { critical: 8, high: 3, medium: 2, low: 1 },
    });
  });
});
