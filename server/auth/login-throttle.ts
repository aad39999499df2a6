import { createHash } from 'node:crypto';
import type { LoginFailureRepo } from '../store/login-failures-repo.js';

/**
 * Slows down password guessing at `POST /api/auth/login`.
 *
 * Failures are counted per (username, client address) in a sliding window; once
 * `maxFailures` are reached, that pair is refused until the oldest failure in
 * the window ages out. A success clears the pair. Counting per pair, not per
 * address, means one guard typing a colleague's name wrong does not lock the
 * whole gatehouse out, and a guesser cycling usernames from one address still
 * hits the per-address cap.
 *
 * The server keeps the failures in its store (`failures`), so a restart does not
 * hand a guesser a fresh window; without one (unit tests) they are kept in memory,
 * never more than `maxKeys` keys. Keys are digests: a username typed into the
 * form (or a password typed into the username field) is never stored.
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Failures from one address over all usernames. */
  maxPerAddress: number;
  /** For the in-memory store only. */
  maxKeys: number;
  now: () => number;
  failures?: LoginFailureRepo;
}

const DEFAULTS: LoginThrottleOptions = { maxFailures: 5, windowMs: 15 * 60_000, maxPerAddress: 30, maxKeys: 10_000, now: Date.now };

const keyOf = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('base64url');

export function createLoginThrottle(opts: Partial<LoginThrottleOptions> = {}) {
  const o = { ...DEFAULTS, ...opts };
  const failures = o.failures ?? memoryLoginFailures(o.maxKeys);

  const recent = (key: string) => failures.recent(key, o.now() - o.windowMs);
  const waitMs = (times: number[], cap: number) => (times.length >= cap ? times[times.length - cap]! + o.windowMs - o.now() : 0);
  const pair = (username: string, address: string) => keyOf(address, username.toLowerCase());
  const alone = (address: string) => keyOf(address);

  return {
    /** 0 when a try is allowed now; else how long until it is. */
    retryAfterMs(username: string, address: string): number {
      return Math.max(waitMs(recent(pair(username, address)), o.maxFailures), waitMs(recent(alone(address)), o.maxPerAddress));
    },
    failed(username: string, address: string): void {
      const now = o.now();
      failures.add([pair(username, address), alone(address)], now, now - o.windowMs);
    },
    succeeded(username: string, address: string): void {
      failures.clear(pair(username, address));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** Failures in this process's memory: at most `maxKeys` keys, the oldest forgotten first. */
export function memoryLoginFailures(maxKeys: number): LoginFailureRepo {
  const byKey = new Map<string, number[]>();
  return {
    recent(key, since) {
      const times = (byKey.get(key) ?? []).filter((t) => t > since);
      if (times.length) byKey.set(key, times);
      else byKey.delete(key);
      return times;
    },
    add(keys, at, forgetUpTo) {
      for (const key of keys) {
        if (!byKey.has(key) && byKey.size >= maxKeys) byKey.delete(byKey.keys().next().value!); // oldest first
        byKey.set(key, [...(byKey.get(key) ?? []).filter((t) => t > forgetUpTo), at]);
      }
    },
    clear: (key) => void byKey.delete(key),
  };
}
