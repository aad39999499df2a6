import type { Migration } from './migration.js';

export const loginThrottle: Migration = {
  version: 15,
  name: 'wrong passwords are counted in the store, so a restart keeps a lock',
  sql: `
    -- One row per wrong password and per key it counts against: (address, username) and the address
    -- alone. key is a SHA-256 of the pair, never the username typed (it may be a password typed in
    -- the wrong field). at: ms since the epoch. Rows older than the window are deleted as new ones come.
    CREATE TABLE login_failures (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX login_failures_key ON login_failures(key, at);
    CREATE INDEX login_failures_at ON login_failures(at);
  `,
};
