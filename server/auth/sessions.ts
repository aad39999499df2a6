import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { digest, hashSecret, verifySecret } from '../../gateway/index.js';
import type { Role, User, UserRepo } from '../store/index.js';
import { FIRST_ADMIN, passwordWeakness, type PasswordContext, type WeakPassword } from './password-strength.js';

export interface AuthUser {
  username: string;
  role: Role;
  displayName: string;
  mustChangePassword: boolean;
  /** The estate this person belongs to; null: every estate (the install's own people). */
  estateId: string | null;
}

const toAuthUser = (u: User): AuthUser => ({ username: u.username, role: u.role, displayName: u.displayName, mustChangePassword: u.mustChange, estateId: u.estateId });
/** A person as the committee manages them: who, and whether their login is switched off. */
const toPerson = (u: User) => ({ ...toAuthUser(u), disabled: u.disabled });
/** 72 random bits in 12 characters: short enough to read out or type, for one login only. */
const oneTimePassword = () => randomBytes(9).toString('base64url');

/** A live session, as `/live` keeps it: whose, which (the token's digest), until when. */
export interface SessionInfo {
  user: AuthUser;
  tokenHash: string;
  /** ms since the epoch */
  expiresAt: number;
}

/** A password was refused as too easy to guess; nothing was changed. */
export interface Weak {
  weak: WeakPassword;
}

/**
 * People log in with a password (scrypt hash at rest) and get an opaque bearer
 * token; only its digest is stored, so a copy of the database holds no usable
 * session.
 *
 * Every way a session ends — logout, a password changed or reset, a login
 * switched off — is told to `onSessionsEnded` listeners with the sessions'
 * digests, so the live feed closes those sockets at once. Expiry is the one end
 * nobody calls: whoever holds a session checks `expiresAt` (the live hub sweeps).
 */
