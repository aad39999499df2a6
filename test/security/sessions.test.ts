import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aPlateRead, connectDevice, type TestDevice } from '../support/devices.js';
import { ADMIN_PASSWORD, passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * Issue 11, finding 3: a session that ends takes its `/live` sockets with it.
 * Logout, expiry, a password change, a reset and a switched-off login each
 * close every socket of the session(s) they end within a second, with 4401 (the
 * code the dashboard answers by showing its login page); nothing is sent to
 * them afterwards while the camera keeps reading plates, and the token is
 * refused on REST too.
 */
const E = 'sess-a';
const CLOSE_WITHIN_MS = 1000;
const HOUR = 3_600_000;

interface Feed {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; at: number }>;
}

/** Opens `/live` with a token; resolves once `hello` came (or the socket closed first). */
async function openFeed(linli: TestLinli, token: string, sockets: WebSocket[]): Promise<Feed> {
  const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${encodeURIComponent(token)}`);
  sockets.push(ws);
  const messages: any[] = [];
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  const closed = new Promise<{ code: number; at: number }>((resolve) => ws.once('close', (code) => resolve({ code, at: Date.now() })));
  await Promise.race([waitFor(() => messages.find((m) => m.type === 'hello'), 3000, 'hello on /live'), closed]);
  return { ws, messages, closed };
}

/** Resolves with the close, or with undefined when the socket is still open after `ms`. */
const closedWithin = (feed: Feed, ms: number) => Promise.race([feed.closed, new Promise<undefined>((r) => setTimeout(r, ms))]);

async function estateWithCamera(linli: TestLinli): Promise<TestDevice> {
  await registerDevice(linli, E, { id: 'gate-s1', kind: 'gate' });
  const secret = await registerDevice(linli, E, { id: 'cam-s1', kind: 'camera', gateId: 'gate-s1', direction: 'in' });
  return connectDevice(linli.mqttUrl, E, 'cam-s1', secret);
}

async function addGuard(linli: TestLinli, username: string, by = linli.token): Promise<void> {
  const made = await linli.api('POST', '/api/users', { username, password: passwordFor(username), role: 'guard', estateId: E, mustChangePassword: false }, by);
  expect(made.status, JSON.stringify(made.body)).toBe(201);
}

async function login(linli: TestLinli, username: string, password = passwordFor(username)): Promise<string> {
  const r = await linli.api('POST', '/api/auth/login', { username, password });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token;
}

/**
 * The camera reads a plate; `control` (a session that did not end) gets it live,
 * which proves the feed was flowing while `ended` got nothing since `mark`.
 */
async function plateReadAfter(camera: TestDevice, control: Feed, ended: Feed, mark: number): Promise<void> {
  const read = aPlateRead({ plate: '鄂A7K2Q9' });
  await camera.send('event', read);
  await waitFor(() => control.messages.find((m) => m.type === 'device.event' && m.event?.id === read.id), 3000, 'the plate read on the control feed');
  await new Promise((r) => setTimeout(r, 100));
  expect(ended.messages.slice(mark), 'messages after the session ended').toEqual([]);
}

describe('a session that ends closes its /live sockets (real clock)', () => {
  let linli: TestLinli;
  let camera: TestDevice;
  let control: Feed;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    linli = await startTestLinli();
    camera = await estateWithCamera(linli);
    control = await openFeed(linli, linli.token, []);
  });
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });
  afterAll(async () => {
    control?.ws.terminate();
    await camera?.close();
    await linli?.stop();
  });

  it('logout: that session’s sockets close within a second; the same person’s other session keeps its feed', async () => {
    await addGuard(linli, 'guard-logout');
    const [t1, t2] = [await login(linli, 'guard-logout'), await login(linli, 'guard-logout')];
    const [feed, other] = [await openFeed(linli, t1, sockets), await openFeed(linli, t2, sockets)];
    const start = Date.now();
    expect((await linli.api('POST', '/api/auth/logout', {}, t1)).status).toBe(200);
    const mark = feed.messages.length;
    const closed = await closedWithin(feed, CLOSE_WITHIN_MS);
    expect(closed, 'the logged-out socket closed').toMatchObject({ code: 4401 });
    expect(closed!.at - start).toBeLessThan(CLOSE_WITHIN_MS);
    await plateReadAfter(camera, other, feed, mark);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    expect((await linli.api('GET', '/api/auth/me', undefined, t1)).status).toBe(401);
    expect((await linli.api('GET', '/api/auth/me', undefined, t2)).status).toBe(200);
  });

  it('password change: every other session of the person closes; the one that made the change stays, with its feed', async () => {
    await addGuard(linli, 'guard-pw');
    const [elsewhere, here] = [await login(linli, 'guard-pw'), await login(linli, 'guard-pw')];
    const [oldFeed, ownFeed] = [await openFeed(linli, elsewhere, sockets), await openFeed(linli, here, sockets)];
    const start = Date.now();
    const changed = await linli.api('POST', '/api/auth/password', { oldPassword: passwordFor('guard-pw'), newPassword: 'kite-harbour-58-lantern' }, here);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const mark = oldFeed.messages.length;
    const closed = await closedWithin(oldFeed, CLOSE_WITHIN_MS);
    expect(closed, 'the other session’s socket closed').toMatchObject({ code: 4401 });
    expect(closed!.at - start).toBeLessThan(CLOSE_WITHIN_MS);
    await plateReadAfter(camera, ownFeed, oldFeed, mark);
    expect((await linli.api('GET', '/api/auth/me', undefined, elsewhere)).status).toBe(401);
    expect((await linli.api('GET', '/api/auth/me', undefined, here)).status).toBe(200);
    expect((await linli.api('POST', '/api/auth/login', { username: 'guard-pw', password: passwordFor('guard-pw') })).status).toBe(401);
    expect((await linli.api('POST', '/api/auth/login', { username: 'guard-pw', password: 'kite-harbour-58-lantern' })).status).toBe(200);
  });

  for (const verb of ['reset-password', 'disable'] as const) {
    it(`${verb}: every socket of every session of that person closes within a second`, async () => {
      const username = `guard-${verb}`;
      await addGuard(linli, username);
      const tokens = [await login(linli, username), await login(linli, username)];
      const feeds = [await openFeed(linli, tokens[0]!, sockets), await openFeed(linli, tokens[0]!, sockets), await openFeed(linli, tokens[1]!, sockets)];
      const start = Date.now();
      expect((await linli.api('POST', `/api/users/${username}/${verb}`)).status).toBe(200);
      const marks = feeds.map((f) => f.messages.length);
      for (const [i, feed] of feeds.entries()) {
        const closed = await closedWithin(feed, CLOSE_WITHIN_MS);
        expect(closed, `socket ${i}`).toMatchObject({ code: 4401 });
        expect(closed!.at - start).toBeLessThan(CLOSE_WITHIN_MS);
      }
      for (const [i, feed] of feeds.entries()) await plateReadAfter(camera, control, feed, marks[i]!);
      for (const token of tokens) expect((await linli.api('GET', '/api/auth/me', undefined, token)).status).toBe(401);
    });
  }

  it('a one-time password opens no /live feed until it is changed (as it opens no route)', async () => {
    await addGuard(linli, 'guard-otp');
    const oneTime = (await linli.api('POST', '/api/users/guard-otp/reset-password')).body.oneTimePassword as string;
    const token = await login(linli, 'guard-otp', oneTime);
    const feed = await openFeed(linli, token, sockets);
    expect(await closedWithin(feed, CLOSE_WITHIN_MS)).toMatchObject({ code: 4403 });
    expect(feed.messages).toEqual([]);
  });

  it('a committee member’s open socket survives other people’s sessions ending', async () => {
    expect(control.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('an expired session closes its /live sockets (injected clock)', () => {
  let linli: TestLinli;
  let camera: TestDevice;
  let offset = 0;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    linli = await startTestLinli({ LINLI_SESSION_HOURS: '1' }, { clock: { now: () => Date.now() + offset } });
    camera = await estateWithCamera(linli);
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await camera?.close();
    await linli?.stop();
  });

  it('within a second of expiring, the socket closes with 4401 and the token is refused', async () => {
    await addGuard(linli, 'guard-late');
    const token = await login(linli, 'guard-late');
    const feed = await openFeed(linli, token, sockets);
    offset += HOUR - 5_000; // not yet: five seconds to go
    expect(await closedWithin(feed, 600)).toBeUndefined();
    expect((await linli.api('GET', '/api/auth/me', undefined, token)).status).toBe(200);

    offset += 5_000; // now it expires
    const start = Date.now();
    const closed = await closedWithin(feed, CLOSE_WITHIN_MS);
    expect(closed, 'the expired socket closed').toMatchObject({ code: 4401 });
    expect(closed!.at - start).toBeLessThan(CLOSE_WITHIN_MS);
    const mark = feed.messages.length;
    expect((await linli.api('GET', '/api/auth/me', undefined, token)).status).toBe(401);

    // A fresh session (logged in after the clock moved) still gets the plates; the expired one nothing.
    const control = await openFeed(linli, await login(linli, 'admin', ADMIN_PASSWORD), sockets);
    await plateReadAfter(camera, control, feed, mark);
  });
});

describe('the dashboard, when its session ends elsewhere', () => {
  let web: TestLinli;
  let browser: Browser;
  let offset = 0;

  beforeAll(async () => {
    [web, browser] = await Promise.all([
      startTestLinli({ LINLI_SESSION_HOURS: '1' }, { withDashboard: true, clock: { now: () => Date.now() + offset } }),
      chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] }),
    ]);
    await registerDevice(web, E, { id: 'gate-s1', kind: 'gate' });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  /** A guard signed in on the gatehouse PC, its live feed connected. */
  async function gatehouse(username: string): Promise<Page> {
    await addGuard(web, username);
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.setDefaultTimeout(10_000);
    const sockets = web.live.count();
    await page.goto(web.url);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(passwordFor(username));
    await page.getByTestId('login-submit').click();
    await waitFor(() => web.live.count() > sockets, 5000, 'the dashboard’s live feed');
    return page;
  }

  it('goes to the login page at once when the password is changed on another device', async () => {
    const page = await gatehouse('guard-pc');
    const phone = (await web.api('POST', '/api/auth/login', { username: 'guard-pc', password: passwordFor('guard-pc') })).body.token;
    expect((await web.api('POST', '/api/auth/password', { oldPassword: passwordFor('guard-pc'), newPassword: 'kite-harbour-58-lantern' }, phone)).status).toBe(200);
    const start = Date.now();
    await page.getByTestId('login-page').waitFor({ timeout: 3000 });
    expect(Date.now() - start).toBeLessThan(2000);
    expect(await page.getByTestId('login-error').textContent()).toBe('登录已过期，请重新登录。');
    expect(await page.evaluate(() => sessionStorage.getItem('linli.token'))).toBeNull();
    await page.close();
  });

  it('goes to the login page when its session expires, without a click', async () => {
    const page = await gatehouse('guard-night');
    offset += HOUR;
    const start = Date.now();
    await page.getByTestId('login-page').waitFor({ timeout: 3000 });
    expect(Date.now() - start).toBeLessThan(2000);
    await page.close();
  });
});
