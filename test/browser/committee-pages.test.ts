import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * The committee's pages on a phone against the real server: the register with
 * the CSV import (checked first, row errors by line and column), adding a car,
 * the charter with its vote and what a new version changed, and the record of
 * hand openings.
 */

const E = 'xingfuli';
const HEADER = '楼栋,单元,房号,姓名,电话,车牌,车辆类型';
const GOOD_ROW = '3,2,501,王芳,13800138000,鄂A12345,业主';

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];

const csv = (...rows: string[]) => ({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...rows].join('\r\n') + '\r\n') });
const open = async (nav: string, testid: string) => {
  await page.getByTestId(nav).click();
  await page.getByTestId(testid).waitFor();
};

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, aCharterVersion())).status).toBe(201);
  ({ page, errors } = await openPhone(browser));
  await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('住户与车辆: the register', () => {
  it('checks a spreadsheet first and shows the bad row by its line and column, importing nothing', async () => {
    await open('nav-register', 'register-page');
    await expect.poll(() => page.getByTestId('households-empty').textContent()).toBe('还没有登记住户。');
    await page.getByTestId('csv-file').setInputFiles(csv(GOOD_ROW, '3,2,五零二,李雷,13900139000,鄂A54321,业主'));
    await page.getByTestId('csv-check').click();

    await expect.poll(() => page.getByTestId('csv-error-summary').textContent()).toBe('发现 1 处问题，未导入。请改好表格后重新检查。');
    const rows = page.getByTestId('csv-error');
    expect(await rows.count()).toBe(1);
    expect(await rows.getByTestId('csv-error-line').textContent()).toBe('3');
    expect(await rows.getByTestId('csv-error-field').textContent()).toBe('房号');
    expect(await page.getByTestId('csv-confirm').isHidden()).toBe(true);
    expect((await linli.api('GET', `/api/estates/${E}/households`)).body.total).toBe(0);
    await expectFitsPhone(page);
    await screenshot(page, 'committee-register-csv-errors');
  });

  it('imports the corrected file after a clean check, and lists the households and their cars', async () => {
    await page.getByTestId('csv-file').setInputFiles(csv(GOOD_ROW, '3,2,502,李雷,13900139000,鄂A54321,业主'));
    await page.getByTestId('csv-check').click();
    await expect.poll(() => page.getByTestId('csv-summary').textContent()).toContain('检查通过：2 户、2 位住户、2 辆车');
    expect(await page.getByTestId('csv-errors').count()).toBe(0);
    expect((await linli.api('GET', `/api/estates/${E}/households`)).body.total).toBe(0); // a check writes nothing

    await page.getByTestId('csv-confirm').click();
    await expect.poll(() => page.getByTestId('csv-summary').textContent()).toBe('已导入：2 户（新增 2）、2 辆车。');
    await expect.poll(() => page.getByTestId('household-id').allTextContents()).toEqual(['3-2-501', '3-2-502']);
    const car = page.locator('[data-testid="vehicle"][data-plate="鄂A12345"]');
    expect(await car.getByTestId('vehicle-class').textContent()).toBe('业主');
  });

  it('registers a car, with the server’s reason under the field when the plate is wrong', async () => {
    await page.getByTestId('veh-plate').fill('ABC123');
    await page.getByTestId('veh-class').selectOption('monthly');
    await page.getByTestId('veh-until').fill('2099-12-31');
    await page.getByTestId('veh-submit').click();
    await expect.poll(() => page.getByTestId('veh-plate-error').isVisible()).toBe(true);
    expect(await page.getByTestId('veh-plate-error').textContent()).not.toBe('');

    await page.getByTestId('veh-plate').fill('鄂B66666');
    await page.getByTestId('veh-submit').click();
    await expect.poll(() => page.getByTestId('veh-done').textContent()).toBe('已登记 鄂B66666。');
    expect(await page.getByTestId('veh-plate-error').isHidden()).toBe(true);
    const car = page.locator('[data-testid="vehicle"][data-plate="鄂B66666"]');
    await expect.poll(() => car.getByTestId('vehicle-class').textContent()).toBe('月租');
    expect(await car.textContent()).toContain('有效期至 2099-12-31');
    await screenshot(page, 'committee-register');
  });
});

