import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * 登记设备 on the committee's devices page (issue 12): a 臻识 camera registered
 * once, its push URL and, in Chinese, what to type on the camera's web page shown
 * right after; the camera and the gate it drives then listed.
 */
const E = 'hexie';
let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate' });
  ({ page, errors } = await openPhone(browser));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
  await linli?.stop();
});

describe('登记设备: the committee registers a camera bought from 臻识', () => {
  it('fills the form, and sees the push URL and the camera page’s settings in Chinese, once', async () => {
    await page.getByTestId('devices-page').waitFor();
    await page.getByText('登记设备', { exact: true }).click();
    await page.getByTestId('register-id').fill('cam-s1-in');
    await page.getByTestId('register-name').fill('南门入口相机');
    await page.getByTestId('register-kind').selectOption('camera');
    await page.getByTestId('register-vendor').selectOption('vzenith');
    await page.getByTestId('register-serial').fill('fe71e106-57263272');
    await page.getByTestId('register-gate').fill('gate-s1');
    await page.getByTestId('register-direction').selectOption('in');
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.getByTestId('register-result').waitFor();
    const url = await page.getByTestId('register-push-url').inputValue();
    expect(url).toMatch(new RegExp(`^${linli.url}/vendor/vzenith/[A-Za-z0-9_-]{43}$`));
    const words = await page.getByTestId('register-instructions').textContent();
    expect(words).toContain('高级设置 → HTTP 推送');
    expect(words).toContain(`端口填 ${linli.httpPort}`);
    expect(words).toContain(new URL(url).pathname);
    expect(words).toContain('comet 轮询');
    expect(await page.getByTestId('register-result').textContent()).toContain('相机同时驱动道闸 gate-s1');
    expect((await page.getByTestId('register-secret').inputValue()).length).toBeGreaterThan(16);
    // The list now has the camera and the gate it drives.
    await page.locator('[data-device-id="cam-s1-in"]').waitFor();
    await page.locator('[data-device-id="gate-s1"]').waitFor();
    await expectFitsPhone(page);
    await screenshot(page, 'committee-device-register');
    // The push URL works: the camera's heartbeat is answered.
    const form = new FormData();
    form.append('serialno', 'fe71e106-57263272');
    expect(await (await fetch(url, { method: 'POST', body: form })).json()).toEqual({ status: 'ok' });
  });

  it('a refusal names the field beside the form', async () => {
    await page.getByTestId('register-id').fill('cam-s2-in');
    await page.getByTestId('register-kind').selectOption('camera');
    await page.getByTestId('register-vendor').selectOption('vzenith');
    await page.getByTestId('register-serial').fill('fe71e106-57263272');
    await page.getByTestId('register-gate').fill('gate-s2');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => page.getByTestId('register-error').textContent()).toContain('fe71e106-57263272');
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
  });
});
