import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMonthOf } from '../../server/accounts/months.js';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * 公开账目 corrections in real Chromium against the real server: a ¥500 typed
 * for 3-2-601's ¥50 this month is reversed from the page (红字, the closing
 * back down), the right figure entered, last month published (公示) with a
 * badge on screen and on paper, and the refusals that follow in Chinese.
 *
 * North gate, in fen: last month 50 000 (3-2-501) − 3 050 (electricity) = 46 950 (¥469.50).
 * This month: 46 950 + 50 000 (the mistake) = 96 950 → reversed −50 000 → 46 950 → + 5 000 = 51 950 (¥519.50).
 */
const E = 'xingfu';
const shift = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + m - 1 + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};
const C = localMonthOf(new Date().toISOString());
const P = shift(C, -1);
/** Today on the phone (Asia/Shanghai), as the page prints dates. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
let mistake: string;
let electricity: string;

const api = async (method: string, path: string, body?: unknown) => {
  const r = await linli.api<any>(method, `/api/estates/${E}${path}`, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};
const line = (id: string) => page.locator(`[data-testid="statement-line"][data-line-id="${id}"]`);
const closing = () => page.getByTestId('statement-closing').textContent();

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  for (const room of ['501', '601']) await api('POST', '/households', { building: '3', unit: '2', room });
  await api('POST', '/residents', { householdId: '3-2-501', name: '王小芳' });
  await api('POST', '/residents', { householdId: '3-2-601', name: '李明' });
  await api('POST', '/accounts/assets', { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'] });
  await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03`, note: '集资' });
  electricity = (await api('POST', '/accounts/assets/north-gate/costs', { category: 'electricity', amountFen: 3_050, at: `${P}-10` })).id;
  mistake = (await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-601', amountFen: 50_000, at: `${C}-01` })).id;
  ({ page, errors } = await openPhone(browser));
  await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('公开账目: corrections and 公示', () => {
  it('reverses this month’s ¥500 from the page with a reason: a red −¥500 line, the closing back to ¥469.50', async () => {
    await page.getByTestId('nav-accounts').click();
    await expect.poll(closing).toBe('¥969.50');
    await line(mistake).getByTestId('line-reverse').click();
    const form = page.locator('[data-testid="reverse-form"]:visible');
    expect(await form.getByTestId('reverse-what').textContent()).toBe(`冲销 ${C}-01 3-2-601 ¥500 的记录`);
    await form.getByTestId('reverse-submit').click();
    expect(await form.getByTestId('reverse-error').textContent()).toBe('请写明冲销原因。');
    await form.getByTestId('reverse-reason').fill('多打了一个0，应为¥50');
    await form.getByTestId('reverse-submit').click();

    await expect.poll(closing).toBe('¥469.50');
    expect(await page.getByTestId('statement-done').textContent()).toBe('已冲销，冲销记录记在本月。请按正确金额重新记录。');
    const reversal = page.locator('[data-testid="statement-line"][data-source="reversal"]');
    expect(await reversal.textContent()).toContain('-¥500');
    expect(await reversal.textContent()).toContain(`冲销 ${C}-01 的记录 · 多打了一个0，应为¥50`);
    expect(await reversal.getAttribute('class')).toBe('statement__reversal');
    expect(await reversal.evaluate((el) => getComputedStyle(el.querySelector('td')!).color)).toBe('rgb(180, 35, 24)'); // 红字
    expect(await line(mistake).textContent()).toContain(`已于 ${today()} 冲销`);
    expect(await line(mistake).getByTestId('line-reverse').count()).toBe(0); // once only
    expect(await page.getByTestId('statement-contributed').textContent()).toBe('¥0');
    expect(await page.getByTestId('statement-reconciled').getAttribute('data-ok')).toBe('true');

    // The right figure, as a new line.
    await page.getByTestId('contribution-household').fill('3-2-601');
    await page.getByTestId('contribution-amount').fill('50');
    await page.getByTestId('contribution-submit').click();
    await expect.poll(closing).toBe('¥519.50');
    await screenshot(page, 'committee-accounts-reversal');
  });

  it('publishes last month after asking, and shows who and when on screen and on paper', async () => {
    await page.getByTestId('statement-month').fill(P);
    await expect.poll(closing).toBe('¥469.50');
    expect(await page.getByTestId('statement-published').count()).toBe(0);
    await page.getByTestId('statement-publish').click();
    expect(await page.getByTestId('publish-confirm').textContent()).toContain(`${P} 及以前的日期不能再补记`);
    await page.getByTestId('publish-submit').click();
    await expect.poll(() => page.getByTestId('statement-published').textContent()).toBe(`已公示 ${today()} 由 admin`);
    expect(await page.getByTestId('statement-publish').count()).toBe(0);
    expect(await page.getByTestId('statement-checks').textContent()).toContain('✓ 与公示时的本月结余一致');
    // The checksum printed under it is the one residents see in 公示栏: the SHA-256 of the CSV they can download.
    const csv = Buffer.from(await (await fetch(`${linli.url}/api/estates/${E}/notice-board/north-gate/${P}`, { headers: { authorization: `Bearer ${linli.token}` } })).arrayBuffer());
    expect(await page.getByTestId('statement-digest').textContent()).toContain(`校验码 sha256:${createHash('sha256').update(csv).digest('hex')}`);
    await expectFitsPhone(page);
    await screenshot(page, 'committee-accounts-published');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('statement-published').isVisible()).toBe(true);
    expect(await page.getByTestId('statement-digest').isVisible()).toBe(true);
    expect(await page.getByTestId('line-reverse').first().isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });

  it('this month has no 公示 yet; the refusals read in Chinese', async () => {
    await page.getByTestId('cost-category').selectOption('repair');
    await page.getByTestId('cost-amount').fill('10');
    await page.getByTestId('cost-date').fill(`${P}-15`);
    await page.getByTestId('cost-submit').click();
    await expect.poll(() => page.getByTestId('cost-error').textContent()).toBe('这个日期所在的月份已公示，不能再补记。请记在本月，并在备注中写明属于哪个月。');
    await expect.poll(closing).toBe('¥469.50'); // nothing written

    // Someone else reversed the electricity bill meanwhile: the page still offers it, the server says no.
    await api('POST', `/accounts/assets/north-gate/costs/${electricity}/reverse`, { reason: '记错资产' });
    await line(electricity).getByTestId('line-reverse').click();
    const form = page.locator('[data-testid="reverse-form"]:visible');
    await form.getByTestId('reverse-reason').fill('记错资产');
    await form.getByTestId('reverse-submit').click();
    await expect.poll(() => form.getByTestId('reverse-error').textContent()).toBe('这条记录已经冲销过了，一条记录只能冲销一次。');

    await page.getByTestId('statement-month').fill(C);
    await expect.poll(closing).toBe('¥550'); // 51 950 + the bill reversed 3 050 = 55 000
    expect(await page.getByTestId('statement-publish').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
