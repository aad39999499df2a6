import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../devices/vendors/led485/codec.js';
import { buildFrame, CMD, orderNoFor, type DecodedDownlink } from '../../devices/vendors/juy/index.js';
import { JuySim } from '../../simulators/vendors/juy-sim.js';
import { VzenithMqttSim } from '../../simulators/vendors/vzenith-mqtt-sim.js';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * Vendor devices on their own MQTT topics on our broker, through the real server and
 * real MQTT clients (mqtt.js, protocol 3.1.1): a 臻识 camera publishing on
 * `device/{sn}/message/up/…` and reading `…/down/…`.
 */

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/devices/lpr-vzenith');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const E = 'estate-vzm';
const SN = '917e2298-8ddf3e46';
const SN_2 = 'a1b2c3d4-00000002';
const RESIDENT = '鄂A12345';
const STRANGER = '湘A88888';

let linli: TestLinli;
let plateSeq = 50_000;
const clients: MqttClient[] = [];

interface Cam {
  id: string;
  sn: string;
  prefix: string;
  client: MqttClient;
  /** Everything received on the camera's down topics, in order. */
  down: { topic: string; json: any }[];
}

/** The vzicloud ivs_result fixture with our plate (base64, as the camera sends it), a fresh plateid and now. */
function ivsResult(sn: string, plate: string, plateId = plateSeq++): string {
  const msg = JSON.parse(fixture('mqtt-ivs_result.json'));
  msg.sn = sn;
  msg.id = `m${plateId}`;
  const a = msg.payload.AlarmInfoPlate;
  a.serialno = sn;
  const r = a.result.PlateResult;
  r.license = Buffer.from(plate, 'utf8').toString('base64');
  r.colorType = 1;
  r.plateid = plateId;
  const now = Date.now();
  const beijing = new Date(now + 8 * 3_600_000);
  r.timeStamp.Timeval = {
    decday: beijing.getUTCDate(), dechour: beijing.getUTCHours(), decmin: beijing.getUTCMinutes(), decmon: beijing.getUTCMonth() + 1,
    decsec: beijing.getUTCSeconds(), decyear: beijing.getUTCFullYear(), sec: Math.floor(now / 1000), usec: (now % 1000) * 1000,
  };
  return JSON.stringify(msg);
}

function connect(opts: { clientId: string; username: string; password: string }): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(linli.mqttUrl, { ...opts, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000 });
    clients.push(c);
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

