import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMonthOf } from '../../server/accounts/months.js';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * 公示栏 on a resident's phone against the real server. North gate, last month
 * (P), in fen: 3-2-501 (王小芳) gave 50 000, 鄂A12345 paid 600, a repair cost
 * 12 000 → closing 38 600 (¥386), published by the committee.
 */
const E = 'anju-notice';
const RESIDENT = { username: 'lihua', password: 'resident-pass-1' };
const shift = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + m - 1 + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};
const P = shift(localMonthOf(new Date().toISOString()), -1);
const [PY, PM] = P.split('-').map(Number) as [number, number];
const local = (day: string, hm: string) => new Date(`${P}-${day}T${hm}:00+08:00`).toISOString();

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
let digest: string;

const api = async (method: string, path: string, body?: unknown) => {
  const r = await linli.api<any>(method, `/api/estates/${E}${path}`, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  await api('POST', '/households', { building: '3', unit: '2', room: '501' });
  await api('POST', '/residents', { householdId: '3-2-501', name: '王小芳', isPrimary: true, username: RESIDENT.username });
  expect((await linli.api('POST', '/api/users', { ...RESIDENT, role: 'resident', displayName: '王小芳', mustChangePassword: false })).status).toBe(201);
  await api('POST', '/accounts/assets', { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'] });
  await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03`, note: '道闸集资' });
  await api('POST', '/accounts/assets/north-gate/costs', { category: 'repair', amountFen: 12_000, at: `${P}-10`, note: '更换道闸电机' });
  // A car's ¥6 paid at the gate last month, by the parking repo's own steps: the statement shows its plate masked.
  const { parking } = linli.store;
  parking.openStay({ id: 'stay-nb', estateId: E, lotId: 'lot-main', plate: '鄂A12345', vehicleClass: 'temporary', overflow: false, entryAt: local('15', '10:00'), entryGate: 'gate-n1', entrySource: 'camera', payment: 'none' });
  parking.updateStay('stay-nb', { exitAt: local('15', '11:55'), exitGate: 'gate-n1', exitSource: 'camera', feeFen: 600, payment: 'owed' });
  parking.setPayment('stay-nb', 'paid', 'guard-1:cash', local('15', '12:00'));
  digest = (await api('POST', `/accounts/assets/north-gate/statements/${P}/publish`)).digest;
  ({ page, errors } = await openPhone(browser));
  // A failed request shows up in the console only: the page must make none.
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('公示栏 on a resident’s phone', () => {
  it('lists last month’s statement with its closing balance, without who published it', async () => {
    await signIn(page, linli.url, RESIDENT.username, RESIDENT.password);
    await page.getByTestId('nav-notice-board').click();
    const item = page.locator(`[data-testid="notice-item"][data-month="${P}"]`);
    await expect.poll(() => item.textContent()).toContain(`${PY}年${PM}月 · 北门道闸`);
    expect(await item.textContent()).toContain('期末余额 ¥386');
    expect(await item.textContent()).not.toContain('admin');
    expect(await page.getByTestId('notice-item').count()).toBe(1);
    await expectFitsPhone(page);
    await screenshot(page, 'resident-notice-board-list');
  });

  it('opens it: the statement as a table, the names and plates masked, the closing in ¥, the digest in small print', async () => {
    await page.getByTestId('notice-open').click();
    await expect.poll(() => page.getByTestId('notice-closing').textContent()).toBe('期末余额 ¥386');
    const sheet = page.getByTestId('notice-sheet');
    expect(await sheet.locator('h3').allTextContents()).toEqual([`公开账目 · 测试小区 ${E} · 北门道闸（道闸） · ${P}`, '捐资/集资', '收入', '支出', expect.stringMatching(/^预存余额/), '对账 · 全部一致']);
    const contribution = sheet.locator('tr', { hasText: '3-2-501' });
    expect(await contribution.locator('td').allTextContents()).toEqual([`${P}-03 00:00`, '3-2-501', '王*芳', '500.00', '道闸集资']);
    expect(await contribution.locator('td').nth(3).getAttribute('class')).toBe('num');
    expect(await sheet.locator('tr', { hasText: '停车费' }).first().textContent()).toContain('鄂A***45');
    expect(await sheet.locator('tr', { hasText: '期末余额' }).first().locator('td').allTextContents()).toEqual(['期末余额', '', '', '386.00']);
    expect(await page.getByTestId('notice-digest').textContent()).toBe(`校验码 sha256:${digest}`);
    const text = await page.getByTestId('notice-board-page').textContent();
    for (const full of ['王小芳', '鄂A12345']) expect(text).not.toContain(full);
    await expectFitsPhone(page);
    await screenshot(page, 'resident-notice-board');
  });

  it('下载 CSV saves the very file published: its SHA-256 is the digest', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notice-csv').click()]);
    expect(download.suggestedFilename()).toBe(`公开账目-北门道闸-${P}.csv`);
    expect(createHash('sha256').update(await readFile((await download.path())!)).digest('hex')).toBe(digest);
  });

  it('goes back to the list, and made no errors', async () => {
    await page.getByTestId('notice-back').click();
    await page.getByTestId('notice-item').waitFor();
    expect(await page.getByTestId('notice').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
