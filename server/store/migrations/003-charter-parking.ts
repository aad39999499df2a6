import type { Migration } from './migration.js';

export const charterParking: Migration = {
  version: 3,
  name: 'charter versions; parking decisions, stays, passes, manual opens, unmatched exits, gate configs',
  sql: `
    -- Versions are never updated: a new row supersedes from its effective_from.
    CREATE TABLE charter_versions (
      estate_id TEXT NOT NULL REFERENCES estates(id),
      version INTEGER NOT NULL,
      effective_from TEXT NOT NULL,
      adoption TEXT NOT NULL,
      document TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, version)
    );

    -- Every gate decision, with the charter version and clause that made it.
    CREATE TABLE parking_decisions (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      gate_id TEXT NOT NULL,
      camera_id TEXT,
      direction TEXT NOT NULL,
      read_msg_id TEXT,
      plate_read TEXT NOT NULL,
      plate TEXT,
      vehicle_class TEXT,
      action TEXT NOT NULL,
      clause TEXT NOT NULL,
      charter_version INTEGER,
      display TEXT NOT NULL,
      explain TEXT NOT NULL,
      fee_fen INTEGER,
      stay_id TEXT,
      cmd_id TEXT,
      at TEXT NOT NULL,
      latency_ms REAL
    );
    CREATE INDEX parking_decisions_gate ON parking_decisions(estate_id, gate_id, at);
    CREATE INDEX parking_decisions_plate ON parking_decisions(estate_id, plate, at);

    CREATE TABLE stays (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      lot_id TEXT NOT NULL,
      plate TEXT NOT NULL,
      vehicle_class TEXT NOT NULL,
      household_id TEXT,
      overflow INTEGER NOT NULL DEFAULT 0,
      entry_at TEXT NOT NULL,
      entry_gate TEXT,
      entry_source TEXT NOT NULL,
      exit_at TEXT,
      exit_gate TEXT,
      exit_source TEXT,
      billing_from TEXT,
      billing_to TEXT,
      fee_fen INTEGER,
      fee_clause TEXT,
      fee_explain TEXT,
      payment TEXT NOT NULL DEFAULT 'none',
      payment_by TEXT,
      payment_at TEXT,
      charter_version INTEGER
    );
    CREATE INDEX stays_open ON stays(estate_id, plate, exit_at);
    CREATE INDEX stays_lot ON stays(estate_id, lot_id, exit_at);
    CREATE INDEX stays_household ON stays(estate_id, household_id, exit_at);

    CREATE TABLE visitor_passes (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      plate TEXT NOT NULL,
      valid_from TEXT NOT NULL,
      valid_to TEXT NOT NULL,
      issued_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      cancelled_at TEXT
    );
    CREATE INDEX visitor_passes_plate ON visitor_passes(estate_id, plate, valid_to);
    CREATE INDEX visitor_passes_household ON visitor_passes(estate_id, household_id, created_at);

    -- Every manual open, with who and why: the committee reviews these.
    CREATE TABLE manual_opens (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      gate_id TEXT NOT NULL,
      direction TEXT NOT NULL,
      plate TEXT,
      reason TEXT NOT NULL,
      by_user TEXT NOT NULL,
      at TEXT NOT NULL,
      cmd_id TEXT
    );

    CREATE TABLE unmatched_exits (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      gate_id TEXT NOT NULL,
      plate_read TEXT NOT NULL,
      at TEXT NOT NULL,
      candidates TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by TEXT,
      resolution TEXT,
      stay_id TEXT
    );
    CREATE INDEX unmatched_exits_open ON unmatched_exits(estate_id, resolved_at);

    -- The offline whitelist each gate should hold, and what the gate last reported holding.
    CREATE TABLE gate_configs (
      gate_id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      config TEXT NOT NULL,
      published_at TEXT NOT NULL,
      reported_version INTEGER,
      reported_at TEXT
    );
  `,
};
