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
  /** Cars through the gates, each way (residents, visitors, everyone). */
  carsIn: number;
  carsOut: number;
  /** Visitors who got in, and how many came with a pass a resident registered. */
  visitors: number;
  passes: number;
  /** Cars that did not get through: denied by the server (banned, full), refused by the guard, or gave up. */
  turnedAway: number;
  /** Of those, denied by the server's decision. */
  denied: number;
  /** Times the server asked the guard (请稍候) and the guard let the car through. */
  guardOpens: number;
  /** Fees paid at the exits (count, and fen). */
  payments: number;
  feesFen: number;
  /** Cars the gates let through from their offline whitelist during an outage. */
  offlineOpens: number;
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
  /** Cars the server had inside at the start that are not residents': they leave in the morning. */
  guests: string[];
  /** A resident registers a visitor's car through the API; false when that did not work (quota, no login). */
  issuePass?: (plate: string) => Promise<boolean>;
}

/** One strand of the day. `tick` is called every simulated minute or so and must not block. */
export interface Activity {
  name: string;
  tick(hour: number, simMinutes: number): void;
}

export function emptyStats(): DayStats {
  return {
    carsIn: 0,
    carsOut: 0,
    visitors: 0,
    passes: 0,
    turnedAway: 0,
    denied: 0,
    guardOpens: 0,
    payments: 0,
    feesFen: 0,
    offlineOpens: 0,
    plugIns: 0,
    sessions: 0,
    rides: 0,
    incidents: 0,
  };
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
