import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, parseTopic, parseUplink, type DeviceKind } from '../../devices/index.js';
import { ChargerSim, createPace, ElevatorSim, GateSim, type SimDevice } from '../../simulators/lib/index.js';

/**
 * The simulated devices against a bare aedes broker and a hand-driven "gateway"
 * client: what a device does with commands (ack, de-duplicate, expire) and what it
 * publishes, checked against the contract's schemas as the gateway would.
 */
const ESTATE = 'simtest';
const pace = createPace(50); // arm, doors and floors 50× faster

interface Heard {
  deviceId: string;
  channel: string;
  retain: boolean;
  body: Record<string, any>;
}

let broker: Aedes;
let server: Server;
let url: string;
let gateway: MqttClient;
const heard: Heard[] = [];
const devices: SimDevice[] = [];

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'test-gateway', reconnectPeriod: 0 });
  gateway.on('message', (topic, payload, packet) => {
    const t = parseTopic(topic);
    if (t && payload.length > 0) heard.push({ deviceId: t.deviceId, channel: t.channel, retain: packet.retain, body: JSON.parse(payload.toString()) });
  });
  await gateway.subscribeAsync(`linli/v1/${ESTATE}/+/+`, { qos: 1 });
});

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  heard.length = 0;
});

afterAll(async () => {
  await gateway.endAsync();
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

async function started<T extends SimDevice>(device: T): Promise<T> {
  devices.push(device);
  await device.start();
  return device;
}

const opts = (deviceId: string) => ({ mqttUrl: url, estateId: ESTATE, deviceId, secret: 'unused-by-bare-aedes', pace, fw: '9.9.9' });

async function until<T>(find: () => T | undefined, what: string, ms = 3_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; heard ${JSON.stringify(heard.map((h) => [h.deviceId, h.channel, h.body.type]))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let seq = 0;
async function command(deviceId: string, body: Record<string, unknown>): Promise<string> {
  const cmdId = (body.cmdId as string | undefined) ?? `c-${process.pid}-${++seq}`;
  const payload = { id: `gw-${++seq}`, ts: new Date().toISOString(), cmdId, ...body };
  await gateway.publishAsync(deviceTopic(ESTATE, deviceId, 'cmd'), JSON.stringify(payload), { qos: 1 });
  return cmdId;
}

const acksFor = (cmdId: string) => heard.filter((h) => h.channel === 'ack' && h.body.cmdId === cmdId);
const events = (deviceId: string, type?: string) => heard.filter((h) => h.deviceId === deviceId && h.channel === 'event' && (!type || h.body.type === type));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('a simulated gate', () => {
  it('says it is online (retained, with its firmware) and subscribes to its own cmd and config', async () => {
    await started(new GateSim(opts('gate-a')));
    const status = await until(() => heard.find((h) => h.deviceId === 'gate-a' && h.channel === 'status'), 'status');
    expect(status.body).toEqual({ online: true, fw: '9.9.9' });
    await command('gate-a', { type: 'display', display: '欢迎' });
    await until(() => heard.find((h) => h.channel === 'ack'), 'ack');
  });

  it('acks a display, and a repeated cmdId gets the same ack without running again', async () => {
    const gate = await started(new GateSim(opts('gate-b')));
    let runs = 0;
    gate.on('command', () => runs++);
    const cmdId = await command('gate-b', { type: 'display', display: '月租车 欢迎回家' });
    const first = await until(() => acksFor(cmdId)[0], 'first ack');
    expect(first.body).toMatchObject({ type: 'ack', cmdId, ok: true });
    expect(gate.display).toBe('月租车 欢迎回家');

    await command('gate-b', { cmdId, type: 'display', display: 'something else' });
    const again = await until(() => acksFor(cmdId)[1], 'second ack');
    expect(again.body).toEqual(first.body);
    expect(runs).toBe(1);
    expect(gate.display).toBe('月租车 欢迎回家');
  });

  it('lets the waiting car through on open: opening → open → passage → closing → closed', async () => {
    const gate = await started(new GateSim(opts('gate-c')));
    const car = gate.arrive('in', '鄂AD12345');
    const cmdId = await command('gate-c', { type: 'open', direction: 'in', display: '业主车辆 欢迎回家', expiresAt: inSeconds(10) });
    expect(await car.outcome).toBe('passed');
    await until(() => (gate.armState === 'closed' && events('gate-c', 'gate.state').length >= 5 ? true : undefined), 'arm closed');
    expect(acksFor(cmdId)[0]?.body.ok).toBe(true);
    expect(events('gate-c', 'gate.state').map((e) => e.body.state)).toEqual(['closed', 'opening', 'open', 'closing', 'closed']);
    expect(events('gate-c', 'gate.passage')[0]?.body).toMatchObject({ direction: 'in', plate: '鄂AD12345' });
  });

  it('refuses an expired open with "expired" and keeps the arm down', async () => {
    const gate = await started(new GateSim(opts('gate-d')));
    const cmdId = await command('gate-d', { type: 'open', direction: 'in', display: '欢迎', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const ack = await until(() => acksFor(cmdId)[0], 'ack');
    expect(ack.body).toMatchObject({ ok: false, error: 'expired' });
    await new Promise((r) => setTimeout(r, 200));
    expect(gate.armState).toBe('closed');
    expect(events('gate-d', 'gate.state').map((e) => e.body.state)).toEqual(['closed']);
  });

  it('refuses a command that fails its schema, naming the field', async () => {
    await started(new GateSim(opts('gate-e')));
    const cmdId = await command('gate-e', { type: 'open', direction: 'sideways', display: 'x', expiresAt: inSeconds(10) });
    const ack = await until(() => acksFor(cmdId)[0], 'ack');
    expect(ack.body.ok).toBe(false);
    expect(ack.body.error).toMatch(/^invalid: direction/);
  });

  it('takes its retained config and reports the version it holds in its retained status and telemetry', async () => {
    const gate = await started(new GateSim(opts('gate-f')));
    const config = { version: 3, offlineMode: 'whitelist', plates: ['鄂A12345'] };
    await gateway.publishAsync(deviceTopic(ESTATE, 'gate-f', 'config'), JSON.stringify(config), { qos: 1, retain: true });
    await until(() => (gate.config.version === 3 ? true : undefined), 'config applied');
    expect(gate.config.plates).toEqual(['鄂A12345']);
    const status = await until(() => heard.find((h) => h.deviceId === 'gate-f' && h.channel === 'status' && h.body.configVersion === 3), 'status with configVersion');
    expect(status.body).toEqual({ online: true, fw: '9.9.9', configVersion: 3 });
    // Retained: whoever subscribes later (a restarted gateway) learns it at once.
    const late = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: 'test-late', reconnectPeriod: 0 });
    const retained = new Promise<Record<string, unknown>>((resolve) => late.on('message', (_t, payload, packet) => packet.retain && resolve(JSON.parse(payload.toString()))));
    await late.subscribeAsync(deviceTopic(ESTATE, 'gate-f', 'status'), { qos: 1 });
    expect(await retained).toEqual({ online: true, fw: '9.9.9', configVersion: 3 });
    await late.endAsync();
    await gateway.publishAsync(deviceTopic(ESTATE, 'gate-f', 'config'), '', { qos: 1, retain: true });
  });

  it('a deny answers the car whose plate was just read: the car stays on its lane and the arm stays down', async () => {
    const gate = await started(new GateSim(opts('gate-i')));
    const earlier = gate.arrive('in', '鄂A11111');
    const car = gate.arrive('out', '湘A88888');
    gate.expectAnswer(car);
    await command('gate-i', { type: 'deny', display: '请缴费 ¥5', voice: '请缴费5元', expiresAt: inSeconds(10) });
    expect(await car.nextAnswer()).toEqual({ type: 'deny', display: '请缴费 ¥5', voice: '请缴费5元' });
    expect(gate.armState).toBe('closed');
    expect(gate.display).toBe('请缴费 ¥5');
    // Paid: the server lifts the arm for the out-lane, and that car drives through.
    await command('gate-i', { type: 'open', direction: 'out', plate: '湘A88888', display: '缴费成功 一路顺风', expiresAt: inSeconds(10) });
    expect(await car.nextAnswer()).toMatchObject({ type: 'open', display: '缴费成功 一路顺风' });
    expect(await car.outcome).toBe('passed');
    gate.leave(earlier);
    expect(await earlier.outcome).toBe('left');
  });

  it('with its link cut, lets a whitelisted plate in by itself and reports it (with its time) once back', async () => {
    const gate = await started(new GateSim(opts('gate-j')));
    await gateway.publishAsync(deviceTopic(ESTATE, 'gate-j', 'config'), JSON.stringify({ version: 5, offlineMode: 'whitelist', plates: ['鄂AD12345'] }), { qos: 1, retain: true });
    await until(() => (gate.config.version === 5 ? true : undefined), 'config applied');
    gate.cutLink();
    await until(() => heard.find((h) => h.deviceId === 'gate-j' && h.channel === 'status' && h.body.online === false), 'will');
    const stranger = gate.arrive('in', '湘A88888');
    expect(gate.admitOffline(stranger, '湘A88888')).toBe(false);
    gate.leave(stranger);
    const resident = gate.arrive('in', '鄂AD12345');
    const cutAt = Date.now();
    expect(gate.admitOffline(resident, '鄂AD12345')).toBe(true);
    expect(await resident.outcome).toBe('passed');
    expect(events('gate-j', 'gate.manual')).toEqual([]); // nothing gets out while the link is down
    await gate.restoreLink();
    const manual = await until(() => events('gate-j', 'gate.manual')[0], 'gate.manual after the outage');
    expect(manual.body).toMatchObject({ action: 'open', source: 'offline-whitelist', plate: '鄂AD12345', direction: 'in' });
    expect(Date.parse(manual.body.ts)).toBeLessThanOrEqual(cutAt + 50);
    await until(() => events('gate-j', 'gate.passage')[0], 'the passage, also kept');
    expect(heard.filter((h) => h.deviceId === 'gate-j' && h.channel === 'status').at(-1)?.body).toEqual({ online: true, fw: '9.9.9', configVersion: 5 });
    await gateway.publishAsync(deviceTopic(ESTATE, 'gate-j', 'config'), '', { qos: 1, retain: true });
  });

  it('leaves its Last Will when the power goes, and says goodbye itself when closed', async () => {
    const cut = new GateSim(opts('gate-g'));
    await cut.start();
    await cut.close({ abrupt: true });
    const will = await until(() => heard.find((h) => h.deviceId === 'gate-g' && h.channel === 'status' && h.body.online === false), 'will');
    expect(will.body).toEqual({ online: false });

    const polite = new GateSim(opts('gate-h'));
    await polite.start();
    await polite.close();
    await until(() => heard.find((h) => h.deviceId === 'gate-h' && h.channel === 'status' && h.body.online === false), 'goodbye');
  });
});

describe('a simulated charging shed', () => {
  it('asks on swipe, charges on start (power and energy in telemetry), and stops on stop', async () => {
    const shed = await started(new ChargerSim({ ...opts('shed-a'), ports: 4 }));
    const { port, outcome } = await shed.plugIn('0A1B2C3D', 2);
    const request = await until(() => events('shed-a', 'port.request')[0], 'port.request');
    expect(request.body).toMatchObject({ port: 2, cardId: '0A1B2C3D' });

    const start = await command('shed-a', { type: 'start', port, sessionId: 's-1', maxMinutes: 240 });
    expect(await outcome).toBe('started');
    expect(acksFor(start)[0]?.body.ok ?? (await until(() => acksFor(start)[0], 'ack')).body.ok).toBe(true);
    await until(() => events('shed-a', 'port.state').find((e) => e.body.port === 2 && e.body.state === 'charging'), 'charging');
    const reading = await until(
      () => heard.find((h) => h.deviceId === 'shed-a' && h.channel === 'telemetry' && h.body.ports[1].powerW > 0 && h.body.ports[1].energyWh > 0),
      'telemetry with power',
    );
    expect(reading.body.ports).toHaveLength(4);

    const stop = await command('shed-a', { type: 'stop', port, reason: 'committee' });
    await until(() => acksFor(stop)[0], 'stop ack');
    await until(() => events('shed-a', 'port.state').find((e) => e.body.port === 2 && e.body.state === 'occupied' && e.body.reason === 'committee'), 'stopped');
  });

  it('refuses to start a port with nothing plugged in', async () => {
    await started(new ChargerSim({ ...opts('shed-b'), ports: 2 }));
    const cmdId = await command('shed-b', { type: 'start', port: 1, sessionId: 's-2', maxMinutes: 60 });
    expect((await until(() => acksFor(cmdId)[0], 'ack')).body).toMatchObject({ ok: false, error: 'nothing plugged in' });
  });
});

describe('a simulated elevator', () => {
  it('swipes, takes a grant, and reports the ride on arrival', async () => {
    const lift = await started(new ElevatorSim({ ...opts('lift-a'), lowestFloor: 1, highestFloor: 7 }));
    const { outcome } = await lift.swipe('CAFE0001', 1);
    await until(() => events('lift-a', 'card.swipe')[0], 'card.swipe');
    await command('lift-a', { type: 'grant', cardId: 'CAFE0001', floors: [1, 5], ttlS: 30 });
    expect(await outcome).toEqual({ granted: true, floors: [1, 5] });
    await lift.ride({ from: 1, to: 5, cardId: 'CAFE0001' });
    expect(events('lift-a', 'ride')[0]?.body).toMatchObject({ from: 1, to: 5, cardId: 'CAFE0001' });
    expect(lift.currentFloor).toBe(5);
  });
});

describe('everything the simulators published', () => {
  it('passes the contract schemas, with ids never repeated by a device', async () => {
    const lift = await started(new ElevatorSim({ ...opts('lift-b'), lowestFloor: -1, highestFloor: 6 }));
    await lift.raiseFault('ebike-detected', 100);
    await lift.ride({ from: -1, to: 6 });
    const shed = await started(new ChargerSim({ ...opts('shed-c'), ports: 3 }));
    await shed.plugIn('0A1B2C3E', 1);
    await shed.overheat(1);
    const kinds: Record<string, DeviceKind> = { 'lift-b': 'elevator', 'shed-c': 'charger' };
    const mine = heard.filter((h) => kinds[h.deviceId] && h.channel !== 'status');
    expect(mine.length).toBeGreaterThan(5);
    for (const h of mine) {
      const check = parseUplink(kinds[h.deviceId]!, h.channel as 'event', JSON.stringify(h.body));
      expect(check.ok, JSON.stringify(check)).toBe(true);
    }
    const ids = mine.map((h) => `${h.deviceId}/${h.body.id}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
