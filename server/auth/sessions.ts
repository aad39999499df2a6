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
   * First start: create the committee account `admin`. With LINLI_ADMIN_PASSWORD
   * it gets that password; otherwise a one-time password is printed and must be
   * changed at first login.
   */
  async function bootstrap(adminPassword: string | undefined): Promise<{ username: string; oneTimePassword?: string } | undefined> {
    if (deps.users.countUsers() > 0) return undefined;
    const oneTime = adminPassword ? undefined : randomBytes(9).toString('base64url');
    await createUser({ username: 'admin', password: adminPassword ?? oneTime!, role: 'committee', displayName: '管理员', mustChange: !adminPassword });
    return { username: 'admin', oneTimePassword: oneTime };
  }

  return {
    login,
    authenticate,
    changePassword,
    createUser,
    bootstrap,
    listUsers: () => deps.users.listUsers().map(toAuthUser),
    logout: (token: string) => deps.users.deleteSession(digest(token)),
  };
}

export type Auth = ReturnType<typeof createAuth>;
