import type { Migration } from './migration.js';

export const chargingAlerts: Migration = {
  version: 4,
  name: 'charging accounts, ledger, sessions, queue, port states, port-free requests; alerts',
  sql: `
    -- Prepaid balance and plan per household. Money in integer fen.
    CREATE TABLE charging_accounts (
      estate_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      balance_fen INTEGER NOT NULL DEFAULT 0,
      plan_id TEXT,
      plan_valid_until TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, household_id)
    );
    -- Every movement of a balance; the balance is always the sum of its ledger.
    CREATE TABLE charging_ledger (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      amount_fen INTEGER NOT NULL,
      session_id TEXT,
      by_user TEXT,
      note TEXT,
      at TEXT NOT NULL
    );
    CREATE INDEX charging_ledger_household ON charging_ledger(estate_id, household_id, at);

    CREATE TABLE charging_sessions (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      shed_id TEXT NOT NULL,
      port INTEGER NOT NULL,
      card_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      payment TEXT NOT NULL,
      status TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      started_at TEXT,
      ended_at TEXT,
      stop_reason TEXT,
      stop_clause TEXT,
      stop_explain TEXT,
      max_minutes INTEGER NOT NULL,
      max_wh REAL,
      energy_wh REAL NOT NULL DEFAULT 0,
      max_power_w REAL NOT NULL DEFAULT 0,
      start_temp_c REAL,
      max_temp_c REAL,
      full_at TEXT,
      unplugged_at TEXT,
      fee_fen INTEGER,
      fee_explain TEXT,
      charter_version INTEGER,
      start_clause TEXT,
      cmd_id TEXT
    );
    CREATE INDEX charging_sessions_shed ON charging_sessions(shed_id, status);
    CREATE INDEX charging_sessions_household ON charging_sessions(estate_id, household_id, requested_at);
    CREATE INDEX charging_sessions_estate ON charging_sessions(estate_id, requested_at);

    CREATE TABLE charging_queue (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      shed_id TEXT NOT NULL,
      port INTEGER NOT NULL,
      card_id TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      status TEXT NOT NULL
    );
    CREATE INDEX charging_queue_shed ON charging_queue(shed_id, status, requested_at);

    -- What each port is doing now, from the shed's own reports and our sessions.
    CREATE TABLE charger_ports (
      shed_id TEXT NOT NULL,
      port INTEGER NOT NULL,
      estate_id TEXT NOT NULL,
      state TEXT NOT NULL,
      session_id TEXT,
      since TEXT NOT NULL,
      PRIMARY KEY (shed_id, port)
    );

    CREATE TABLE port_free_requests (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      shed_id TEXT NOT NULL,
      username TEXT NOT NULL,
      created_at TEXT NOT NULL,
      notified_at TEXT
    );

    -- One open alert per device and kind; a repeat updates it. Issue 6 adds claims, roster and routing.
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      severity TEXT NOT NULL,
      status TEXT NOT NULL,
      title TEXT NOT NULL,
      detail TEXT NOT NULL,
      raised_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      cleared_at TEXT,
      count INTEGER NOT NULL DEFAULT 1
    );
    CREATE UNIQUE INDEX alerts_open ON alerts(device_id, kind) WHERE status = 'open';
    CREATE INDEX alerts_estate ON alerts(estate_id, raised_at);
  `,
};
