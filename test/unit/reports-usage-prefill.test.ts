import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY_MS, MAX_RANGE_MS } from '../../server/reports/usage-buckets.js';
import { startUsagePrefill } from '../../server/reports/usage-prefill.js';

const NOW = Date.parse('2026-03-01T10:30:00+08:00');

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(fail?: (call: number) => boolean) {
  const calls: [string, number, number][] = [];
  const log = pino({ level: 'silent' });
  const info = vi.spyOn(log, 'info');
  const warn = vi.spyOn(log, 'warn');
  const usage = {
    fill: (estateId: string, fromMs: number, toMs: number) => {
      calls.push([estateId, fromMs, toMs]);
      if (fail?.(calls.length)) throw new Error('disk full');
      return 24;
    },
  };
  const prefill = startUsagePrefill({ usage, estateIds: () => ['a', 'b'], now: () => NOW, log }, { delayMs: 1000, gapMs: 5 });
  return { calls, info, warn, prefill };
}

describe('usage rollup pre-fill', () => {
  it('waits out the boot, then fills each estate newest week first, one week per turn, over the longest range a report may ask', async () => {
    const { calls, info } = setup();
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1); // one chunk, then the event loop is free again
    await vi.runAllTimersAsync();
    const weeks = Math.ceil(MAX_RANGE_MS / (7 * DAY_MS));
    expect(calls).toHaveLength(2 * weeks);
    expect(calls[0]).toEqual(['a', NOW - 7 * DAY_MS, NOW]);
    expect(calls[1]).toEqual(['a', NOW - 14 * DAY_MS, NOW - 7 * DAY_MS]);
    expect(calls[weeks - 1]![1]).toBeLessThanOrEqual(NOW - MAX_RANGE_MS);
    expect(calls[weeks]).toEqual(['b', NOW - 7 * DAY_MS, NOW]);
    expect(info).toHaveBeenCalledWith({ estates: 2, computed: 2 * weeks * 24, ms: 0 }, 'usage rollup pre-filled');
  });

  it('stops when told to, and at the first failure (the reports still fill what they need themselves)', async () => {
    const stopped = setup();
    await vi.advanceTimersByTimeAsync(1000 + 5 * 3);
    stopped.prefill.stop();
    await vi.runAllTimersAsync();
    expect(stopped.calls).toHaveLength(4);

    const failing = setup((call) => call === 3);
    await vi.runAllTimersAsync();
    expect(failing.calls).toHaveLength(3);
    expect(failing.warn).toHaveBeenCalledWith(expect.objectContaining({ estateId: 'a' }), 'usage rollup pre-fill stopped');
    expect(failing.info).not.toHaveBeenCalled();
  });
});
