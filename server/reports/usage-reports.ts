import type { Db } from '../store/sqlite.js';
import type { UsageRange } from './usage-buckets.js';
import { createChargerUsage } from './usage-chargers.js';
import { createElevatorUsage } from './usage-elevators.js';
import { createGateUsage } from './usage-gates.js';

export type { Bucket, UsageRange } from './usage-buckets.js';

/**
 * The committee's usage charts: gates, chargers, elevators over a range in
 * local buckets. Aggregated in SQLite on covering indexes (migration 008); the
 * JS side only zero-fills buckets and adds up the per-bucket rows.
 */
export function createUsageReports(db: Db, opts: { now: () => number } = { now: Date.now }) {
  const gates = createGateUsage(db);
  const chargers = createChargerUsage(db, opts.now);
  const elevators = createElevatorUsage(db);
  return {
    gates: (r: UsageRange) => gates(r),
    chargers: (r: UsageRange) => chargers(r),
    elevators: (r: UsageRange) => elevators(r),
  };
}

export type UsageReports = ReturnType<typeof createUsageReports>;
