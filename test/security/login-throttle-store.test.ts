import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../server/auth/login-throttle.js';
import { openSqliteStore } from '../../server/store/index.js';
import { createLoginFailureRepo } from '../../server/store/login-failures-repo.js';
import { migrate } from '../../server/store/sqlite.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { ADMIN_PASSWORD, passwordFor } from '../support/linli.js';
import { spawnServer, type ServerProcess } from '../support/process.js';

/**
 * Issue 11, finding 7: wrong passwords are counted in the store, so a lock
 * outlives the process — a guesser gains nothing by crashing or waiting out a
 * restart — and the table stays bounded whatever a guesser does.
 */
const MIN = 60_000;
const dirs: string[] = [];
let server: ServerProcess | undefined;

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-throttle-'));
  dirs.push(dir);
  return dir;
};

async function login(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, retryAfter: Number(res.headers.get('retry-after')), body: (await res.json()) as any };
}

/** The server killed (SIGKILL: no goodbye, no flush) and started again on the same data folder. */
async function crashAndRestart(env: Record<string, string>): Promise<ServerProcess> {
  server!.child.kill('SIGKILL');
  await new Promise((r) => server!.child.once('exit', r));
  server = await spawnServer(env);
  return server;
}

afterEach(() => {
  server?.child.kill('SIGKILL');
  server = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the login lock outlives the server process', () => {
  it('five wrong passwords, a crash and a restart: the sixth try is still refused (429, about 15 minutes), even with the right password', async () => {
    const env = { LINLI_DATA_DIR: tempDir(), LINLI_ADMIN_PASSWORD: ADMIN_PASSWORD };
    server = await spawnServer(env);
    const admin = (await login(server.httpUrl, 'admin', ADMIN_PASSWORD)).body.token;
    const made = await fetch(`${server.httpUrl}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ username: 'guard-li', password: passwordFor('guard-li'), role: 'guard', mustChangePassword: false }),
    });
    expect(made.status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login(server.httpUrl, 'guard-li', `guess-${i}`)).status).toBe(401);

    await crashAndRestart(env);
    const locked = await login(server!.httpUrl, 'guard-li', passwordFor('guard-li'));
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(locked.retryAfter).toBeGreaterThan(14 * 60);
    expect(locked.retryAfter).toBeLessThanOrEqual(15 * 60);
    // Only that username from that address: admin still signs in.
    expect((await login(server!.httpUrl, 'admin', ADMIN_PASSWORD)).status).toBe(200);
  }, 60_000);
});

describe('the failures table (real SQLite store)', () => {
  it('keeps the throttle’s rules: 5 per username and address, 30 per address (any username), a success clears the pair, the window slides', () => {
    const store = openSqliteStore({ dataDir: tempDir(), sync: 'normal' });
    let now = Date.parse('2026-11-21T08:00:00Z');
    const throttle = createLoginThrottle({ failures: store.loginFailures, now: () => now });
    for (let i = 0; i < 4; i++) throttle.failed('WangFang', '10.0.0.7');
    throttle.succeeded('wangfang', '10.0.0.7'); // usernames are not case-sensitive here
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
    for (let i = 0; i < 5; i++) (throttle.failed('wangfang', '10.0.0.7'), (now += MIN));
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(10 * MIN); // first at 08:00, now 08:05: until 08:15
    expect(throttle.retryAfterMs('lijun', '10.0.0.7')).toBe(0);
    expect(throttle.retryAfterMs('wangfang', '10.0.0.8')).toBe(0);
    now += 10 * MIN;
    expect(throttle.retryAfterMs('wangfang', '10.0.0.7')).toBe(0);
    for (let i = 0; i < 30; i++) throttle.failed(`user${i}`, '10.0.0.9');
    expect(throttle.retryAfterMs('someone-new', '10.0.0.9')).toBeGreaterThan(0);
    store.close();
  });

  it('stays bounded: failures older than the window go, and never more than maxRows rows; no username is stored', () => {
    const db = new Database(join(tempDir(), 'failures.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // thousands of one-row transactions: the rule under test is the bound, not the fsync
    migrate(db, MIGRATIONS);
    let now = Date.parse('2026-11-21T08:00:00Z');
    const throttle = createLoginThrottle({ failures: createLoginFailureRepo(db, { maxRows: 500 }), now: () => now });
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM login_failures').get() as { n: number }).n;

    for (let i = 0; i < 100; i++) throttle.failed(`guesser-${i}`, '10.1.0.1');
    expect(rows()).toBe(200); // the pair and the address, each
    now += 16 * MIN; // the window has passed: the next failure sweeps the old ones out
    throttle.failed('late', '10.1.0.2');
    expect(rows()).toBe(2);

    for (let i = 0; i < 2_000; i++) throttle.failed(`flood-${i}`, `10.2.${i >> 8}.${i & 255}`);
    expect(rows()).toBeLessThanOrEqual(500);
    // The newest still count: the last address is as locked as ever after its fifth try.
    for (let i = 0; i < 4; i++) throttle.failed('flood-1999', '10.2.7.207');
    expect(throttle.retryAfterMs('flood-1999', '10.2.7.207')).toBeGreaterThan(0);

    const stored = JSON.stringify(db.prepare('SELECT * FROM login_failures').all());
    expect(stored).not.toMatch(/flood|guesser|10\.2\./);
    db.close();
  });
});
