/**
 * Keeps each chat robot under its sending limit. DingTalk and WeCom group robots
 * take 20 messages a minute each; over that, DingTalk silences the robot for ten
 * minutes — exactly when an incident produces a burst. So a send past the limit
 * waits for a slot in the rolling minute instead of being refused; nothing is
 * dropped, messages only queue.
 */
export interface Pacer {
  /** Resolves when `key` may send one more message; that send is counted. */
  slot(key: string): Promise<void>;
}

export function createPacer(opts: { limit: number; windowMs: number; now: () => number; sleep: (ms: number) => Promise<void>; aborted?: () => boolean }): Pacer {
  const sent = new Map<string, number[]>();
  return {
    async slot(key) {
      for (;;) {
        const cutoff = opts.now() - opts.windowMs;
        const times = (sent.get(key) ?? []).filter((t) => t > cutoff);
        if (times.length < opts.limit || opts.aborted?.()) {
          times.push(opts.now());
          sent.set(key, times);
          return;
        }
        // The oldest send in the window leaves it first; others waiting re-check after it.
        await opts.sleep(times[times.length - opts.limit]! - cutoff);
      }
    },
  };
}
