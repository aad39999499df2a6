import type { Migration } from './migration.js';

/**
 * Covering indexes for the usage reports (server/reports/usage-*.ts): each
 * report reads one estate's time range and only these columns, so a range
 * scan of the index answers it without touching the tables. The stays'
 * indexes lead with the UTC hour key that the reports group by
 * (`substr(t, 1, 13)`, see server/reports/usage-buckets.ts): the expression
 * must stay written exactly so for SQLite to match it.
 */
export const usageIndexes: Migration = {
  version: 8,
  name: 'usage report indexes: stays by entry and exit, charging sessions by start, rides by time',
  sql: `
    -- Keyed by the UTC hour (the first 13 characters of the ISO time) so the
    -- reports group by hour straight off the index, without a sort.
    CREATE INDEX stays_usage_entry ON stays(estate_id, substr(entry_at, 1, 13), entry_at, vehicle_class);
    CREATE INDEX stays_usage_exit ON stays(estate_id, substr(exit_at, 1, 13), exit_at, vehicle_class, fee_fen);
    CREATE INDEX charging_sessions_usage ON charging_sessions(estate_id, started_at, ended_at, status, shed_id, energy_wh, fee_fen);
    CREATE INDEX elevator_rides_usage ON elevator_rides(estate_id, at, elevator_id, from_floor, to_floor, charge_fen);
  `,
};
