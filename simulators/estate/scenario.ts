import { Timers } from '../lib/timers.js';
import { charging } from './activities/charging.js';
import { emptyStats, type Activity, type DayStats, type ScenarioCtx } from './activities/context.js';
import { incidents } from './activities/incidents.js';
import { rides } from './activities/rides.js';
import { traffic } from './activities/traffic.js';

export interface Scenario {
  stats: DayStats;
  close(): void;
}

const TICK_SIM_MINUTES = 1;

/** Drives the activities of the day, a simulated minute at a time. */
export function startScenario(ctx: Omit<ScenarioCtx, 'stats' | 'timers'>): Scenario {
  const timers = new Timers(ctx.log, 'scenario');
  const full: ScenarioCtx = { ...ctx, timers, stats: emptyStats() };
  const activities: Activity[] = [traffic(full), charging(full), rides(full), incidents(full)];
  let last = Date.now();
  timers.every(ctx.pace.dayMinutes(TICK_SIM_MINUTES), () => {
    const now = Date.now();
    const simMinutes = ((now - last) / 60_000) * ctx.pace.daySpeed;
    last = now;
    const hour = ctx.clock.hour();
    for (const a of activities) {
      try {
        a.tick(hour, simMinutes);
      } catch (err) {
        ctx.log.error({ activity: a.name, err: (err as Error).message }, 'activity tick failed');
      }
    }
  });
  return { stats: full.stats, close: () => timers.close() };
}
