import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/devices.js';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, markDocument, openPhone, sameDocument, screenshot, signIn } from './phone.js';

/*
 * 值班 and 值班表 on phones against the real server and a real MQTT gate. The
 * committee writes the roster on its phone (vol-a on the gates every day,
 * vol-b next). Two volunteers, each in their own browser: the gate drops off
 * MQTT and the alert appears live in vol-a's 我的告警 and vol-b's 待认领; vol-a
 * claims it and it leaves vol-b's list at once; vol-a reads its timeline and
 * the gate's history, puts the gate in 维修模式 and out again, resolves the
 * alert with a note and earns points on the roster page, then swaps a shift.
 */

const E = 'anju';
const GATE = { id: 'gate-east', kind: 'gate', name: '东门道闸' };
const VOL_A = { username: 'vol-a', password: 'vol-a·晴川-Lamp-47-Quay', displayName: '小安' };
const VOL_B = { username: 'vol-b', password: 'vol-b·晴川-Lamp-47-Quay', displayName: '小白' };

let linli: TestLinli;
let browser: Browser;
let gate: TestDevice;
let gateSecret: string;
const phones: Record<'committee' | 'a' | 'b', { page: Page; errors: string[] }> = {} as never;

/** The offline alert of the gate in one of a phone's two lists. */
const alertIn = (page: Page, list: 'duty-mine' | 'duty-open'): Locator => page.locator(`[data-testid="${list}"] [data-testid="duty-alert"][data-kind="device.offline"][data-device-id="${GATE.id}"]`);
const nowFor = (page: Page, skill: string) => page.locator(`[data-testid="roster-now-skill"][data-skill="${skill}"]`);
const open = async (page: Page, nav: string, testid: string) => {
  await page.getByTestId(nav).click();
  await page.getByTestId(testid).waitFor();
};

