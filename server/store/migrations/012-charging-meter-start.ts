import type { Migration } from './migration.js';

export const chargingMeterStart: Migration = {
  version: 12,
  name: 'charging sessions keep the port meter reading they started from',
  sql: `
    -- A port's meter counts across sessions; a session's energy is the rise from this reading.
    -- Kept with the session (not only in memory) so a server restart mid-session bills the whole charge.
    ALTER TABLE charging_sessions ADD COLUMN meter_start_wh REAL;
  `,
};
