import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeFrame, encodeInfo, encodeLogin, splitFrames, decodeServerFrame, type ServerMessage } from '../../devices/vendors/elevatorbox/index.js';
import { startElevatorboxTcp } from '../../server/vendors/elevatorbox-tcp.js';
import { ElevatorBoxSim } from '../../simulators/vendors/elevatorbox-sim.js';
import { aCharterVersion } from '../support/charter.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { passwordFor, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * Elevator monitoring boxes over TCP (elevatorcloud-style `#10#{json}#13#`), end to end
 * through the real server: a lift registered with vendor elevatorcloud, transport tcp and
 * its box's eid; the simulated box connects to the port the registration names, logs in,
 * and its info frames become the lift's live state and its fault set becomes alerts.
 */

const E = 'estate-box';
const LIFT_A = 'lift-1-1';
const LIFT_B = 'lift-2-1';
const EID_A = 'mx12345678';
const EID_B = 'mx_861234567890123';

let linli: TestLinli;
let tcp: { host: string; port: number };
const live: { at: number; msg: any }[] = [];
let ws: WebSocket;
let volWs: WebSocket;
const boxes: ElevatorBoxSim[] = [];
/** What the elevator volunteer on duty is told on their own /live socket. */
const dutyInbox: { at: number; msg: any }[] = [];
let volToken: string;

async function register(id: string, eid: string, extra: Record<string, unknown> = {}) {
  return linli.api('POST', `/api/estates/${E}/devices`, { id, kind: 'elevator', name: id, lowestFloor: 1, highestFloor: 18, vendor: 'elevatorcloud', transport: 'tcp', serialNo: eid, ...extra });
}

function box(eid: string, faults: (number | string)[] = []): ElevatorBoxSim {
  const b = new ElevatorBoxSim({ ...tcp, eid, faults, infoEveryMs: 100 });
  boxes.push(b);
  return b;
}

