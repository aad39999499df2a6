import type { Migration } from './migration.js';

/**
 * `maintenance_mode` holds only the mode a device is in now; uptime needs every
 * period it was ever in, so that time spent under declared maintenance is shown
 * apart instead of counted against the device.
 */
export const maintenancePeriods: Migration = {
  version: 7,
  name: 'maintenance periods: the history of maintenance mode, for uptime',
  sql: `
    -- One row per declared maintenance. It is over at \`until\`, or at \`ended_at\` when a
    -- person ended it early; extending a running one moves \`until\` on the same row.
    CREATE TABLE maintenance_periods (
      id INTEGER PRIMARY KEY,
      device_id TEXT NOT NULL,
      estate_id TEXT NOT NULL,
      since TEXT NOT NULL,
      until TEXT NOT NULL,
      reason TEXT NOT NULL,
      by_user TEXT NOT NULL,
      ended_at TEXT
    );
    CREATE INDEX maintenance_periods_estate ON maintenance_periods(estate_id, since);
    CREATE INDEX maintenance_periods_device ON maintenance_periods(device_id, since);
  `,
};
