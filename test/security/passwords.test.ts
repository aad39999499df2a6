import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { passwordFor, startTestLinli, type TestLinli } from '../support/linli.js';

/**
 * Issue 11, finding 5: passwords a guesser tries first are refused wherever a
 * password is set — a person added, a password changed, LINLI_ADMIN_PASSWORD at
 * boot — with 400 WEAK_PASSWORD and a Chinese reason naming the field; the
 * dashboard words it in Chinese, or English after the switch.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ESTATE = { id: 'heping', name: '和平里' };
/** Common the world over: each is among the first thousand guesses of any cracker. */
const COMMON = ['12345678', 'password', 'aaaaaaaa', 'admin123', 'qwertyuiop', '11111111', 'iloveyou', 'abc123456', 'woaini1314', 'P@ssw0rd'];
/** Built from what anyone knows about the account: its username, name, estate, the product. */
const OWN = (username: string) => [`${username}2024`, `${username}123456`, `${username}-password`, `${username}!1`, `${ESTATE.id}2024`, 'linli2024', `${username}${username}`];
const STRONG = ['kite-harbour-58-lantern', 'maple ferry 93 quartz', '晴川-台灯-47-码头-Lamp'];
const WEAK_MESSAGE = (field: string) => new RegExp(`^body\\.${field}: 密码太容易被猜到：[^。]+。.*建议用三四个不相关的词`);

let linli: TestLinli;
let chair: string;

beforeAll(async () => {
  linli = await startTestLinli();
  expect((await linli.api('POST', '/api/estates', ESTATE)).status).toBe(201);
  expect((await linli.api('POST', '/api/users', { username: 'chair-hp', password: passwordFor('chair-hp'), role: 'committee', estateId: ESTATE.id, mustChangePassword: false })).status).toBe(201);
  chair = (await linli.api('POST', '/api/auth/login', { username: 'chair-hp', password: passwordFor('chair-hp') })).body.token;
});
afterAll(async () => {
  await linli?.stop();
});

const users = async () => ((await linli.api('GET', '/api/users')).body.items as { username: string }[]).map((u) => u.username);

describe('POST /api/users (a person added)', () => {
  it('refuses common and account-derived passwords with 400 WEAK_PASSWORD and a Chinese reason naming body.password', async () => {
    const username = 'guard-wang';
    for (const [caller, token] of [['install admin', linli.token], ['the estate’s committee', chair]] as const) {
      for (const password of [...COMMON, ...OWN(username)]) {
        const r = await linli.api('POST', '/api/users', { username, password, role: 'guard', displayName: '王师傅', estateId: ESTATE.id, mustChangePassword: false }, token);
        expect(r.status, `${caller}: ${password}`).toBe(400);
        expect(r.body.code, password).toBe('WEAK_PASSWORD');
        expect(r.body.message, password).toMatch(WEAK_MESSAGE('password'));
      }
    }
    expect(await users()).not.toContain(username);
    const said = (await linli.api('POST', '/api/users', { username, password: '12345678', role: 'guard', estateId: ESTATE.id })).body;
    expect(said).toMatchObject({ warning: 'topTen', score: 0 });
    expect(said.message).toContain('这是最常用的密码之一');
  });

  it('accepts strong ones', async () => {
    for (const [i, password] of STRONG.entries()) {
      const username = `strong-${i}`;
      const r = await linli.api('POST', '/api/users', { username, password, role: 'volunteer', estateId: ESTATE.id, mustChangePassword: false });
      expect(r.status, `${password}: ${JSON.stringify(r.body)}`).toBe(201);
      expect((await linli.api('POST', '/api/auth/login', { username, password })).status).toBe(200);
    }
  });
});

describe('POST /api/auth/password (a password changed)', () => {
  it('refuses common and account-derived new passwords, naming body.newPassword, and the old one still works', async () => {
    const username = 'vol-zhang';
    expect((await linli.api('POST', '/api/users', { username, password: passwordFor(username), role: 'volunteer', displayName: 'zhangwei', estateId: ESTATE.id, mustChangePassword: false })).status).toBe(201);
    const token = (await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token;
    for (const newPassword of [...COMMON, ...OWN(username), 'zhangwei1990', 'zhangwei-password']) {
      const r = await linli.api('POST', '/api/auth/password', { oldPassword: passwordFor(username), newPassword }, token);
      expect(r.status, newPassword).toBe(400);
      expect(r.body.code, newPassword).toBe('WEAK_PASSWORD');
      expect(r.body.message, newPassword).toMatch(WEAK_MESSAGE('newPassword'));
    }
    expect((await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).status).toBe(200);
    const ok = await linli.api('POST', '/api/auth/password', { oldPassword: passwordFor(username), newPassword: STRONG[0] }, token);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await linli.api('POST', '/api/auth/login', { username, password: STRONG[0] })).status).toBe(200);
  });

  it('refuses a weak password in place of a one-time one too', async () => {
    expect((await linli.api('POST', '/api/users', { username: 'res-li', password: passwordFor('res-li'), role: 'resident', estateId: ESTATE.id })).status).toBe(201);
    const oneTime = (await linli.api('POST', '/api/users/res-li/reset-password')).body.oneTimePassword as string;
    const token = (await linli.api('POST', '/api/auth/login', { username: 'res-li', password: oneTime })).body.token;
    const r = await linli.api('POST', '/api/auth/password', { oldPassword: oneTime, newPassword: 'res-li2024' }, token);
    expect(r).toMatchObject({ status: 400, body: { code: 'WEAK_PASSWORD' } });
    expect((await linli.api('GET', '/api/auth/me', undefined, token)).body.mustChangePassword).toBe(true);
  });
});

