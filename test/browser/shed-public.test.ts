import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, markDocument, openPhone, sameDocument, screenshot } from './phone.js';
import { setUpChargingEstate, SHED, type TestShed } from './shed.js';

/*
 * The page behind the QR code at a charging shed, on a phone with nobody
 * signed in, against the real server and a real MQTT shed: what the shed
 * reports shows on the page as it happens, without a reload.
 */

const E = 'anju';
let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
let shed: TestShed;

const port = (n: number) => page.locator(`[data-testid="port"][data-port="${n}"]`);
const stateOf = (n: number) => () => port(n).getByTestId('port-state').textContent();
const free = () => page.getByTestId('shed-free').getAttribute('data-free');

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  shed = await setUpChargingEstate(linli, E, ['card-501-a']);
  ({ page, errors } = await openPhone(browser));
});

afterAll(async () => {
  await shed?.close();
  await browser?.close();
  await linli?.stop();
});

describe('充电棚 public page: which ports are free, live, no login', () => {
  it('opens straight onto the shed with all 10 ports free, never the sign-in screen', async () => {
    await page.goto(`${linli.url}/#/shed/${SHED.id}`);
    await expect.poll(() => page.getByTestId('shed-name').textContent()).toBe(SHED.name);
    expect(await page.getByTestId('shed-free').textContent()).toContain('空闲 10 个');
    expect(await page.getByTestId('port').count()).toBe(10);
    expect(await page.locator('[data-testid="port"][data-state="free"]').count()).toBe(10);
    expect(await stateOf(1)()).toBe('空闲');
    expect(await page.getByTestId('shed-next').isHidden()).toBe(true);
    await expect.poll(() => page.getByTestId('shed-live').getAttribute('data-state')).toBe('live');
    expect(await page.getByTestId('login-page').count()).toBe(0);
    // The page's own small chunk, not the signed-in dashboard's.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /\/shed-page-\w+\.js$/.test(s))).toBe(true);
    expect(scripts.filter((s) => /\/shell-\w+\.js$/.test(s))).toEqual([]);
    await expectFitsPhone(page);
  });

  it('shows a port 充电中 as soon as a card is swiped at the shed', async () => {
    await markDocument(page);
    await shed.swipe(3, 'card-501-a');
    await shed.command('start', 3);
    await expect.poll(stateOf(3)).toBe('充电中');
    expect(await port(3).getAttribute('data-state')).toBe('charging');
    expect(await port(3).getByTestId('port-left').textContent()).toBe('剩约480分钟'); // no history yet: the charter's 8 h limit
    await expect.poll(free).toBe('9');
    expect(await page.getByTestId('shed-free').textContent()).toContain('空闲 9 个');
  });

  it('shows 故障 when the shed reports a port fault', async () => {
    await shed.portState(7, 'fault', '插座烧蚀');
    await expect.poll(stateOf(7)).toBe('故障');
    expect(await port(7).getAttribute('data-state')).toBe('fault');
    await expect.poll(free).toBe('8');
    expect(await sameDocument(page)).toBe(true);
    await expectFitsPhone(page);
    await screenshot(page, 'shed-public');
  });

  it('when no port is free, says about when one will be', async () => {
    for (const n of [1, 2, 4, 5, 6, 8, 9, 10]) await shed.portState(n, 'occupied');
    await expect.poll(free).toBe('0');
    expect(await page.getByTestId('shed-free').textContent()).toContain('暂无空位');
    expect(await page.getByTestId('shed-next').textContent()).toBe('预计 480 分钟后有空位');
    await screenshot(page, 'shed-public-full');
  });

  it('after a smoke alarm the charging port is stopped, not 充电中', async () => {
    const before = shed.commands.length;
    await shed.alarm('smoke', 3);
    await shed.command('stop', 3, before);
    await expect.poll(stateOf(3)).not.toBe('充电中');
    expect(await port(3).getAttribute('data-state')).toBe('occupied'); // the bike is still plugged in, the power is off
    expect(await stateOf(3)()).toBe('占用');
    await expect.poll(() => page.getByTestId('shed-notice').textContent()).toContain('安全报警'); // why, in words, live
    expect(await page.getByTestId('shed-next').isHidden()).toBe(true); // nothing charging: no estimate to give
    expect(await sameDocument(page)).toBe(true);
  });

  it('reads in English too, and back', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(stateOf(7)).toBe('Fault');
    expect(await page.getByTestId('shed-free').textContent()).toContain('No free port');
    expect(await stateOf(3)()).toBe('In use');
    await expectFitsPhone(page);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(stateOf(7)).toBe('故障');
    expect(errors).toEqual([]);
  });

  it('says so when the QR code names no shed', async () => {
    const other = await browser.newPage();
    await other.goto(`${linli.url}/#/shed/no-such-shed`);
    await expect.poll(() => other.getByTestId('shed-error').textContent()).toBe('没有找到这个充电棚，请核对二维码。');
    await other.close();
  });
});
