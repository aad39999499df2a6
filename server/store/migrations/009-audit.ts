import type { Migration } from './migration.js';

export const audit: Migration = {
  version: 9,
  name: 'audit log: every change a person makes, and every read of a full plate history',
  sql: `
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      estate_id TEXT,
      at TEXT NOT NULL,
      username TEXT NOT NULL,
      role TEXT NOT NULL,
      action TEXT NOT NULL,
      route TEXT NOT NULL,
      target TEXT,
      status INTEGER NOT NULL,
      detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_estate ON audit_log(estate_id, at);
  `,
};
