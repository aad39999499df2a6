import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../server/config.js';
import { startLinli, type Linli } from '../../server/app.js';

/** Passes the strength check (server/auth/password-strength.ts) for `admin`: zxcvbn score 3. */
export const ADMIN_PASSWORD = 'committee-pass-1';
/**
 * A password the strength check accepts, derived from the username so a test
 * knows it: weak ones (`<username>-password`, `<username>-pass-1`) are refused.
 */
export const passwordFor = (username: string) => `${username}·晴川-Lamp-47-Quay`;

export interface TestLinli extends Linli {
  dataDir: string;
  /** Logged-in committee token. */
  token: string;
  api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** A real Linli on free ports with a fresh SQLite file. */
export async function startTestLinli(env: Record<string, string> = {}, opts: { dataDir?: string; withDashboard?: boolean; clock?: { now(): number }; log?: Logger } = {}): Promise<TestLinli> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'linli-test-'));
  const config = loadConfig({
    LINLI_HTTP_PORT: '0',
    LINLI_MQTT_PORT: '0',
    LINLI_JUY_TCP_PORT: '0',
    LINLI_ELEVATOR_TCP_PORT: '0',
    LINLI_DATA_DIR: dataDir,
    LINLI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LINLI_OFFLINE_DEBOUNCE_MS: '0',
    LINLI_DB_SYNC: 'normal',
    ...env,
  });
  const linli = await startLinli(config, { log: opts.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), withoutDashboard: !opts.withDashboard, clock: opts.clock });
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(linli.url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const login = await api('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  const token: string = login.body.token;
  return Object.assign(linli, {
    dataDir,
    token,
    api: <T>(method: string, path: string, body?: unknown, t: string = token) => api(method, path, body, t) as Promise<{ status: number; body: T }>,
    async stop() {
      await linli.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Creates the estate (once) and registers a device; returns its secret. */
export async function registerDevice(linli: TestLinli, estateId: string, device: { id: string; kind: string; [k: string]: unknown }): Promise<string> {
  const e = await linli.api('POST', '/api/estates', { id: estateId, name: `测试小区 ${estateId}` });
  if (e.status !== 201 && e.status !== 409) throw new Error(`estate: ${e.status} ${JSON.stringify(e.body)}`);
  const d = await linli.api<{ secret: string }>('POST', `/api/estates/${estateId}/devices`, device);
  if (d.status !== 201) throw new Error(`device: ${d.status} ${JSON.stringify(d.body)}`);
  return d.body.secret;
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
