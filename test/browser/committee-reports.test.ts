import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { anAck, aPlateRead, connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { ADMIN_PASSWORD, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { expectFitsPhone, launchBrowser, openPhone, PHONE, screenshot, signIn } from './phone.js';

/*
 * The committee's reports (issue 7) in real Chromium against the real server,
 * with real MQTT devices: 设备在线率 (a gate down for 6 hours eight days ago),
 * 使用统计 (cars through the gate, a charging session, elevator rides, drawn by
 * uPlot), 公开账目 (an asset, a contribution, a cost, a refund, the month's
 * statement reconciled, printed and exported) and 操作记录 (the manual open).
 */

const E = 'xingfu';
const HH = '3-2-501';
const HOUR = 3_600_000;
const DESKTOP = { width: 1280, height: 900 };
/** An A4 page at 96 dpi, for the printed statement. */
const A4 = { width: 794, height: 1123 };
const DAY = 24 * HOUR;
/** Server and devices share this clock, so a visitor can stay an hour and a charge last minutes within a test. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

let linli: TestLinli;
let browser: Browser;
let page: Page;
let errors: string[];
const devices: TestDevice[] = [];

const api = async (method: string, path: string, body?: unknown) => {
  const r = await linli.api(method, `/api/estates/${E}${path}`, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};
const presence = async (deviceId: string) => (await api('GET', `/presence?deviceId=${deviceId}`)).items.length as number;
const ts = () => new Date(clock.now()).toISOString();
const open = async (nav: string, testid: string) => {
  await page.getByTestId(nav).click();
  await page.getByTestId(testid).waitFor();
};

/** A device that acks every command, as the real ones do. */
async function connect(id: string, secret: string): Promise<TestDevice> {
  const d = await connectDevice(linli.mqttUrl, E, id, secret);
  d.client.on('message', (topic, payload) => topic === d.topic('cmd') && void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: ts() })));
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  devices.push(d);
  return d;
}

/**
 * The north gate, registered ten days ago, lost power eight days ago and came
 * back 6 hours later. The server's own clock (Date) is moved for it: a
 * device's time in service starts at its registration, which nothing else dates back.
 */
