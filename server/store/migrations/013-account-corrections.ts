import type { Migration } from './migration.js';

export const accountCorrections: Migration = {
  version: 13,
  name: 'open accounts: reversals of entered lines, and months published on the notice board',
  sql: `
    -- A correction the way bookkeepers make one: a new line dated when it was made, cancelling an
    -- entered contribution or cost, never an edit of the past. amount_fen is what it adds to the
    -- column it corrects: minus the original's amount. A line is reversed once at most.
    CREATE TABLE account_reversals (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('contribution', 'cost')),
      line_id TEXT NOT NULL,
      amount_fen INTEGER NOT NULL CHECK (amount_fen < 0),
      at TEXT NOT NULL,
      reason TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      UNIQUE (kind, line_id),
      FOREIGN KEY (estate_id, asset_id) REFERENCES account_assets(estate_id, id)
    );
    CREATE INDEX account_reversals_asset ON account_reversals(estate_id, asset_id, kind, at);

    -- A month's statement as it was put on the notice board (公示): the CSV itself, byte for byte,
    -- so it can be served again and checked against its digest; nothing dated in it may be added after.
    CREATE TABLE account_publications (
      estate_id TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      month TEXT NOT NULL,
      published_at TEXT NOT NULL,
      published_by TEXT NOT NULL,
      closing_fen INTEGER NOT NULL,
      digest TEXT NOT NULL,
      csv TEXT NOT NULL,
      PRIMARY KEY (estate_id, asset_id, month),
      FOREIGN KEY (estate_id, asset_id) REFERENCES account_assets(estate_id, id)
    );
  `,
};
