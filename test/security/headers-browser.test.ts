import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestLinli, type TestLinli } from '../support/linli.js';
import { launchBrowser, openPhone, signIn } from '../browser/phone.js';
import { setUpChargingEstate, SHED, type TestShed } from '../browser/shed.js';

/*
 * Finding 6, as a browser sees it: the dashboard's Content-Security-Policy is
 * strict (our own scripts and styles only), and yet every page a committee
 * member opens, the public shed page and the API docs run without one
 * violation reported in Chromium. And the policy is really in force: an
 * injected inline script does not run, and another site cannot frame the
 * dashboard (and its gate-open button).
 */

const E = 'anju';
const COMMITTEE_PAGES = ['devices', 'lanes', 'register', 'charter', 'manual-opens', 'sheds', 'elevators', 'duty', 'roster', 'uptime', 'usage', 'accounts', 'audit', 'notice-board', 'people'];
let linli: TestLinli;
let browser: Browser;
let shed: TestShed;
let evil: Server;
let evilUrl: string;

/** Every CSP violation the page reports, from the DOM event and from Chromium's console. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('__cspViolation', (v: string) => void seen.push(v));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => void (window as any).__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`)),
  );
  return seen;
}

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  shed = await setUpChargingEstate(linli, E, ['card-501-a']);
  // Another site (another origin: another port) that frames the dashboard.
  evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>win a prize</p><iframe id="f" src="${linli.url}/"></iframe>`));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await shed?.close();
  await browser?.close();
  await new Promise((r) => evil?.close(r));
  await linli?.stop();
});

describe('the dashboard under its Content-Security-Policy, in Chromium', () => {
  it('a committee member signs in and opens every page, with /live connected: no violation', async () => {
    const { page, errors } = await openPhone(browser);
    const csp = await watchCsp(page);
    await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
    for (const id of COMMITTEE_PAGES) {
      await page.goto(`${linli.url}/#/${id}`);
      await page.locator(`[data-testid="nav-${id}"][aria-current="page"]`).waitFor();
      await page.waitForLoadState('networkidle');
    }
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the public shed page (no login) shows the shed live: no violation', async () => {
    const { page, errors } = await openPhone(browser);
    const csp = await watchCsp(page);
    await page.goto(`${linli.url}/#/shed/${SHED.id}`);
    await expect.poll(() => page.getByTestId('shed-name').textContent()).toBe(SHED.name);
    await expect.poll(() => page.getByTestId('shed-live').getAttribute('data-state')).toBe('live');
    await shed.portState(2, 'fault', 'test');
    await expect.poll(() => page.locator('[data-testid="port"][data-port="2"]').getAttribute('data-state')).toBe('fault');
    expect(csp).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the API docs at /docs render every operation under their own policy: no violation', async () => {
    const page = await browser.newPage();
    const csp = await watchCsp(page);
    await page.goto(`${linli.url}/docs`);
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 10_000 }).toBeGreaterThan(50);
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    expect(csp).toEqual([]);
    await page.close();
  });

  it('the policy is in force: an inline script injected into the page does not run, and is reported', async () => {
    const { page } = await openPhone(browser);
    const csp = await watchCsp(page);
    await page.goto(linli.url);
    await page.getByTestId('login-username').waitFor();
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.append(s);
      return (window as any).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => csp.some((v) => v.startsWith('script-src'))).toBe(true);
    await page.close();
  });

  it('another site cannot frame the dashboard: the frame stays empty', async () => {
    const page = await browser.newPage();
    await page.goto(evilUrl);
    await page.waitForLoadState('networkidle');
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const loginInFrame = frame ? await frame.locator('[data-testid="login-username"]').count().catch(() => 0) : 0;
    expect(loginInFrame).toBe(0);
    expect(frame?.url() ?? '').not.toBe(`${linli.url}/`);
    await page.close();
  });
});
