import type { User } from './types.js';

/**
 * The login token lives in sessionStorage: closing the tab (the guard-room PC,
 * a borrowed phone) signs the person out. The user is kept beside it so a
 * reload does not flash the login page.
 */
const TOKEN_KEY = 'linli.token';
const USER_KEY = 'linli.user';

export interface Session {
  token: string;
  user: User;
}

export function loadSession(): Session | undefined {
  try {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const user = sessionStorage.getItem(USER_KEY);
    if (!token || !user) return undefined;
    return { token, user: JSON.parse(user) as User };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(session.user));
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}
