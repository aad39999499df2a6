import { describe, expect, it } from 'vitest';
import { createLagTracker } from '../../server/parking/lag-tracker.js';

const MIN = 60_000;

describe('telling buffered reads from wrong clocks', () => {
  it.each([
    ['a camera with a correct clock, fresh read', [200, 150, 180], 170, 0, 20],
    ['a camera whose clock is an hour slow: fresh reads are not stale', [60 * MIN, 60 * MIN + 100, 60 * MIN + 50], 60 * MIN + 80, 0, 100],
    ['a buffered read 10 minutes behind the usual lag', [200, 150, 180], 10 * MIN + 150, 10 * MIN - 1000, 10 * MIN],
    ['a wrong-clock camera delivering a buffered read', [60 * MIN, 60 * MIN + 100], 70 * MIN, 10 * MIN - 1000, 10 * MIN],
    ['no history yet: nothing to compare with', [], 5 * MIN, 0, 0],
  ] as const)('%s', (_what, history, lag, atLeast, atMost) => {
    const t = createLagTracker({ window: 20 });
    for (const h of history) t.observe('cam-1', h);
    const excess = t.excess('cam-1', lag);
    expect(excess).toBeGreaterThanOrEqual(atLeast);
    expect(excess).toBeLessThanOrEqual(atMost);
  });

  it('forgets old lags beyond its window, so a camera whose clock was fixed recovers', () => {
    const t = createLagTracker({ window: 3 });
    for (const h of [-5 * MIN, 100, 120, 110]) t.observe('cam-1', h); // the -5 min lag (clock 5 min fast) slides out
    expect(t.excess('cam-1', 130)).toBe(30);
  });
});
