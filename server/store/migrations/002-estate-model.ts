import type { Migration } from './migration.js';

/**
 * The estate register: households (户), the people in them, their vehicles and
 * access cards. Every id is scoped to its estate, so keys are (estate_id, id).
 */
export const estateModel: Migration = {
  version: 2,
  name: 'households, residents, vehicles, access cards',
  sql: `
    -- id is building-unit-room (e.g. 3-2-501); the parts are kept for filtering and sorting.
    CREATE TABLE households (
      estate_id TEXT NOT NULL REFERENCES estates(id),
      id TEXT NOT NULL,
      building TEXT NOT NULL,
      unit TEXT NOT NULL,
      room TEXT NOT NULL,
      area_m2 REAL,
      -- The household's own spaces, shared by its cars (一位多车).
      parking_spaces INTEGER NOT NULL DEFAULT 0 CHECK (parking_spaces >= 0),
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, id)
    );

    CREATE TABLE residents (
      estate_id TEXT NOT NULL,
      id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      name TEXT NOT NULL,
      phone TEXT,
      -- The login account of this person, if they have one (GET /api/me/vehicles).
      username TEXT,
      is_primary INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, id),
      FOREIGN KEY (estate_id, household_id) REFERENCES households(estate_id, id)
    );
    CREATE INDEX residents_household ON residents(estate_id, household_id);
    CREATE INDEX residents_username ON residents(username) WHERE username IS NOT NULL;
    -- One primary contact per household at most.
    CREATE UNIQUE INDEX residents_primary ON residents(estate_id, household_id) WHERE is_primary = 1;

    -- plate is normalised (server/parking/plates.ts). household_id is NULL for
    -- internal, blacklist and emergency vehicles that belong to no household.
    CREATE TABLE vehicles (
      estate_id TEXT NOT NULL REFERENCES estates(id),
      plate TEXT NOT NULL,
      household_id TEXT,
      class TEXT NOT NULL CHECK (class IN ('resident', 'monthly', 'internal', 'blacklist', 'emergency')),
      valid_from TEXT,
      valid_until TEXT,
      color TEXT,
      note TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, plate),
      FOREIGN KEY (estate_id, household_id) REFERENCES households(estate_id, id)
    );
    CREATE INDEX vehicles_household ON vehicles(estate_id, household_id);

    CREATE TABLE cards (
      estate_id TEXT NOT NULL,
      card_id TEXT NOT NULL,
      household_id TEXT NOT NULL,
      resident_id TEXT,
      status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen')),
      -- JSON array of 'charger' | 'elevator'.
      purposes TEXT NOT NULL DEFAULT '[]',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, card_id),
      FOREIGN KEY (estate_id, household_id) REFERENCES households(estate_id, id),
      FOREIGN KEY (estate_id, resident_id) REFERENCES residents(estate_id, id)
    );
    CREATE INDEX cards_household ON cards(estate_id, household_id);
  `,
};
