import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anAck, connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-shed';
const MIN = 60_000;
let linli: TestLinli;
let shed: TestDevice;
const live: any[] = [];
let ws: WebSocket;
/** Simulated time shared by server and shed, so an hour of charging passes in a test. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
const ts = () => new Date(clock.now()).toISOString();

async function connectShed(secret: string) {
  const d = await connectDevice(linli.mqttUrl, E, 'shed-1', secret);
  d.client.on('message', (topic, payload) => {
    if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: ts() }));
  });
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  return d;
}
const swipe = (port: number, cardId: string) => shed.send('event', { id: nextId('sw'), ts: ts(), type: 'port.request', port, cardId });
const telemetry = (ports: { port: number; powerW: number; energyWh: number; tempC?: number }[]) =>
  shed.send('telemetry', { id: nextId('t'), ts: ts(), ports: ports.map((p) => ({ tempC: 30, ...p })) });
const cmdFor = (type: string, port: number, after = 0) => waitFor(() => shed.commands.slice(after).find((c) => c.type === type && c.port === port), 3000, `${type} on port ${port}`);
const session = async (id: string) => (await linli.api('GET', `/api/estates/${E}/charging/sessions?shedId=shed-1`)).body.items.find((s: any) => s.id === id);

beforeAll(async () => {
  linli = await startTestLinli({}, { clock });
  const secret = await registerDevice(linli, E, { id: 'shed-1', kind: 'charger', ports: 10, name: '3号楼充电棚' });
  const charter = aCharterVersion();
  (charter.document as any).charging = aChargingSection();
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501' });
  expect((await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-501-a', householdId: '3-2-501', purposes: ['charger'] })).status).toBe(201);
  await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-501-b', householdId: '3-2-501', purposes: ['charger'] });
  await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-frozen', householdId: '3-2-501', purposes: ['charger'], status: 'frozen' });
  expect((await linli.api('POST', `/api/estates/${E}/charging/accounts/3-2-501/topup`, { amountFen: 5000 })).status).toBe(200);
  ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${linli.token}`);
  ws.on('message', (m) => live.push(JSON.parse(m.toString())));
  await new Promise((r) => ws.once('open', r));
  shed = await connectShed(secret);
});
afterAll(async () => {
  ws.close();
  await shed.close();
  await linli.stop();
});

describe('a charging session, end to end over real MQTT', () => {
  it('swipe → start → telemetry → full → stop → fee taken from the balance', async () => {
    await swipe(3, 'card-501-a');
    const start = await cmdFor('start', 3);
    expect(start.maxMinutes).toBeGreaterThan(0);
    const id = start.sessionId;
    await waitFor(async () => (await session(id))?.status === 'charging', 3000, 'charging');
    const pub = await linli.api('GET', '/api/public/sheds/shed-1', undefined, '');
    expect(pub.status).toBe(200);
    expect(pub.body.ports[2]).toMatchObject({ port: 3, state: 'charging' });
    expect(JSON.stringify(pub.body)).not.toContain('card-501-a');

    await telemetry([{ port: 3, powerW: 180, energyWh: 1000 }]); // the meter's running total at the start
    clock.offsetMs += 30 * MIN;
    await telemetry([{ port: 3, powerW: 175, energyWh: 1090 }]);
    clock.offsetMs += 25 * MIN;
    await telemetry([{ port: 3, powerW: 10, energyWh: 1150 }]); // under the 15 W float: full pending
    clock.offsetMs += 11 * MIN;
    const before = shed.commands.length;
    await telemetry([{ port: 3, powerW: 9, energyWh: 1152 }]); // 11 minutes under the float: full
    const stopCmd = await cmdFor('stop', 3, before);
    expect(stopCmd.reason).toBe('已充满');
    const ended = await waitFor(async () => ((await session(id))?.status === 'ended' ? session(id) : undefined), 3000, 'ended');
    // 66 minutes at ¥1 per started hour → ¥2
    expect(ended).toMatchObject({ stopReason: 'full', energyWh: 152, feeFen: 200, stopClause: expect.any(String), startTempC: 30, maxTempC: 30 });
    const account = (await linli.api('GET', `/api/estates/${E}/charging/accounts/3-2-501`)).body;
    expect(account.balanceFen).toBe(4800);
    expect(account.ledger[0]).toMatchObject({ kind: 'fee', amountFen: -200, sessionId: id });
  });

  it('a frozen card is refused with a reason the shed can show', async () => {
    const before = shed.commands.length;
    await swipe(4, 'card-frozen');
    expect((await cmdFor('deny', 4, before)).reason).toBe('卡已冻结');
    await swipe(4, 'no-such-card');
    expect((await cmdFor('deny', 4, before + 1)).reason).toBe('卡未登记');
  });

  it('smoke on one port stops every charging port of the shed within one second, with a critical alert stored and pushed', async () => {
    await swipe(1, 'card-501-a');
    await swipe(2, 'card-501-b');
    await cmdFor('start', 1);
    await cmdFor('start', 2);
    const before = shed.commands.length;
    const t0 = Date.now();
    await shed.send('event', { id: nextId('al'), ts: ts(), type: 'alarm', kind: 'smoke', port: 2, active: true });
    await Promise.all([cmdFor('stop', 1, before), cmdFor('stop', 2, before)]);
    expect(Date.now() - t0).toBeLessThan(1000);
    const pushed = await waitFor(() => live.find((m) => m.type === 'alert.raised' && m.kind === 'charger.smoke'));
    expect(pushed).toMatchObject({ severity: 'critical', deviceId: 'shed-1' });
    const stored = (await linli.api('GET', `/api/estates/${E}/alerts?status=open`)).body.items;
    expect(stored.find((a: any) => a.kind === 'charger.smoke').detail.stoppedPorts.sort()).toEqual([1, 2]);
    const sessions = (await linli.api('GET', `/api/estates/${E}/charging/sessions?shedId=shed-1`)).body.items.filter((s: any) => s.stopReason === 'smoke');
    expect(sessions.map((s: any) => s.port).sort()).toEqual([1, 2]);
    // residents at the shed see why charging stopped, without any personal data
    const pub = (await linli.api('GET', '/api/public/sheds/shed-1', undefined, '')).body;
    expect(pub.alarm.title).toContain('烟雾');
  });

  it('a shed in maintenance mode says 维修中 on its public page, with no personal data', async () => {
    const until = new Date(clock.now() + 2 * 3_600_000).toISOString();
    expect((await linli.api('POST', `/api/estates/${E}/devices/shed-1/maintenance-mode`, { until, reason: '更换漏电保护器' })).status).toBe(200);
    const pub = (await linli.api('GET', '/api/public/sheds/shed-1', undefined, '')).body;
    expect(pub.maintenance).toMatchObject({ reason: '更换漏电保护器' });
    expect((await linli.api('DELETE', `/api/estates/${E}/devices/shed-1/maintenance-mode`)).status).toBe(200);
    expect((await linli.api('GET', '/api/public/sheds/shed-1', undefined, '')).body.maintenance).toBeNull();
  });

  it('a top-up for a household that does not exist is refused', async () => {
    expect((await linli.api('POST', `/api/estates/${E}/charging/accounts/9-9-909/topup`, { amountFen: 100 })).status).toBe(404);
  });
});

describe('occupancy after full', () => {
  it('a full bike left on the port pays the occupancy fee after the grace period, billed when it is unplugged', async () => {
    const E2 = 'estate-occupy';
    const secret = await registerDevice(linli, E2, { id: 'shed-occ', kind: 'charger', ports: 4 });
    const charter = aCharterVersion();
    (charter.document as any).charging = aChargingSection((c: any) => (c.pricing.occupancy = { graceMinutes: 30, perHourFen: 200 }));
    expect((await linli.api('POST', `/api/estates/${E2}/charter/versions`, charter)).status).toBe(201);
    await linli.api('POST', `/api/estates/${E2}/households`, { building: '1', unit: '1', room: '101' });
    await linli.api('POST', `/api/estates/${E2}/cards`, { cardId: 'card-101', householdId: '1-1-101', purposes: ['charger'] });
    await linli.api('POST', `/api/estates/${E2}/charging/accounts/1-1-101/topup`, { amountFen: 1000 });
    const d = await connectDevice(linli.mqttUrl, E2, 'shed-occ', secret);
    d.client.on('message', (topic, payload) => {
      if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: ts() }));
    });
    await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
    const tele = (powerW: number, energyWh: number) => d.send('telemetry', { id: nextId('t'), ts: ts(), ports: [{ port: 1, powerW, energyWh, tempC: 30 }] });
    await d.send('event', { id: nextId('sw'), ts: ts(), type: 'port.request', port: 1, cardId: 'card-101' });
    const start = await waitFor(() => d.commands.find((c) => c.type === 'start'));
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E2}/charging/sessions`)).body.items[0]?.status === 'charging');
    await tele(150, 0);
    clock.offsetMs += 40 * MIN;
    await tele(10, 100);
    clock.offsetMs += 10 * MIN;
    await tele(8, 101); // full: charging time 40 min → ¥1
    await waitFor(() => d.commands.find((c) => c.type === 'stop'));
    const held = await waitFor(async () => (await linli.api('GET', `/api/estates/${E2}/charging/sessions`)).body.items.find((x: any) => x.status === 'full'));
    expect(held.feeFen).toBeUndefined();
    const pub = (await linli.api('GET', '/api/public/sheds/shed-occ', undefined, '')).body;
    expect(pub.ports[0].state).toBe('full');
    clock.offsetMs += 90 * MIN; // taken away 90 min after full: 60 min past the 30 min grace → ¥2 occupancy
    await d.send('event', { id: nextId('ps'), ts: ts(), type: 'port.state', port: 1, state: 'available' });
    const ended = await waitFor(async () => (await linli.api('GET', `/api/estates/${E2}/charging/sessions`)).body.items.find((x: any) => x.id === start.sessionId && x.status === 'ended'));
    expect(ended).toMatchObject({ stopReason: 'full', feeFen: 300 });
    expect(ended.feeExplain).toMatch(/占位/);
    await d.close();
  });
});

describe('the breaker budget queue', () => {
  it('a queued swipe starts when a port frees, unless its bike was unplugged meanwhile', async () => {
    const E3 = 'estate-queue';
    const secret = await registerDevice(linli, E3, { id: 'shed-q', kind: 'charger', ports: 4 });
    const charter = aCharterVersion();
    (charter.document as any).charging = aChargingSection((c: any) => (c.breaker = { clause: '5.3', maxChargingPorts: 1, whenOver: 'queue' }));
    expect((await linli.api('POST', `/api/estates/${E3}/charter/versions`, charter)).status).toBe(201);
    await linli.api('POST', `/api/estates/${E3}/households`, { building: '2', unit: '1', room: '201' });
    for (const c of ['q-1', 'q-2', 'q-3']) await linli.api('POST', `/api/estates/${E3}/cards`, { cardId: c, householdId: '2-1-201', purposes: ['charger'] });
    await linli.api('POST', `/api/estates/${E3}/charging/accounts/2-1-201/topup`, { amountFen: 1000 });
    const d = await connectDevice(linli.mqttUrl, E3, 'shed-q', secret);
    d.client.on('message', (topic, payload) => {
      if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: ts() }));
    });
    await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
    const ev = (body: Record<string, unknown>) => d.send('event', { id: nextId('q'), ts: ts(), ...body });
    await ev({ type: 'port.request', port: 1, cardId: 'q-1' });
    await waitFor(() => d.commands.find((c) => c.type === 'start' && c.port === 1));
    await ev({ type: 'port.request', port: 2, cardId: 'q-2' }); // over budget: queued
    await ev({ type: 'port.request', port: 3, cardId: 'q-3' }); // queued too
    await waitFor(() => d.commands.filter((c) => c.type === 'deny').length === 2);
    await ev({ type: 'port.state', port: 3, state: 'available' }); // q-3 gave up and unplugged
    await ev({ type: 'port.state', port: 1, state: 'available' }); // port 1's bike taken away: budget frees
    await waitFor(() => d.commands.find((c) => c.type === 'start' && c.port === 2), 3000, 'queued start on port 2');
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E3}/charging/sessions`)).body.items.some((x: any) => x.port === 2 && x.status === 'charging'));
    await ev({ type: 'port.state', port: 2, state: 'available' }); // budget frees again: q-3's turn would come now
    await new Promise((r) => setTimeout(r, 400));
    expect(d.commands.filter((c) => c.type === 'start' && c.port === 3)).toEqual([]);
    await d.close();
  });
});
