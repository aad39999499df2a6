import WebSocket from 'ws';
import { expect } from 'vitest';
import type { Role } from '../../server/store/index.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * The attacker's setting for the security suite: two estates on one install,
 * and an account of every role bound to each (users.estate_id), as a street
 * office hosting two estates would have them.
 */
export const A = 'sec-a';
export const B = 'sec-b';
export const ROLES_OF_ESTATE = ['committee', 'volunteer', 'guard', 'resident'] as const satisfies readonly Role[];

/** A password no estimator calls weak, derived from the username so each test knows it. */
export const passwordOf = (username: string) => `${username}·晴川-Lamp-47-Quay`;

export interface Account {
  username: string;
  role: Role;
  estateId: string;
  token: string;
}

export interface TwoEstates {
  linli: TestLinli;
  /** `accounts[A].guard` is the guard bound to estate A, and so on. */
  accounts: Record<string, Record<(typeof ROLES_OF_ESTATE)[number], Account>>;
  /** Calls the API as one account. */
  as(who: Account | string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  login(username: string, password?: string): Promise<string>;
  /** Opens `/live` with a token and collects what arrives; resolves once `hello` came. */
  live(token: string): Promise<{ ws: WebSocket; messages: any[]; closed: Promise<{ code: number }> }>;
  stop(): Promise<void>;
}

export async function startTwoEstates(env: Record<string, string> = {}, opts: Parameters<typeof startTestLinli>[1] = {}): Promise<TwoEstates> {
  const linli = await startTestLinli(env, opts);
  const sockets: WebSocket[] = [];
  const login = async (username: string, password = passwordOf(username)) => {
    const r = await linli.api('POST', '/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const accounts = {} as TwoEstates['accounts'];
  for (const estateId of [A, B]) {
    const e = await linli.api('POST', '/api/estates', { id: estateId, name: estateId === A ? '和平里' : '幸福苑' });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    accounts[estateId] = {} as TwoEstates['accounts'][string];
    for (const role of ROLES_OF_ESTATE) {
      const username = `${role}-${estateId}`;
      const u = await linli.api('POST', '/api/users', { username, password: passwordOf(username), role, estateId, mustChangePassword: false });
      expect(u.status, JSON.stringify(u.body)).toBe(201);
      accounts[estateId]![role] = { username, role, estateId, token: await login(username) };
    }
  }
  const tokenOf = (who: Account | string) => (typeof who === 'string' ? who : who.token);
  return {
    linli,
    accounts,
    login,
    as: (who, method, path, body) => linli.api(method, path, body, tokenOf(who)),
    async live(token) {
      const messages: any[] = [];
      const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${encodeURIComponent(token)}`);
      sockets.push(ws);
      const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
      ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      await waitFor(() => messages.find((m) => m.type === 'hello'), 3000, 'hello on /live');
      return { ws, messages, closed };
    },
    async stop() {
      for (const ws of sockets) ws.terminate();
      await linli.stop();
    },
  };
}