export function createAuth(deps: {
  users: UserRepo;
  sessionHours: number;
  log: Logger;
  /** The clock sessions expire by (tests inject one). */
  now?: () => number;
  /** An estate's name, so a password cannot be built from it. */
  estateName?: (estateId: string) => string | undefined;
}) {
  const now = deps.now ?? Date.now;
  const endedListeners: ((tokenHashes: string[]) => void)[] = [];
  function ended(tokenHashes: string[]): void {
    if (tokenHashes.length === 0) return;
    for (const listener of endedListeners) {
      try {
        listener(tokenHashes);
      } catch (err) {
        deps.log.error({ err }, 'session-ended listener failed');
      }
    }
  }

  /** Why a password is too easy to guess for this person, or undefined. */
  function weakness(password: string, who: { username: string; displayName?: string; estateId?: string | null }): WeakPassword | undefined {
    const ctx: PasswordContext = { username: who.username, displayName: who.displayName, estateId: who.estateId };
    if (who.estateId) ctx.estateName = deps.estateName?.(who.estateId);
    return passwordWeakness(password, ctx);
  }

  async function login(username: string, password: string): Promise<{ token: string; user: AuthUser } | undefined> {
    const user = deps.users.getUser(username);
    // Hash even for an unknown user so timing does not reveal who has an account.
    const ok = user ? await verifySecret(password, user.passwordHash) : (await hashSecret(password), false);
    if (!user || !ok || user.disabled) return undefined;
    const token = randomBytes(32).toString('base64url');
    const at = now();
    // Expired rows are only dead weight: they go whenever someone logs in.
    ended(deps.users.deleteExpiredSessions(new Date(at).toISOString()));
    deps.users.createSession({
      tokenHash: digest(token),
      username,
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + deps.sessionHours * 3_600_000).toISOString(),
    });
    deps.log.info({ username, role: user.role }, 'login');
    return { token, user: toAuthUser(user) };
  }

  function authenticateSession(token: string): SessionInfo | undefined {
    const tokenHash = digest(token);
    const s = deps.users.findSession(tokenHash, new Date(now()).toISOString());
    const user = s && deps.users.getUser(s.username);
    return s && user && !user.disabled ? { user: toAuthUser(user), tokenHash, expiresAt: Date.parse(s.expiresAt) } : undefined;
  }

  /**
   * A new password, given the old one. Every other session of that person ends
   * (a phone left logged in somewhere, someone who knew the old password); the
   * one the change was made in stays, so the caller need not log in again.
   */
  async function changePassword(username: string, oldPassword: string, newPassword: string, currentToken?: string): Promise<'changed' | 'wrong-old' | Weak> {
    const user = deps.users.getUser(username);
    if (!user || !(await verifySecret(oldPassword, user.passwordHash))) return 'wrong-old';
    const weak = weakness(newPassword, user);
    if (weak) return { weak };
    ended(deps.users.setPassword(username, await hashSecret(newPassword), false, currentToken === undefined ? undefined : digest(currentToken)));
    deps.log.info({ username }, 'password changed');
    return 'changed';
  }

  async function createUser(u: { username: string; password: string; role: Role; displayName?: string; mustChange?: boolean; estateId?: string | null }): Promise<User | 'exists' | Weak> {
    const weak = weakness(u.password, u);
    if (weak) return { weak };
    return deps.users.createUser({
      username: u.username,
      role: u.role,
      displayName: u.displayName ?? u.username,
      passwordHash: await hashSecret(u.password),
      mustChange: u.mustChange ?? false,
      estateId: u.estateId ?? null,
    });
  }

  /**
   * A forgotten password: a new one-time password, to be changed at the next
   * login; every session of that person ends. Only the caller gets it, to hand
   * over in person: it is never logged.
   */
  async function resetPassword(username: string): Promise<string> {
    const oneTime = oneTimePassword();
    ended(deps.users.setPassword(username, await hashSecret(oneTime), true));
    deps.log.info({ username }, 'password reset');
    return oneTime;
  }

  /**
   * Switches a person's login off (every session ends at once) or on again.
   * The install keeps at least one committee account of its own that can log
   * in: without one, nobody could add an estate or switch anyone back on.
   */
  function setDisabled(username: string, disabled: boolean): 'last-committee' | undefined {
    if (disabled) {
      const keepers = deps.users.listUsers().filter((u) => u.role === 'committee' && u.estateId === null && !u.disabled);
      if (keepers.length === 1 && keepers[0]!.username === username) return 'last-committee';
    }
    ended(deps.users.setDisabled(username, disabled));
    deps.log.info({ username, disabled }, disabled ? 'login disabled' : 'login enabled');
    return undefined;
  }

  /**
   * First start: create the committee account `admin`. With LINLI_ADMIN_PASSWORD
   * it gets that password; otherwise a one-time password is printed and must be
   * changed at first login.
   */
  async function bootstrap(adminPassword: string | undefined): Promise<{ username: string; oneTimePassword?: string } | undefined> {
    if (deps.users.countUsers() > 0) return undefined;
    const oneTime = adminPassword ? undefined : oneTimePassword();
    // A weak LINLI_ADMIN_PASSWORD is refused by loadConfig, naming the variable; this is the last guard.
    const made = await createUser({ ...FIRST_ADMIN, password: adminPassword ?? oneTime!, role: 'committee', mustChange: !adminPassword });
    if (typeof made === 'object' && 'weak' in made) throw new Error('LINLI_ADMIN_PASSWORD: too easy to guess');
    return { username: FIRST_ADMIN.username, oneTimePassword: oneTime };
  }

  return {
    login,
    /** The person a token belongs to, while its session lasts. */
    authenticate: (token: string): AuthUser | undefined => authenticateSession(token)?.user,
    authenticateSession,
    /** Told the digests of sessions that just ended (not of ones that expire: see SessionInfo.expiresAt). */
    onSessionsEnded: (listener: (tokenHashes: string[]) => void) => void endedListeners.push(listener),
    changePassword,
    createUser,
    bootstrap,
    resetPassword,
    setDisabled,
    getPerson: (username: string) => {
      const u = deps.users.getUser(username);
      return u && toPerson(u);
    },
    listUsers: () => deps.users.listUsers().map(toPerson),
    logout(token: string): void {
      const tokenHash = digest(token);
      deps.users.deleteSession(tokenHash);
      ended([tokenHash]);
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
