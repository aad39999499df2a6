/**
 * Slows down password guessing at `POST /api/auth/login`.
 *
 * Failures are counted per (username, client address) in a sliding window; once
 * `maxFailures` are reached, that pair is refused until the oldest failure in
 * the window ages out. A success clears the pair. Counting per pair, not per
 * address, means one guard typing a colleague's name wrong does not lock the
 * whole gatehouse out, and a guesser cycling usernames from one address still
 * hits the per-address cap. In memory: a restart forgets, which only helps a
 * guesser by one window, and nothing here ever grows past `maxKeys`.
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Failures from one address over all usernames. */
  maxPerAddress: number;
  maxKeys: number;
  now: () => number;
}

const DEFAULTS: LoginThrottleOptions = { maxFailures: 5, windowMs: 15 * 60_000, maxPerAddress: 30, maxKeys: 10_000, now: Date.now };

export function createLoginThrottle(opts: Partial<LoginThrottleOptions> = {}) {
  const o = { ...DEFAULTS, ...opts };
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = o.now() - o.windowMs;
    const times = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (times.length) failures.set(key, times);
    else failures.delete(key);
    return times;
  };
  const waitMs = (times: number[], cap: number) => (times.length >= cap ? times[times.length - cap]! + o.windowMs - o.now() : 0);
  const pair = (username: string, address: string) => `${address}\u0000${username.toLowerCase()}`;
  const add = (key: string) => {
    if (!failures.has(key) && failures.size >= o.maxKeys) failures.delete(failures.keys().next().value!); // oldest first
    failures.set(key, [...(failures.get(key) ?? []), o.now()]);
  };

  return {
    /** 0 when a try is allowed now; else how long until it is. */
    retryAfterMs(username: string, address: string): number {
      return Math.max(waitMs(recent(pair(username, address)), o.maxFailures), waitMs(recent(address), o.maxPerAddress));
    },
    failed(username: string, address: string): void {
      add(pair(username, address));
      add(address);
    },
    succeeded(username: string, address: string): void {
      failures.delete(pair(username, address));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
