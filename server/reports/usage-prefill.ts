import type { Logger } from 'pino';
import { DAY_MS, MAX_RANGE_MS } from './usage-buckets.js';

export interface PrefillDeps {
  /** `UsageReports.fill`: stores what the rollups lack of a span, returns how many hours and days it computed. */
  usage: { fill(estateId: string, fromMs: number, toMs: number): number };
  estateIds: () => string[];
  now: () => number;
  log: Logger;
}

/** A week of one estate per turn: a few milliseconds of SQLite (tens on a slow gateway), never a year in one go. */
const CHUNK_MS = 7 * DAY_MS;

/**
 * After boot, fills the usage rollups of every estate over the longest range a
 * report may ask for, so the committee's first look at a year is as quick as
 * the next. Newest week first, the likeliest to be asked for; one chunk per
 * timer turn, so a gate's decision on the same event loop waits at most one
 * chunk behind it. It starts after `delayMs`, once the boot's own work (devices
 * reconnecting, whitelists going out) is done. Hours that close later, or that
 * a late write clears, are filled by the next report that needs them.
 */
export function startUsagePrefill(deps: PrefillDeps, opts: { delayMs: number; gapMs: number } = { delayMs: 2000, gapMs: 10 }) {
  let timer: NodeJS.Timeout | undefined;
  const later = (fn: () => void, ms: number) => {
    timer = setTimeout(fn, ms);
    timer.unref();
  };
  later(() => {
    const started = deps.now();
    const estates = deps.estateIds();
    const chunks = estates.flatMap((estateId) =>
      Array.from({ length: Math.ceil(MAX_RANGE_MS / CHUNK_MS) }, (_, k) => ({ estateId, fromMs: started - (k + 1) * CHUNK_MS, toMs: started - k * CHUNK_MS })),
    );
    let computed = 0;
    const step = (i: number) => {
      const chunk = chunks[i];
      if (!chunk) return deps.log.info({ estates: estates.length, computed, ms: deps.now() - started }, 'usage rollup pre-filled');
      try {
        computed += deps.usage.fill(chunk.estateId, chunk.fromMs, chunk.toMs);
      } catch (err) {
        // Nothing lost: each report fills what it lacks itself, only slower.
        return deps.log.warn({ err, estateId: chunk.estateId }, 'usage rollup pre-fill stopped');
      }
      later(() => step(i + 1), opts.gapMs);
    };
    step(0);
  }, opts.delayMs);
  return {
    stop: () => clearTimeout(timer),
  };
}