/** Connects and logs in as a box does: `res_id` 2 (unknown error) means try again. */
async function login(b: ElevatorBoxSim): Promise<number> {
  for (let i = 0; ; i++) {
    const res = await b.connect();
    if (res !== 2 || i === 3) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const liftState = async (id: string) => (await linli.api('GET', `/api/estates/${E}/elevators`)).body.items.find((i: any) => i.id === id)?.state;
const alertsOf = async (id: string, kind: string) => (await linli.api('GET', `/api/estates/${E}/elevators/${id}/faults`)).body.items.filter((a: any) => a.kind === kind);
const deadLetters = async (id: string) => (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=${id}&limit=200`)).body.items as any[];

/** A raw TCP client (not the simulator): what an unregistered or misbehaving peer sees. */
async function rawPeer() {
  const socket = connect({ ...tcp, noDelay: true });
  const got: ServerMessage[] = [];
  let rest: Uint8Array = new Uint8Array(0);
  let closed = false;
  socket.on('data', (c: Buffer) => {
    const s = splitFrames(Buffer.concat([rest, c]));
    rest = s.rest;
    for (const f of s.frames) {
      const d = decodeServerFrame(f);
      if (d.ok) got.push(d.message);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  await waitFor(() => got.some((m) => m.type === 'need_login'), 3000, 'need_login');
  return { socket, got, closed: () => closed, write: (b: Uint8Array | string) => socket.write(typeof b === 'string' ? Buffer.from(b) : b) };
}

beforeAll(async () => {
  linli = await startTestLinli();
  tcp = { host: '127.0.0.1', port: linli.elevatorBoxes.port };
  expect((await linli.api('POST', '/api/estates', { id: E, name: '电梯盒小区' })).status).toBe(201);
  const charter = aCharterVersion();
  (charter.document as any).elevator = { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() };
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${linli.token}`);
  ws.on('message', (m) => live.push({ at: performance.now(), msg: JSON.parse(m.toString()) }));
  await new Promise((r) => ws.once('open', r));
  // The elevator volunteer on duty round the clock.
  await linli.api('POST', '/api/users', { username: 'vol-box', password: passwordFor('vol-box'), role: 'volunteer', mustChangePassword: false });
  volToken = (await linli.api('POST', '/api/auth/login', { username: 'vol-box', password: passwordFor('vol-box') })).body.token;
  const roster = {
    volunteers: [{ username: 'vol-box', skills: ['elevator'] }],
    shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '23:59', skill: 'elevator', usernames: ['vol-box'] })),
    swaps: [],
    committee: ['admin'],
    elevatorCompany: { name: '安达电梯维保', contact: 'external:anda' },
  };
  expect((await linli.api('PUT', `/api/estates/${E}/roster`, roster)).status).toBe(200);
  volWs = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${volToken}`);
  volWs.on('message', (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.type === 'alert.notify') dutyInbox.push({ at: performance.now(), msg });
  });
  await new Promise((r) => volWs.once('open', r));
});
afterAll(async () => {
  for (const b of boxes) b.close();
  ws?.close();
  volWs?.close();
  await linli?.stop();
});

describe('registering a monitoring box', () => {
  it('answers connect.tcp with the port the listener really uses, and names the field it refuses', async () => {
    const res = await register(LIFT_A, EID_A);
    expect(res.status).toBe(201);
    expect(res.body.connect.tcp).toEqual(tcp);
    expect(res.body.connect.tcp.port).toBeGreaterThan(0);
    expect(res.body.connect.notice).toBeUndefined();
    expect(res.body.connect.instructions.zh).toContain(String(linli.elevatorBoxes.port));
    expect(res.body.connect.instructions.zh).toContain(EID_A);
    expect(res.body.connect.instructions.zh).toContain('“elevatorcloud”编号');
    expect((await register(LIFT_B, EID_B, { vendorSettings: { faultSource: 'elevatorcloud' } })).status).toBe(201);

    const badSource = await register('lift-x', 'mx999', { vendorSettings: { faultSource: 'gb-1997' } });
    expect(badSource.status).toBe(400);
    expect(badSource.body.message).toMatch(/^body\.vendorSettings\.faultSource: /);
    const badEid = await register('lift-y', 'mx 1;drop', {});
    expect(badEid.status).toBe(400);
    expect(badEid.body.message).toMatch(/^body\.serialNo: /);
    const taken = await register('lift-z', EID_A);
    expect(taken.status).toBe(409);
  });
});

describe('a box over TCP', () => {
  let a: ElevatorBoxSim;
  let b: ElevatorBoxSim;

  it('logs in by its eid, and its info frames show the live floor; the lift is online', async () => {
    a = box(EID_A);
    expect(await login(a)).toBe(0);
    b = box(EID_B);
    expect(await login(b)).toBe(0);
    a.move(5);
    a.start();
    b.move(3);
    b.start();
    const state = await waitFor(async () => {
      const s = await liftState(LIFT_A);
      return s?.floor === 5 && s;
    }, 5000, 'lift A at floor 5');
    expect(state).toMatchObject({ floor: 5, direction: 'idle', doorOpen: false, running: false });
    await waitFor(async () => (await liftState(LIFT_B))?.floor === 3, 5000, 'lift B at floor 3');
    const dev = await waitFor(async () => {
      const d = (await linli.api('GET', `/api/estates/${E}/devices/${LIFT_A}`)).body;
      return d.online && d;
    }, 3000, 'lift A online');
    expect(dev.online).toBe(true);

    // The car moves: the new floor is there without waiting for the throttle.
    a.move(9, 'up');
    await waitFor(async () => (await liftState(LIFT_A))?.floor === 9, 3000, 'lift A at floor 9');
    // Info every 100 ms, but telemetry is kept on change (or every 10 s): far fewer rows than frames.
    const rows = (await linli.api('GET', `/api/estates/${E}/telemetry?deviceId=${LIFT_A}&limit=1000`)).body.items;
    expect(rows.length).toBeLessThan(6);
    expect(linli.elevatorBoxes.stats().telemetryThrottled).toBeGreaterThan(0);
  });

  it('a trapped fault in the box’s set raises the critical alert that needs a person; it stays open after the box clears it, until a person closes it', async () => {
    a.move(7, 'idle', 'closed');
    const before = live.length;
    const sentAt = performance.now();
    a.faults = [1]; // elevatorcloud 1 = 非平层困人
    a.sendInfo();
    const pushed = await waitFor(() => live.slice(before).find((l) => l.msg.type === 'alert.raised' && l.msg.kind === 'elevator.trapped' && l.msg.deviceId === LIFT_A), 3000, 'trapped raised');
    const latencyMs = pushed.at - sentAt;
    console.log(`elevator box: fault in frame → alert.raised on /live: ${latencyMs.toFixed(1)} ms`);
    expect(latencyMs).toBeLessThan(1000);
    expect(pushed.msg).toMatchObject({ severity: 'critical', needsPerson: true });
    expect(pushed.msg.title).toContain('7层');

    // The box's frame is kept beside the event for support.
    const events = (await linli.api('GET', `/api/estates/${E}/events?deviceId=${LIFT_A}&type=fault`)).body.items;
    const raised = events.find((e: any) => e.payload?.code === 'trapped' && e.payload.active);
    expect(raised).toBeTruthy();
    expect(JSON.stringify(raised.vendorRaw)).toContain('"fault":[1]');

    // The box sends the same set twice a second: one alert, no repeats.
    await new Promise((r) => setTimeout(r, 400));
    const open = await alertsOf(LIFT_A, 'elevator.trapped');
    expect(open).toHaveLength(1);
    expect(open[0].count).toBe(1);

    a.faults = [];
    a.sendInfo();
    const cleared = await waitFor(async () => (await alertsOf(LIFT_A, 'elevator.trapped')).find((x: any) => x.deviceClearedAt), 3000, 'device cleared');
    expect(cleared.status).toBe('open');

    // The elevator volunteer on duty was told, on their own socket.
    const told = await waitFor(() => dutyInbox.find((d) => d.msg.alert.kind === 'elevator.trapped'), 3000, 'duty volunteer told');
    console.log(`elevator box: fault in frame → the duty volunteer's alert.notify: ${(told.at - sentAt).toFixed(1)} ms`);
    expect(told.msg.alert).toMatchObject({ deviceId: LIFT_A, severity: 'critical', needsPerson: true });

    const closed = await linli.api('POST', `/api/estates/${E}/alerts/${cleared.id}/close`, { note: '维保人员到场，乘客已安全离开' }, volToken);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'vol-box' });
  });

  it('fault in a frame → alert on /live: 20 raises, latency measured', async () => {
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = live.length;
      const sentAt = performance.now();
      a.faults = [4]; // 门区外停梯: ends by itself, so each round raises a new alert
      a.sendInfo();
      const got = await waitFor(() => live.slice(before).find((l) => l.msg.type === 'alert.raised' && l.msg.kind === 'elevator.stopped-outside-door-zone'), 3000, `raise ${i}`);
      ms.push(got.at - sentAt);
      const mark = live.length;
      a.faults = [];
      a.sendInfo();
      await waitFor(() => live.slice(mark).find((l) => l.msg.type === 'alert.cleared' && l.msg.kind === 'elevator.stopped-outside-door-zone'), 3000, `clear ${i}`);
    }
    ms.sort((x, y) => x - y);
    console.log(`elevator box: fault in frame → alert.raised, 20 rounds: p50 ${ms[9]!.toFixed(1)} ms, p95 ${ms[18]!.toFixed(1)} ms, max ${ms[19]!.toFixed(1)} ms`);
    expect(ms[19]).toBeLessThan(1000);
  });

  it('a fault code the registered numbering does not explain is raised as unknown, not dropped', async () => {
    a.faults = [99];
    a.sendInfo();
    const alert = await waitFor(async () => (await alertsOf(LIFT_A, 'elevator.unknown-elevatorcloud-99'))[0], 3000, 'unknown raised');
    expect(alert.status).toBe('open');
    expect(alert.title).toContain('未知故障');
    a.faults = [];
    a.sendInfo();
    await waitFor(async () => (await alertsOf(LIFT_A, 'elevator.unknown-elevatorcloud-99'))[0]?.status === 'cleared', 3000, 'unknown cleared');
  });

  it('the same eid logging in again kicks the old connection (kick 1); the new one carries on', async () => {
    const again = box(EID_B);
    expect(await login(again)).toBe(0);
    await b.whenClosed();
    expect(b.kickedWith).toBe(1);
    again.move(4);
    again.start();
    await waitFor(async () => (await liftState(LIFT_B))?.floor === 4, 3000, 'lift B at floor 4 over the new connection');
    b = again;
  });

  it('bad frames of every kind from a logged-in box become dead letters with the codec’s reason; the box and the other box carry on', async () => {
    const kinds: [string, Uint8Array | string][] = [
      ['bad-marker', 'HELLO#10#{"type":"cping"}#13#'],
      ['not-json', '#10#{"type":"info","data":{#13#'],
      ['bad-utf8', Buffer.concat([Buffer.from('#10#{"type":"info","x":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}#13#')])],
      ['too-large', `#10#{"type":"info","pad":"${'x'.repeat(5000)}"}#13#`],
      ['truncated', '#10#{"type":"info"#10#{"type":"cping"}#13#'],
      ['unknown-message', '#10#{"type":"reboot"}#13#'],
      ['schema', encodeFrame({ type: 'info', data: [] })],
      ['not-object', '#10#[1,2,3]#13#'],
    ];
    const b0 = (await liftState(LIFT_B))!.floor;
    for (const [, bytes] of kinds) a.sendRaw(bytes);
    const letters = await waitFor(async () => {
      const l = await deadLetters(LIFT_A);
      return l.length >= kinds.length && l;
    }, 5000, 'dead letters');
    const reasons = new Set(letters.map((l) => l.reason));
    for (const r of ['bad-marker', 'not-json', 'too-large', 'truncated', 'unknown-message', 'schema', 'not-object']) expect(reasons, r).toContain(r);
    // Invalid UTF-8 has its own reason in the shared set.
    expect(reasons).toContain('invalid-utf8');

    // Box A is still logged in and heard; box B was never touched.
    expect(a.closed).toBe(false);
    a.move(11);
    await waitFor(async () => (await liftState(LIFT_A))?.floor === 11, 3000, 'lift A still reporting');
    b.move(b0 + 2);
    await waitFor(async () => (await liftState(LIFT_B))?.floor === b0 + 2, 3000, 'lift B still reporting');
    expect((await linli.api('GET', '/healthz')).status).toBe(200);
  });

  it('before a login: info, garbage and an unknown eid are refused and the connection closed; logged-in boxes are unaffected', async () => {
    const infoFirst = await rawPeer();
    infoFirst.write(encodeInfo({ floor: 3, direction: 'idle', door: 'closed', inDoorZone: true, faults: [1] }));
    await waitFor(() => infoFirst.closed(), 3000, 'closed after info before login');
    expect(infoFirst.got).toContainEqual({ type: 'kick', code: 2 });

    const garbage = await rawPeer();
    garbage.write(Buffer.from([0x00, 0xff, 0x10, 0x13, 0x23]));
    garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitFor(() => garbage.closed(), 3000, 'closed after garbage');

    const stranger = await rawPeer();
    stranger.write(encodeLogin('mx00000000'));
    await waitFor(() => stranger.closed(), 3000, 'closed after unknown eid');
    expect(stranger.got).toContainEqual({ type: 'login', resId: 1 });

    const unknown = box('mx00000001');
    expect(await login(unknown)).toBe(1);
    await unknown.whenClosed();

    // An oversize login before any marker end: cut, refused, closed.
    const huge = await rawPeer();
    huge.write(`#10#{"type":"login","eid":"${'a'.repeat(20_000)}`);
    await waitFor(() => huge.closed(), 3000, 'closed after oversize');

    // Nothing of it reached a lift: no trapped alert from the info before login.
    expect((await alertsOf(LIFT_A, 'elevator.trapped')).filter((x: any) => x.status === 'open')).toHaveLength(0);
    a.move(12);
    await waitFor(async () => (await liftState(LIFT_A))?.floor === 12, 3000, 'lift A unaffected');
    expect(a.closed).toBe(false);
    expect(b.closed).toBe(false);
  });

  it('a box that keeps sending bad frames is kicked (code 2) after 50 in a minute; the dead letters stop there and the other boxes carry on', async () => {
    expect((await register('lift-4-1', 'mx_flood')).status).toBe(201);
    const flood = box('mx_flood');
    expect(await login(flood)).toBe(0);
    for (let i = 0; i < 80; i++) flood.sendRaw('#10#{oops}#13#');
    await flood.whenClosed();
    expect(flood.kickedWith).toBe(2);
    const letters = await deadLetters('lift-4-1');
    expect(letters.length).toBeGreaterThanOrEqual(50);
    expect(letters.length).toBeLessThanOrEqual(51);
    a.move(13);
    await waitFor(async () => (await liftState(LIFT_A))?.floor === 13, 3000, 'lift A unaffected by the flood');
  });

  it('answers cping with cping, before a login too (the box’s heartbeat may cross our need_login)', async () => {
    const early = await rawPeer();
    early.write('#10#{"type":"cping"}#13#');
    await waitFor(() => early.got.some((m) => m.type === 'cping'), 3000, 'cping answered before login');
    expect(early.closed()).toBe(false);
    early.socket.destroy();

    const n = a.received.length;
    a.cping();
    await waitFor(() => a.received.slice(n).some((m) => m?.type === 'cping'), 3000, 'cping answered');
  });
});

