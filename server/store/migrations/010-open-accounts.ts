import type { Migration } from './migration.js';

export const openAccounts: Migration = {
  version: 10,
  name: 'open accounts: crowdfunded assets, the devices they cover, contributions and costs',
  sql: `
    -- An asset the households paid for (a gate, a shed, an elevator…), whose fund the committee publishes.
    CREATE TABLE account_assets (
      estate_id TEXT NOT NULL REFERENCES estates(id),
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('gate', 'shed', 'elevator', 'other')),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, id)
    );
    -- A device's income belongs to one asset at most: the primary key makes double counting impossible.
    CREATE TABLE account_asset_devices (
      device_id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      FOREIGN KEY (estate_id, asset_id) REFERENCES account_assets(estate_id, id)
    );
    CREATE INDEX account_asset_devices_asset ON account_asset_devices(estate_id, asset_id);

    -- Money in integer fen, always positive; at is ISO UTC (a local date is stored as its local midnight).
    CREATE TABLE account_contributions (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      at TEXT NOT NULL,
      note TEXT,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      FOREIGN KEY (estate_id, asset_id) REFERENCES account_assets(estate_id, id)
    );
    CREATE INDEX account_contributions_asset ON account_contributions(estate_id, asset_id, at);

    CREATE TABLE account_costs (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      category TEXT NOT NULL CHECK (category IN ('electricity', 'maintenance', 'repair', 'inspection', 'other')),
      amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
      at TEXT NOT NULL,
      note TEXT,
      recorded_by TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      FOREIGN KEY (estate_id, asset_id) REFERENCES account_assets(estate_id, id)
    );
    CREATE INDEX account_costs_asset ON account_costs(estate_id, asset_id, at);

    -- Statements read income from these: paid stays by payment time, ledger lines by kind and time.
    CREATE INDEX stays_paid ON stays(estate_id, payment, payment_at);
    CREATE INDEX charging_ledger_kind ON charging_ledger(estate_id, kind, at);
  `,
};
