import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { LIFT, MEMBERS, setUpElevatorEstate, type TestLift } from './lift.js';
import { expectFitsPhone, launchBrowser, markDocument, openPhone, sameDocument, screenshot, signIn } from './phone.js';

/*
 * 电梯 on a phone against the real server and a real MQTT elevator: a trapped
 * passenger shows as a red banner within a second of the elevator reporting
 * it, stays (待人工确认) after the device clears it, and goes only when a
 * volunteer closes it with a note; the car's floor follows its telemetry live;
 * a guard sees but closes nothing; the committee checks the cost split adds up
 * and records a service, which ends the 已逾期 warning.
 */

const E = 'hexie';
const VOLUNTEER = { username: 'xiaozhang', password: 'volunteer-pass-1', displayName: '小张' };
const GUARD = { username: 'laowang', password: 'guard-pass-1', displayName: '老王' };

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
let lift: TestLift;

const card = () => page.locator(`[data-testid="lift"][data-lift-id="${LIFT.id}"]`);
const inCard = (testid: string) => () => card().getByTestId(testid).textContent();
const banner = () => page.getByTestId('lift-alarm');
const historyOf = (kind: string) => page.locator(`[data-testid="lift-history-item"][data-kind="${kind}"]`).first();
const open = async (nav: string, testid: string) => {
  await page.getByTestId(nav).click();
  await page.getByTestId(testid).waitFor();
};
const shanghaiDay = (iso: string) => new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true }), launchBrowser()]);
  lift = await setUpElevatorEstate(linli, E);
  for (const u of [
    { ...VOLUNTEER, role: 'volunteer' },
    { ...GUARD, role: 'guard' },
  ]) expect((await linli.api('POST', '/api/users', { ...u, mustChangePassword: false })).status).toBe(201);
  // The car at the ground floor, and a few rides this week for the chart: 5F twice, 7F once, down to 1F once.
  await lift.telemetry({ floor: 1, direction: 'idle', doorOpen: false, running: false, loadPct: 0 });
  for (const [from, to] of [[1, 5], [1, 7], [5, 1], [1, 5]] as const) await lift.ride(from, to, 'card-501');
  await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/elevators`)).body.items[0]?.state?.floor === 1, 3000, 'first reading');
  ({ page, errors } = await openPhone(browser));
});

afterAll(async () => {
  await lift?.close();
  await browser?.close();
  await linli?.stop();
});

describe('电梯: a volunteer watches the elevator live', () => {
  it('shows the car at 1层, online, door shut, the week’s rides by floor and hour, and the overdue service', async () => {
    await signIn(page, linli.url, VOLUNTEER.username, VOLUNTEER.password);
    await open('nav-elevators', 'elevators-page');
    await expect.poll(inCard('lift-floor')).toBe('1');
    expect(await inCard('lift-name')()).toBe(LIFT.name);
    expect(await inCard('lift-online')()).toBe('在线');
    expect(await inCard('lift-door')()).toBe('门关');
    expect(await inCard('lift-running')()).toBe('停止');
    expect(await inCard('lift-overdue')()).toBe('已逾期'); // no service on record yet
    expect(await banner().count()).toBe(0);

    await expect.poll(() => page.getByTestId('rides-total').textContent()).toBe('共 4 次');
    expect(await page.getByTestId('rides-floor-bar').count()).toBe(7); // every floor the lift serves, 7F on top
    expect(await page.getByTestId('rides-floor-bar').first().getAttribute('data-floor')).toBe('7');
    expect(await page.locator('[data-testid="rides-floor-bar"][data-floor="5"]').getAttribute('data-value')).toBe('2');
    expect(await page.getByTestId('rides-peak-floor').textContent()).toContain('最多 5层（2次）');
    expect(await page.getByTestId('rides-hour-bar').count()).toBe(24);
    // A volunteer records services but sees no money.
    expect(await page.getByTestId('maint-form').count()).toBe(1);
    expect(await page.getByTestId('lift-cost-section').count()).toBe(0);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');
  });

  it('shows the red 困人！ banner with the floor within a second of the elevator reporting it, without a reload', async () => {
    await markDocument(page);
    // The page notes when the banner is drawn; the test notes when it sees it. Same machine, same clock.
    await page.evaluate(() => {
      const w = window as unknown as { __alarmAt?: number };
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="lift-alarm"]')) (w.__alarmAt = Date.now()), obs.disconnect();
      }).observe(document.body, { childList: true, subtree: true });
    });
    const sentAt = Date.now();
    await lift.fault('trapped', true, 4);
    await banner().waitFor({ state: 'visible', timeout: 2_000 });
    const seenMs = Date.now() - sentAt;
    const drawnMs = (await page.evaluate(() => (window as unknown as { __alarmAt?: number }).__alarmAt ?? NaN)) - sentAt;
    console.info(`困人 banner: drawn ${drawnMs} ms, seen by the test ${seenMs} ms after the MQTT publish`);
    expect(seenMs).toBeLessThan(1_000);

    expect(await banner().getAttribute('data-kind')).toBe('elevator.trapped');
    expect(await banner().getAttribute('data-state')).toBe('active');
    expect(await banner().getByTestId('alarm-headline').textContent()).toBe('困人！');
    expect(await banner().getByTestId('alarm-where').textContent()).toContain(`${LIFT.name} · 4层`);
    expect(await banner().getByTestId('alarm-state').textContent()).toBe('请立即到场，并联系维保单位');
    expect(await banner().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(180, 35, 24)');
    expect(await inCard('lift-faults')()).toBe('故障 1');
    await expect.poll(() => historyOf('elevator.trapped').getByTestId('history-status').textContent()).toBe('未处理');
    expect(await sameDocument(page)).toBe(true);
    await expectFitsPhone(page);
    await screenshot(page, 'elevators-trapped');
  });

  it('keeps the banner, marked 设备已恢复，待人工确认, when the device clears it', async () => {
    await lift.fault('trapped', false, 4);
    await expect.poll(() => banner().getAttribute('data-state')).toBe('device-cleared');
    expect(await banner().getByTestId('alarm-state').textContent()).toBe('设备已恢复，待人工确认');
    expect(await banner().getByTestId('alarm-headline').textContent()).toBe('困人！');
    await expect.poll(() => historyOf('elevator.trapped').getByTestId('history-status').textContent()).toBe('待人工确认');
    expect(await historyOf('elevator.trapped').getByTestId('history-name').textContent()).toBe('困人 · 4层');
    await screenshot(page, 'elevators-awaiting-person');
  });

  it('closes it only with a note; then the banner goes and the history says who closed it and why', async () => {
    expect((await banner().getByTestId('alarm-close').boundingBox())?.height).toBeGreaterThanOrEqual(44); // a thumb, in a hurry
    await banner().getByTestId('alarm-close').click();
    await banner().getByTestId('close-submit').click();
    await expect.poll(() => banner().getByTestId('close-error').textContent()).toBe('请写明处理情况（至少2个字）。');

    await banner().getByTestId('close-note').fill('维保公司到场，乘客已安全离开');
    await banner().getByTestId('close-submit').click();
    await expect.poll(() => banner().count()).toBe(0);
    expect(await card().getByTestId('lift-faults').count()).toBe(0);
    const closed = (await linli.api('GET', `/api/estates/${E}/elevators/${LIFT.id}/faults`)).body.items.find((a: any) => a.kind === 'elevator.trapped');
    expect(closed).toMatchObject({ status: 'closed', closedBy: VOLUNTEER.username, closeNote: '维保公司到场，乘客已安全离开' });
    await expect.poll(() => historyOf('elevator.trapped').getByTestId('history-status').textContent()).toBe('已关闭');
    expect(await historyOf('elevator.trapped').getByTestId('history-closed').textContent()).toBe(`${VOLUNTEER.username} 关闭：维保公司到场，乘客已安全离开`);
    expect(await sameDocument(page)).toBe(true);
  });

  it('moves the floor as the car runs: direction, door, load and the counters follow its telemetry', async () => {
    await lift.telemetry({ floor: 2, direction: 'up', doorOpen: false, running: true, loadPct: 30 });
    await expect.poll(inCard('lift-floor')).toBe('2');
    expect(await card().getByTestId('lift-direction').getAttribute('data-direction')).toBe('up');
    expect(await inCard('lift-dir-text')()).toBe('上行');
    expect(await inCard('lift-running')()).toBe('运行中');
    expect(await inCard('lift-load')()).toBe('载重 30%');
    expect(await inCard('lift-runs')()).toBe('1');

    await lift.telemetry({ floor: 4, direction: 'up', doorOpen: false, running: true, loadPct: 30 });
    await expect.poll(inCard('lift-floor')).toBe('4');
    await lift.telemetry({ floor: 5, direction: 'idle', doorOpen: true, running: false, loadPct: 30 });
    await expect.poll(inCard('lift-floor')).toBe('5');
    expect(await inCard('lift-door')()).toBe('门开');
    expect(await inCard('lift-dir-text')()).toBe('停靠');
    expect(await inCard('lift-running')()).toBe('停止');
    expect(await inCard('lift-door-cycles')()).toBe('1');
    expect(await card().getAttribute('data-floor')).toBe('5');
    expect(await sameDocument(page)).toBe(true);
    await expectFitsPhone(page);
    await screenshot(page, 'elevators-live');

    await lift.telemetry({ floor: 5, direction: 'idle', doorOpen: false, running: false, loadPct: 0 });
    await expect.poll(inCard('lift-door')).toBe('门关');
    expect(errors).toEqual([]);
  });
});

describe('电梯: a guard sees an emergency call but closes nothing', () => {
  it('shows 紧急呼叫！ live, with no 关闭 and no forms, and drops it when a volunteer closes it', async () => {
    ({ page, errors } = await openPhone(browser)); // a new tab: signed out
    await signIn(page, linli.url, GUARD.username, GUARD.password);
    await open('nav-elevators', 'elevators-page');
    await expect.poll(inCard('lift-floor')).toBe('5');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('live');

    await lift.emergencyCall(6);
    await expect.poll(() => banner().getByTestId('alarm-headline').textContent()).toBe('紧急呼叫！');
    expect(await banner().getByTestId('alarm-where').textContent()).toContain('6层');
    expect(await banner().getByTestId('alarm-close').count()).toBe(0);
    expect(await page.getByTestId('maint-form').count()).toBe(0);
    expect(await page.getByTestId('lift-cost-section').count()).toBe(0);

    const id = await banner().getAttribute('data-alert-id');
    const volunteer = (await linli.api('POST', '/api/auth/login', { username: VOLUNTEER.username, password: VOLUNTEER.password })).body.token;
    expect((await linli.api('POST', `/api/estates/${E}/alerts/${id}/close`, { note: '已到场，是老人误按' }, volunteer)).status).toBe(200);
    await expect.poll(() => banner().count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('电梯: the committee’s money and maintenance', () => {
  const row = (table: string) => page.locator(`[data-testid="${table}"] [data-testid="share-row"]`);

  it('splits ¥350000 among the member households, each row with its formula, the shares adding up exactly', async () => {
    ({ page, errors } = await openPhone(browser));
    await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
    await open('nav-elevators', 'elevators-page');
    await page.getByTestId('cost-total').fill('350000');
    await page.getByTestId('cost-submit').click();

    await expect.poll(() => row('cost-table').count()).toBe(MEMBERS.length);
    expect(await page.getByTestId('cost-base').textContent()).toBe('总造价 ¥350000，补贴 ¥140000，应分摊 ¥210000');
    const fen = (await row('cost-table').evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.fen)))) as number[];
    expect(fen.reduce((a, b) => a + b, 0)).toBe(21_000_000);
    expect(await page.getByTestId('cost-table-sum').textContent()).toBe('¥210000');
    expect(await page.getByTestId('cost-check').getAttribute('data-adds')).toBe('true');
    const share = (hh: string) => page.locator(`[data-testid="cost-table"] [data-testid="share-row"][data-household-id="${hh}"]`);
    expect(await share('3-2-701').getByTestId('share-floor').textContent()).toBe('7');
    expect(await share('3-2-701').getByTestId('share-coef').textContent()).toBe('1.1');
    expect(Number(await share('3-2-701').getAttribute('data-fen'))).toBeGreaterThan(Number(await share('3-2-501').getAttribute('data-fen'))); // 7F pays more than 5F
    const formula = await page.locator('[data-testid="cost-table"] tr[data-household-id="3-2-701"] [data-testid="share-formula"]').textContent();
    expect(formula).toMatch(/^\(¥350000 − 补贴¥140000\) × 1\.1 ÷ 3\.4 = /);
    expect(await page.getByTestId('cost-clause').textContent()).toBe('公约第6.3条');
    expect(await page.getByTestId('cost-explain').textContent()).toContain('各户合计正好¥210000');
  });

  it('records a month’s electricity and shows each household’s share of it, adding up to the month’s total', async () => {
    await expect.poll(() => page.getByTestId('run-none').textContent()).toBe('这个月还没有记录运行费用。');
    await page.getByTestId('run-kind').selectOption('electricity');
    await page.getByTestId('run-amount').fill('120.50');
    await page.getByTestId('run-note').fill('本月电费');
    await page.getByTestId('run-submit').click();
    await expect.poll(() => page.getByTestId('run-done').textContent()).toBe('已记录：电费 ¥120.50。');
    await expect.poll(() => page.getByTestId('run-total').textContent()).toBe('本月合计 ¥120.50');
    expect(await page.getByTestId('run-item-kind').textContent()).toBe('电费');
    expect(await row('run-table').count()).toBe(MEMBERS.length);
    expect(await page.getByTestId('run-table-sum').textContent()).toBe('¥120.50');
    const fen = (await row('run-table').evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.fen)))) as number[];
    expect(fen.reduce((a, b) => a + b, 0)).toBe(12_050);
    await expectFitsPhone(page);
    await screenshot(page, 'elevators-committee');
  });

  it('records a service: the 已逾期 warning goes, on the card too, and the next one is due in 15 days', async () => {
    expect(await page.getByTestId('maint-overdue').textContent()).toContain('保养已逾期');
    expect(await inCard('lift-overdue')()).toBe('已逾期');
    await page.getByTestId('maint-by').fill('安达电梯维保 张师傅');
    await page.getByTestId('maint-what-input').fill('半月保养：门机、曳引机、安全回路');
    await page.getByTestId('maint-submit').click();

    const { status } = (await waitFor(async () => {
      const body = (await linli.api('GET', `/api/estates/${E}/elevators/${LIFT.id}/maintenance`)).body;
      return body.items.length > 0 && body;
    }, 3000, 'service recorded')) as { status: { nextDue: string } };
    await expect.poll(() => page.getByTestId('maint-overdue').count()).toBe(0);
    await expect.poll(() => card().getByTestId('lift-overdue').count()).toBe(0);
    const due = shanghaiDay(status.nextDue);
    expect(await page.getByTestId('maint-next').textContent()).toBe(`下次保养 ${due}`);
    expect(await inCard('lift-next-due')()).toBe(`下次保养 ${due}`);
    expect(await page.getByTestId('maint-done').textContent()).toBe(`已添加，下次保养 ${due}。`);
    expect(await page.getByTestId('maint-done-by').first().textContent()).toBe('安达电梯维保 张师傅');
    await screenshot(page, 'elevators-maintenance');
  });

  it('reads in English too, and back', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(inCard('lift-door')).toBe('Door shut');
    expect(await page.getByTestId('nav-elevators').textContent()).toBe('Elevators');
    await expect.poll(() => historyOf('elevator.trapped').getByTestId('history-status').textContent()).toBe('Closed');
    await expectFitsPhone(page);
    await page.getByTestId('lang-toggle').click();
    await expect.poll(inCard('lift-door')).toBe('门关');
    expect(errors).toEqual([]);
  });
});
