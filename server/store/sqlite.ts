import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  dataDir: string;
  /** `full`: every commit is fsynced (power-loss safe). `normal`: WAL durability against a process crash only. */
  sync: 'full' | 'normal';
  fileName?: string;
  /** Told when a folder or file found with looser modes is tightened. */
  log?: { warn(obj: object, msg: string): void };
}

/** The folder holds residents' names, phones, plates and cards: its owner alone may enter it. */
export const DATA_DIR_MODE = 0o700;
/** The database and its -wal / -shm: read and written by the server's own user only. */
export const DATA_FILE_MODE = 0o600;

/**
 * Makes the data folder 0700 and the database file 0600 before SQLite opens it,
 * and tightens the ones a previous version left looser (0755, 0644), saying so.
 * SQLite creates -wal and -shm with the database file's own mode (os_unix.c,
 * findCreateFileMode), so a 0600 database gives 0600 companions; ones already
 * there are tightened too. A shared sticky folder (/tmp) is not ours to close: a warning only.
 */
export function secureDataFiles(opts: OpenOptions): void {
  mkdirSync(opts.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  tighten(opts.dataDir, DATA_DIR_MODE, opts.log);
  const file = databasePath(opts);
  closeSync(openSync(file, 'a', DATA_FILE_MODE)); // created 0600 if absent; never truncates
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f, DATA_FILE_MODE, opts.log);
}

function tighten(path: string, mode: number, log: OpenOptions['log']): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // not there (yet): SQLite makes it with the database file's mode
  }
  const loose = st.mode & 0o777 & ~mode;
  if (!loose) return;
  const was = (st.mode & 0o777).toString(8).padStart(4, '0');
  const want = mode.toString(8).padStart(4, '0');
  if (st.isDirectory() && st.mode & 0o1000) {
    log?.warn({ path, mode: was }, 'data folder is a shared sticky folder (like /tmp); left as it is: set LINLI_DATA_DIR to a folder of its own');
    return;
  }
  try {
    chmodSync(path, mode);
    log?.warn({ path, was, now: want }, 'personal data was readable by other users; permissions tightened');
  } catch (err) {
    log?.warn({ path, mode: was, err: (err as Error).message }, 'personal data is readable by other users and could not be tightened; fix the permissions by hand');
  }
}

export function openDatabase(opts: OpenOptions): Db {
  secureDataFiles(opts);
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
