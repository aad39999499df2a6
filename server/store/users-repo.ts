import type { Db } from './sqlite.js';
import type { Role, User, UserRepo } from './types.js';

interface UserDbRow {
  username: string;
  role: string;
  display_name: string;
  password_hash: string;
  must_change: number;
  disabled: number;
  estate_id: string | null;
}

const toUser = (r: UserDbRow): User => ({
  username: r.username,
  role: r.role as Role,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  mustChange: r.must_change === 1,
  disabled: r.disabled === 1,
  estateId: r.estate_id,
});

export function createUserRepo(db: Db): UserRepo {
  const insert = db.prepare(
    'INSERT INTO users (username, role, display_name, password_hash, must_change, created_at, estate_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const get = db.prepare('SELECT * FROM users WHERE username = ?');
  const list = db.prepare('SELECT * FROM users ORDER BY username');
  const count = db.prepare('SELECT COUNT(*) AS n FROM users');
  const setPw = db.prepare('UPDATE users SET password_hash = ?, must_change = ? WHERE username = ?');
  const setOff = db.prepare('UPDATE users SET disabled = ? WHERE username = ?');
  const insertSession = db.prepare('INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const findSession = db.prepare('SELECT username, expires_at AS expiresAt FROM sessions WHERE token_hash = ? AND expires_at > ?');
  const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  // RETURNING: the live feed closes exactly the sockets of the sessions that ended.
  const deleteUserSessions = db.prepare('DELETE FROM sessions WHERE username = ? AND token_hash IS NOT ? RETURNING token_hash');
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? RETURNING token_hash');
  const hashes = (rows: unknown[]) => (rows as { token_hash: string }[]).map((r) => r.token_hash);
  return {
    createUser(u) {
      if (get.get(u.username)) return 'exists';
      insert.run(u.username, u.role, u.displayName, u.passwordHash, u.mustChange ? 1 : 0, new Date().toISOString(), u.estateId);
      return { ...u, disabled: false };
    },
    getUser(username) {
      const r = get.get(username) as UserDbRow | undefined;
      return r && toUser(r);
    },
    listUsers: () => (list.all() as UserDbRow[]).map(toUser),
    countUsers: () => (count.get() as { n: number }).n,
    setPassword: db.transaction((username: string, hash: string, mustChange: boolean, keepTokenHash?: string): string[] => {
      setPw.run(hash, mustChange ? 1 : 0, username);
      // A changed password ends every session of that person but the one it was changed in (if any).
      return hashes(deleteUserSessions.all(username, keepTokenHash ?? null));
    }),
    setDisabled: db.transaction((username: string, disabled: boolean): string[] => {
      setOff.run(disabled ? 1 : 0, username);
      // authenticate() already refuses a disabled person; the sessions go too, so switching the login on again
      // does not bring back one left open on a phone that has since changed hands.
      return disabled ? hashes(deleteUserSessions.all(username, null)) : [];
    }),
    createSession: (s) => void insertSession.run(s.tokenHash, s.username, s.createdAt, s.expiresAt),
    findSession: (tokenHash, now) => findSession.get(tokenHash, now) as { username: string; expiresAt: string } | undefined,
    deleteSession: (tokenHash) => void deleteSession.run(tokenHash),
    deleteExpiredSessions: (now) => hashes(deleteExpired.all(now)),
  };
}
