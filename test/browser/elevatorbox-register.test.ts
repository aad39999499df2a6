import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElevatorBoxSim } from '../../simulators/vendors/elevatorbox-sim.js';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, screenshot, signIn } from './phone.js';

/*
 * 登记设备 for an elevator monitoring box (issue 12, item 5): the committee picks
 * the box's fault numbering (the same number is a trapping in one and a top overrun
 * in another), and reads, in Chinese, the TCP address and eid to type into the box.
 * The box then logs in and reads its codes in that numbering.
 */
const E = 'hexie-box';
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

describe('登记设备: the committee registers an elevator monitoring box', () => {
  it('chooses the fault numbering, sees the TCP port and eid in Chinese, and the box logs in and is read in that numbering', async () => {
    await page.getByTestId('devices-page').waitFor();
    await page.getByText('登记设备', { exact: true }).click();
    await page.getByTestId('register-id').fill('lift-3-1');
    await page.getByTestId('register-kind').selectOption('elevator');
    expect(await page.getByTestId('register-fault-source').isVisible()).toBe(false);
    await page.getByTestId('register-vendor').selectOption('elevatorcloud');
    expect(await page.getByTestId('register-fault-source').isVisible()).toBe(true);
    await page.getByTestId('register-serial').fill('mx_cq_0031');
    await page.getByTestId('register-fault-source').selectOption('chongqing');
    await page.getByRole('button', { name: '登记', exact: true }).click();

    await page.getByTestId('register-result').waitFor();
    const words = await page.getByTestId('register-instructions').textContent();
    expect(words).toContain(`端口填 ${linli.elevatorBoxes.port}（TCP）`);
    expect(words).toContain('设备编号（eid）填 mx_cq_0031');
    expect(words).toContain('“chongqing”编号');
    expect(await page.getByTestId('register-notice').count()).toBe(0);
    await expectFitsPhone(page);
    await screenshot(page, 'committee-elevatorbox-register');

    // The box itself: Chongqing 90 is its alarm button, an emergency call (in elevatorcloud's numbering 90 would be unknown).
    const box = new ElevatorBoxSim({ host: '127.0.0.1', port: linli.elevatorBoxes.port, eid: 'mx_cq_0031', faults: [90] });
    try {
      expect(await box.connect()).toBe(0);
      box.sendInfo();
      const alerts = await waitFor(async () => {
        const items = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-1/faults`)).body.items as { kind: string }[];
        return items.length > 0 && items;
      }, 3000, 'an alert from the box');
      expect(alerts.map((a) => a.kind)).toEqual(['elevator.emergency-call']);
    } finally {
      box.close();
    }
    expect(errors).toEqual([]);
  });
});