async function camera(id: string, sn: string, body: Record<string, unknown> = {}): Promise<Cam> {
  const r = await linli.api('POST', `/api/estates/${E}/devices`, { id, kind: 'camera', vendor: 'vzenith', transport: 'mqtt', serialNo: sn, direction: 'in', ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const m = r.body.connect.mqtt;
  expect(m).toMatchObject({ host: '127.0.0.1', port: linli.mqttPort, clientId: id, username: id, password: r.body.secret });
  const client = await connect(m);
  const layout = ((body.vendorSettings as any)?.topics ?? 'device/{sn}') as string;
  const cam: Cam = { id, sn, prefix: layout.replace('{sn}', sn), client, down: [] };
  client.on('message', (topic, payload) => cam.down.push({ topic, json: JSON.parse(payload.toString('utf8')) }));
  const granted = await client.subscribeAsync(`${cam.prefix}/message/down/#`, { qos: 1 });
  expect(granted[0]!.qos).toBe(1);
  return cam;
}

const online = async (id: string) => (await linli.api('GET', `/api/estates/${E}/devices/${id}`)).body.online;
const letters = async (deviceId: string) => (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=${deviceId}&limit=100`)).body.items as any[];
const decisions = async () => (await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items as any[];

/** What the LED board and the voice module behind the camera get from its serial_data downlinks. */
function board(down: Cam['down']) {
  const bodies = down
    .filter((d) => d.json.name === 'serial_data')
    .map((d) => {
      const f = decodeFrame(Buffer.from(d.json.payload.body.data, 'base64'));
      if (!f.ok) throw new Error(f.message);
      return f.frame.body as any;
    });
  return { led: bodies.filter((b) => b.kind === 'temporary-text').map((b) => b.text), voice: bodies.filter((b) => b.kind === 'voice').map((b) => b.text) };
}

let cam1: Cam;
let cam2: Cam;

beforeAll(async () => {
  linli = await startTestLinli({});
  expect((await linli.api('POST', '/api/estates', { id: E, name: '和平里 MQTT' })).status).toBe(201);
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 500, reservedForResidents: 10, gates: ['gate-m1', 'gate-m2', 'gate-m3'] }];
    p.classes.temporary = { clause: '2.7', allowed: false };
  });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: RESIDENT, class: 'resident', householdId: '3-2-501' })).status).toBe(201);
  cam1 = await camera('cam-m1', SN, { gateId: 'gate-m1', vendorSettings: { open: { via: 'ioctrl', io: 0, pulseMs: 1500 } } });
  cam2 = await camera('cam-m2', SN_2, { gateId: 'gate-m2', vendorSettings: { topics: '{sn}/device' } });
}, 30_000);

const EJ = 'estate-juym';
const IMEI_A = '861197062934501';
const IMEI_B = '861197062934502';
const CARD = 3123456;
const sims: JuySim[] = [];

beforeAll(async () => {
  expect((await linli.api('POST', '/api/estates', { id: EJ, name: '测试小区 juy mqtt' })).status).toBe(201);
  const charter = aCharterVersion();
  (charter.document as any).charging = aChargingSection();
  expect((await linli.api('POST', `/api/estates/${EJ}/charter/versions`, charter)).status).toBe(201);
  await linli.api('POST', `/api/estates/${EJ}/households`, { building: '3', unit: '2', room: '501' });
  expect((await linli.api('POST', `/api/estates/${EJ}/cards`, { cardId: String(CARD).padStart(10, '0'), householdId: '3-2-501', purposes: ['charger'] })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${EJ}/charging/accounts/3-2-501/topup`, { amountFen: 100_000 })).status).toBe(200);
}, 30_000);

afterAll(async () => {
  await Promise.all(sims.map((s) => s.close().catch(() => undefined)));
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await linli?.stop();
});