async function gateWithOutage(): Promise<void> {
  const t0 = Math.floor((Date.now() - 10 * DAY) / 60_000) * 60_000;
  vi.useFakeTimers({ toFake: ['Date'], now: t0 });
  try {
    const secret = await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
    const first = await connect('gate-n1', secret);
    await waitFor(async () => (await presence('gate-n1')) === 1, 3000, 'online');
    vi.setSystemTime(t0 + 2 * DAY);
    first.client.stream.destroy(); // power cut: no DISCONNECT, the will says offline
    await waitFor(async () => (await presence('gate-n1')) === 2, 3000, 'offline');
    vi.setSystemTime(t0 + 2 * DAY + 6 * HOUR);
    await connect('gate-n1', secret);
    await waitFor(async () => (await presence('gate-n1')) === 3, 3000, 'online again');
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  [linli, browser] = await Promise.all([startTestLinli({}, { withDashboard: true, clock }), launchBrowser()]);
  await gateWithOutage();
  const secrets = Object.fromEntries(
    await Promise.all(
      [
        { id: 'cam-n1-in', kind: 'camera', gateId: 'gate-n1', direction: 'in' },
        { id: 'cam-n1-out', kind: 'camera', gateId: 'gate-n1', direction: 'out' },
        { id: 'shed-1', kind: 'charger', ports: 10, name: '3号楼充电棚' },
        { id: 'lift-1', kind: 'elevator', name: '3号楼2单元电梯', lowestFloor: 1, highestFloor: 7 },
      ].map(async (d) => [d.id, await registerDevice(linli, E, d)] as const),
    ),
  );
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, reservedForResidents: 10, gates: ['gate-n1'] }];
    p.tariff = { clause: '3.1', freeMinutes: 0, firstPeriod: { minutes: 60, priceFen: 600 }, increment: { minutes: 30, priceFen: 100 } };
  });
  (charter.document as any).charging = aChargingSection();
  await api('POST', '/charter/versions', charter);
  await api('POST', '/households', { building: '3', unit: '2', room: '501', parkingSpaces: 1 });
  await api('POST', '/residents', { householdId: HH, name: '王小芳' });
  await api('POST', '/vehicles', { plate: '鄂A12345', class: 'resident', householdId: HH });
  await api('POST', '/cards', { cardId: 'card-501', householdId: HH, purposes: ['charger'] });
  await api('POST', `/charging/accounts/${HH}/topup`, { amountFen: 5000 });
  const [camIn, camOut, shed, lift] = await Promise.all(['cam-n1-in', 'cam-n1-out', 'shed-1', 'lift-1'].map((id) => connect(id, secrets[id]!)));
  const read = (cam: TestDevice, plate: string) => cam.send('event', aPlateRead({ plate, ts: ts() }));

  // The gate: a visitor came in an hour ago; the resident comes home; the visitor leaves, owes ¥6 and pays cash.
  clock.offsetMs = -59 * 60_000;
  await read(camIn!, '湘A88888');
  await waitFor(async () => (await api('GET', '/parking/stays?open=true')).items.length === 1, 3000, 'visitor inside');
  clock.offsetMs = 0;
  await read(camIn!, '鄂A12345');
  await read(camOut!, '湘A88888');
  const stay = await waitFor(async () => (await api('GET', '/parking/stays?plate=湘A88888')).items.find((s: any) => s.feeFen === 600), 3000, 'fee due');
  await api('POST', `/parking/stays/${stay.id}/pay`, { method: 'cash' });
  await api('POST', '/gates/gate-n1/open', { direction: 'in', reason: '救护车送病人', plate: '鄂A99999' });

  // The shed: two minutes on port 3, 0.5 kWh, ¥1 (per started hour) from the household's balance.
  clock.offsetMs = -120_000;
  await shed!.send('event', { id: nextId('sw'), ts: ts(), type: 'port.request', port: 3, cardId: 'card-501' });
  const session = await waitFor(async () => (await api('GET', '/charging/sessions')).items.find((s: any) => s.status === 'charging'), 3000, 'charging');
  await shed!.send('telemetry', { id: nextId('t'), ts: ts(), ports: [{ port: 3, powerW: 180, energyWh: 1000, tempC: 30 }] });
  clock.offsetMs = 0;
  await shed!.send('telemetry', { id: nextId('t'), ts: ts(), ports: [{ port: 3, powerW: 180, energyWh: 1500, tempC: 30 }] });
  await api('POST', `/charging/sessions/${session.id}/stop`);
  await waitFor(async () => (await api('GET', '/charging/sessions')).items.find((s: any) => s.id === session.id && s.feeFen === 100), 3000, 'billed');

  // The elevator: up to 5 and 7, down from 5.
  for (const [from, to] of [[1, 5], [1, 7], [5, 1]]) await lift!.send('event', { id: nextId('r'), ts: ts(), type: 'ride', from, to });
  await waitFor(async () => (await api('GET', '/reports/usage/elevators')).rides === 3, 3000, 'rides');

  ({ page, errors } = await openPhone(browser));
  // Console errors too; but Chromium logs every 4xx answer, and the refund test asks for one 409 on purpose.
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 409') && errors.push(m.text()));
  await signIn(page, linli.url, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  for (const d of devices) await d.close();
  await browser?.close();
  await linli?.stop();
});

