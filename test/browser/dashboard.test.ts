import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../devices/topics.js';
import { startLinli, type Linli } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';

/*
 * The real dashboard in real Chromium against the real server: a committee
 * member on a phone signs in, watches a gate come online over real MQTT, sees
 * its event arrive live, and switches to English.
 */

const ADMIN_PASSWORD = 'admin-pass-1234';
const ESTATE = { id: 'xingfuli', name: '幸福里小区' };
const GATE = { id: 'gate-east', kind: 'gate', name: '东门道闸' };
const PHONE = { width: 390, height: 844 };
/** Below vitest's 30 s so a stuck step fails with the locator it waited for. */
const STEP_TIMEOUT_MS = 10_000;
const ARTIFACTS = join(process.cwd(), '.test-artifacts');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

async function startServer(dataDir: string, adminPassword?: string): Promise<Linli> {
  const env: Record<string, string> = {
    LINLI_HTTP_PORT: '0',
    LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0',
    LINLI_MQTTS_PORT: '0',
    LINLI_DATA_DIR: dataDir,
    LINLI_DB_SYNC: 'normal',
    LINLI_LOG_LEVEL: 'silent',
    // A disconnect shows as offline at once; the debounce has its own tests in the gateway.
    LINLI_OFFLINE_DEBOUNCE_MS: '0',
  };
  if (adminPassword) env.LINLI_ADMIN_PASSWORD = adminPassword;
  return startLinli(loadConfig(env), { log: createLogger({ level: 'silent' }) });
}

