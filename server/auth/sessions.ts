import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { digest, hashSecret, verifySecret } from '../../gateway/index.js';
import type { Role, User, UserRepo } from '../store/index.js';

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

/**
 * People log in with a password (scrypt hash at rest) and get an opaque bearer
 * token; only its digest is stored, so a copy of the database holds no usable
 * session.
 */
export function createAuth(deps: { users: UserRepo; sessionHours: number; log: Logger }) {
  async function login(username: string, password: string): Promise<{ token: string; user: AuthUser } | undefined> {
    const user = deps.users.getUser(username);
    // Hash even for an unknown user so timing does not reveal who has an account.
    const ok = user ? await verifySecret(password, user.passwordHash) : (await hashSecret(password), false);
    if (!user || !ok || user.disabled) return undefined;
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    deps.users.createSession({
      tokenHash: digest(token),
      username,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + deps.sessionHours * 3_600_000).toISOString(),
    });
    deps.log.info({ username, role: user.role }, 'login');
    return { token, user: toAuthUser(user) };
  }

  function authenticate(token: string): AuthUser | undefined {
    const s = deps.users.findSession(digest(token), new Date().toISOString());
    const user = s && deps.users.getUser(s.username);
    return user && !user.disabled ? toAuthUser(user) : undefined;
  }

  async function changePassword(username: string, oldPassword: string, newPassword: string): Promise<boolean> {
    const user = deps.users.getUser(username);
    if (!user || !(await verifySecret(oldPassword, user.passwordHash))) return false;
    deps.users.setPassword(username, await hashSecret(newPassword), false);
    return true;
  }

  async function createUser(u: { username: string; password: string; role: Role; displayName?: string; mustChange?: boolean; estateId?: string | null }) {
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
    deps.users.setPassword(username, await hashSecret(oneTime), true);
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
    deps.users.setDisabled(username, disabled);
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
    await createUser({ username: 'admin', password: adminPassword ?? oneTime!, role: 'committee', displayName: '管理员', mustChange: !adminPassword });
    return { username: 'admin', oneTimePassword: oneTime };
  }

  return {
    login,
    authenticate,
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
    logout: (token: string) => deps.users.deleteSession(digest(token)),
  };
}

export type Auth = ReturnType<typeof createAuth>;
