/**
 * Cameras at a lane report the same plate several times a second while a car
 * waits at the barrier. Only the first read in a window should reach the rules;
 * the rest are repeats. Pure: the caller passes the time in.
 */
import { normalizePlate } from './plates.js';

export type ReadSuppressorOptions = {
  /** How long after a read that was let through the same plate on the same lane is a repeat. */
  windowMs: number;
  /** Hard cap on remembered (lane, plate) pairs; the oldest go first. */
  maxEntries?: number;
};

export type ReadSuppressor = {
  /** true = this plate was let through on this lane less than windowMs ago → suppress. */
  seen(lane: string, plate: string, atMs: number): boolean;
  /** Remembered (lane, plate) pairs, for metrics and tests. */
  readonly size: number;
};

// A busy estate gate sees a few hundred plates an hour; 4,096 pairs covers any
// sane window with room to spare and stays well under a megabyte.
const DEFAULT_MAX_ENTRIES = 4_096;

/**
 * The window runs from the last read that was let through, not from the last
 * repeat: a car waiting at a denied barrier is re-evaluated once per window
 * (say, after the guard adds it) instead of being silenced for as long as it
 * sits there. The empty plate is keyed like any other, so a lane that keeps
 * failing to read asks the guard once per window, not ten times a second.
 */
export function createReadSuppressor(opts: ReadSuppressorOptions): ReadSuppressor {
  const windowMs = Math.max(0, opts.windowMs);
  const maxEntries = Math.max(1, opts.maxEntries ?? DEFAULT_MAX_ENTRIES);
  // Insertion order = order of last pass-through, because an entry is deleted and
  // re-set when it passes; so the oldest entries are always at the front.
  const lastPassed = new Map<string, number>();

  function evict(nowMs: number): void {
    for (const [key, at] of lastPassed) {
      if (nowMs - at < windowMs && lastPassed.size <= maxEntries) break;
      lastPassed.delete(key);
    }
  }

  return {
    seen(lane, plate, atMs) {
      // NUL cannot occur in a lane id or a plate, so the key is unambiguous.
      const key = `${lane}\u0000${normalizePlate(plate)}`;
      const last = lastPassed.get(key);
      // A read stamped before the last pass-through (clock jitter between
      // cameras) is within the window too: the difference is negative.
      if (last !== undefined && atMs - last < windowMs) return true;
      lastPassed.delete(key);
      lastPassed.set(key, atMs);
      evict(atMs);
      return false;
    },
    get size() {
      return lastPassed.size;
    },
  };
}
