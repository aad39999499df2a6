import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anAck, connectDevice, nextId, now, type TestDevice } from '../support/devices.js';
import { aCharterVersion } from '../support/charter.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-lift';
let linli: TestLinli;
let lift: TestDevice;
const live: { at: number; msg: any }[] = [];
let ws: WebSocket;

beforeAll(async () => {
  linli = await startTestLinli();
  const secret = await registerDevice(linli, E, { id: 'lift-3-2', kind: 'elevator', lowestFloor: 1, highestFloor: 7, name: '3号楼2单元电梯' });
  const charter = aCharterVersion();
  (charter.document as any).elevator = { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() };
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  for (const room of ['301', '302', '501', '601', '701']) await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room, areaM2: 85 });
  for (const h of ['3-2-301', '3-2-302', '3-2-501', '3-2-701']) expect((await linli.api('POST', `/api/estates/${E}/elevators/lift-3-2/members`, { householdId: h })).status).toBe(201);
  await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-501', householdId: '3-2-501', purposes: ['elevator'] });
  await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-601', householdId: '3-2-601', purposes: ['elevator'] });
  ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${linli.token}`);
  ws.on('message', (m) => live.push({ at: Date.now(), msg: JSON.parse(m.toString()) }));
  await new Promise((r) => ws.once('open', r));
  lift = await connectDevice(linli.mqttUrl, E, 'lift-3-2', secret);
  lift.client.on('message', (topic, payload) => {
    if (topic === lift.topic('cmd')) void lift.send('ack', anAck(JSON.parse(payload.toString()).cmdId));
  });
  await lift.client.subscribeAsync(lift.topic('cmd'), { qos: 1 });
});
afterAll(async () => {
  ws.close();
  await lift.close();
  await linli.stop();
});

const alertsOf = async (kind: string) => (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/faults`)).body.items.filter((a: any) => a.kind === kind);

