import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anAck, aPlateRead, connectDevice, nextId, now, type TestDevice } from '../support/devices.js';
import { aCharterVersion } from '../support/charter.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-park';
let linli: TestLinli;
let gate: TestDevice;
let camIn: TestDevice;
let camOut: TestDevice;
const live: any[] = [];
let ws: WebSocket;
const configs: any[] = [];

/** A gate that acks every command at once and keeps what it was told. */
async function connectGate(secret: string) {
  const g = await connectDevice(linli.mqttUrl, E, 'gate-n1', secret);
  g.client.on('message', (topic, payload) => {
    const body = JSON.parse(payload.toString());
    if (topic === g.topic('config')) configs.push(body);
    if (topic === g.topic('cmd')) void g.send('ack', anAck(body.cmdId));
  });
  await g.client.subscribeAsync([g.topic('cmd'), g.topic('config')], { qos: 1 });
  return g;
}

/** Simulated time for the whole estate: server and devices read the same clock, so an hour can pass in a test. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
const read = (cam: TestDevice, plate: string) => cam.send('event', aPlateRead({ plate, confidence: 0.97, ts: new Date(clock.now()).toISOString() }));
const nextCommand = (after: number) => waitFor(() => gate.commands.length > after && gate.commands[after], 3000, 'gate command');

beforeAll(async () => {
  linli = await startTestLinli({}, { clock });
  const gateSecret = await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate' });
  const inSecret = await registerDevice(linli, E, { id: 'cam-n1-in', kind: 'camera', gateId: 'gate-n1', direction: 'in' });
  const outSecret = await registerDevice(linli, E, { id: 'cam-n1-out', kind: 'camera', gateId: 'gate-n1', direction: 'out' });
  // The charter: a lot behind gate-n1; visitors pay ¥6 for the first hour from the first minute.
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, reservedForResidents: 10, gates: ['gate-n1'] }];
    p.tariff = { clause: '3.1', freeMinutes: 0, firstPeriod: { minutes: 60, priceFen: 600 }, increment: { minutes: 30, priceFen: 100 } };
  });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂A12345', class: 'resident', householdId: '3-2-501' })).status).toBe(201);
  ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${linli.token}`);
  ws.on('message', (m) => live.push(JSON.parse(m.toString())));
  await new Promise((r) => ws.once('open', r));
  gate = await connectGate(gateSecret);
  camIn = await connectDevice(linli.mqttUrl, E, 'cam-n1-in', inSecret);
  camOut = await connectDevice(linli.mqttUrl, E, 'cam-n1-out', outSecret);
});
afterAll(async () => {
  ws.close();
  for (const d of [gate, camIn, camOut]) await d.close();
  await linli.stop();
});

describe('at the gate, with real MQTT devices', () => {
  it('a resident car: camera read → open with the Chinese welcome → ack → stay → live push with the clause', async () => {
    const n = gate.commands.length;
    await read(camIn, '鄂A12345');
    const cmd = await nextCommand(n);
    expect(cmd).toMatchObject({ type: 'open', direction: 'in', plate: '鄂A12345', display: '业主车辆 欢迎回家', voice: '业主车辆，欢迎回家' });
    const pushed = await waitFor(() => live.find((m) => m.type === 'parking.decision' && m.plate === '鄂A12345'));
    expect(pushed).toMatchObject({ action: 'open', clause: '2.1', charterVersion: 1, gateId: 'gate-n1', direction: 'in' });
    expect(pushed.explain).toContain('业主车辆');
    const outcome = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-n1`)).body.items.find((c: any) => c.cmdId === cmd.cmdId && c.status === 'acked'));
    expect(outcome.attempts).toBe(1);
    const stays = (await linli.api('GET', `/api/estates/${E}/parking/stays?plate=鄂A12345&open=true`)).body.items;
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ vehicleClass: 'resident', entrySource: 'camera', lotId: 'lot-main' });
  });

  it('a repeated read of the same plate on the lane moves nothing', async () => {
    const n = gate.commands.length;
    await read(camIn, '鄂A12345');
    await new Promise((r) => setTimeout(r, 300));
    expect(gate.commands.length).toBe(n);
  });

  it('a visitor: enters as a temporary car, exits, is asked ¥6, pays, and the arm lifts', async () => {
    let n = gate.commands.length;
    await read(camIn, '湘A88888');
    // capacity 50, 10 kept for residents, 1 resident inside: 39 visitor spaces, 38 after this car
    expect(await nextCommand(n)).toMatchObject({ type: 'open', display: '临时车 免费0分钟 余位38' });
    clock.offsetMs += 59 * 60_000; // 59 minutes later: the first hour, ¥6
    n = gate.commands.length;
    await read(camOut, '湘A88888');
    const deny = await nextCommand(n);
    expect(deny).toMatchObject({ type: 'deny', display: '请缴费 ¥6', voice: '请缴费6元' });
    const decision = await waitFor(() => live.find((m) => m.type === 'parking.decision' && m.plate === '湘A88888' && m.direction === 'out'));
    expect(decision).toMatchObject({ action: 'deny', feeFen: 600, clause: '3.1' });
    n = gate.commands.length;
    const paid = await linli.api('POST', `/api/estates/${E}/parking/stays/${decision.stayId}/pay`, { method: 'cash' });
    expect(paid.status).toBe(200);
    expect(await nextCommand(n)).toMatchObject({ type: 'open', direction: 'out', display: '缴费成功 一路顺风' });
    expect(paid.body.stay).toMatchObject({ feeFen: 600, payment: 'paid' });
    expect(paid.body.stay.exitAt).toBeTruthy();
  });

  it('an exit with no entry waits for the guard, who matches it to a car inside', async () => {
    const n = gate.commands.length;
    await read(camOut, '粤B55555');
    expect(await nextCommand(n)).toMatchObject({ type: 'display', display: '无入场记录 请稍候' });
    const queue = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/parking/unmatched-exits`)).body.items.find((u: any) => u.plateRead === '粤B55555'));
    expect(queue.candidates.map((c: any) => c.plate)).toContain('鄂A12345');
    const stayId = queue.candidates.find((c: any) => c.plate === '鄂A12345').stayId;
    const resolved = await linli.api('POST', `/api/estates/${E}/parking/unmatched-exits/${queue.id}/resolve`, { stayId });
    expect(resolved.status).toBe(200);
    expect(resolved.body.stay).toMatchObject({ plate: '鄂A12345', exitSource: 'guard-match', feeFen: 0 });
    expect((await linli.api('GET', `/api/estates/${E}/parking/unmatched-exits`)).body.items).toHaveLength(0);
  });

  it('a guard opens by hand only with a reason, and the committee sees it', async () => {
    const refused = await linli.api('POST', `/api/estates/${E}/gates/gate-n1/open`, { direction: 'in', reason: '' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^body\.reason/);
    const n = gate.commands.length;
    const ok = await linli.api('POST', `/api/estates/${E}/gates/gate-n1/open`, { direction: 'in', reason: '救护车送病人', plate: '鄂A99999' });
    expect(ok.status).toBe(202);
    expect(await nextCommand(n)).toMatchObject({ type: 'open', display: '人工放行' });
    const audit = (await linli.api('GET', `/api/estates/${E}/parking/manual-opens`)).body.items;
    expect(audit[0]).toMatchObject({ gateId: 'gate-n1', reason: '救护车送病人', byUser: 'admin', plate: '鄂A99999' });
  });
});

describe('offline mode', () => {
  it('the gate holds a retained whitelist of the classes the charter lets in unattended, and reports its version', async () => {
    const cfg = await waitFor(() => configs.find((c) => c.plates.includes('鄂A12345')), 3000, 'whitelist');
    expect(cfg).toMatchObject({ offlineMode: 'whitelist' });
    expect(cfg.plates).not.toContain('湘A88888');
    // a new monthly car → a new version
    await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂B66666', class: 'monthly', validUntil: '2099-12-31' });
    const next = await waitFor(() => configs.find((c) => c.plates.includes('鄂B66666')), 3000, 'new whitelist');
    expect(next.version).toBeGreaterThan(cfg.version);
    let lanes = (await linli.api('GET', `/api/estates/${E}/parking/lanes`)).body;
    expect(lanes.lots[0].gates[0].whitelist).toMatchObject({ version: next.version, upToDate: false });
    await gate.send('status', { online: true, fw: '2.0.0', configVersion: next.version }, { retain: true });
    lanes = await waitFor(async () => {
      const l = (await linli.api('GET', `/api/estates/${E}/parking/lanes`)).body;
      return l.lots[0].gates[0].whitelist.upToDate && l;
    });
    expect(lanes.lots[0].gates[0].whitelist.reportedVersion).toBe(next.version);
  });

  it('after an outage, the gate’s own whitelist opens become stays', async () => {
    const at = new Date(clock.now() - 10 * 60_000).toISOString();
    await gate.send('event', { id: nextId('gm'), ts: at, type: 'gate.manual', action: 'open', source: 'offline-whitelist', plate: '鄂B66666', direction: 'in' });
    const stay = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/parking/stays?plate=鄂B66666&open=true`)).body.items[0]);
    expect(stay).toMatchObject({ entrySource: 'offline-whitelist', vehicleClass: 'monthly', entryAt: at });
    // and a plate read buffered through the outage does not move the arm now
    const n = gate.commands.length;
    await camIn.send('event', aPlateRead({ plate: '鄂B66666', ts: at }));
    // (a camera whose clock is simply wrong by a constant is not "buffered": its baseline lag carries the offset)
    await new Promise((r) => setTimeout(r, 300));
    expect(gate.commands.length).toBe(n);
  });
});

describe('the charter', () => {
  it('keeps every version, shows the adoption vote, and the difference between two', async () => {
    const v2 = aCharterVersion((p) => {
      p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 60, reservedForResidents: 10, gates: ['gate-n1'] }];
      p.tariff = { clause: '3.1', freeMinutes: 30, firstPeriod: { minutes: 60, priceFen: 600 }, increment: { minutes: 30, priceFen: 100 } };
    });
    expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, v2)).status).toBe(201);
    const versions = (await linli.api('GET', `/api/estates/${E}/charter/versions`)).body.items;
    expect(versions.map((v: any) => v.version)).toEqual([1, 2]);
    expect(versions[0].adoption).toMatchObject({ householdsFor: 402, householdsAgainst: 31 });
    const diff = (await linli.api('GET', `/api/estates/${E}/charter/diff?from=1&to=2`)).body.changes;
    expect(diff).toEqual(expect.arrayContaining([
      { path: 'document.parking.tariff.freeMinutes', from: 0, to: 30 },
      { path: 'document.parking.lots[lot-main].capacity', from: 50, to: 60 },
    ]));
    const backdated = await linli.api('POST', `/api/estates/${E}/charter/versions`, aCharterVersion(undefined, '2020-01-01T00:00:00Z'));
    expect(backdated.status).toBe(400);
    expect(backdated.body.message).toMatch(/^body\.effectiveFrom/);
    const n = gate.commands.length;
    await read(camIn, '闽D12121');
    expect((await nextCommand(n)).display).toMatch(/^临时车 免费30分钟 余位\d+$/);
    expect((await waitFor(() => live.find((m) => m.type === 'parking.decision' && m.plate === '闽D12121'))).charterVersion).toBe(2);
  });
});
