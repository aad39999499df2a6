import type { Db } from '../store/sqlite.js';
import type { UsageRange } from './usage-buckets.js';
import { createChargerUsage } from './usage-chargers.js';
import { createElevatorUsage } from './usage-elevators.js';
import { createGateUsage } from './usage-gates.js';

export type { Bucket, UsageRange } from './usage-buckets.js';
export { CHARGER_SERIES } from './usage-chargers.js';
export { ELEVATOR_SERIES } from './usage-elevators.js';
export { GATE_SERIES } from './usage-gates.js';

/** The rollup tables (migration 011): emptying them only makes the next reports compute, and store, their hours again. */
export const USAGE_ROLLUP_TABLES = ['usage_gate_hours', 'usage_charger_hours', 'usage_elevator_hours', 'usage_elevator_days', 'usage_elevator_trips'] as const;

/**
 * The committee's usage charts: gates, chargers, elevators over a range in
 * local buckets, from per-hour rollups kept by triggers (migration 011,
 * ./usage-rollup.ts). Each report runs in one transaction: a read, unless
 * hours it needs are missing from the rollup, which it then stores.
 */
export function createUsageReports(db: Db, opts: { now: () => number } = { now: Date.now }) {
  const gates = createGateUsage(db);
  const chargers = createChargerUsage(db);
  const elevators = createElevatorUsage(db);
  return {
    gates: db.transaction((r: UsageRange) => gates.report(r, opts.now())),
    chargers: db.transaction((r: UsageRange) => chargers.report(r, opts.now())),
    elevators: db.transaction((r: UsageRange) => elevators.report(r, opts.now())),
    /** Stores whatever the rollups lack of [fromMs, toMs) (closed hours and days only); returns how many hours and days it computed. */
    fill: db.transaction((estateId: string, fromMs: number, toMs: number) => {
      const nowMs = opts.now();
      return [gates, chargers, elevators].reduce((n, report) => n + report.fill(estateId, fromMs, toMs, nowMs), 0);
    }),
  };
}

export type UsageReports = ReturnType<typeof createUsageReports>;