describe('公约: the charter', () => {
  const version = (n: number) => page.locator(`[data-testid="charter-version"][data-version="${n}"]`);

  it('shows the version in force with its vote, and its parking rules in words and yuan', async () => {
    await open('nav-charter', 'charter-page');
    await expect.poll(() => version(1).getByTestId('charter-status').textContent()).toBe('现行');
    expect(await version(1).getByTestId('charter-vote').textContent()).toContain('赞成 402，反对 31，弃权 12，共 500 户');
    expect(await version(1).getByTestId('charter-vote').textContent()).toContain('赞成 80%');
    expect(await version(1).getByTestId('vote-bar').count()).toBe(1);
    expect(await page.getByTestId('rule-lot').textContent()).toBe('主停车场：100 个车位，其中 20 个留给业主');
    expect(await page.getByTestId('rule-free').textContent()).toContain('免费停车 30 分钟');
    expect(await page.getByTestId('rule-first').textContent()).toContain('首 60 分钟 ¥5');
    expect(await page.getByTestId('rule-increment').textContent()).toContain('之后每 30 分钟 ¥1');
    expect(await page.getByTestId('rule-daily-cap').textContent()).toContain('每日封顶 ¥20');
    expect(await page.getByTestId('rule-visitor').textContent()).toContain('每户每月 3 张');
    expect(await page.getByTestId('rule-overflow-enter').getAttribute('data-on')).toBe('true');
    expect(await page.getByTestId('charter-diff').textContent()).toContain('有两个以上版本时可以对比');
  });

  it('after a second version is adopted, shows it in force and what changed', async () => {
    const v2 = aCharterVersion((p) => {
      p.lots[0].capacity = 120;
      p.tariff.freeMinutes = 60;
      p.tariff.firstPeriod.priceFen = 650;
    });
    expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, v2)).status).toBe(201);
    await open('nav-register', 'register-page');
    await open('nav-charter', 'charter-page');

    await expect.poll(() => version(2).getByTestId('charter-status').textContent()).toBe('现行');
    expect(await version(1).getByTestId('charter-status').textContent()).toBe('已被取代');
    expect(await page.getByTestId('rule-first').textContent()).toContain('首 60 分钟 ¥6.50');
    const change = (path: string) => page.locator(`[data-testid="diff-change"][data-path="${path}"]`).getByTestId('diff-values');
    await expect.poll(() => change('document.parking.tariff.freeMinutes').textContent()).toBe('30 → 60');
    expect(await page.locator('[data-testid="diff-change"][data-path="document.parking.tariff.freeMinutes"]').textContent()).toContain('免费时长（分钟）');
    expect(await change('document.parking.lots[lot-main].capacity').textContent()).toBe('100 → 120');
    expect(await change('document.parking.tariff.firstPeriod.priceFen').textContent()).toBe('¥5 → ¥6.50');
    await expectFitsPhone(page);
    await screenshot(page, 'committee-charter');
  });
});

describe('人工放行记录', () => {
  it('lists each hand opening with its reason, plate and who did it', async () => {
    const opened = await linli.api('POST', `/api/estates/${E}/gates/gate-n1/open`, { direction: 'in', reason: '救护车送病人', plate: '鄂A99999' });
    expect(opened.status).toBe(202);
    await open('nav-manual-opens', 'manual-opens-page');
    const row = page.getByTestId('manual-open').first();
    await expect.poll(() => row.getByTestId('manual-open-reason').textContent()).toBe('救护车送病人');
    expect(await row.getByTestId('manual-open-plate').textContent()).toBe('鄂A99999');
    expect(await row.textContent()).toContain('admin 操作');
    await expectFitsPhone(page);
    await screenshot(page, 'committee-manual-opens');
    expect(errors).toEqual([]);
  });
});