describe('every route that sets a password checks it', () => {
  /** The routes whose body sets someone's password, and its field; a new one must be added here (and checked). */
  const SETTERS: Record<string, string> = { 'POST /api/users': 'password', 'POST /api/auth/password': 'newPassword' };
  /** Body fields with "password" in their name that only prove who the caller is. */
  const PROOFS = new Set(['POST /api/auth/login password', 'POST /api/auth/password oldPassword']);

  it('finds each in the OpenAPI document, and each refuses 12345678 naming its field', async () => {
    const doc = await fetch(`${linli.url}/docs/json`).then((r) => r.json());
    const found: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const props = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        // A text field named like a password (not a flag such as mustChangePassword).
        for (const field of Object.keys(props).filter((f) => /password/i.test(f) && props[f].type === 'string')) {
          const route = `${method.toUpperCase()} ${path}`;
          if (!PROOFS.has(`${route} ${field}`)) found.push(`${route} ${field}`);
        }
      }
    }
    expect(found.sort()).toEqual(Object.entries(SETTERS).map(([route, field]) => `${route} ${field}`).sort());

    const weakUser = await linli.api('POST', '/api/users', { username: 'any-one', password: '12345678', role: 'guard' });
    expect(weakUser.body.message).toMatch(WEAK_MESSAGE(SETTERS['POST /api/users']!));
    const weakChange = await linli.api('POST', '/api/auth/password', { oldPassword: 'committee-pass-1', newPassword: '12345678' });
    expect(weakChange.body.message).toMatch(WEAK_MESSAGE(SETTERS['POST /api/auth/password']!));
  });
});

describe('LINLI_ADMIN_PASSWORD at boot', () => {
  it('refuses a weak one, naming the variable', () => {
    for (const password of ['admin123', 'password1', 'admin2024', '12345678', 'linli-admin', 'aaaaaaaa']) {
      expect(() => loadConfig({ LINLI_ADMIN_PASSWORD: password }), password).toThrow(ConfigError);
      expect(() => loadConfig({ LINLI_ADMIN_PASSWORD: password }), password).toThrow(/LINLI_ADMIN_PASSWORD: too easy to guess/);
    }
    for (const password of [...STRONG, 'committee-pass-1']) expect(loadConfig({ LINLI_ADMIN_PASSWORD: password }).adminPassword).toBe(password);
  });

  it('the real server process exits with EX_CONFIG (78) and says why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-weak-admin-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
        cwd: ROOT,
        env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: 'admin123', LINLI_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => (child.kill('SIGKILL'), resolve(null)), 20_000); // still running: it booted
        child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
      });
      expect(code, stderr).toBe(78);
      expect(stderr).toMatch(/LINLI_ADMIN_PASSWORD: too easy to guess \(strength 1 of 4, at least 3 needed\): This is a commonly used password\./);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the dashboard’s password page', () => {
  let web: TestLinli;
  let browser: Browser;

  beforeAll(async () => {
    [web, browser] = await Promise.all([
      startTestLinli({}, { withDashboard: true }),
      chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] }),
    ]);
    expect((await web.api('POST', '/api/users', { username: 'guard-zhou', password: passwordFor('guard-zhou'), role: 'guard' })).status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('says why a new password was refused, in Chinese, and in English after the switch', async () => {
    const oneTime = (await web.api('POST', '/api/users/guard-zhou/reset-password')).body.oneTimePassword as string;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    page.setDefaultTimeout(10_000);
    await page.goto(web.url);
    await page.getByTestId('login-username').fill('guard-zhou');
    await page.getByTestId('login-password').fill(oneTime);
    await page.getByTestId('login-submit').click();
    const submitWeak = async (newPassword: string) => {
      await page.getByTestId('pw-old').fill(oneTime);
      await page.getByTestId('pw-new').fill(newPassword);
      await page.getByTestId('pw-confirm').fill(newPassword);
      await page.getByTestId('pw-submit').click();
    };
    await submitWeak('password');
    await expect.poll(() => page.getByTestId('pw-error').textContent()).toBe(
      '新密码太容易被猜到：这是最常用的密码之一。建议用三四个不相关的词加几位数字（例如“晴川-台灯-47-码头”），不要用用户名、姓名、小区名、生日或连续的数字字母。',
    );
    await submitWeak('guard-zhou2024');
    await expect.poll(() => page.getByTestId('pw-error').textContent()).toContain('密码里有用户名、姓名或小区名这类别人知道的信息');

    await page.getByTestId('lang-toggle').click();
    await submitWeak('admin123');
    await expect.poll(() => page.getByTestId('pw-error').textContent()).toContain('The new password is too easy to guess: it is a commonly used password.');

    // A strong one goes through, and the guard lands on their page.
    await submitWeak('kite-harbour-58-lantern');
    await page.getByTestId('lang-toggle').waitFor();
    await expect.poll(() => page.getByTestId('password-page').count()).toBe(0);
    await page.close();
  });
});
