import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VzenithSim } from '../../simulators/vendors/vzenith-sim.js';
import { aCharterVersion } from '../support/charter.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * The 臻识 camera simulator against the real server: registered as a committee
 * does (vendor vzenith, transport http, gateId, direction), it speaks only the
 * vendor's HTTP push protocol to `connect.pushUrl` and acts on the answers.
 */

const E = 'estate-vzsim';
const SN = 'ab12cd34-56789012';
const RESIDENT = '鄂A52013';
const STRANGER = '湘A77001';

let linli: TestLinli;
let cam: VzenithSim;

beforeAll(async () => {
  linli = await startTestLinli();
  expect((await linli.api('POST', '/api/estates', { id: E, name: '和平里' })).status).toBe(201);
  const reg = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam-s-in', kind: 'camera', name: '南门入口相机', vendor: 'vzenith', serialNo: SN, transport: 'http', gateId: 'gate-s', direction: 'in', vendorSettings: { cometHoldMs: 300 } });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 500, reservedForResidents: 10, gates: ['gate-s'] }];
    p.classes.temporary = { clause: '2.7', allowed: false };
  });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: RESIDENT, class: 'resident', householdId: '3-2-501' })).status).toBe(201);
  cam = new VzenithSim({ pushUrl: reg.body.connect.pushUrl, serialNo: SN, driveThroughMs: 50 });
});
afterAll(async () => {
  await cam?.close();
  await linli.stop();
});

describe('the 臻识 camera simulator', () => {
  it('its heartbeat form brings the camera and the gate it drives online', async () => {
    const r = await cam.heartbeat();
    expect(r.status).toBe(200);
    expect(r.reply?.idle).toBe(true);
    const list = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items;
    expect(list.find((d: any) => d.id === 'cam-s-in').online).toBe(true);
    expect(list.find((d: any) => d.id === 'gate-s').online).toBe(true);
  });

  it('a resident’s plate: the answer opens, the board shows the welcome, and the loop detector reports the car through', async () => {
    const r = await cam.plate(RESIDENT);
    expect(r).toMatchObject({ status: 200, open: true, led: ['业主车辆', '欢迎回家'] });
    expect(cam.board).toEqual(['业主车辆', '欢迎回家']);
    const read = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-s-in&type=plate.read`)).body.items.find((e: any) => e.payload.plate === RESIDENT);
    expect(read).toMatchObject({ kind: 'camera', payload: { plate: RESIDENT, color: 'blue', confidence: 0.96 } });
    expect(read.id).toMatch(new RegExp(`^${SN}\\.\\d+\\.\\d+$`));
    const passage = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-s&type=gate.passage`)).body.items[0]);
    expect(passage.payload).toMatchObject({ type: 'gate.passage', direction: 'in' });
    const stays = (await linli.api('GET', `/api/estates/${E}/parking/stays?plate=${encodeURIComponent(RESIDENT)}&open=true`)).body.items;
    expect(stays).toHaveLength(1);
  });

  it('a stranger’s plate: the answer does not open and the arm stays down', async () => {
    const opens = cam.opens;
    const r = await cam.plate(STRANGER);
    expect(r.status).toBe(200);
    expect(r.open).toBe(false);
    expect(r.led.length).toBeGreaterThan(0);
    expect(cam.opens).toBe(opens);
  });

  it('comet polling: a guard’s manual open reaches the camera in a held heartbeat, and the relay pulses', async () => {
    const opened = new Promise((resolve) => cam.once('open', resolve));
    cam.startPolling(50);
    await new Promise((r) => setTimeout(r, 100));
    const open = await linli.api('POST', `/api/estates/${E}/gates/gate-s/open`, { direction: 'in', reason: '救护车送病人', plate: '鄂A99999' });
    expect(open.status).toBe(202);
    const acted = (await opened) as { open: boolean; led: string[] };
    expect(acted).toMatchObject({ open: true, led: ['人工放行'] });
    const cmd = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-s`)).body.items.find((c: any) => c.cmdId === open.body.cmdId && c.status === 'acked'));
    expect(cmd.note).toMatch(/^delivered in the HTTP reply/);
  });

  it('a backlog record the camera’s whitelist opened becomes a gate.manual, answered with ContinuePushOffline', async () => {
    const atMs = Date.now() - 20 * 60_000;
    const r = await cam.offlineRecord(RESIDENT, { whitelistOpened: true, atMs });
    expect(r?.reply?.continuePushOffline).toMatchObject({ continue: true });
    const manual = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-s&type=gate.manual`)).body.items[0]);
    expect(manual.payload).toMatchObject({ action: 'open', source: 'offline-whitelist', plate: RESIDENT });
  });
});
