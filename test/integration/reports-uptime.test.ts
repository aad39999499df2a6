import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice } from '../support/devices.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-uptime';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;
/** The estate's calendar date (UTC+8) of a moment. */
const localDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
let linli: TestLinli;
let gateSecret: string;
let shedSecret: string;
const startedAt = new Date(Date.now() - 1000).toISOString();

beforeAll(async () => {
  linli = await startTestLinli({ LINLI_OFFLINE_DEBOUNCE_MS: '150' });
  gateSecret = await registerDevice(linli, E, { id: 'gate-u1', kind: 'gate' });
  shedSecret = await registerDevice(linli, E, { id: 'shed-u1', kind: 'charger', ports: 10 });
});
afterAll(() => linli.stop());

const presenceCount = async (deviceId: string) => (await linli.api('GET', `/api/estates/${E}/presence?deviceId=${deviceId}`)).body.items.length as number;
const report = async (q = '', token?: string) => linli.api('GET', `/api/estates/${E}/reports/uptime?from=${encodeURIComponent(startedAt)}${q}`, undefined, token);

/** Connects, stays up, loses power (no DISCONNECT), comes back: returns how long it was gone. */
async function dropAndReturn(deviceId: string, secret: string, upMs: number, downMs: number, whileDown?: () => Promise<void>) {
  const before = await presenceCount(deviceId);
  const dev = await connectDevice(linli.mqttUrl, E, deviceId, secret);
  await waitFor(async () => (await presenceCount(deviceId)) === before + 1, 3000, 'online');
  await sleep(upMs);
  const droppedAt = Date.now();
  dev.client.stream.destroy();
  await waitFor(async () => (await presenceCount(deviceId)) === before + 2, 3000, 'offline after the debounce');
  await whileDown?.();
  await sleep(Math.max(0, downMs - (Date.now() - droppedAt)));
  const back = await connectDevice(linli.mqttUrl, E, deviceId, secret);
  const backAt = Date.now();
  await waitFor(async () => (await presenceCount(deviceId)) === before + 3, 3000, 'online again');
  return { back, goneMs: backAt - droppedAt };
}

describe('GET /reports/uptime with a real device', () => {
  it('shows the one outage a device had, about as long as it was gone, and availability below 100', async () => {
    const { back, goneMs } = await dropAndReturn('gate-u1', gateSecret, 400, 800);
    await sleep(300);
    const r = await report('&deviceId=gate-u1');
    expect(r.status).toBe(200);
    const d = r.body.devices.find((x: any) => x.deviceId === 'gate-u1');
    expect(d.outages).toHaveLength(1);
    expect(d.outages[0]).toMatchObject({ cause: 'offline', ongoing: false });
    // Stamped when the connection dropped, ended when it came back: within the time a broker round trip takes.
    expect(Math.abs(d.outages[0].ms - goneMs)).toBeLessThan(250);
    expect(d.downMs).toBe(d.outages[0].ms);
    expect(d.mttrMs).toBe(d.outages[0].ms);
    expect(d.availabilityPct).toBeLessThan(100);
    expect(d.availabilityPct).toBeGreaterThan(0);
    expect(r.body.kinds).toEqual([expect.objectContaining({ kind: 'gate', devices: 1, outages: 1 })]);
    expect(r.body.worstWeek[0]).toMatchObject({ deviceId: 'gate-u1' });
    await back.close();
  });

  it('does not count an outage during declared maintenance mode, and shows the maintenance apart', async () => {
    const setMode = () => linli.api('POST', `/api/estates/${E}/devices/shed-u1/maintenance-mode`, { until: new Date(Date.now() + 3_600_000).toISOString(), reason: '更换充电口' });
    const { back } = await dropAndReturn('shed-u1', shedSecret, 200, 600, async () => {
      expect((await setMode()).status).toBe(200); // declared after it went down: the rest of the outage is maintenance
    });
    await sleep(200);
    expect((await linli.api('DELETE', `/api/estates/${E}/devices/shed-u1/maintenance-mode`)).status).toBe(200);
    await sleep(200);
    const d = (await report('&kind=charger')).body.devices;
    expect(d.map((x: any) => x.deviceId)).toEqual(['shed-u1']);
    const shed = d[0];
    // Down from the drop until maintenance began (the debounce, ~150 ms and the API call); maintenance lasted ~0.8 s.
    expect(shed.maintenanceMs).toBeGreaterThan(500);
    expect(shed.maintenanceMs).toBeLessThan(2000);
    expect(shed.downMs).toBeLessThan(500);
    expect(shed.outages).toHaveLength(1);
    expect(shed.availabilityPct).toBeLessThan(100);
    await back.close();
  });

  it('measures a device from its registration: no per-day figures for the days before it', async () => {
    const r = await linli.api('GET', `/api/estates/${E}/reports/uptime?from=${encodeURIComponent(new Date(Date.now() - 3 * DAY).toISOString())}&deviceId=gate-u1`);
    const d = r.body.devices[0];
    const registeredAt = Date.parse(d.registeredAt);
    expect(registeredAt).toBeGreaterThan(Date.parse(startedAt));
    expect(d.decommissionedAt).toBeNull();
    // Registered today (UTC+8): the period reaches 3 days back, but only days from registration on are listed.
    expect(d.days[0].date).toBe(localDate(registeredAt));
    expect(d.observedMs).toBeLessThanOrEqual(Date.now() - registeredAt);
    expect(Date.parse(d.worstWeek.from)).toBeGreaterThanOrEqual(registeredAt);
  });

  it('lists a decommissioned device with its date and counts no outage after it', async () => {
    const secret = await registerDevice(linli, E, { id: 'gate-u2', kind: 'gate' });
    const dev = await connectDevice(linli.mqttUrl, E, 'gate-u2', secret);
    await waitFor(async () => (await presenceCount('gate-u2')) === 1, 3000, 'online');
    await sleep(200);
    expect((await linli.api('POST', `/api/estates/${E}/devices/gate-u2/decommission`)).status).toBe(200);
    await waitFor(async () => (await presenceCount('gate-u2')) === 2, 3000, 'offline: disconnected by the decommissioning');
    await sleep(400); // offline ever since: before the fix, 400 ms and more of down time
    const d = (await report('&deviceId=gate-u2')).body.devices[0];
    expect(Date.parse(d.decommissionedAt)).toBeGreaterThan(Date.parse(d.registeredAt));
    expect(d).toMatchObject({ downMs: 0, availabilityPct: 100, outages: [] });
    expect(d.observedMs).toBeLessThanOrEqual(Date.parse(d.decommissionedAt) - Date.parse(d.registeredAt));
    await dev.close();
  });

  it('is for the committee and volunteers, not guards; a bad period says what to fix', async () => {
    await linli.api('POST', '/api/users', { username: 'guard-u', password: passwordFor('guard-u'), role: 'guard', mustChangePassword: false });
    const guard = (await linli.api('POST', '/api/auth/login', { username: 'guard-u', password: passwordFor('guard-u') })).body.token as string;
    expect((await report('', guard)).status).toBe(403);
    await linli.api('POST', '/api/users', { username: 'vol-u', password: passwordFor('vol-u'), role: 'volunteer', mustChangePassword: false });
    const volunteer = (await linli.api('POST', '/api/auth/login', { username: 'vol-u', password: passwordFor('vol-u') })).body.token as string;
    expect((await report('', volunteer)).status).toBe(200);
    const bad = await linli.api('GET', `/api/estates/${E}/reports/uptime?from=2026-03-05&to=2026-03-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^querystring\.from/);
  });
});