describe('an alarm button in the box’s set', () => {
  it('raises one emergency call however many frames repeat it (Chongqing numbering, chosen at registration)', async () => {
    expect((await register('lift-3-1', 'mx_cq01', { vendorSettings: { faultSource: 'chongqing' } })).status).toBe(201);
    const cq = box('mx_cq01', [90]); // Chongqing 90: 报警按钮
    expect(await login(cq)).toBe(0);
    cq.start();
    const alert = await waitFor(async () => (await alertsOf('lift-3-1', 'elevator.emergency-call'))[0], 3000, 'emergency call');
    expect(alert).toMatchObject({ severity: 'critical', needsPerson: true, status: 'open' });
    await new Promise((r) => setTimeout(r, 500)); // ~5 more frames with the same set
    const calls = (await linli.api('GET', `/api/estates/${E}/events?deviceId=lift-3-1&type=emergency.call`)).body.items;
    expect(calls).toHaveLength(1);
    expect((await alertsOf('lift-3-1', 'elevator.emergency-call'))[0].count).toBe(1);
    cq.close();
  });
});

describe('an e-bike in the car', () => {
  it('is ebike-detected (Shmashine 37), raised and cleared with the box’s set', async () => {
    expect((await register('lift-7-1', 'mx_sm01', { vendorSettings: { faultSource: 'shmashine' } })).status).toBe(201);
    const sm = box('mx_sm01', [37]); // Shmashine 37: 电动车乘梯
    expect(await login(sm)).toBe(0);
    sm.sendInfo();
    const alert = await waitFor(async () => (await alertsOf('lift-7-1', 'elevator.ebike-detected'))[0], 3000, 'ebike-detected');
    expect(alert).toMatchObject({ severity: 'medium', needsPerson: false, status: 'open' });
    sm.faults = [];
    sm.sendInfo();
    await waitFor(async () => (await alertsOf('lift-7-1', 'elevator.ebike-detected'))[0]?.status === 'cleared', 3000, 'ebike cleared');
    sm.close();
  });
});