describe('a 臻识 camera over MQTT on our broker', () => {
  it('is online while connected, and so is the gate it drives', async () => {
    await waitFor(async () => (await online('cam-m1')) && (await online('gate-m1')), 3000, 'camera and gate online');
  });

  it('a resident’s plate in ivs_result opens the lane: gpio_out and the LED/voice frames arrive on the camera’s down topic; its reply acks the open', async () => {
    cam1.down.length = 0;
    const t0 = performance.now();
    await cam1.client.publishAsync(`${cam1.prefix}/message/up/ivs_result`, ivsResult(SN, RESIDENT), { qos: 1 });
    const gpio = await waitFor(() => cam1.down.find((d) => d.json.name === 'gpio_out'), 3000, 'gpio_out on the down topic');
    const ms = performance.now() - t0;
    expect(gpio.topic).toBe(`device/${SN}/message/down/gpio_out`);
    // The envelope and body of the vendor's own gpio_out (mqtt-gpio_out-open.json): a 1.5 s pulse on output 0.
    expect(gpio.json).toMatchObject({ sn: SN, name: 'gpio_out', version: '1.0', payload: { type: 'gpio_out', body: { delay: 1500, io: 0, value: 2 } } });
    await waitFor(() => cam1.down.filter((d) => d.json.name === 'serial_data').length >= 2, 3000, 'serial_data frames');
    const seen = board(cam1.down);
    expect(seen.led.join(' ')).toBe('业主车辆 欢迎回家');
    expect(seen.voice).toEqual(['业主车辆，欢迎回家']);
    const decision = (await decisions()).find((d) => d.plate === RESIDENT);
    expect(decision).toMatchObject({ action: 'open', gateId: 'gate-m1', cameraId: 'cam-m1', direction: 'in' });
    // The camera's reply (mqtt-gpio_out-reply.json shape) acks the command: the lane's open is "acked", and says what it proves.
    const reply = { ...JSON.parse(fixture('mqtt-gpio_out-reply.json')), id: gpio.json.id, sn: SN };
    await cam1.client.publishAsync(`${cam1.prefix}/message/down/gpio_out/reply`, JSON.stringify(reply), { qos: 1 });
    const cmd = await waitFor(async () => {
      const items = (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-m1`)).body.items as any[];
      return items.find((c) => c.cmdId === gpio.json.id && c.status === 'acked');
    }, 3000, 'open acked');
    expect(cmd.type).toBe('open');
    expect(cmd.note).toMatch(/answered 200 to gpio_out/);
    // The read is stored under the camera's Linli id, with what it really sent beside it.
    const events = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-m1`)).body.items as any[];
    expect(events.some((e) => e.type === 'plate.read')).toBe(true);
    console.log(`vzenith mqtt: ivs_result publish → gpio_out received ${ms.toFixed(1)} ms`);
  });

  it('a stranger’s plate is refused: no gpio_out, the LED says why', async () => {
    cam1.down.length = 0;
    await cam1.client.publishAsync(`${cam1.prefix}/message/up/ivs_result`, ivsResult(SN, STRANGER), { qos: 1 });
    await waitFor(() => cam1.down.some((d) => d.json.name === 'serial_data'), 3000, 'deny frames');
    await new Promise((r) => setTimeout(r, 200));
    expect(cam1.down.some((d) => d.json.name === 'gpio_out')).toBe(false);
    expect((await decisions()).find((d) => d.plate === STRANGER)).toMatchObject({ action: 'deny', gateId: 'gate-m1' });
  });

  it('a camera with the {sn}/device layout works on its own topics', async () => {
    cam2.down.length = 0;
    await cam2.client.publishAsync(`${SN_2}/device/message/up/ivs_result`, ivsResult(SN_2, RESIDENT), { qos: 1 });
    const gpio = await waitFor(() => cam2.down.find((d) => d.json.name === 'gpio_out'), 3000, 'gpio_out for cam 2');
    expect(gpio.topic).toBe(`${SN_2}/device/message/down/gpio_out`);
  });

  it('a camera cannot publish or subscribe outside its sn: a forged plate on another camera’s topic reaches nothing, a subscription to its down topic is refused', async () => {
    cam2.down.length = 0;
    const before = (await decisions()).length;
    const eventsBefore = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-m2`)).body.items.length;
    // cam-m1 publishes a resident's plate as cam-m2 (on cam-m2's topic, with cam-m2's sn inside).
    await cam1.client.publishAsync(`${SN_2}/device/message/up/ivs_result`, ivsResult(SN_2, RESIDENT), { qos: 1 });
    await cam1.client.publishAsync(`device/${SN_2}/message/up/ivs_result`, ivsResult(SN_2, RESIDENT), { qos: 1 });
    // …nor can it write to another camera's down topic (open its arm), nor to a contract topic.
    await cam1.client.publishAsync(`${SN_2}/device/message/down/gpio_out`, JSON.stringify({ id: 'x', sn: SN_2, name: 'gpio_out', payload: { type: 'gpio_out', body: { delay: 500, io: 0, value: 2 } } }), { qos: 1 });
    await cam1.client.publishAsync(`linli/v1/${E}/gate-m2/event`, JSON.stringify({ id: 'f1', ts: new Date().toISOString(), type: 'gate.manual', action: 'open', source: 'button' }), { qos: 1 });
    // The subscription to cam-m2's down topic (and a wildcard over every camera) is refused: granted 0x80.
    for (const filter of [`${SN_2}/device/message/down/#`, `${SN_2}/device/message/down/gpio_out`, 'device/+/message/down/#', '#', `linli/v1/${E}/gate-m2/cmd`]) {
      await expect(cam1.client.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await decisions()).length).toBe(before);
    expect((await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-m2`)).body.items.length).toBe(eventsBefore);
    expect((await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-m2`)).body.items.filter((e: any) => e.type === 'gate.manual')).toEqual([]);
    expect(cam2.down).toEqual([]);
    // Counted as refusals on the forger, and its connection is still up.
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/cam-m1`)).body.counters['refused.publish'] === 4, 3000, 'refusal counter');
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/cam-m1`)).body.counters['refused.subscribe'] === 5, 3000, 'refusal counter');
    expect(cam1.client.connected).toBe(true);
  });

  it('bad payloads are dead letters with the reason; the connection and the other camera carry on', async () => {
    const bad: [string, string | Buffer, RegExp][] = [
      ['ivs_result', '{not json', /not-json/],
      ['ivs_result', JSON.stringify({ id: 'b1', sn: SN, name: 'ivs_result', payload: { AlarmInfoPlate: { serialno: SN, result: { PlateResult: { license: '!!notbase64', confidence: 90 } } } } }), /schema|bad-base64/],
      ['ivs_result', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), /invalid-utf8/],
      ['keep_alive', JSON.stringify({ id: 'k1', sn: SN_2, name: 'keep_alive' }), /schema/],
      ['gpio_in', JSON.stringify({ id: 'g1', sn: SN, name: 'gpio_in', payload: { type: 'gpio_in', body: {} } }), /schema/],
    ];
    const before = (await letters('cam-m1')).length;
    for (const [name, payload] of bad) await cam1.client.publishAsync(`${cam1.prefix}/message/up/${name}`, payload, { qos: 1 });
    const got = await waitFor(async () => {
      const l = await letters('cam-m1');
      return l.length >= before + bad.length && l;
    }, 3000, 'dead letters');
    const reasons = got.slice(0, bad.length).map((l: any) => l.reason).join(' ');
    for (const [, , re] of bad) expect(reasons).toMatch(re);
    expect(cam1.client.connected).toBe(true);
    // Still working: the same camera's next read opens, and the other camera's too.
    cam1.down.length = 0;
    cam2.down.length = 0;
    const decided = (await decisions()).length;
    // Plates not read at these lanes before (a repeated read of a waiting car is not decided again).
    await cam1.client.publishAsync(`${cam1.prefix}/message/up/ivs_result`, ivsResult(SN, '湘A00001'), { qos: 1 });
    await cam2.client.publishAsync(`${SN_2}/device/message/up/ivs_result`, ivsResult(SN_2, '湘A00002'), { qos: 1 });
    await waitFor(() => cam1.down.some((d) => d.json.name === 'serial_data') && cam2.down.some((d) => d.json.name === 'serial_data'), 3000, 'both lanes answered').catch(async (e) => {
      console.log(JSON.stringify({ c1: cam1.down.map((d) => d.json.name), c2: cam2.down.map((d) => d.json.name), d: (await decisions()).slice(0, 4) }));
      throw e;
    });
    expect((await decisions()).length).toBe(decided + 2);
  });

  it('the wrong secret, or a contract client id guessing the camera’s, is refused at connect', async () => {
    await expect(connect({ clientId: 'cam-m1', username: 'cam-m1', password: 'wrong' })).rejects.toThrow();
  });

  it('the camera simulator ($/device/{sn} layout): a resident’s read lifts its arm and shows the welcome; its loop detector → gate.passage; it replies and the open is acked', async () => {
    expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂A54321', class: 'resident', householdId: '3-2-501' })).status).toBe(201);
    const r = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam-m3', kind: 'camera', vendor: 'vzenith', transport: 'mqtt', serialNo: 'ffee0011-22334455', gateId: 'gate-m3', direction: 'in', vendorSettings: { topics: '$/device/{sn}' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.connect.instructions.zh).toContain('$/device/ffee0011-22334455/message/up/');
    const sim = await new VzenithMqttSim({ url: linli.mqttUrl, ...r.body.connect.mqtt, sn: 'ffee0011-22334455', layout: '$/device/{sn}' }).connect();
    try {
      await sim.keepAlive();
      await waitFor(async () => (await online('cam-m3')) && (await online('gate-m3')), 3000, 'cam-m3 online');
      await sim.plate('鄂A54321');
      await sim.until(() => sim.pulses.length === 1 && sim.led.length > 0);
      expect(sim.pulses[0]).toMatchObject({ io: 0, delay: 1500 });
      expect(sim.led.join(' ')).toContain('欢迎');
      await waitFor(async () => ((await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-m3`)).body.items as any[]).some((c) => c.type === 'open' && c.status === 'acked'), 3000, 'acked');
      await sim.gpioIn(1, 0);
      await waitFor(async () => ((await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-m3`)).body.items as any[]).some((e) => e.type === 'gate.passage'), 3000, 'gate.passage');
    } finally {
      await sim.close();
    }
  });

  it('when the camera disconnects, it and its gate go offline', async () => {
    await cam2.client.endAsync();
    await waitFor(async () => !(await online('cam-m2')) && !(await online('gate-m2')), 8000, 'offline');
  });
});

