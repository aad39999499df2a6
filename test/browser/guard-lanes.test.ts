import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { anAck, aPlateRead, connectDevice, type TestDevice } from '../support/devices.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, markDocument, openPhone, sameDocument, screenshot, signIn } from './phone.js';

/*
 * The guard's 车道 page in real Chromium on a phone, against the real server
 * with real MQTT devices: a gate that acks its commands and two cameras. What
 * the cameras read shows on the lanes as it happens, without a reload. Plates
 * are masked for the guard (鄂A***45): they have the car in front of them and
 * the camera's picture; only the committee reads plates in full (issue 11).
 */

const E = 'heping';
const GUARD = { username: 'laoli', password: 'guard-pass-1' };
/** Simulated time for server and devices alike, so a visitor can stay an hour in a test. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
let gate: TestDevice;
let camIn: TestDevice;
let camOut: TestDevice;

const read = (cam: TestDevice, plate: string) => cam.send('event', aPlateRead({ plate, confidence: 0.97, ts: new Date(clock.now()).toISOString() }));
const nextCommand = (after: number) => waitFor(() => gate.commands.length > after && gate.commands[after], 3000, 'gate command');
const lane = (direction: 'in' | 'out') => page.locator(`[data-testid="gate"][data-gate-id="gate-n1"] [data-testid="lane"][data-direction="${direction}"]`);
const inLane = (direction: 'in' | 'out', testid: string) => () => lane(direction).getByTestId(testid).textContent();

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true, clock }), launchBrowser()]);
  const gateSecret = await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  const inSecret = await registerDevice(linli, E, { id: 'cam-n1-in', kind: 'camera', gateId: 'gate-n1', direction: 'in' });
  const outSecret = await registerDevice(linli, E, { id: 'cam-n1-out', kind: 'camera', gateId: 'gate-n1', direction: 'out' });
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, reservedForResidents: 10, gates: ['gate-n1'] }];
    p.tariff = { clause: '3.1', freeMinutes: 0, firstPeriod: { minutes: 60, priceFen: 600 }, increment: { minutes: 30, priceFen: 100 } };
  });
  const setup = [
    await linli.api('POST', `/api/estates/${E}/charter/versions`, charter),
    await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 }),
    await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂A12345', class: 'resident', householdId: '3-2-501' }),
    await linli.api('POST', '/api/users', { ...GUARD, role: 'guard', displayName: '老李', mustChangePassword: false }),
  ];
  expect(setup.map((r) => r.status)).toEqual([201, 201, 201, 201]);

  // The gate acks every command and reports the whitelist version it holds.
  gate = await connectDevice(linli.mqttUrl, E, 'gate-n1', gateSecret);
  let whitelist: { version: number } | undefined;
  gate.client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString());
    if (topic === gate.topic('config')) whitelist = body;
    if (topic === gate.topic('cmd')) void gate.send('ack', anAck(body.cmdId));
  });
  await gate.client.subscribeAsync([gate.topic('cmd'), gate.topic('config')], { qos: 1 });
  const { version } = await waitFor(() => whitelist, 3000, 'whitelist');
  await gate.send('status', { online: true, fw: '2.0.0', configVersion: version }, { retain: true });
  await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/parking/lanes`)).body.lots[0].gates[0].whitelist?.upToDate, 3000, 'whitelist reported');
  [camIn, camOut] = await Promise.all([connectDevice(linli.mqttUrl, E, 'cam-n1-in', inSecret), connectDevice(linli.mqttUrl, E, 'cam-n1-out', outSecret)]);
  ({ page, errors } = await openPhone(browser));
});

afterAll(async () => {
  for (const d of [gate, camIn, camOut]) await d?.close();
  await browser?.close();
  await linli?.stop();
});

describe('车道: the guard watches the gate live', () => {
  it('lands a guard on the lanes: lot, free spaces, gate online, whitelist synced', async () => {
    await signIn(page, linli.url, GUARD.username, GUARD.password);
    const card = page.locator('[data-testid="gate"][data-gate-id="gate-n1"]');
    await expect.poll(() => card.getByTestId('gate-name').textContent()).toBe('北门道闸');
    expect(await page.getByTestId('nav-lanes').getAttribute('aria-current')).toBe('page');
    expect(await card.getByTestId('gate-lot').textContent()).toBe('主停车场');
    expect(await card.getByTestId('gate-free').textContent()).toBe('余位 50/50');
    expect(await card.getByTestId('gate-online').textContent()).toBe('在线');
    expect(await card.getByTestId('gate-whitelist').textContent()).toBe('白名单已同步');
    expect(await lane('in').getAttribute('data-action')).toBe('idle');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
    await expectFitsPhone(page);
  });

  it('shows a resident car let in, with the LED words and the clause, without a reload', async () => {
    await markDocument(page);
    await read(camIn, '鄂A12345');
    await expect.poll(inLane('in', 'lane-action')).toBe('放行');
    expect(await lane('in').getAttribute('data-action')).toBe('open');
    expect(await lane('in').getByTestId('lane-plate').textContent()).toBe('鄂A***45');
    expect(await lane('in').getByTestId('lane-display').textContent()).toBe('业主车辆 欢迎回家');
    expect(await lane('in').getByTestId('lane-clause').textContent()).toBe('公约第2.1条');
    expect(await lane('in').getByTestId('lane-explain').textContent()).toContain('业主车辆');
    // The stay it opened takes a space: the count follows.
    await expect.poll(() => page.getByTestId('gate-free').textContent()).toBe('余位 49/50');
    expect(await sameDocument(page)).toBe(true);
  });

  it('lists an exit with no entry under 待处理出场, and 匹配 lets the matched car out', async () => {
    await read(camOut, '粤B55555');
    await expect.poll(inLane('out', 'lane-action')).toBe('待确认');
    expect(await lane('out').getByTestId('lane-display').textContent()).toBe('无入场记录 请稍候');
    const item = page.locator('[data-testid="unmatched"][data-plate="粤B***55"]');
    const candidate = item.locator('[data-testid="candidate"]').filter({ hasText: '鄂A***45' });
    await candidate.waitFor();
    await screenshot(page, 'guard-lanes-unmatched');

    const n = gate.commands.length;
    await candidate.getByTestId('candidate-match').click();
    expect(await nextCommand(n)).toMatchObject({ type: 'open', direction: 'out', display: '一路顺风' });
    await expect.poll(() => item.count()).toBe(0);
    expect(await page.getByTestId('unmatched-done').textContent()).toBe('已处理，已抬杆。');
    await expect.poll(() => page.getByTestId('unmatched-list-empty').textContent()).toBe('没有待处理的出场车辆。');
    expect(await sameDocument(page)).toBe(true);
  });

  it('shows the fee a visitor owes at the exit, and 已收现金 lifts the arm', async () => {
    await read(camIn, '湘A88888');
    await expect.poll(inLane('in', 'lane-plate')).toBe('湘A***88');
    clock.offsetMs += 59 * 60_000; // the first hour: ¥6
    await read(camOut, '湘A88888');
    await expect.poll(inLane('out', 'lane-action')).toBe('拒绝');
    expect(await lane('out').getByTestId('lane-display').textContent()).toBe('请缴费 ¥6');
    await expect.poll(inLane('out', 'lane-fee')).toBe('待缴 ¥6');

    const n = gate.commands.length;
    await lane('out').getByTestId('lane-pay').click();
    expect(await nextCommand(n)).toMatchObject({ type: 'open', direction: 'out', display: '缴费成功 一路顺风' });
    await expect.poll(inLane('out', 'lane-paid')).toBe('已收费，已抬杆。');
    expect(await lane('out').getByTestId('lane-pay').count()).toBe(0);
  });

  it('opens by hand only with a reason, showing the server’s refusal first', async () => {
    const form = page.locator('[data-testid="open-form"][data-gate-id="gate-n1"]');
    await page.getByTestId('open-toggle').click();
    await form.getByTestId('open-submit').click();
    await expect.poll(() => form.getByTestId('open-error').textContent()).toContain('请写明放行原因');
    expect(await form.getByTestId('open-error').textContent()).toContain('say why'); // the server's own words
    expect(await form.getByTestId('open-done').isHidden()).toBe(true);

    const n = gate.commands.length;
    await form.getByTestId('open-direction').selectOption('in');
    await form.getByTestId('open-reason').fill('救护车送病人');
    await form.getByTestId('open-plate').fill('鄂A99999');
    await form.getByTestId('open-submit').click();
    await expect.poll(() => form.getByTestId('open-done').textContent()).toBe('已发送开闸指令，原因已记录。');
    expect(await form.getByTestId('open-error').isHidden()).toBe(true);
    expect(await nextCommand(n)).toMatchObject({ type: 'open', direction: 'in', display: '人工放行' });
    const kept = (await linli.api('GET', `/api/estates/${E}/parking/manual-opens`)).body.items[0];
    expect(kept).toMatchObject({ reason: '救护车送病人', byUser: GUARD.username, plate: '鄂A99999' });

    await expectFitsPhone(page);
    await screenshot(page, 'guard-lanes');
  });

  it('reads in English too, the lanes kept, and back', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(inLane('in', 'lane-clause')).toBe('Charter §2.7'); // the visitor's temporary entry, last on that lane
    expect(await lane('in').getByTestId('lane-action').textContent()).toBe('Opened');
    expect(await page.getByTestId('gate-free').textContent()).toMatch(/^\d+ of 50 free$/);
    expect(await page.getByTestId('nav-lanes').textContent()).toBe('Lanes');
    await expectFitsPhone(page);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(inLane('in', 'lane-action')).toBe('放行');
    // Nowhere on the guard's page a plate in full: province, letter and 5–6 more.
    expect(await page.locator('body').textContent()).not.toMatch(/[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}/);
    expect(errors).toEqual([]);
  });
});
