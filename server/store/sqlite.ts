import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  dataDir: string;
  /** `full`: every commit is fsynced (power-loss safe). `normal`: WAL durability against a process crash only. */
  sync: 'full' | 'normal';
  fileName?: string;
}

export function openDatabase(opts: OpenOptions): Db {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = new Database(databasePath(opts));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.sync === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, MIGRATIONS);
  return db;
}

export function databasePath(opts: OpenOptions): string {
  return join(opts.dataDir, opts.fileName ?? 'linli.sqlite');
}

/**
 * A second connection to the same file for records the process writes about its
 * own actions (commands and their outcomes). WAL with synchronous=NORMAL: a commit
 * survives a process crash without an fsync, which would otherwise sit inside
 * every command's round trip. Device messages never go through it.
 */
export function openSideConnection(opts: OpenOptions): Db {
  const db = new Database(databasePath(opts));
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function migrate(db: Db, migrations: Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    ran.push(m.version);
  }
  return ran;
}
