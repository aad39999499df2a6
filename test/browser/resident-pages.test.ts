import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * A resident on a phone against the real server: the account is linked to a
 * household through a resident record with its username. They see their car,
 * register a visitor's car, run into the charter's monthly quota (set to 1
 * here), give a pass back, and see their parking record.
 */

const E = 'anju';
const RESIDENT = { username: 'wangfang', password: 'resident-pass-1' };

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];

const open = async (nav: string, testid: string) => {
  await page.getByTestId(nav).click();
  await page.getByTestId(testid).waitFor();
};
const pass = (plate: string) => page.locator('[data-testid="pass"]').filter({ hasText: plate });

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  const charter = aCharterVersion((p) => {
    p.classes.visitor.monthlyQuotaPerHousehold = 1;
  });
  const steps: [string, string, unknown][] = [
    ['POST', '/api/estates', { id: E, name: '安居小区' }],
    ['POST', `/api/estates/${E}/charter/versions`, charter],
    ['POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 }],
    ['POST', `/api/estates/${E}/residents`, { householdId: '3-2-501', name: '王芳', username: RESIDENT.username }],
    ['POST', `/api/estates/${E}/vehicles`, { plate: '鄂A12345', class: 'resident', householdId: '3-2-501' }],
    ['POST', '/api/users', { ...RESIDENT, role: 'resident', displayName: '王芳', mustChangePassword: false }],
    // One visit of their car, opened by hand both ways (gate-n1 is in the charter's lot): a stay to show.
    ['POST', `/api/estates/${E}/gates/gate-n1/open`, { direction: 'in', reason: '道闸调试', plate: '鄂A12345' }],
    ['POST', `/api/estates/${E}/gates/gate-n1/open`, { direction: 'out', reason: '道闸调试', plate: '鄂A12345' }],
  ];
  for (const [method, path, body] of steps) expect((await linli.api(method, path, body)).status, path).toBeLessThan(300);
  ({ page, errors } = await openPhone(browser));
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('住户: my cars, my visitors, my parking', () => {
  it('lands on 我的车辆 with the household’s car, plate in full', async () => {
    await signIn(page, linli.url, RESIDENT.username, RESIDENT.password);
    const car = page.locator('[data-testid="vehicle"][data-plate="鄂A12345"]');
    await expect.poll(() => car.getByTestId('vehicle-class').textContent()).toBe('业主');
    expect(await car.getByTestId('vehicle-plate').textContent()).toBe('鄂A12345');
    expect(await page.getByTestId('nav-my-vehicles').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('nav-lanes').count()).toBe(0); // a resident has no staff pages
    await expectFitsPhone(page);
    await screenshot(page, 'resident-my-vehicles');
  });

  it('registers a visitor’s car, then is told the month’s quota is used up', async () => {
    await open('nav-my-visitors', 'my-visitors-page');
    await expect.poll(() => page.getByTestId('passes-empty').textContent()).toBe('还没有访客通行证。');
    await page.getByTestId('pass-plate').fill('湘A88888');
    await page.getByTestId('pass-submit').click();
    await expect.poll(() => page.getByTestId('pass-done').textContent()).toBe('已登记。本月已用 1/1 张。');
    await expect.poll(() => pass('湘A88888').getByTestId('pass-state').textContent()).toBe('有效');

    await page.getByTestId('pass-plate').fill('粤B12345');
    await page.getByTestId('pass-submit').click();
    await expect.poll(() => page.getByTestId('pass-error').textContent()).toContain('本月访客通行证已用完');
    expect(await page.getByTestId('pass-error').textContent()).not.toContain('body.'); // the server's words, readable
    expect(await pass('粤B12345').count()).toBe(0);
    expect(await page.getByTestId('pass-done').isHidden()).toBe(true);
    await expectFitsPhone(page);
    await screenshot(page, 'resident-my-visitors-quota');
  });

  it('cancels a pass, which gives the quota back', async () => {
    await pass('湘A88888').getByTestId('pass-cancel').click();
    await expect.poll(() => pass('湘A88888').getByTestId('pass-state').textContent()).toBe('已取消');
    await page.getByTestId('pass-plate').fill('粤B12345');
    await page.getByTestId('pass-submit').click();
    await expect.poll(() => pass('粤B12345').getByTestId('pass-state').textContent()).toBe('有效');
  });

  it('shows the household’s parking record with its fee', async () => {
    await open('nav-my-stays', 'my-stays-page');
    const stay = page.getByTestId('stay').first();
    await expect.poll(() => stay.getByTestId('stay-plate').textContent()).toBe('鄂A12345');
    expect(await stay.getByTestId('stay-fee').textContent()).toBe('免费');
    await screenshot(page, 'resident-my-stays');

    await open('nav-charter', 'charter-page');
    await expect.poll(() => page.getByTestId('rule-visitor').textContent()).toContain('每户每月 1 张');
    expect(errors).toEqual([]);
  });
});
