import { describe, it, expect } from 'vitest';
import { createReadSuppressor } from '../../server/parking/read-suppression.js';

type Read = [lane: string, plate: string, atMs: number, suppressed: boolean];

describe('createReadSuppressor: repeats of a plate on a lane', () => {
  it.each<[string, Read[]]>([
    ['the first read passes, a repeat within the window is suppressed', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-in', '鄂A12345', 200, true],
      ['n1-in', '鄂A12345', 9_999, true],
    ]],
    ['a read once the window has passed goes through again', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-in', '鄂A12345', 10_000, false],
      ['n1-in', '鄂A12345', 10_500, true],
    ]],
    ['the window runs from the last read let through, not from the last repeat', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-in', '鄂A12345', 6_000, true],
      ['n1-in', '鄂A12345', 12_000, false],
    ]],
    ['another lane is not a repeat', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-out', '鄂A12345', 100, false],
      ['s2-in', '鄂A12345', 200, false],
      ['n1-out', '鄂A12345', 300, true],
    ]],
    ['another plate on the same lane is not a repeat', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-in', '鄂AD12345', 100, false],
      ['n1-in', '鄂A12345', 200, true],
    ]],
    ['the same plate written differently is a repeat', [
      ['n1-in', '鄂A12345', 0, false],
      ['n1-in', '鄂a·12345', 100, true],
    ]],
    ['an empty read asks the guard once per window, not on every frame', [
      ['n1-in', '', 0, false],
      ['n1-in', '', 500, true],
      ['n1-in', '', 10_000, false],
    ]],
    ['a read stamped slightly earlier (camera clock jitter) is a repeat', [
      ['n1-in', '鄂A12345', 5_000, false],
      ['n1-in', '鄂A12345', 4_900, true],
    ]],
  ])('%s', (_name, reads) => {
    const suppressor = createReadSuppressor({ windowMs: 10_000 });
    expect(reads.map(([lane, plate, at]) => suppressor.seen(lane, plate, at))).toEqual(reads.map((r) => r[3]));
  });

  it('a zero window never suppresses', () => {
    const suppressor = createReadSuppressor({ windowMs: 0 });
    expect([0, 0, 1].map((at) => suppressor.seen('n1-in', '鄂A12345', at))).toEqual([false, false, false]);
  });
});

describe('createReadSuppressor: memory stays bounded', () => {
  it.each([
    ['entries older than the window are dropped', 1_000, 10_000, 10, 100], // a 1 s window holds the last 10,
    ['a busy window is capped at maxEntries, oldest first', 60_000, 50, 50, 1_000],
  ])('%s', (_name, windowMs, maxEntries, expectedSize, gapMs) => {
    const suppressor = createReadSuppressor({ windowMs, maxEntries });
    // 10,000 distinct plates, one every gapMs, like a day of traffic on a busy lane.
    for (let i = 0; i < 10_000; i++) suppressor.seen('n1-in', `鄂A${String(i).padStart(5, '0')}`, i * gapMs);
    expect(suppressor.size).toBeLessThanOrEqual(expectedSize);
  });

  it('the most recent plate is still remembered after eviction', () => {
    const suppressor = createReadSuppressor({ windowMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 10; i++) suppressor.seen('n1-in', `鄂A0000${i}`, i);
    expect(suppressor.size).toBe(3);
    expect(suppressor.seen('n1-in', '鄂A00009', 20)).toBe(true); // kept: still a repeat
    expect(suppressor.seen('n1-in', '鄂A00000', 21)).toBe(false); // evicted: treated as new
  });
});