describe('设备在线率: uptime', () => {
  const device = (id: string) => page.locator(`[data-testid="uptime-device"][data-device-id="${id}"]`);
  const cell = (id: string, testid: string) => () => device(id).getByTestId(testid).textContent();

  it('shows the gate up all week, then its 6-hour outage over 30 days: 97.50%, MTTR, worst week and timeline', async () => {
    await open('nav-uptime', 'uptime-page');
    await expect.poll(cell('gate-n1', 'uptime-device-pct')).toBe('100%'); // the outage was 8 days ago
    expect(await cell('gate-n1', 'uptime-device-outages')()).toBe('0');
    expect(await cell('shed-1', 'uptime-device-pct')()).toBe('100%');

    await page.getByTestId('period-preset').selectOption('last30');
    await expect.poll(cell('gate-n1', 'uptime-device-pct')).toBe('97.50%'); // 6 h of 10 days
    expect(await cell('gate-n1', 'uptime-device-outages')()).toBe('1');
    expect(await cell('gate-n1', 'uptime-device-down')()).toBe('6小时');
    expect(await cell('gate-n1', 'uptime-device-mttr')()).toBe('6小时');
    expect(await cell('gate-n1', 'uptime-device-maint')()).toBe('—');
    const gateKind = page.locator('.stat[data-kind="gate"]');
    expect(await gateKind.getByTestId('uptime-kind-pct').textContent()).toBe('97.50%');
    expect(await gateKind.getByTestId('uptime-kind-pct-sub').textContent()).toBe('1 台 · 故障 1 次 · 平均修复 6小时');

    // The worst week, as the server ranks it: the gate first and highlighted in the table.
    const from = await page.getByTestId('period-from').inputValue();
    const report = (await api('GET', `/reports/uptime?from=${from}`)).worstWeek[0];
    expect(report.deviceId).toBe('gate-n1');
    expect(await page.getByTestId('uptime-worst-item').count()).toBe(1);
    expect(await page.getByTestId('uptime-worst-line').textContent()).toContain(`在线率 ${report.availabilityPct.toFixed(2)}%，停机 6小时`);
    expect(await device('gate-n1').getAttribute('data-worst')).toBe('true');
    expect(await device('shed-1').getAttribute('data-worst')).toBe('false');
    expect(await cell('gate-n1', 'uptime-device-worst')()).toBe(`最差一周 ${report.availabilityPct.toFixed(2)}%`);

    const strip = page.locator('[data-testid="uptime-strip"][data-device-id="gate-n1"]');
    expect(await strip.getByTestId('outage-mark').count()).toBe(1);
    expect(await page.locator('[data-testid="uptime-outage"]').first().textContent()).toContain('6小时 · 离线');
    await expectFitsPhone(page);
    await screenshot(page, 'committee-uptime');
  });
});

describe('使用统计: usage, drawn by uPlot', () => {
  const figure = (testid: string) => () => page.getByTestId(testid).textContent();
  const chart = (testid: string) => page.getByTestId(testid).first();

  it('shows the week’s cars, charging and rides as totals and charts, in Chinese and yuan', async () => {
    await open('nav-usage', 'usage-page');
    // The resident, the visitor, and the ambulance let in by hand (an unregistered car: a visitor).
    await expect.poll(figure('usage-gates-entries')).toBe('3');
    expect(await figure('usage-gates-entries-sub')()).toBe('业主 1 · 访客 2');
    expect(await figure('usage-gates-exits')()).toBe('1');
    expect(await figure('usage-gates-peak')()).toBe('2'); // the ambulance came after the visitor left
    expect(await figure('usage-gates-fees')()).toBe('¥6');
    expect(await figure('usage-chargers-sessions')()).toBe('1');
    expect(await figure('usage-chargers-kwh')()).toBe('0.5');
    expect(await figure('usage-chargers-revenue')()).toBe('¥1');
    expect(await figure('usage-elevators-rides')()).toBe('3');
    expect(await figure('usage-elevators-rides-sub')()).toBe('上行 2 · 下行 1');

    // Each chart is a uPlot canvas with its series in the legend (after the x series), labelled in Chinese.
    const passages = chart('chart-gates-passages');
    expect(await passages.locator('canvas').count()).toBe(1);
    expect(await passages.getAttribute('data-series')).toBe('4');
    expect(await passages.locator('.u-legend .u-series').allTextContents()).toEqual(['时间', '业主进场', '访客进场', '业主出场', '访客出场'].map((l) => expect.stringContaining(l)));
    expect(await chart('chart-gates-fees').locator('.u-series').count()).toBe(3);
    expect(await chart('chart-chargers-sessions').getAttribute('data-series')).toBe('2');
    expect(await chart('chart-elevator-floors').getAttribute('data-elevator-id')).toBe('lift-1');
    expect(await chart('chart-elevator-floors').locator('figcaption').textContent()).toBe('3号楼2单元电梯：各楼层上下梯人次');
    // A finger on today's point: the legend reads the fees in yuan.
    const fees = chart('chart-gates-fees');
    await fees.scrollIntoViewIfNeeded();
    const box = (await fees.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width - 3, box.y + box.height / 2);
    await expect.poll(() => fees.locator('.u-series .u-value').allTextContents()).toEqual([expect.any(String), '¥6', '¥6']);
    expect(await page.locator('canvas').count()).toBe(8); // gates 3, sheds 3, rides 1, floors 1
    await expectFitsPhone(page);

    expect(await passages.getAttribute('data-points')).toBe('7');

    // By the hour: 7 days × 24 buckets along x, the day charts replaced, not stacked.
    await page.getByTestId('usage-bucket').selectOption('hour');
    await expect.poll(() => chart('chart-gates-passages').getAttribute('data-points')).toBe('168');
    expect(await page.locator('canvas').count()).toBe(8); // gates 3, sheds 3, rides 1, floors 1
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('usage-bucket').selectOption('day');
    await expect.poll(() => chart('chart-gates-passages').getAttribute('data-points')).toBe('7');
    await screenshot(page, 'committee-usage');
    await page.setViewportSize(PHONE);
  });
});

