import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { aGateState, connectDevice, type TestDevice } from '../support/devices.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';
import { deviceTopic } from '../../devices/index.js';

const E = 'estate-acl';
let linli: TestLinli;
let gateSecret: string;
let gate2Secret: string;

beforeAll(async () => {
  linli = await startTestLinli();
  gateSecret = await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate' });
  gate2Secret = await registerDevice(linli, E, { id: 'gate-n2', kind: 'gate' });
});
afterAll(() => linli.stop());

/** CONNACK return code of a connection attempt (0 = accepted). */
async function connackCode(clientId: string, username: string | undefined, password: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const c = mqtt.connect(linli.mqttUrl, { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0 });
    c.on('connect', () => {
      c.end(true);
      resolve(0);
    });
    c.on('error', (err: Error & { code?: number }) => {
      c.end(true);
      resolve(err.code ?? -1);
    });
  });
}

describe('device authentication', () => {
  it('accepts the right secret and refuses a wrong one, an unknown device and a mismatched username', async () => {
    expect(await connackCode('gate-n1', 'gate-n1', gateSecret)).toBe(0);
    expect(await connackCode('gate-n1', 'gate-n1', 'not-the-secret')).toBe(4); // bad username or password
    expect(await connackCode('gate-x9', 'gate-x9', gateSecret)).toBe(4);
    expect(await connackCode('gate-n1', 'gate-n2', gate2Secret)).toBe(4);
    expect(await connackCode('gate-n1', undefined, undefined)).toBe(4);
  });

  it('refuses a decommissioned device with "not authorized" and disconnects it', async () => {
    const secret = await registerDevice(linli, E, { id: 'gate-old', kind: 'gate' });
    const dev = await connectDevice(linli.mqttUrl, E, 'gate-old', secret);
    const closed = new Promise<void>((r) => dev.client.once('close', () => r()));
    const res = await linli.api('POST', `/api/estates/${E}/devices/gate-old/decommission`);
    expect(res.status).toBe(200);
    await closed;
    expect(await connackCode('gate-old', 'gate-old', secret)).toBe(5);
  });

  it('a rotated secret replaces the old one at once', async () => {
    const secret = await registerDevice(linli, E, { id: 'gate-rot', kind: 'gate' });
    const res = await linli.api<{ secret: string }>('POST', `/api/estates/${E}/devices/gate-rot/rotate-secret`);
    expect(await connackCode('gate-rot', 'gate-rot', secret)).toBe(4);
    expect(await connackCode('gate-rot', 'gate-rot', res.body.secret)).toBe(0);
  });

  it('a second connection with the same id takes over the first without an outage', async () => {
    const first = await connectDevice(linli.mqttUrl, E, 'gate-n2', gate2Secret);
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/gate-n2`)).body.online, 3000, 'online');
    const firstClosed = new Promise<void>((r) => first.client.once('close', () => r()));
    const second = await connectDevice(linli.mqttUrl, E, 'gate-n2', gate2Secret);
    await firstClosed;
    await second.send('event', aGateState());
    const dev = await linli.api('GET', `/api/estates/${E}/devices/gate-n2`);
    expect(dev.body.online).toBe(true);
    const presence = await linli.api('GET', `/api/estates/${E}/presence?deviceId=gate-n2`);
    // One online transition, and no offline: the stale Will of the first connection was dropped.
    expect(presence.body.items.map((p: { online: boolean }) => p.online)).toEqual([true]);
    await second.close();
  });
});

describe('topic ACL', () => {
  let attacker: TestDevice;
  let victim: TestDevice;
  beforeAll(async () => {
    attacker = await connectDevice(linli.mqttUrl, E, 'gate-n1', gateSecret);
    victim = await connectDevice(linli.mqttUrl, E, 'gate-n2', gate2Secret);
    await victim.client.subscribeAsync(victim.topic('cmd'), { qos: 1 });
  });
  afterAll(async () => {
    await attacker.close();
    await victim.close();
  });

  it('acknowledges and drops a forged command to another device, keeps the forger connected, and counts it', async () => {
    const forged = { id: 'forged-1', ts: new Date().toISOString(), type: 'open', cmdId: 'forged-1', direction: 'in', display: '欢迎', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    await attacker.client.publishAsync(deviceTopic(E, 'gate-n2', 'cmd'), JSON.stringify(forged), { qos: 1 });
    // and one into its own cmd topic, and one outside linli/ altogether
    await attacker.client.publishAsync(attacker.topic('cmd'), JSON.stringify(forged), { qos: 1 });
    await attacker.client.publishAsync('some/other/topic', 'x', { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(victim.commands).toEqual([]);
    expect(attacker.client.connected).toBe(true);
    // an honest publish on the same connection still works afterwards
    const ev = aGateState();
    await attacker.send('event', ev);
    const events = await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-n1`);
    expect(events.body.items.map((e: { id: string }) => e.id)).toContain(ev.id);
    await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/devices/gate-n1`)).body.counters['refused.publish'] === 3, 3000, 'refusal counter');
  });

  it('refuses subscriptions outside the device’s own cmd and config with 0x80', async () => {
    const filters = [deviceTopic(E, 'gate-n2', 'cmd'), `linli/v1/${E}/+/event`, '#', attacker.topic('cmd'), attacker.topic('config')];
    // MQTT.js turns a 0x80 into an error, so read the SUBACK as it arrives.
    const suback = new Promise<number[]>((resolve) =>
      attacker.client.on('packetreceive', (p) => p.cmd === 'suback' && resolve((p as unknown as { granted: number[] }).granted)),
    );
    attacker.client.subscribe(filters.map((topic) => ({ topic, qos: 1 as const })).reduce((acc, s) => ({ ...acc, [s.topic]: { qos: s.qos } }), {}), () => {});
    const codes = await suback;
    const granted = filters.map((topic, i) => ({ topic, qos: codes[i] }));
    const byTopic = Object.fromEntries(granted.map((g) => [g.topic, g.qos]));
    expect(byTopic[deviceTopic(E, 'gate-n2', 'cmd')]).toBe(128);
    expect(byTopic[`linli/v1/${E}/+/event`]).toBe(128);
    expect(byTopic['#']).toBe(128);
    expect(byTopic[attacker.topic('cmd')]).toBe(1);
    expect(byTopic[attacker.topic('config')]).toBe(1);
    expect(attacker.client.connected).toBe(true);
  });
});

describe('people and roles', () => {
  it('a resident cannot register a device; a committee member can', async () => {
    expect((await linli.api('POST', '/api/users', { username: 'resident1', password: 'resident-pass', role: 'resident', mustChangePassword: false })).status).toBe(201);
    const login = await linli.api<{ token: string }>('POST', '/api/auth/login', { username: 'resident1', password: 'resident-pass' });
    const resident = login.body.token;
    const refused = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam-r1', kind: 'camera', gateId: 'gate-n1', direction: 'in' }, resident);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/a resident may not/);
    expect((await linli.api('GET', `/api/estates/${E}/devices`, undefined, resident)).status).toBe(403);
    const ok = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam-r1', kind: 'camera', gateId: 'gate-n1', direction: 'in' });
    expect(ok.status).toBe(201);
  });

  it('an account the committee creates must change its password at first login', async () => {
    await linli.api('POST', '/api/users', { username: 'guard1', password: 'guard-pass-1', role: 'guard' });
    const login = await linli.api('POST', '/api/auth/login', { username: 'guard1', password: 'guard-pass-1' });
    expect(login.body.user.mustChangePassword).toBe(true);
    expect((await linli.api('GET', `/api/estates/${E}/devices`, undefined, login.body.token)).status).toBe(403);
  });

  it('a request without a token is 401, and a bad body names the field', async () => {
    expect((await linli.api('GET', `/api/estates/${E}/devices`, undefined, '')).status).toBe(401);
    const bad = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam bad', kind: 'camera' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body\.id/);
    const missing = await linli.api('POST', `/api/estates/${E}/devices`, { id: 'cam-r2', kind: 'camera', direction: 'in' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/body\.gateId/);
  });
});
