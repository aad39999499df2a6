import type { Migration } from './migration.js';

export const elevators: Migration = {
  version: 5,
  name: 'elevator members, passes, rides, live state, maintenance, running costs; alerts closed by a person',
  sql: `
    -- Households that paid for an elevator (or bought in later): they ride by right.
    CREATE TABLE elevator_members (
      estate_id TEXT NOT NULL,
      elevator_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      joined_at TEXT NOT NULL,
      paid_fen INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (elevator_id, household_id)
    );
    CREATE TABLE elevator_passes (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      card_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      floors TEXT,
      valid_until TEXT NOT NULL,
      note TEXT,
      issued_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      cancelled_at TEXT
    );
    CREATE INDEX elevator_passes_card ON elevator_passes(estate_id, card_id, valid_until);
    CREATE TABLE elevator_rides (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      elevator_id TEXT NOT NULL,
      card_id TEXT,
      household_id TEXT,
      from_floor INTEGER NOT NULL,
      to_floor INTEGER NOT NULL,
      at TEXT NOT NULL,
      charge_fen INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX elevator_rides_elevator ON elevator_rides(elevator_id, at);
    CREATE INDEX elevator_rides_household ON elevator_rides(estate_id, household_id, at);
    -- The counters of each elevator, written every few seconds from its telemetry.
    CREATE TABLE elevator_state (
      elevator_id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      floor INTEGER,
      direction TEXT,
      door_open INTEGER,
      running INTEGER,
      load_pct REAL,
      runs INTEGER NOT NULL DEFAULT 0,
      door_cycles INTEGER NOT NULL DEFAULT 0,
      run_seconds REAL NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE elevator_maintenance (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      elevator_id TEXT NOT NULL,
      done_by TEXT NOT NULL,
      done_at TEXT NOT NULL,
      what TEXT NOT NULL,
      next_due TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX elevator_maintenance_elevator ON elevator_maintenance(elevator_id, done_at);
    CREATE TABLE elevator_running_costs (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      elevator_id TEXT NOT NULL,
      month TEXT NOT NULL,
      kind TEXT NOT NULL,
      fen INTEGER NOT NULL,
      note TEXT,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL
    );
    CREATE INDEX elevator_running_costs_month ON elevator_running_costs(elevator_id, month);

    -- A trapped passenger is not over because the controller says so: a person closes it.
    ALTER TABLE alerts ADD COLUMN needs_person INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE alerts ADD COLUMN device_cleared_at TEXT;
    ALTER TABLE alerts ADD COLUMN closed_by TEXT;
    ALTER TABLE alerts ADD COLUMN close_note TEXT;
  `,
};