describe('公开账目: open accounts', () => {
  const done = (testid: string) => () => page.getByTestId(`${testid}-done`).textContent();

  it('opens an asset for the gate, records a contribution, a cost and a refund, and shows the month reconciled', async () => {
    await open('nav-accounts', 'accounts-page');
    await expect.poll(() => page.getByTestId('assets-empty').textContent()).toContain('还没有登记资产');
    await page.getByTestId('asset-name').fill('北门道闸');
    await page.getByTestId('asset-kind').selectOption('gate');
    await page.locator('[data-testid="asset-device"][value="gate-n1"]').check();
    await page.getByTestId('asset-submit').click();
    await expect.poll(done('asset')).toBe('已登记 北门道闸。');

    await page.getByTestId('contribution-household').fill(HH);
    await page.getByTestId('contribution-amount').fill('500');
    await page.getByTestId('contribution-note').fill('集资');
    await page.getByTestId('contribution-submit').click();
    await expect.poll(done('contribution')).toBe(`已记录 ${HH} 出资 ¥500。`);
    await page.getByTestId('cost-category').selectOption('electricity');
    await page.getByTestId('cost-amount').fill('30.50');
    await page.getByTestId('cost-submit').click();
    await expect.poll(done('cost')).toBe('已记录电费 ¥30.50。');

    // ¥50 topped up, ¥1 charged: ¥49 prepaid; more than that is refused, ¥10 goes back.
    await page.getByTestId('refund-household').selectOption(HH);
    await page.getByTestId('refund-amount').fill('100');
    await page.getByTestId('refund-submit').click();
    await expect.poll(() => page.getByTestId('refund-error').textContent()).toBe('超过了这户的余额 ¥49，没有退款。');
    await page.getByTestId('refund-amount').fill('10');
    await page.getByTestId('refund-submit').click();
    await expect.poll(done('refund')).toBe(`已退还 ${HH} ¥10，余额 ¥39。`);

    // ¥500 given + ¥6 the visitor paid at the gate − ¥30.50 electricity.
    await expect.poll(() => page.getByTestId('statement-closing').textContent()).toBe('¥475.50');
    const asset = page.locator('[data-testid="asset"]').first();
    expect(await asset.getByTestId('asset-balance').textContent()).toBe('结余 ¥475.50');
    expect(await page.getByTestId('statement-reconciled').textContent()).toBe('✓ 账目核对一致');
    expect(await page.getByTestId('statement-reconciled').getAttribute('data-ok')).toBe('true');
    const month = await page.getByTestId('statement-month').inputValue();
    const [y, m] = month.split('-');
    expect(await page.getByTestId('statement-title').textContent()).toBe(`测试小区 ${E} ${y}年${Number(m)}月 北门道闸 公开账目`);
    expect(await page.getByTestId('statement-opening').textContent()).toBe('¥0');
    expect(await page.getByTestId('statement-income-lines-total').textContent()).toBe('¥6');
    expect(await page.getByTestId('statement-contribution-lines').textContent()).toContain('王*芳'); // masked on the notice board
    expect(await page.getByTestId('statement-cost-lines').textContent()).toContain('电费');
    expect(await page.getByTestId('prepaid-refunds').textContent()).toBe('¥10');
    await expectFitsPhone(page);
    await screenshot(page, 'committee-accounts-phone');
  });

  it('prints the statement for the notice board and exports it as CSV with the token', async () => {
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'committee-accounts');
    await page.evaluate(() => (window.print = () => void ((window as unknown as { printed: string }).printed = document.title)));
    await page.getByTestId('statement-print').click();
    const title = await page.getByTestId('statement-title').textContent();
    expect(await page.evaluate(() => (window as unknown as { printed: string }).printed)).toBe(title);

    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize(A4);
    for (const hidden of ['.header', '[data-testid="nav"]', '[data-testid="accounts-record"]', '[data-testid="statement-print"]', '[data-testid="accounts-assets"]']) expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    expect(await page.getByTestId('statement').isVisible()).toBe(true);
    await screenshot(page, 'committee-accounts-print');
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('statement-csv').click()]);
    expect(download.suggestedFilename()).toBe(`${title}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('北门道闸');
    expect(csv).toContain('475.50');
    await page.setViewportSize(PHONE);
  });
});

describe('操作记录: the audit list', () => {
  const item = (action: string) => page.locator(`[data-testid="audit-item"][data-action="${action}"]`).first();

  it('shows who opened the gate by hand, when and why, filtered by action and person', async () => {
    await open('nav-audit', 'audit-page');
    await expect.poll(() => item('accounts.refunds.create').getByTestId('audit-action').textContent()).toBe('退还预存款');
    await page.getByTestId('audit-action-filter').selectOption('gate');
    await expect.poll(() => page.getByTestId('audit-item').count()).toBe(1);
    const open_ = item('gates.open');
    expect(await open_.getByTestId('audit-action').textContent()).toBe('手动开闸');
    expect(await open_.getByTestId('audit-who').textContent()).toBe('admin（自管委）');
    expect(await open_.getByTestId('audit-target').textContent()).toBe('对象：gate-n1');
    expect(await open_.getByTestId('audit-detail').textContent()).toBe('救护车送病人 · 鄂A99999');

    await page.getByTestId('audit-action-filter').selectOption('plates');
    await expect.poll(() => item('parking.plate-history.read').getByTestId('audit-target').textContent()).toBe('对象：湘A88888');
    await page.getByTestId('audit-action-filter').selectOption('');
    await page.getByTestId('audit-who-filter').fill('laowang');
    await page.getByTestId('audit-show').click();
    await expect.poll(() => page.getByTestId('audit-empty').textContent()).toBe('没有符合条件的操作记录。');
    await page.getByTestId('audit-who-filter').fill('admin');
    await page.getByTestId('audit-show').click();
    await expect.poll(() => item('charter.versions.create').getByTestId('audit-action').textContent()).toBe('修改公约（新版本）');
    await expectFitsPhone(page);
    await screenshot(page, 'committee-audit');
  });

  it('reads in English too', async () => {
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('nav-audit').textContent()).toBe('Audit');
    await expect.poll(() => item('charter.versions.create').getByTestId('audit-action').textContent()).toBe('Charter changed (new version)');
    expect(await page.getByTestId('nav-uptime').textContent()).toBe('Uptime');
    await open('nav-uptime', 'uptime-page');
    await expect.poll(() => page.locator('[data-testid="uptime-device"][data-device-id="gate-n1"]').getByTestId('uptime-device-pct').textContent()).toBe('100%');
    expect(await page.locator('.section__title').allTextContents()).toEqual(['By kind', 'Worst week', 'Devices', 'Outage timeline']);
    await page.getByTestId('lang-toggle').click();
    expect(errors).toEqual([]);
  });
});
