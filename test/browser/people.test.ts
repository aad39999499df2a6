import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * 账号 on the committee's phone against the real server: adding a volunteer
 * (the initial password shown once, which the volunteer signs in with on a
 * phone of their own and must change), resetting a forgotten password and
 * switching off the login of someone who moved away.
 */
const E = 'hexie';
let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];

const person = (name: string) => page.getByTestId('person').filter({ hasText: name });
const login = (username: string, password: string) => linli.api<{ user: { mustChangePassword: boolean } }>('POST', '/api/auth/login', { username, password });
/** Taps a row's button and accepts the question it asks first. */
async function confirmed(name: string, testid: string, question: string): Promise<void> {
  page.once('dialog', (d) => {
    expect(d.message()).toBe(question);
    void d.accept();
  });
  await person(name).getByTestId(testid).click();
}

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate' });
  ({ page, errors } = await openPhone(browser));
  // A failed request shows up in the console only: the committee's page must make none.
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('账号: the committee manages people’s logins', () => {
  let initial = '';

  it('adds a volunteer to the current estate and shows the initial password once', async () => {
    await page.getByTestId('nav-people').click();
    await page.getByTestId('people-page').waitFor();
    await person('管理员').waitFor();
    await page.getByText('添加账号', { exact: true }).first().click();
    await page.getByLabel('用户名').fill('chen');
    await page.getByLabel('姓名').fill('陈师傅');
    expect(await page.getByLabel('角色').inputValue()).toBe('volunteer');
    expect(await page.getByTestId('estate-picker').inputValue()).toBe(E);
    await page.getByRole('button', { name: '添加账号' }).click();

    await expect.poll(() => person('陈师傅').textContent()).toBe(`陈师傅chen维修志愿者 · 测试小区 ${E}重置密码停用`);
    initial = await page.getByTestId('people-secret').inputValue();
    expect(initial).toHaveLength(12);
    expect(await page.getByText('chen 的密码：').isVisible()).toBe(true);
    expect(await page.getByTestId('people-page').textContent()).toContain('只显示这一次，请当面告知本人，登录后须修改。');
    expect(await person('管理员').textContent()).toBe('管理员admin自管委 · 全部小区重置密码'); // no 停用 for oneself
    await expectFitsPhone(page);
    await screenshot(page, 'committee-people');
  });

  it('the volunteer signs in with it on their own phone and must change it first', async () => {
    const own = await openPhone(browser);
    own.page.on('pageerror', (err) => errors.push(err.message));
    await signIn(own.page, linli.url, 'chen', initial);
    await own.page.getByTestId('pw-old').fill(initial);
    await own.page.getByTestId('pw-new').fill('kite-harbour-58-lantern');
    await own.page.getByTestId('pw-confirm').fill('kite-harbour-58-lantern');
    await own.page.getByTestId('pw-submit').click();
    await own.page.getByTestId('duty-page').waitFor();
    expect(own.errors).toEqual([]);
    await own.page.close();
  });

  it('resets a forgotten password: a one-time password, shown once, to be changed at sign-in', async () => {
    await confirmed('陈师傅', 'person-reset-password', '重置密码：chen？');
    await expect.poll(() => page.getByTestId('people-secret').inputValue()).not.toBe(initial);
    const oneTime = await page.getByTestId('people-secret').inputValue();
    expect((await login('chen', 'kite-harbour-58-lantern')).status).toBe(401);
    const fresh = await login('chen', oneTime);
    expect(fresh.status).toBe(200);
    expect(fresh.body.user.mustChangePassword).toBe(true);
  });

  it('switches a login off, and on again', async () => {
    await confirmed('陈师傅', 'person-disable', '停用：chen？');
    await person('陈师傅').getByText('已停用').waitFor();
    const { body } = await linli.api<{ items: { username: string; disabled: boolean }[] }>('GET', '/api/users');
    expect(body.items.find((u) => u.username === 'chen')?.disabled).toBe(true);

    await confirmed('陈师傅', 'person-enable', '启用：chen？');
    await person('陈师傅').getByTestId('person-disable').waitFor();
    expect(await person('陈师傅').getByText('已停用').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