describe('presence', () => {
  const online = async (id: string) => (await linli.api('GET', `/api/estates/${E}/devices/${id}`)).body.online as boolean;

  it('a box that closes its connection is offline', async () => {
    expect((await register('lift-5-1', 'mx_gone')).status).toBe(201);
    const g = box('mx_gone');
    expect(await login(g)).toBe(0);
    g.sendInfo();
    await waitFor(() => online('lift-5-1'), 3000, 'online');
    g.close();
    await waitFor(async () => !(await online('lift-5-1')), 3000, 'offline after the box hung up');
  });

  it('a box silent past its silenceS is offline and its connection closed by the server', { timeout: 20_000 }, async () => {
    expect((await register('lift-6-1', 'mx_quiet', { vendorSettings: { silenceS: 10 } })).status).toBe(201);
    const q = box('mx_quiet');
    expect(await login(q)).toBe(0);
    q.sendInfo();
    await waitFor(() => online('lift-6-1'), 3000, 'online');
    const t0 = Date.now();
    // Connected, but it says nothing more (a hung modem).
    await waitFor(async () => !(await online('lift-6-1')), 14_000, 'offline after silence');
    const after = Date.now() - t0;
    expect(after).toBeGreaterThanOrEqual(9_000);
    await q.whenClosed();
    // Our ping went out at 30 s of quiet only; here the silence limit came first.
    const presence = (await linli.api('GET', `/api/estates/${E}/presence?deviceId=lift-6-1`)).body.items;
    expect(presence[0]).toMatchObject({ online: false });
  });
});

