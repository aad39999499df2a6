import type { Db } from './sqlite.js';

/**
 * Wrong passwords by key, for the login throttle (server/auth/login-throttle.ts),
 * which builds the keys; in the store, so a restart (or another process on the
 * same database) keeps a lock.
 */
export interface LoginFailureRepo {
  /** The times (ms) of one key's failures after `since`, oldest first. */
  recent(key: string, since: number): number[];
  /** Counts one failure against each key at `at`, and forgets every failure at or before `forgetUpTo`. */
  add(keys: string[], at: number, forgetUpTo: number): void;
  /** Forgets one key's failures. */
  clear(key: string): void;
}

/**
 * At most `maxRows` rows, whatever a guesser does: the oldest go first. Each
 * wrong password adds two, and with 5 per username and address and 30 per
 * address in 15 minutes, 20,000 rows hold 10,000 guessers' worth of locks.
 */
export function createLoginFailureRepo(db: Db, opts: { maxRows?: number } = {}): LoginFailureRepo {
  const maxRows = opts.maxRows ?? 20_000;
  const recent = db.prepare('SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at');
  const insert = db.prepare('INSERT INTO login_failures (key, at) VALUES (?, ?)');
  const forgetOld = db.prepare('DELETE FROM login_failures WHERE at <= ?');
  // ids only grow, so the rows more than maxRows behind the newest are the oldest: found on the primary key.
  const forgetBeyond = db.prepare('DELETE FROM login_failures WHERE id <= (SELECT MAX(id) FROM login_failures) - ?');
  const clear = db.prepare('DELETE FROM login_failures WHERE key = ?');
  const add = db.transaction((keys: string[], at: number, forgetUpTo: number) => {
    for (const key of keys) insert.run(key, at);
    forgetOld.run(forgetUpTo);
    forgetBeyond.run(maxRows);
  });
  return {
    recent: (key, since) => (recent.all(key, since) as { at: number }[]).map((r) => r.at),
    add: (keys, at, forgetUpTo) => add(keys, at, forgetUpTo),
    clear: (key) => void clear.run(key),
  };
}