async function api<T>(linli: Linli, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${linli.url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(data)}`);
  return data;
}

/** Fails the test on any uncaught error in the page, reported with the step that caused it. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

describe('dashboard: live device list on a phone', () => {
  let dir: string;
  let linli: Linli;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let device: MqttClient | undefined;
  let secret: string;

  const row = () => page.locator(`[data-testid="device-row"][data-device-id="${GATE.id}"]`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linli-dashboard-'));
    [linli, browser] = await Promise.all([startServer(dir, ADMIN_PASSWORD), launchBrowser()]);
    const { token } = await api<{ token: string }>(linli, 'POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    await api(linli, 'POST', '/api/estates', ESTATE, token);
    ({ secret } = await api<{ secret: string }>(linli, 'POST', `/api/estates/${ESTATE.id}/devices`, GATE, token));
    page = await browser.newPage({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    pageErrors = collectPageErrors(page);
  });

  afterAll(async () => {
    await device?.endAsync(true).catch(() => {});
    await browser?.close();
    await linli?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens in Chinese and explains a wrong password in Chinese', async () => {
    await page.goto(linli.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toBe('登录');

    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
  });

  it('signs in and lists the registered gate as 离线, with the live feed connected', async () => {
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();

    await expect.poll(() => page.getByTestId('estate-picker').inputValue()).toBe(ESTATE.id);
    await expect.poll(() => row().getByTestId('device-badge').textContent()).toBe('离线');
    expect(await row().getByTestId('device-name').textContent()).toBe(GATE.name);
    expect(await row().getByTestId('device-kind').textContent()).toBe('道闸');
    expect(await row().getByTestId('device-last-seen').textContent()).toBe('从未上线');
    expect(await page.getByTestId('count-online').textContent()).toBe('在线 0');
    expect(await page.getByTestId('count-offline').textContent()).toBe('离线 1');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
    expect(await page.getByTestId('live-status-text').textContent()).toBe('实时');

    // Fits a phone: nothing scrolls sideways, and the main buttons are big enough for a thumb.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    for (const testid of ['logout', 'lang-toggle']) {
      const box = await page.getByTestId(testid).boundingBox();
      expect(box?.height, testid).toBeGreaterThanOrEqual(44);
    }
  });

  it('flips the row to 在线 without a reload when the gate connects over MQTT', async () => {
    // A reload would drop this marker.
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const status = deviceTopic(ESTATE.id, GATE.id, 'status');
    device = await mqtt.connectAsync(linli.mqttUrl, {
      protocolVersion: 4,
      clientId: GATE.id,
      username: GATE.id,
      password: secret,
      reconnectPeriod: 0,
      will: { topic: status, payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    await device.publishAsync(status, JSON.stringify({ online: true, fw: '1.0.0' }), { qos: 1, retain: true });

    await expect.poll(() => row().getByTestId('device-badge').textContent()).toBe('在线');
    expect(await row().getAttribute('data-state')).toBe('online');
    expect(await page.getByTestId('count-online').textContent()).toBe('在线 1');
    expect(await page.getByTestId('count-offline').textContent()).toBe('离线 0');
    await expect.poll(() => row().getByTestId('device-last-seen').textContent()).toMatch(/刚刚|秒前/);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('shows the type of an event the gate publishes', async () => {
    const event = { id: 'evt-0001', ts: new Date().toISOString(), type: 'gate.passage', direction: 'in', plate: '鄂A12345' };
    await device!.publishAsync(deviceTopic(ESTATE.id, GATE.id, 'event'), JSON.stringify(event), { qos: 1 });

    const lastEvent = row().getByTestId('device-last-event');
    await expect.poll(() => lastEvent.getAttribute('data-type')).toBe('gate.passage');
    expect(await lastEvent.textContent()).toContain('gate.passage');
    expect(await lastEvent.textContent()).toContain('车辆通行');
  });

  it('switches to English, keeps the live list, and remembers the choice', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await row().getByTestId('device-badge').textContent()).toBe('Online');
    expect(await row().getByTestId('device-kind').textContent()).toBe('Barrier gate');
    expect(await page.getByTestId('count-online').textContent()).toBe('1 online');
    expect(await page.getByTestId('live-status').getAttribute('data-state')).toBe('live');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-en.png'), fullPage: true });

    // English is the wider language: the smallest phones we support still do not scroll sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize(PHONE);

    // Still signed in (sessionStorage) and still English (localStorage) after a reload.
    await page.reload();
    await expect.poll(() => row().getByTestId('device-badge').textContent()).toBe('Online');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('shows the feed dropping and reconnects on its own', async () => {
    linli.live.close(); // the server ends every live socket, as on a restart
    // Read in one go: the first retry comes within a second, so the indicator does not stay long.
    const indicator = () =>
      page.getByTestId('live-status').evaluate((el) => ({
        state: el.dataset.state,
        text: el.querySelector('[data-testid="live-status-text"]')?.textContent,
        countdown: el.querySelector('[data-testid="live-countdown"]')?.textContent,
      }));
    await expect
      .poll(indicator, { interval: 20 })
      .toEqual({ state: 'reconnecting', text: 'Disconnected', countdown: expect.stringMatching(/^, retrying in \d+ s$/) });
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: STEP_TIMEOUT_MS }).toBe('live');
  });

  it('flips the row to Offline when the gate drops, then signs out', async () => {
    device!.stream.destroy(); // no DISCONNECT: the broker publishes the Will, as for a power cut
    await expect.poll(() => row().getByTestId('device-badge').textContent()).toBe('Offline');
    expect(await page.getByTestId('count-offline').textContent()).toBe('1 offline');

    await page.getByTestId('lang-toggle').click(); // back to Chinese for the screenshot a committee would see
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone-zh.png'), fullPage: true });

    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('linli.token'))).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});

describe('dashboard: first sign-in with the one-time password', () => {
  let dir: string;
  let linli: Linli;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'linli-dashboard-otp-'));
    [linli, browser] = await Promise.all([startServer(dir), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await linli?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes the admin change the password before anything else, with clear errors', async () => {
    const oneTime = linli.firstAdmin?.oneTimePassword;
    expect(oneTime).toBeTruthy();
    const page = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const pageErrors = collectPageErrors(page);
    await page.goto(linli.url);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(oneTime!);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('pw-form').waitFor();
    expect(await page.getByTestId('device-list').count()).toBe(0);

    // Typed twice differently: caught before asking the server.
    await page.getByTestId('pw-old').fill(oneTime!);
    await page.getByTestId('pw-new').fill('new-pass-5678');
    await page.getByTestId('pw-confirm').fill('new-pass-9999');
    await page.getByTestId('pw-submit').click();
    await expect.poll(() => page.getByTestId('pw-error').textContent()).toContain('两次输入的新密码不一样');

    // Wrong current password: the server's 401 here is not "session expired".
    await page.getByTestId('pw-old').fill('not-the-one-time');
    await page.getByTestId('pw-confirm').fill('new-pass-5678');
    await page.getByTestId('pw-submit').click();
    await expect.poll(() => page.getByTestId('pw-error').textContent()).toContain('当前密码不对');

    await page.getByTestId('pw-old').fill(oneTime!);
    await page.getByTestId('pw-submit').click();
    // No estate yet: the devices page says what to do.
    await expect.poll(() => page.getByTestId('estate-empty').textContent()).toContain('还没有小区');

    // The new password works, the one-time one no longer does.
    await api(linli, 'POST', '/api/auth/login', { username: 'admin', password: 'new-pass-5678' });
    await expect(api(linli, 'POST', '/api/auth/login', { username: 'admin', password: oneTime })).rejects.toThrow(/401/);
    expect(pageErrors).toEqual([]);
  });
});
