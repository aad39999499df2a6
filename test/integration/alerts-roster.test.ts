import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectDevice, nextId, now } from '../support/devices.js';
import { aCharterVersion } from '../support/charter.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-duty';
const MIN = 60_000;
/** Simulated time: the test moves it and calls the escalation tick itself. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
let linli: TestLinli;
let gateSecret: string;
let liftSecret: string;
const inbox = new Map<string, { at: number; msg: any }[]>();
const sockets: WebSocket[] = [];
const company: { at: number; body: any }[] = [];
let receiver: Server;

async function person(username: string, role: string) {
  if (username !== 'admin') await linli.api('POST', '/api/users', { username, password: passwordFor(username), role, mustChangePassword: false });
  const token = username === 'admin' ? linli.token : (await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token;
  const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${token}`);
  inbox.set(username, []);
  ws.on('message', (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.type === 'alert.notify') inbox.get(username)!.push({ at: Date.now(), msg });
  });
  await new Promise((r) => ws.once('open', r));
  sockets.push(ws);
  return token as string;
}
const told = (u: string, kind: string) => inbox.get(u)!.filter((x) => x.msg.alert.kind === kind).map((x) => x.msg.what);
const tickAt = (minutes: number) => {
  clock.offsetMs = minutes * MIN;
  linli.engine.tick();
};

let volA: string;
let volB: string;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      company.push({ at: Date.now(), body: JSON.parse(body) });
      res.end('{}');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  linli = await startTestLinli({ LINLI_OFFLINE_DEBOUNCE_MS: '300', LINLI_ALERT_TICK_MS: '3600000' }, { clock });
  gateSecret = await registerDevice(linli, E, { id: 'gate-d1', kind: 'gate' });
  liftSecret = await registerDevice(linli, E, { id: 'lift-d1', kind: 'elevator', lowestFloor: 1, highestFloor: 7 });
  const charter = aCharterVersion((p) => (p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, gates: ['gate-d1'] }]));
  (charter.document as any).alerts = { clause: '7.1', escalateAfterMin: 10, remindEveryMin: 5, committeeAfterMin: 20 };
  (charter.document as any).elevator = { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() };
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  volA = await person('vol-a', 'volunteer');
  volB = await person('vol-b', 'volunteer');
  await person('vol-c', 'volunteer');
  await person('admin', 'committee');
  const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '23:59', skill: 'gate', usernames: ['vol-a', 'vol-b'] }));
  const roster = {
    volunteers: [{ username: 'vol-a', skills: ['gate'] }, { username: 'vol-b', skills: ['gate', 'general'] }, { username: 'vol-c', skills: ['elevator'] }],
    shifts: [...allDay, ...[1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '23:59', skill: 'elevator', usernames: ['vol-c'] }))],
    swaps: [],
    committee: ['admin'],
    elevatorCompany: { name: '安达电梯维保', contact: 'external:anda' },
  };
  expect((await linli.api('PUT', `/api/estates/${E}/roster`, roster)).status).toBe(200);
  const port = (receiver.address() as { port: number }).port;
  // The receiver is on this machine: the install's administrator allows 127.0.0.1 for the estate first.
  expect((await linli.api('PUT', `/api/estates/${E}/notification-channels/allowed-hosts`, { hosts: ['127.0.0.1'] })).status).toBe(200);
  expect((await linli.api('POST', `/api/estates/${E}/notification-channels`, { owner: 'external:anda', kind: 'json', url: `http://127.0.0.1:${port}/hook`, secret: 's3cret' })).status).toBe(201);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  receiver.close();
  await linli.stop();
});

describe('an alert reaches a person who acts', () => {
  it('gate offline → the gates volunteer on duty → reminder → the next → the committee; a claim stops it; the gate coming back clears it', async () => {
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/gate-d1`)).body.online);
    gate.client.stream.destroy();
    await waitFor(() => told('vol-a', 'device.offline').length === 1, 3000, 'duty volunteer told');
    expect(told('vol-b', 'device.offline')).toEqual([]);
    expect(told('admin', 'device.offline')).toEqual([]);

    tickAt(5); // still unclaimed: remind
    await waitFor(() => told('vol-a', 'device.offline').includes('reminded'));
    expect(told('vol-b', 'device.offline')).toEqual([]);
    tickAt(10); // escalate to the next person
    await waitFor(() => told('vol-b', 'device.offline').includes('escalated'));
    expect(told('admin', 'device.offline')).toEqual([]);
    tickAt(20); // and to the committee
    await waitFor(() => told('admin', 'device.offline').includes('escalated'));

    const alert = (await linli.api('GET', `/api/estates/${E}/alerts/inbox`, undefined, volB)).body.mine.find((a: any) => a.kind === 'device.offline');
    expect((await linli.api('POST', `/api/estates/${E}/alerts/${alert.id}/claim`, undefined, volB)).status).toBe(200);
    const before = [...inbox.values()].reduce((n, l) => n + l.length, 0);
    tickAt(30);
    tickAt(45);
    await new Promise((r) => setTimeout(r, 200));
    expect([...inbox.values()].reduce((n, l) => n + l.length, 0)).toBe(before); // nobody is bothered once claimed
    const othersOpen = (await linli.api('GET', `/api/estates/${E}/alerts/inbox`, undefined, volA)).body.open;
    expect(othersOpen.find((a: any) => a.id === alert.id)).toBeUndefined();

    const back = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    const cleared = await waitFor(async () => {
      const a = (await linli.api('GET', `/api/estates/${E}/alerts/${alert.id}`)).body;
      return a.status === 'cleared' && a;
    });
    expect(cleared.timeline.map((e: any) => e.what)).toEqual(expect.arrayContaining(['raised', 'notified', 'reminded', 'escalated', 'claimed', 'cleared']));
    // the volunteer who went still closes it with what they found, and earns the points
    const done = await linli.api('POST', `/api/estates/${E}/alerts/${alert.id}/resolve`, { note: '到场查看，网线松动已插好' }, volB);
    expect(done.body).toMatchObject({ status: 'closed', closeNote: '到场查看，网线松动已插好' });
    const volunteers = (await linli.api('GET', `/api/estates/${E}/volunteers`)).body.items;
    expect(volunteers.find((v: any) => v.username === 'vol-b').points).toBe(3); // a high alert, by the default charter points
    await back.close();
  });

  it('offline and back within the debounce raises nothing', async () => {
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    await new Promise((r) => setTimeout(r, 100));
    const count = (await linli.api('GET', `/api/estates/${E}/alerts`)).body.items.length;
    gate.client.stream.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const again = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    await new Promise((r) => setTimeout(r, 600));
    expect((await linli.api('GET', `/api/estates/${E}/alerts`)).body.items.length).toBe(count);
    await again.close();
  });

  it('a trapped passenger reaches everyone on the list and the elevator company within one second, and stays open after the device clears it', async () => {
    const lift = await connectDevice(linli.mqttUrl, E, 'lift-d1', liftSecret);
    const sentAt = Date.now();
    await lift.send('event', { id: nextId('f'), ts: now(), type: 'fault', code: 'trapped', active: true, floor: 3 });
    for (const u of ['vol-a', 'vol-b', 'vol-c', 'admin']) {
      const first = await waitFor(() => inbox.get(u)!.find((x) => x.msg.alert.kind === 'elevator.trapped'), 2000, `${u} told`);
      expect(first.at - sentAt).toBeLessThan(1000);
    }
    const hook = await waitFor(() => company.find((c) => JSON.stringify(c.body).includes('困')), 2000, 'company webhook');
    expect(hook.at - sentAt).toBeLessThan(1000);
    await lift.send('event', { id: nextId('f'), ts: now(), type: 'fault', code: 'trapped', active: false, floor: 3 });
    const a = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/alerts?status=open`)).body.items.find((x: any) => x.kind === 'elevator.trapped' && x.deviceClearedAt));
    expect(a.status).toBe('open');
    const resolved = await linli.api('POST', `/api/estates/${E}/alerts/${a.id}/claim`, undefined, volA);
    expect(resolved.status).toBe(200);
    expect((await linli.api('POST', `/api/estates/${E}/alerts/${a.id}/resolve`, { note: '乘客已由维保人员救出' }, volA)).body.status).toBe('closed');
    const vols = (await linli.api('GET', `/api/estates/${E}/volunteers`)).body.items;
    expect(vols.find((v: any) => v.username === 'vol-a').points).toBeGreaterThan(0);
    await lift.close();
  });

  it('a device in maintenance mode holds its alerts until the mode ends by itself', async () => {
    const until = new Date(clock.now() + 30 * MIN).toISOString();
    expect((await linli.api('POST', `/api/estates/${E}/devices/gate-d1/maintenance-mode`, { until, reason: '更换道闸电机' })).status).toBe(200);
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    await new Promise((r) => setTimeout(r, 100));
    const toldBefore = told('vol-a', 'device.offline').length;
    gate.client.stream.destroy();
    const held = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/alerts?status=open`)).body.items.find((x: any) => x.kind === 'device.offline' && x.held));
    expect(told('vol-a', 'device.offline').length).toBe(toldBefore);
    tickAt(clock.offsetMs / MIN + 31); // the mode has ended: the held alert goes out now
    await waitFor(() => told('vol-a', 'device.offline').length > toldBefore, 3000, 'released');
    const after = (await linli.api('GET', `/api/estates/${E}/alerts/${held.id}`)).body;
    expect(after.timeline.map((e: any) => e.what)).toEqual(expect.arrayContaining(['held', 'released', 'notified']));
  });
});

describe('a device clock far off', () => {
  it('is an alert after three telemetry readings in a row, not for events buffered through an outage', async () => {
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-d1', gateSecret);
    const old = new Date(clock.now() - 3 * 3_600_000).toISOString();
    const skewAlerts = async () => (await linli.api('GET', `/api/estates/${E}/alerts?status=open`)).body.items.filter((a: any) => a.kind === 'device.clock-skew');
    await gate.send('event', { id: nextId('gm'), ts: old, type: 'gate.manual', action: 'open', source: 'offline-whitelist', plate: '鄂A12345', direction: 'in' });
    await gate.send('telemetry', { id: nextId('t'), ts: old, cycles: 1, motorTempC: 30 });
    await gate.send('telemetry', { id: nextId('t'), ts: old, cycles: 2, motorTempC: 30 });
    expect(await skewAlerts()).toEqual([]);
    await gate.send('telemetry', { id: nextId('t'), ts: old, cycles: 3, motorTempC: 30 });
    await waitFor(async () => (await skewAlerts()).length === 1, 2000, 'skew alert');
    await gate.send('telemetry', { id: nextId('t'), ts: new Date(clock.now()).toISOString(), cycles: 4, motorTempC: 30 });
    await waitFor(async () => (await skewAlerts()).length === 0, 2000, 'skew cleared');
    await gate.close();
  });
});

describe('swaps', () => {
  it('refuses a swap that would change nobody’s duty, naming the field; a good one changes who is on duty', async () => {
    const today = new Date(clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const swap = (token: string, body: object) => linli.api<{ message: string }>('POST', `/api/estates/${E}/roster/swaps`, body, token);
    // vol-c has no gate shift: nothing to hand over.
    const noShift = await swap(linli.token, { date: today, skill: 'gate', from: 'vol-c', to: 'vol-b' });
    expect(noShift.status).toBe(400);
    expect(noShift.body.message).toMatch(/^body\.from: vol-c has no gate shift/);
    // vol-c cannot take a gate shift: without the skill, nobody would be reached.
    const noSkill = await swap(volA, { date: today, skill: 'gate', from: 'vol-a', to: 'vol-c' });
    expect(noSkill.status).toBe(400);
    expect(noSkill.body.message).toMatch(/^body\.to: vol-c does not have the gate skill/);
    const roster = (await linli.api<{ roster: { swaps: unknown[] } }>('GET', `/api/estates/${E}/roster`)).body.roster;
    expect(roster.swaps).toEqual([]);
  });
});