describe('a restart', () => {
  it('does not lose a clear: the lift’s fault state is taken from its open alerts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-box-restart-'));
    const E2 = 'estate-box-restart';
    try {
      let server = await startTestLinli({}, { dataDir });
      expect((await server.api('POST', '/api/estates', { id: E2, name: '重启小区' })).status).toBe(201);
      const reg = await server.api('POST', `/api/estates/${E2}/devices`, { id: 'lift-r', kind: 'elevator', lowestFloor: 1, highestFloor: 7, vendor: 'elevatorcloud', transport: 'tcp', serialNo: 'mx_restart' });
      expect(reg.status).toBe(201);
      const faultsOf = async (s: TestLinli) => (await s.api('GET', `/api/estates/${E2}/elevators/lift-r/faults`)).body.items as any[];
      let r = new ElevatorBoxSim({ host: '127.0.0.1', port: server.elevatorBoxes.port, eid: 'mx_restart', faults: [1, 4] }); // 非平层困人, 门区外停梯
      expect(await login(r)).toBe(0);
      r.sendInfo();
      await waitFor(async () => (await faultsOf(server)).length === 2, 3000, 'two alerts');
      r.close();
      await server.close();

      server = await startTestLinli({}, { dataDir });
      try {
        r = new ElevatorBoxSim({ host: '127.0.0.1', port: server.elevatorBoxes.port, eid: 'mx_restart', faults: [] });
        expect(await login(r)).toBe(0);
        r.sendInfo(); // the car re-levelled while the server was down: the set is empty now
        const after = await waitFor(async () => {
          const f = await faultsOf(server);
          const stopped = f.find((a) => a.kind === 'elevator.stopped-outside-door-zone');
          const trapped = f.find((a) => a.kind === 'elevator.trapped');
          return stopped?.status === 'cleared' && trapped?.deviceClearedAt && { stopped, trapped };
        }, 3000, 'cleared after the restart');
        // 门区外停梯 ends by itself; 困人 waits for a person.
        expect(after.trapped.status).toBe('open');
        r.close();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the listener on its own', () => {
  it('caps its connections: one over the cap is closed at once, the others are served', async () => {
    const noop = () => {};
    const listener = await startElevatorboxTcp(
      {
        gateway: { vendorIntake: { submit: async () => 'stored', deadLetter: async () => {}, seen: noop, gone: noop, close: noop }, registerTransport: () => noop } as any,
        devices: { info: () => undefined, list: () => [] },
        estateIds: () => [],
        vendors: { get: () => undefined },
        openAlerts: () => [],
        log: pino({ level: 'silent' }),
        now: Date.now,
      },
      { host: '127.0.0.1', port: 0, maxConnections: 2 },
    );
    try {
      const opened = await Promise.all([0, 1].map(async () => {
        const s = connect({ host: '127.0.0.1', port: listener.port });
        const first = await new Promise<string>((res) => s.once('data', (d) => res(d.toString())));
        return { s, first };
      }));
      for (const o of opened) expect(o.first).toBe('#10#{"type":"need_login"}#13#');
      const third = connect({ host: '127.0.0.1', port: listener.port });
      third.on('error', noop);
      const got: string[] = [];
      third.on('data', (d) => got.push(d.toString()));
      await new Promise((res) => third.once('close', res));
      expect(got).toEqual([]);
      expect(listener.stats().open).toBe(2);
      for (const o of opened) o.s.destroy();
    } finally {
      await listener.close();
    }
  });
});
