import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrame, checksum, CMD, orderNoFor, Writer, type DecodedDownlink } from '../../devices/vendors/juy/index.js';
import { JuySim } from '../../simulators/vendors/juy-sim.js';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * JUY-class shed controllers over raw TCP, through the real server: the
 * simulated board (simulators/vendors/juy-sim.ts) speaks the vendor's 5AA5
 * frames to LINLI_JUY_TCP_PORT; the charging rules see an ordinary charger.
 */

const E = 'estate-juy';
const IMEI_A = '861197062934387';
const IMEI_B = '861197062934388';
const IMEI_C = '861197062934389';
const CARD = 3123456; // printed 0003123456
const CARD_2 = 3123457;
const CARD_FROZEN = 777;
let linli: TestLinli;
/** Server time that a test can move on, so half an hour of charging passes at once. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
let a: JuySim;
let b: JuySim;
const sims: JuySim[] = [];

const sessions = async (shedId: string) => (await linli.api('GET', `/api/estates/${E}/charging/sessions?shedId=${shedId}`)).body.items as any[];
const letters = async (deviceId: string) => (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=${deviceId}&limit=100`)).body.items as any[];
const online = async (id: string) => (await linli.api('GET', `/api/estates/${E}/devices/${id}`)).body.online;
const frameOf = (r: { frame: DecodedDownlink }) => r.frame.detail;

async function sim(imei: string, opts: { imeiFormat?: boolean } = {}): Promise<JuySim> {
  const s = await new JuySim({ host: '127.0.0.1', port: linli.juy.port, imei, ports: 4, ...opts }).connect();
  sims.push(s);
  return s;
}

async function registerJuy(id: string, imei: string) {
  return linli.api('POST', `/api/estates/${E}/devices`, { id, kind: 'charger', ports: 4, name: `${id} 充电棚`, vendor: 'juy', serialNo: imei, transport: 'tcp' });
}

beforeAll(async () => {
  linli = await startTestLinli({}, { clock });
  expect((await linli.api('POST', '/api/estates', { id: E, name: '测试小区 juy' })).status).toBe(201);
  const charter = aCharterVersion();
  (charter.document as any).charging = aChargingSection();
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501' });
  for (const [card, status] of [[CARD, 'active'], [CARD_2, 'active'], [CARD_FROZEN, 'frozen']] as const) {
    const r = await linli.api('POST', `/api/estates/${E}/cards`, { cardId: String(card).padStart(10, '0'), householdId: '3-2-501', purposes: ['charger'], ...(status === 'frozen' ? { status } : {}) });
    expect(r.status).toBe(201);
  }
  expect((await linli.api('POST', `/api/estates/${E}/charging/accounts/3-2-501/topup`, { amountFen: 100_000 })).status).toBe(200);
}, 30_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await linli.stop();
});

describe('JUY shed controllers over TCP', () => {
  it('registration answers connect.tcp with the port the listener really uses', async () => {
    expect(linli.juy.port).toBeGreaterThan(0);
    expect(linli.juy.port).not.toBe(9310);
    const r = await registerJuy('juy-a', IMEI_A);
    expect(r.status).toBe(201);
    expect(r.body.connect.tcp).toEqual({ host: '127.0.0.1', port: linli.juy.port });
    expect(r.body.connect.notice).toBeUndefined();
    expect(r.body.connect.instructions.zh).toContain(String(linli.juy.port));
    expect((await registerJuy('juy-b', IMEI_B)).status).toBe(201);
  });

  it('an IMEI nobody registered is answered "illegal module" and the connection closed', async () => {
    const stranger = await sim(IMEI_C);
    const answer = await stranger.login();
    expect(frameOf(answer)).toMatchObject({ kind: 'login-reply', result: 1, meaning: 'illegal' });
    await stranger.closedByServer();
  });

  it('a registered controller logs in (answered ok), and its heartbeats bring it online', async () => {
    a = await sim(IMEI_A);
    expect(frameOf(await a.login())).toMatchObject({ kind: 'login-reply', result: 0, heartbeatS: 60 });
    await a.heartbeat();
    await waitFor(() => online('juy-a'), 3000, 'juy-a online');
    // A board that can take the IMEI format is switched to it (0xF0) and then both sides carry the IMEI.
    b = await sim(IMEI_B, { imeiFormat: true });
    expect(frameOf(await b.login())).toMatchObject({ kind: 'login-reply', result: 0xf0 });
    expect(b.addressed).toBe(true);
    await b.heartbeat();
    expect(b.received.at(-1)!.frame).toMatchObject({ ok: true, imei: IMEI_B, detail: { kind: 'heartbeat-reply' } });
    await waitFor(() => online('juy-b'), 3000, 'juy-b online');
  });

  it('a registered card swiped (0x87) starts a session: the board gets a 0x83 for that port; 0x85 ends it with its fee, once', async () => {
    const after = a.received.length;
    a.swipe(2, CARD);
    const start = frameOf(await a.next((f) => f.detail.kind === 'start', after));
    const s = await waitFor(async () => (await sessions('juy-a')).find((x) => x.port === 2 && x.status === 'charging'), 3000, 'charging');
    // The bytes, read back by the codec's decoder: port, the order of this session, by time, the card that asked.
    expect(start).toEqual({
      kind: 'start',
      port: 2,
      orderNo: orderNoFor(s.id),
      startMode: 2,
      startModeName: 'card',
      cardNo: CARD,
      chargeMode: 3,
      chargeModeName: 'time',
      param: s.maxMinutes * 60,
      balanceFen: 0,
    });
    a.portData([{ port: 2, powerW: 180, energy: 5, tempC: 31 }]);
    a.status[1] = 1;
    await a.heartbeat();
    // Half an hour later the board ends it itself (time used up), with 0.42 kWh on its meter for this order.
    clock.offsetMs += 30 * 60_000;
    const before = a.received.length;
    const end = a.end(2, { reason: 1, energy: 42, seconds: 1800, moneyFen: 50 });
    const ack = frameOf(await a.next((f) => f.detail.kind === 'end-ack', before));
    expect(ack).toEqual({ kind: 'end-ack', port: 2, orderNo: orderNoFor(s.id) });
    const ended = await waitFor(async () => (await sessions('juy-a')).find((x) => x.id === s.id && x.status === 'ended'), 3000, 'ended');
    expect(ended).toMatchObject({ stopReason: 'max-time', energyWh: 420, feeFen: 100 });
    const account = (await linli.api('GET', `/api/estates/${E}/charging/accounts/3-2-501`)).body;
    const fees = account.ledger.filter((l: any) => l.sessionId === s.id);
    expect(fees).toHaveLength(1);
    // Unanswered in time, the board resends the same end: answered again, and nothing happens twice.
    const again = a.received.length;
    a.raw(end);
    await a.next((f) => f.detail.kind === 'end-ack', again);
    await new Promise((r) => setTimeout(r, 200));
    expect((await sessions('juy-a')).filter((x) => x.id === s.id)).toHaveLength(1);
    const after2 = (await linli.api('GET', `/api/estates/${E}/charging/accounts/3-2-501`)).body;
    expect(after2.ledger.filter((l: any) => l.sessionId === s.id)).toHaveLength(1);
    expect(after2.balanceFen).toBe(account.balanceFen);
    // The raw frame is kept beside the event for support.
    const res = await linli.api('GET', `/api/estates/${E}/events?deviceId=juy-a&type=port.state`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const endEvent = (res.body.items as any[]).find((e) => e.payload.port === 2 && e.payload.ended);
    expect(endEvent.payload).toMatchObject({ state: 'occupied', reason: 'time-used', ended: { energyWh: 420, seconds: 1800 } });
    expect(endEvent.vendorRaw).toEqual({ command: 'end', hex: Buffer.from(end).toString('hex').toUpperCase() });
  });

  it('a frozen card is refused on the board (0x87 answer, result 2 "frozen"), and no session starts', async () => {
    const after = a.received.length;
    a.swipe(3, CARD_FROZEN);
    const deny = frameOf(await a.next((f) => f.detail.kind === 'card-auth-reply', after));
    expect(deny).toEqual({ kind: 'card-auth-reply', port: 3, cardNo: CARD_FROZEN, balanceFen: 0, result: 2 });
    expect((await sessions('juy-a')).filter((x) => x.port === 3)).toHaveLength(0);
  });

  it('smoke reported by the board stops every other charging port with a 0x84 for its order', async () => {
    const after = a.received.length;
    a.swipe(1, CARD);
    a.swipe(4, CARD_2);
    const s1 = frameOf(await a.next((f) => f.detail.kind === 'start' && (f.detail as any).port === 1, after)) as any;
    const s4 = frameOf(await a.next((f) => f.detail.kind === 'start' && (f.detail as any).port === 4, after)) as any;
    await waitFor(async () => (await sessions('juy-a')).filter((x) => (x.port === 1 || x.port === 4) && x.status === 'charging').length === 2, 3000, 'two charging');
    const t0 = Date.now();
    const before = a.received.length;
    a.end(4, { reason: 8, energy: 3 }); // the board cut port 4 itself: smoke
    const stop = frameOf(await a.next((f) => f.detail.kind === 'stop' && (f.detail as any).port === 1, before));
    const latencyMs = Date.now() - t0;
    expect(stop).toEqual({ kind: 'stop', port: 1, orderNo: s1.orderNo });
    expect(latencyMs).toBeLessThan(1000);
    const all = await waitFor(async () => {
      const list = (await sessions('juy-a')).filter((x) => x.port === 1 || x.port === 4);
      return list.every((x) => x.status === 'ended') && list;
    }, 3000, 'both ended');
    expect(all.map((x: any) => [x.port, x.stopReason]).sort()).toEqual([[1, 'smoke'], [4, 'smoke']]);
    // Port 4 ended on the board already: no stop was sent for it.
    expect(a.received.slice(before).filter((r) => r.frame.ok && r.frame.detail.kind === 'stop' && (r.frame.detail as any).port === 4)).toHaveLength(0);
    expect(s4.orderNo).not.toBe(s1.orderNo);
    const alerts = (await linli.api('GET', `/api/estates/${E}/alerts?status=open`)).body.items as any[];
    expect(alerts.some((x) => x.kind === 'charger.smoke' && x.deviceId === 'juy-a')).toBe(true);
    console.log(`[juy-tcp] 0x85 smoke → 0x84 on the other charging port: ${latencyMs} ms`);
  });

  it('bad frames of every kind are dead letters with their reason; the connection, the process and another controller carry on', async () => {
    const before = (await letters('juy-a')).length;
    const good = (cmd: number, data: number[]) => buildFrame(cmd, Uint8Array.from(data)) as Uint8Array;
    const badSum = Uint8Array.from(good(CMD.heartbeat, [25, 30, 4, 0, 0, 0, 0]));
    badSum[badSum.length - 1] = badSum[badSum.length - 1]! ^ 0xff;
    const lenOf = (bytes: number[]) => {
      const f = [0x5a, 0xa5, 0, 0, ...bytes];
      f[2] = bytes.length + 1;
      return Uint8Array.from([...f, checksum(Uint8Array.from(f), 2, f.length)]);
    };
    const wrongLength = lenOf([CMD.heartbeat, 0, 25, 30, 4, 0, 0]); // four ports, two status bytes
    const truncated = Uint8Array.from([0x5a, 0xa5, 0x30, 0x00, CMD.end, 0x00, 1, 2, 3]); // promises 52 bytes; a good frame follows
    const unknown = lenOf([0x99, 0x00, 1, 2, 3]);
    const oversize = Uint8Array.from([0x5a, 0xa5, 0xd0, 0x07, CMD.portData, 0x00]); // LEN 2000
    const otherImei = buildFrame(CMD.heartbeat, Uint8Array.from([25, 30, 4, 0, 0, 0, 0]), { imei: IMEI_B }) as Uint8Array;
    const cases: [string, Uint8Array, string][] = [
      ['bad checksum', badSum, 'bad-crc'],
      ['wrong length', wrongLength, 'bad-length'],
      ['unknown command', unknown, 'unknown-command'],
      ['oversize', oversize, 'too-large'],
      ['another IMEI', otherImei, 'schema'],
    ];
    for (const [what, bytes, reason] of cases) {
      const n = (await letters('juy-a')).length;
      a.raw(bytes);
      if (what === 'oversize') a.raw(new Uint8Array(64).fill(0x11)); // what an oversize frame brings along
      await a.heartbeat(); // answered: the connection is up
      const got = await waitFor(async () => {
        const l = await letters('juy-a');
        return l.length > n && l;
      }, 3000, `${what}: a dead letter`);
      expect(got.slice(0, got.length - n).map((l: any) => l.reason), what).toContain(reason);
    }
    // Truncated: the header's promise is given up when a complete good frame follows it.
    const n = (await letters('juy-a')).length;
    a.raw(truncated);
    await a.heartbeat();
    const got = await waitFor(async () => {
      const l = await letters('juy-a');
      return l.length > n && l;
    }, 3000, 'truncated: a dead letter');
    expect(got.slice(0, got.length - n).map((l: any) => l.reason)).toContain('truncated');
    const all = (await letters('juy-a')).slice(0, (await letters('juy-a')).length - before);
    expect(all.every((l: any) => typeof l.message === 'string' && l.message.length > 0)).toBe(true);
    expect(all.find((l: any) => l.reason === 'schema')?.field).toBe('IMEI');
    // The other controller, on its own socket, never noticed.
    expect(b.closed).toBe(false);
    await b.heartbeat();
    const after = b.received.length;
    b.swipe(1, CARD);
    expect(frameOf(await b.next((f) => f.detail.kind === 'start', after))).toMatchObject({ port: 1, cardNo: CARD });
    expect(await letters('juy-b')).toHaveLength(0);
    expect(a.closed).toBe(false);
    expect((await linli.api('GET', '/api/health', undefined, '')).status).toBeLessThan(500);
  });

  it('a stream of pure noise is cut off, and only that connection', async () => {
    const noisy = await sim(IMEI_A); // takes over juy-a's connection, as a board reconnecting does
    await noisy.login();
    await waitFor(() => a.closed, 3000, 'the old connection closed');
    a = noisy;
    noisy.raw(new Uint8Array(40 * 1024).fill(0x33));
    await noisy.closedByServer();
    expect(b.closed).toBe(false);
    await b.heartbeat();
  });

  it('before a login nothing is read: a swipe gets no answer and files nothing; a decommissioned controller is cut off and refused', async () => {
    const early = await sim(IMEI_B);
    early.swipe(1, CARD); // no login yet
    await new Promise((r) => setTimeout(r, 150));
    expect(early.received).toHaveLength(0);
    expect((await sessions('juy-b')).filter((x) => x.port === 1 && x.status === 'starting')).toHaveLength(0);
    await early.close();
    const d = await registerJuy('juy-d', '861197062934391');
    expect(d.status).toBe(201);
    const board = await sim('861197062934391');
    expect(frameOf(await board.login())).toMatchObject({ result: 0 });
    await board.heartbeat();
    expect((await linli.api('POST', `/api/estates/${E}/devices/juy-d/decommission`)).status).toBe(200);
    await board.closedByServer();
    const back = await sim('861197062934391');
    expect(frameOf(await back.login())).toMatchObject({ meaning: 'illegal' });
    await back.closedByServer();
    expect(b.closed).toBe(false);
  });

  it('swipe → 0x83 latency over 50 swipes', async () => {
    const s = await sim(IMEI_A);
    await s.login();
    await s.heartbeat();
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const after = s.received.length;
      const t0 = performance.now();
      s.swipe(3, CARD);
      await s.next((f) => f.detail.kind === 'start' && (f.detail as any).port === 3, after);
      times.push(performance.now() - t0);
      await waitFor(async () => s.received.slice(after).some((r) => r.frame.ok && r.frame.detail.kind === 'start') && s.orders.has(3), 3000, 'started');
      const e = s.received.length;
      s.end(3, { reason: 1, energy: 1 });
      await s.next((f) => f.detail.kind === 'end-ack', e);
    }
    times.sort((x, y) => x - y);
    const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
    console.log(`[juy-tcp] swipe → 0x83 over ${times.length} swipes: p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
    expect(p(0.99)).toBeLessThan(250);
    const ended = (await sessions('juy-a')).filter((x) => x.port === 3 && x.status === 'ended');
    expect(ended.length).toBe(50);
  }, 60_000);
});

describe('after a restart', () => {
  it('a stop for a session started before it still names that session\'s order (0x84), and the board\'s answer acks it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-juy-restart-'));
    let server = await startTestLinli({}, { dataDir });
    try {
      const E2 = 'estate-juy-restart';
      expect((await server.api('POST', '/api/estates', { id: E2, name: '重启测试' })).status).toBe(201);
      const charter = aCharterVersion();
      (charter.document as any).charging = aChargingSection();
      expect((await server.api('POST', `/api/estates/${E2}/charter/versions`, charter)).status).toBe(201);
      await server.api('POST', `/api/estates/${E2}/households`, { building: '1', unit: '1', room: '101' });
      expect((await server.api('POST', `/api/estates/${E2}/cards`, { cardId: '0000000101', householdId: '1-1-101', purposes: ['charger'] })).status).toBe(201);
      await server.api('POST', `/api/estates/${E2}/charging/accounts/1-1-101/topup`, { amountFen: 1000 });
      const imei = '861197062934390';
      expect((await server.api('POST', `/api/estates/${E2}/devices`, { id: 'juy-r', kind: 'charger', ports: 2, vendor: 'juy', serialNo: imei, transport: 'tcp' })).status).toBe(201);
      const board = await new JuySim({ host: '127.0.0.1', port: server.juy.port, imei, ports: 2 }).connect();
      await board.login();
      await board.heartbeat();
      board.swipe(1, 101);
      const start = frameOf(await board.next((f) => f.detail.kind === 'start')) as any;
      const list = async () => (await server.api('GET', `/api/estates/${E2}/charging/sessions?shedId=juy-r`)).body.items as any[];
      const s = await waitFor(async () => (await list()).find((x) => x.status === 'charging'), 3000, 'charging');
      await board.close();
      await server.close();
      server = Object.assign(await startTestLinli({}, { dataDir }), {});
      const again = await new JuySim({ host: '127.0.0.1', port: server.juy.port, imei, ports: 2 }).connect();
      again.orders.set(1, { orderNo: start.orderNo, cardNo: 101, startedAtMs: Date.now() }); // the board still charges that order
      again.status[0] = 1;
      await again.login();
      await again.heartbeat();
      expect((await server.api('POST', `/api/estates/${E2}/charging/sessions/${s.id}/stop`)).status).toBeLessThan(300);
      expect(frameOf(await again.next((f) => f.detail.kind === 'stop'))).toEqual({ kind: 'stop', port: 1, orderNo: orderNoFor(s.id) });
      const cmds = async () => (await server.api('GET', `/api/estates/${E2}/commands?deviceId=juy-r`)).body.items as any[];
      await waitFor(async () => (await cmds()).find((c) => c.type === 'stop' && c.status === 'acked'), 3000, 'the stop acked');
      await again.close();
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('the connection cap', () => {
  it('connections over maxConnections are closed at once; those within carry on', async () => {
    const { pino } = await import('pino');
    const { startJuyTcp } = await import('../../server/vendors/juy-tcp.js');
    const { connect } = await import('node:net');
    const gateway = { registerTransport: () => () => {}, vendorIntake: { seen() {}, gone() {} } } as any;
    const juy = await startJuyTcp({ gateway, vendors: {} as any, devices: {} as any, log: pino({ level: 'silent' }), now: Date.now, host: '127.0.0.1', port: 0, maxConnections: 3 });
    try {
      const sockets = await Promise.all(
        Array.from({ length: 6 }, () => new Promise<{ closed: boolean; s: import('node:net').Socket }>((resolve) => {
          const s = connect({ host: '127.0.0.1', port: juy.port }, () => resolve(o));
          const o = { closed: false, s };
          s.on('close', () => (o.closed = true));
          s.on('error', () => {});
        })),
      );
      await new Promise((r) => setTimeout(r, 200));
      expect(sockets.filter((x) => x.closed)).toHaveLength(3);
      expect(juy.stats().open).toBe(3);
      sockets.forEach((x) => x.s.destroy());
    } finally {
      await juy.close();
    }
  });
});