describe('a retrofitted elevator over real MQTT', () => {
  it('a trapped passenger reaches the live dashboard in under a second, and stays open after the device clears it', async () => {
    const sentAt = Date.now();
    await lift.send('event', { id: nextId('f'), ts: now(), type: 'fault', code: 'trapped', active: true, floor: 4 });
    const pushed = await waitFor(() => live.find((l) => l.msg.type === 'alert.raised' && l.msg.kind === 'elevator.trapped'), 2000, 'trapped pushed');
    expect(pushed.at - sentAt).toBeLessThan(1000);
    expect(pushed.msg).toMatchObject({ severity: 'critical', needsPerson: true, deviceId: 'lift-3-2' });
    expect(pushed.msg.title).toContain('4层');

    await lift.send('event', { id: nextId('f'), ts: now(), type: 'fault', code: 'trapped', active: false, floor: 4 });
    const afterClear = await waitFor(async () => (await alertsOf('elevator.trapped')).find((a: any) => a.deviceClearedAt), 2000, 'device cleared');
    expect(afterClear.status).toBe('open');

    await linli.api('POST', '/api/users', { username: 'vol-li', password: passwordFor('vol-li'), role: 'volunteer', mustChangePassword: false });
    const vol = (await linli.api('POST', '/api/auth/login', { username: 'vol-li', password: passwordFor('vol-li') })).body.token;
    const noNote = await linli.api('POST', `/api/estates/${E}/alerts/${afterClear.id}/close`, { note: '' }, vol);
    expect(noNote.status).toBe(400);
    const closed = await linli.api('POST', `/api/estates/${E}/alerts/${afterClear.id}/close`, { note: '维保公司到场，乘客已安全离开' }, vol);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'vol-li' });
  });

  it('a card swipe gets the right floors: a contributing household its own floor and the ground floor', async () => {
    const n = lift.commands.length;
    await lift.send('event', { id: nextId('s'), ts: now(), type: 'card.swipe', cardId: 'card-501', floor: 1 });
    const grant = await waitFor(() => lift.commands.slice(n).find((c) => c.type === 'grant'));
    expect(grant).toMatchObject({ cardId: 'card-501', floors: [1, 5] });
  });

  it('a household that did not contribute rides pay-per-ride from its balance, or is refused', async () => {
    let n = lift.commands.length;
    await lift.send('event', { id: nextId('s'), ts: now(), type: 'card.swipe', cardId: 'card-601', floor: 1 });
    const deny = await waitFor(() => lift.commands.slice(n).find((c) => c.type === 'deny'));
    expect(deny.cardId).toBe('card-601');
    expect(deny.reason).toMatch(/^余额不足/);
    await linli.api('POST', `/api/estates/${E}/charging/accounts/3-2-601/topup`, { amountFen: 500 });
    n = lift.commands.length;
    await lift.send('event', { id: nextId('s'), ts: now(), type: 'card.swipe', cardId: 'card-601', floor: 1 });
    const grant = await waitFor(() => lift.commands.slice(n).find((c) => c.type === 'grant'));
    expect(grant).toMatchObject({ cardId: 'card-601', floors: [1, 6] });
    const account = (await linli.api('GET', `/api/estates/${E}/charging/accounts/3-2-601`)).body;
    expect(account.balanceFen).toBe(400); // ¥1 a ride, by the charter
    expect(account.ledger[0]).toMatchObject({ kind: 'ride', amountFen: -100 });
  });

  it('derives a fault the controller did not report: moving with the door open', async () => {
    await lift.send('telemetry', { id: nextId('t'), ts: now(), floor: 3, direction: 'up', doorOpen: true, running: true });
    const a = await waitFor(async () => (await alertsOf('elevator.door-open-while-running'))[0]);
    expect(a).toMatchObject({ status: 'open', severity: 'critical' });
    expect(a.detail.derived).toBe(true);
  });

  it('records rides per card and household, and counts them by floor', async () => {
    await lift.send('event', { id: nextId('r'), ts: now(), type: 'ride', from: 1, to: 5, cardId: 'card-501' });
    await lift.send('event', { id: nextId('r'), ts: now(), type: 'ride', from: 5, to: 1, cardId: 'card-501' });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const rides = await waitFor(async () => {
      const r = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/rides?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body;
      return r.total === 2 && r;
    });
    expect(rides.byFloor).toEqual({ '1': 1, '5': 1 });
  });

  it('maintenance is due within 15 days of the last visit; none on record is overdue', async () => {
    let list = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/maintenance`)).body;
    expect(list.status.overdue).toBe(true);
    const doneAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const rec = await linli.api('POST', `/api/estates/${E}/elevators/lift-3-2/maintenance`, { doneBy: '安达电梯维保 张师傅', doneAt, what: '半月保养：门机、曳引机、安全回路' });
    expect(rec.status).toBe(201);
    expect(Date.parse(rec.body.nextDue) - Date.parse(doneAt)).toBe(15 * 86_400_000);
    list = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/maintenance`)).body;
    expect(list.status.overdue).toBe(false);
  });

  it('splits the build cost among the members so the shares add up exactly', async () => {
    const split = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/cost-split?totalFen=35000000`)).body;
    expect(split.shares).toHaveLength(4);
    expect(split.shares.reduce((a: number, s: any) => a + s.shareFen, 0)).toBe(split.toShareFen);
    const byHousehold = Object.fromEntries(split.shares.map((s: any) => [s.householdId, s.shareFen]));
    expect(byHousehold['3-2-701']).toBeGreaterThan(byHousehold['3-2-501']);
  });

  it('a split that cannot be made says why (400), and a maintenance visit cannot be dated in the future', async () => {
    const running = await linli.api('POST', `/api/estates/${E}/elevators/lift-3-2/running-costs`, { month: '2026-10', kind: 'electricity', fen: 12050 });
    expect(running.status).toBe(201);
    const split = (await linli.api('GET', `/api/estates/${E}/elevators/lift-3-2/running-costs?month=2026-10`)).body.split;
    expect(split.shares.reduce((a: number, x: any) => a + x.shareFen, 0)).toBe(12050);
    const future = await linli.api('POST', `/api/estates/${E}/elevators/lift-3-2/maintenance`, { doneBy: '张师傅', doneAt: new Date(Date.now() + 86_400_000).toISOString(), what: '保养' });
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/^body\.doneAt/);
  });
});