describe('a JUY shed controller over MQTT on our broker', () => {
  const logins: Record<string, { clientId: string; username: string; password: string }> = {};
  const sessions = async (shedId: string) => (await linli.api('GET', `/api/estates/${EJ}/charging/sessions?shedId=${shedId}`)).body.items as any[];
  const onlineJ = async (id: string) => (await linli.api('GET', `/api/estates/${EJ}/devices/${id}`)).body.online;
  const frameOf = (r: { frame: DecodedDownlink }) => r.frame.detail;
  let a: JuySim;
  let b: JuySim;

  async function sim(imei: string): Promise<JuySim> {
    const s = await new JuySim({ host: '127.0.0.1', port: linli.mqttPort, imei, ports: 4, mqtt: logins[imei]! }).connect();
    sims.push(s);
    return s;
  }

  it('registration issues credentials the board can hold: client id its IMEI, user name and password of 10 ASCII characters', async () => {
    for (const [id, imei] of [['juym-a', IMEI_A], ['juym-b', IMEI_B]] as const) {
      const r = await linli.api('POST', `/api/estates/${EJ}/devices`, { id, kind: 'charger', ports: 4, vendor: 'juy', serialNo: imei, transport: 'mqtt' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const m = r.body.connect.mqtt;
      expect(m).toMatchObject({ host: '127.0.0.1', port: linli.mqttPort, clientId: imei, username: imei.slice(-10) });
      expect(m.password).toBe(r.body.secret);
      expect(m.password).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(Buffer.byteLength(m.username)).toBeLessThanOrEqual(10);
      expect(r.body.connect.notice).toBeUndefined();
      expect(r.body.connect.instructions.zh).toContain(`JUY/D2S/${imei}`);
      logins[imei] = { clientId: imei, username: m.username, password: m.password };
    }
    // The secret is scrypt-hashed at rest like every device's: a wrong one or another board's user name is refused.
    await expect(connect({ clientId: IMEI_A, username: IMEI_A.slice(-10), password: 'AAAAAAAAAA' })).rejects.toThrow();
    await expect(connect({ clientId: IMEI_A, username: IMEI_B.slice(-10), password: logins[IMEI_A]!.password })).rejects.toThrow();
  });

  it('logs in (0x81 answered on its S2D topic) and is online', async () => {
    a = await sim(IMEI_A);
    expect(frameOf(await a.login())).toMatchObject({ kind: 'login-reply', result: 0 });
    await a.heartbeat();
    await waitFor(() => onlineJ('juym-a'), 3000, 'juym-a online');
    b = await sim(IMEI_B);
    await b.login();
  });

  it('a card swipe (0x87) starts a session: 0x83 arrives on its S2D topic; 0x85 ends it, answered', async () => {
    const after = a.received.length;
    const t0 = performance.now();
    a.swipe(2, CARD);
    const start = frameOf(await a.next((f) => f.detail.kind === 'start', after));
    const ms = performance.now() - t0;
    const s = await waitFor(async () => (await sessions('juym-a')).find((x) => x.port === 2 && x.status === 'charging'), 3000, 'charging');
    expect(start).toMatchObject({ kind: 'start', port: 2, orderNo: orderNoFor(s.id), startModeName: 'card', cardNo: CARD });
    const before = a.received.length;
    a.end(2, { reason: 3, energy: 12, seconds: 600, moneyFen: 10 });
    expect(frameOf(await a.next((f) => f.detail.kind === 'end-ack', before))).toEqual({ kind: 'end-ack', port: 2, orderNo: orderNoFor(s.id) });
    await waitFor(async () => (await sessions('juym-a')).find((x) => x.id === s.id && x.status === 'ended'), 3000, 'ended');
    console.log(`juy mqtt: swipe publish → 0x83 received ${ms.toFixed(1)} ms`);
  });

  it('a board stays inside its own IMEI: a forged swipe on another board’s topic reaches nothing; subscriptions elsewhere are refused', async () => {
    const forger = a.client;
    expect(forger?.connected).toBe(true);
    const before = (await sessions('juym-b')).length;
    const bBefore = b.received.length;
    const swipe = buildFrame(CMD.cardAuth, Uint8Array.from([1, 0x00, 0xa8, 0x2f, 0x00, 2]));
    if (!(swipe instanceof Uint8Array)) throw new Error('frame');
    await forger!.publishAsync(`JUY/D2S/${IMEI_B}/87/DEV`, Buffer.from(swipe), { qos: 1 });
    await forger!.publishAsync(`JUY/S2D/${IMEI_B}/83/SERVER`, Buffer.from(swipe), { qos: 1 });
    for (const filter of [`JUY/S2D/${IMEI_B}/+/SERVER`, 'JUY/S2D/+/+/SERVER', 'JUY/#', `JUY/D2S/${IMEI_A}/+/DEV`]) {
      await expect(forger!.subscribeAsync(filter, { qos: 1 }), filter).rejects.toThrow(/Subscribe error/);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await sessions('juym-b')).length).toBe(before);
    expect(b.received.length).toBe(bBefore);
    expect(forger!.connected).toBe(true);
  });

  it('bad frames are dead letters with the codec’s reason; the connection and the other board carry on', async () => {
    const letters = async (deviceId: string) => (await linli.api('GET', `/api/estates/${EJ}/dead-letters?deviceId=${deviceId}&limit=100`)).body.items as any[];
    const good = buildFrame(CMD.heartbeat, Uint8Array.from([25, 30, 4, 0, 0, 0, 0]));
    if (!(good instanceof Uint8Array)) throw new Error('frame');
    const badSum = Uint8Array.from(good);
    badSum[badSum.length - 1] = badSum[badSum.length - 1]! ^ 0xff;
    const client = a.client!;
    const cases: [string, Uint8Array, RegExp][] = [
      [`JUY/D2S/${IMEI_A}/82/DEV`, badSum, /bad-crc/],
      [`JUY/D2S/${IMEI_A}/82/DEV`, good.subarray(0, good.length - 3), /truncated|bad-length/],
      [`JUY/D2S/${IMEI_A}/83/DEV`, good, /schema/],
      [`JUY/D2S/${IMEI_A}/82/DEV`, Buffer.from('hello'), /./],
    ];
    const before = (await letters('juym-a')).length;
    for (const [topic, bytes] of cases) await client.publishAsync(topic, Buffer.from(bytes), { qos: 1 });
    const got = await waitFor(async () => {
      const l = await letters('juym-a');
      return l.length >= before + cases.length && l;
    }, 3000, 'dead letters');
    const reasons = got.slice(0, cases.length).map((l: any) => l.reason).join(' ');
    for (const [, , re] of cases) expect(reasons).toMatch(re);
    expect(client.connected).toBe(true);
    await a.heartbeat();
    await b.heartbeat();
  });

  it('rotating the secret issues another 10-character one and closes the board’s connection; the old one is refused', async () => {
    const old = logins[IMEI_B]!;
    const r = await linli.api('POST', `/api/estates/${EJ}/devices/juym-b/rotate-secret`, {});
    expect(r.status).toBe(200);
    expect(r.body.secret).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(r.body.connect.mqtt).toMatchObject({ clientId: IMEI_B, username: IMEI_B.slice(-10), password: r.body.secret });
    await b.closedByServer();
    await expect(connect(old)).rejects.toThrow();
    const c = await connect({ clientId: IMEI_B, username: IMEI_B.slice(-10), password: r.body.secret });
    expect(c.connected).toBe(true);
    await c.endAsync();
  });
});