beforeAll(async () => {
  // A gate is "offline" 300 ms after its connection drops (the default waits out Wi-Fi blips).
  [linli, browser] = await Promise.all([startTestLinli({ LINLI_OFFLINE_DEBOUNCE_MS: '300' }, { withDashboard: true }), launchBrowser()]);
  gateSecret = await registerDevice(linli, E, GATE);
  for (const u of [VOL_A, VOL_B]) expect((await linli.api('POST', '/api/users', { ...u, role: 'volunteer', mustChangePassword: false })).status).toBe(201);
  gate = await connectDevice(linli.mqttUrl, E, GATE.id, gateSecret);
  await gate.send('status', { online: true, fw: '2.1.0' }, { retain: true });
  await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/${GATE.id}`)).body.online, 3000, 'gate online');
  phones.committee = await openPhone(browser);
  phones.a = await openPhone(browser);
  phones.b = await openPhone(browser);
});

afterAll(async () => {
  await gate?.close();
  await browser?.close();
  await linli?.stop();
});

describe('值班表: the committee draws up the roster on a phone', () => {
  it('refuses a shift for someone not on the volunteer list, naming the line; then saves vol-a on the gates every day, vol-b next', async () => {
    const { page } = phones.committee;
    await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
    await open(page, 'nav-roster', 'roster-page');
    await page.getByTestId('roster-none').waitFor();
    await page.getByTestId('edit-volunteers').fill('vol-a 门岗\nvol-b 门岗 综合');
    await page.getByTestId('edit-shifts').fill('每天 00:00 - 00:00 门岗 vol-a vol-c');
    await page.getByTestId('edit-committee').fill('admin');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => page.getByTestId('edit-error').textContent()).toBe('班次第 1 行：vol-c 不在志愿者名单里。');
    expect((await linli.api('GET', `/api/estates/${E}/roster`)).body.roster).toBeNull();

    await page.getByTestId('edit-shifts').fill('每天 00:00-00:00 门岗 vol-a vol-b');
    await page.getByTestId('edit-save').click();
    await expect.poll(() => page.getByTestId('edit-ok').textContent()).toBe('值班表已保存。');
    const { roster } = (await linli.api('GET', `/api/estates/${E}/roster`)).body;
    expect(roster.shifts).toHaveLength(7); // one all-day shift per weekday
    expect(roster.shifts.every((s: any) => s.skill === 'gate' && s.from === '00:00' && s.to === '00:00' && s.usernames.join() === 'vol-a,vol-b')).toBe(true);
    expect(roster.committee).toEqual(['admin']);

    await expect.poll(() => nowFor(page, 'gate').getAttribute('data-username')).toBe('vol-a');
    expect(await nowFor(page, 'gate').getByTestId('on-duty-next').textContent()).toBe('下一位：vol-b');
    expect(await page.getByTestId('shift-row').count()).toBe(1); // seven days, one line: 每天
    expect(await page.getByTestId('shift-row').locator('td').allTextContents()).toEqual(['每天', '全天', '门岗', 'vol-a → vol-b']);
    expect(await page.getByTestId('edit-shifts').inputValue()).toBe('每天 00:00-00:00 门岗 vol-a vol-b'); // read back as it was typed
    await expectFitsPhone(page);
    await screenshot(page, 'duty-roster-committee');
  });
});

describe('值班: two volunteers, two phones, one gate', () => {
  it('lands each volunteer on 值班, both lists empty and live', async () => {
    for (const [who, user] of [['a', VOL_A], ['b', VOL_B]] as const) {
      const { page } = phones[who];
      await signIn(page, linli.url, user.username, user.password);
      await page.getByTestId('duty-page').waitFor();
      expect(await page.getByTestId('nav-duty').getAttribute('aria-current')).toBe('page');
      await page.getByTestId('duty-mine-empty').waitFor();
      expect(await page.getByTestId('duty-open-empty').textContent()).toBe('没有待认领的告警。');
      await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
      await markDocument(page);
    }
  });

  it('the gate drops off MQTT: the alert appears in vol-a’s 我的告警 (on duty) and vol-b’s 待认领, without a reload', async () => {
    const { a, b } = { a: phones.a.page, b: phones.b.page };
    gate.client.stream.destroy(); // the gate's link dies: no DISCONNECT, the broker publishes its will
    await alertIn(a, 'duty-mine').waitFor({ timeout: 5_000 });
    await alertIn(b, 'duty-open').waitFor({ timeout: 5_000 });

    const row = alertIn(a, 'duty-mine');
    expect(await row.getAttribute('data-severity')).toBe('high');
    expect(await row.getByTestId('alert-severity').textContent()).toBe('严重');
    expect(await row.getByTestId('alert-severity').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(180, 35, 24)');
    expect(await row.getByTestId('alert-name').textContent()).toBe('设备离线');
    expect(await row.getByTestId('alert-device').textContent()).toBe(`道闸 · ${GATE.name}`);
    expect(await row.locator('time').textContent()).toMatch(/刚刚|秒前/);
    expect(await row.getByTestId('alert-claim').textContent()).toBe('我来处理');
    expect(await a.getByTestId('duty-mine-count').textContent()).toBe('1');
    expect(await alertIn(a, 'duty-open').count()).toBe(0); // told to vol-a: in 我的告警 only, not twice
    expect(await alertIn(b, 'duty-mine').count()).toBe(0); // vol-b is next in line, not told yet
    expect(await b.getByTestId('duty-open-count').textContent()).toBe('1');
    expect(await sameDocument(a)).toBe(true);
    expect(await sameDocument(b)).toBe(true);
    await expectFitsPhone(a);
    await screenshot(a, 'duty-inbox-vol-a');
    await screenshot(b, 'duty-inbox-vol-b');
  });

  it('vol-a taps 我来处理: it leaves vol-b’s 待认领 at once, and vol-a sees 我在处理 with 已处理', async () => {
    const { a, b } = { a: phones.a.page, b: phones.b.page };
    await alertIn(a, 'duty-mine').getByTestId('alert-claim').click();
    await expect.poll(() => alertIn(b, 'duty-open').count(), { timeout: 2_000 }).toBe(0);
    await b.getByTestId('duty-open-empty').waitFor();
    expect(await b.getByTestId('duty-open-count').textContent()).toBe('0');
    const row = alertIn(a, 'duty-mine');
    await expect.poll(() => row.getByTestId('alert-claimed').textContent()).toBe('我在处理');
    expect(await row.getAttribute('data-claimed-by')).toBe('vol-a');
    expect(await row.getByTestId('alert-claim').count()).toBe(0);
    expect(await row.getByTestId('alert-resolve').textContent()).toBe('已处理');
    expect(await sameDocument(b)).toBe(true);
    await screenshot(b, 'duty-claimed-vol-b');
  });

  it('详情: the timeline in Chinese, the gate offline in its history, and 维修模式 on and off', async () => {
    const a = phones.a.page;
    await alertIn(a, 'duty-mine').getByTestId('alert-details').click();
    const detail = a.getByTestId('alert-detail');
    await detail.getByTestId('alert-timeline').waitFor();
    expect(await a.getByTestId('duty-mine').isVisible()).toBe(false);
    const items = detail.getByTestId('timeline-item');
    expect(await items.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.what))).toEqual(['raised', 'notified', 'claimed']);
    expect(await items.getByTestId('timeline-what').allTextContents()).toEqual(['告警发出', '已通知', '已认领']);
    expect(await items.nth(1).getByTestId('timeline-by').textContent()).toBe('vol-a');
    expect(await detail.getByTestId('alert-claimed').textContent()).toBe('我在处理');
    expect(await detail.getByTestId('device-online').textContent()).toBe('离线');
    expect(await detail.getByTestId('presence-item').first().textContent()).toContain('下线');

    await detail.getByTestId('mmode-reason').fill('更换道闸电机');
    await detail.getByTestId('mmode-start').click();
    await expect.poll(() => detail.getByTestId('mmode').getAttribute('data-state')).toBe('on');
    expect(await detail.getByTestId('mmode-status').textContent()).toMatch(/^维修中，至 .+（vol-a：更换道闸电机）$/);
    const history = (await linli.api('GET', `/api/estates/${E}/devices/${GATE.id}/history`)).body;
    expect(history.maintenance).toMatchObject({ reason: '更换道闸电机', byUser: 'vol-a' });
    expect(Date.parse(history.maintenance.until) - Date.now()).toBeGreaterThan(60 * 60_000); // the two hours offered
    await expectFitsPhone(a);
    await screenshot(a, 'duty-detail');

    await detail.getByTestId('mmode-end').click();
    await expect.poll(() => detail.getByTestId('mmode').getAttribute('data-state')).toBe('off');
    await detail.getByTestId('detail-back').click(); // the same as the phone's back button
    await a.getByTestId('duty-mine').waitFor();
    expect(await alertIn(a, 'duty-mine').count()).toBe(1);
  });

  it('vol-a resolves it with a note (none is refused): it leaves vol-a’s list; the roster shows vol-a on duty for 门岗 with points', async () => {
    const { a, b } = { a: phones.a.page, b: phones.b.page };
    const row = alertIn(a, 'duty-mine');
    await row.getByTestId('alert-resolve').click();
    await row.getByTestId('resolve-submit').click();
    expect(await row.getByTestId('alert-error').textContent()).toBe('请写下处理情况（至少 2 个字）。');
    await row.getByTestId('resolve-note').fill('道闸控制器断电，已重新上电');
    await row.getByTestId('resolve-submit').click();
    await expect.poll(() => alertIn(a, 'duty-mine').count()).toBe(0);
    await a.getByTestId('duty-mine-empty').waitFor();
    expect(await b.getByTestId('duty-open-empty').isVisible()).toBe(true);
    const closed = (await linli.api('GET', `/api/estates/${E}/alerts?status=closed`)).body.items.find((x: any) => x.deviceId === GATE.id);
    expect(closed).toMatchObject({ closedBy: 'vol-a', closeNote: '道闸控制器断电，已重新上电' });
    await screenshot(a, 'duty-resolved-vol-a');

    await open(a, 'nav-roster', 'roster-page');
    await expect.poll(() => nowFor(a, 'gate').getAttribute('data-username')).toBe('vol-a');
    expect(await nowFor(a, 'gate').getByTestId('on-duty').textContent()).toBe('vol-a');
    const points = a.locator('[data-testid="points-row"][data-username="vol-a"]');
    await expect.poll(async () => Number(await points.getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await a.getByTestId('points-row').first().getAttribute('data-username')).toBe('vol-a'); // top of the board
    expect(await points.getByTestId('points-value').textContent()).toBe('3 分'); // a high alert, by the charter's default points
    await expectFitsPhone(a);
    await screenshot(a, 'duty-roster-vol-a');
  });

  it('vol-a swaps today’s gate shift to vol-b: vol-b is on duty now', async () => {
    const a = phones.a.page;
    expect(await a.getByTestId('swap-skill').inputValue()).toBe('gate'); // the duty vol-a is on
    expect(await a.getByTestId('swap-from').isVisible()).toBe(false); // a volunteer swaps their own
    await a.getByTestId('swap-to').selectOption('vol-b');
    await a.getByTestId('swap-submit').click();
    await expect.poll(() => a.getByTestId('swap-ok').textContent()).toMatch(/^已换班：\d{4}-\d{2}-\d{2} 门岗 由 vol-b 顶替 vol-a。$/);
    await expect.poll(() => nowFor(a, 'gate').getAttribute('data-username')).toBe('vol-b');
    expect(await a.getByTestId('swap-item').count()).toBe(1);
    const now = (await linli.api('GET', `/api/estates/${E}/roster/now`)).body;
    expect(now.onDuty.gate).toEqual(['vol-b']);
  });

  it('reads in English too, and raised no script errors on any phone', async () => {
    const a = phones.a.page;
    await a.getByTestId('lang-toggle').click();
    await expect.poll(() => a.getByTestId('nav-duty').textContent()).toBe('On duty');
    await expect.poll(() => nowFor(a, 'gate').locator('.roster__skill').textContent()).toBe('Gates');
    await expectFitsPhone(a);
    await a.getByTestId('lang-toggle').click();
    await expect.poll(() => a.getByTestId('nav-duty').textContent()).toBe('值班');
    for (const { errors } of Object.values(phones)) expect(errors).toEqual([]);
  });
});
