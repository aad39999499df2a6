import type { ChargerSim } from '../../lib/charger-sim.js';
import type { ElevatorSim } from '../../lib/elevator-sim.js';
import type { GateSim } from '../../lib/gate-sim.js';
import type { Pace } from '../../lib/pace.js';
import type { Rng } from '../../lib/random.js';
import type { SimLog } from '../../lib/sim-log.js';
import type { Timers } from '../../lib/timers.js';
import type { DayClock } from '../day-clock.js';
import type { Lane } from '../lane.js';
import type { Residents } from '../residents.js';

export interface GateLanes {
  gate: GateSim;
  in: Lane;
  out: Lane;
  share: number;
}

/** What the day has produced so far, for the demo's status line. */
export interface DayStats {
  carsIn: number;
  carsOut: number;
  visitors: number;
  turnedAway: number;
  plugIns: number;
  sessions: number;
  rides: number;
  incidents: number;
}

export interface ScenarioCtx {
  rng: Rng;
  pace: Pace;
  timers: Timers;
  log: SimLog;
  clock: DayClock;
  residents: Residents;
  gates: GateLanes[];
  chargers: ChargerSim[];
  elevators: ElevatorSim[];
  stats: DayStats;
}

/** One strand of the day. `tick` is called every simulated minute or so and must not block. */
export interface Activity {
  name: string;
  tick(hour: number, simMinutes: number): void;
}

export function emptyStats(): DayStats {
  return { carsIn: 0, carsOut: 0, visitors: 0, turnedAway: 0, plugIns: 0, sessions: 0, rides: 0, incidents: 0 };
}

/** Runs a fire-and-forget strand; its failure is logged and stops nothing else. */
export function spawn(ctx: ScenarioCtx, what: string, work: () => Promise<unknown>): void {
  work().catch((err: unknown) => {
    // Strands still in flight at close() find their devices gone: that is the end of the day, not a failure.
    if (ctx.timers.isClosed) return;
    ctx.log.error({ what, err: (err as Error)?.message ?? String(err) }, 'scenario step failed');
  });
}

/** Picks an item with probability proportional to its weight. */
export function weighted<T>(rng: Rng, items: readonly { weight: number; value: T }[]): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let r = rng.next() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item.value;
  }
  return items[items.length - 1]!.value;
}
