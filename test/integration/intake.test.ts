import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { aGateState, aPlateRead, connectDevice, nextId, now, type TestDevice } from '../support/devices.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-intake';
let linli: TestLinli;
let cam: TestDevice;
let camSecret: string;

beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'gate-s1', kind: 'gate' });
  camSecret = await registerDevice(linli, E, { id: 'cam-s1-in', kind: 'camera', gateId: 'gate-s1', direction: 'in' });
  cam = await connectDevice(linli.mqttUrl, E, 'cam-s1-in', camSecret);
});
afterAll(async () => {
  await cam.close();
  await linli.stop();
});

const events = (q = '') => linli.api(`GET`, `/api/estates/${E}/events?deviceId=cam-s1-in${q}`).then((r) => r.body.items as any[]);
const deadLetters = (q = '') => linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-s1-in&limit=1000${q}`).then((r) => r.body.items as any[]);

describe('intake', () => {
  it('stores a valid event with its id, readable through the API', async () => {
    const read = aPlateRead();
    await cam.send('event', read);
    const items = await events('&type=plate.read');
    expect(items[0]).toMatchObject({ id: read.id, type: 'plate.read', deviceId: 'cam-s1-in', kind: 'camera', clockSkewed: false });
    expect(items[0].payload.plate).toBe('鄂A12345');
  });

  it('a repeated id is acknowledged and has one effect', async () => {
    const read = aPlateRead({ plate: '鄂A77777' });
    await cam.send('event', read);
    await cam.send('event', read);
    await cam.send('event', { ...read, plate: '鄂B00000' }); // same id, other content: still the first one
    const items = (await events()).filter((e) => e.id === read.id);
    expect(items).toHaveLength(1);
    expect(items[0].payload.plate).toBe('鄂A77777');
  });

  it('1,000 malformed payloads leave the gateway up, the device connected, and each reason recorded', async () => {
    const before = (await deadLetters()).length; // this test runs first of those that make dead letters
    expect(before).toBe(0);
    const bad: { payload: string; reason: string; field: string }[] = [
      { payload: 'not json {', reason: 'not-json', field: '' },
      { payload: '[1,2,3]', reason: 'not-object', field: '' },
      { payload: JSON.stringify(aPlateRead({ type: 'plate.teleport' })), reason: 'unknown-type', field: 'type' },
      { payload: JSON.stringify(aPlateRead({ confidence: 7 })), reason: 'schema', field: 'confidence' },
      { payload: JSON.stringify(aPlateRead({ id: 'bad id with spaces' })), reason: 'schema', field: 'id' },
      { payload: JSON.stringify(aPlateRead({ ts: 'yesterday' })), reason: 'schema', field: 'ts' },
      { payload: JSON.stringify(aPlateRead({ color: 'purple' })), reason: 'schema', field: 'color' },
      { payload: JSON.stringify({ ...aPlateRead(), plate: undefined }), reason: 'schema', field: 'plate' },
    ];
    const sent = Array.from({ length: 1000 }, (_, i) => bad[i % bad.length]!);
    await Promise.all(sent.map((b) => cam.send('event', b.payload, { raw: true })));
    expect(cam.client.connected).toBe(true);
    const all = await deadLetters();
    expect(all.length).toBe(1000);
    const perReason = (r: string) => all.filter((d) => d.reason === r).length;
    expect([perReason('not-json'), perReason('not-object'), perReason('unknown-type'), perReason('schema')]).toEqual([125, 125, 125, 625]);
    // every reason and field came through, with a message naming the field
    for (const b of bad) {
      const match = all.find((d) => d.reason === b.reason && d.field === b.field);
      expect(match, `${b.reason}/${b.field}`).toBeDefined();
      if (b.field) expect(match.message.startsWith(b.field)).toBe(true);
    }
    const metrics = await fetch(linli.url + '/metrics').then((r) => r.text());
    expect(metrics).toContain('linli_messages_rejected_total{reason="schema"} 625');
    // and the device and gateway still work
    const ok = aPlateRead();
    await cam.send('event', ok);
    expect((await events()).map((e) => e.id)).toContain(ok.id);
  });

  it('flags a device clock more than 5 minutes off, and keeps the event', async () => {
    const read = aPlateRead({ ts: new Date(Date.now() - 3_600_000).toISOString() });
    await cam.send('event', read);
    const item = (await events()).find((e) => e.id === read.id);
    expect(item.clockSkewed).toBe(true);
  });

  it('a payload over 64 KiB is a dead letter and the device stays connected; a huge packet is cut at the socket', async () => {
    const big = JSON.stringify(aPlateRead({ imageRef: 'x'.repeat(100 * 1024) }));
    await cam.send('event', big, { raw: true });
    expect((await deadLetters('&reason=too-large'))[0].message).toMatch(/over the 65536-byte limit/);
    expect(cam.client.connected).toBe(true);

    const hog = await connectDevice(linli.mqttUrl, E, 'cam-s1-in', camSecret); // takes over `cam`'s id
    const closed = new Promise<void>((r) => hog.client.once('close', () => r()));
    hog.client.publish(hog.topic('event'), Buffer.alloc(2 * 1024 * 1024, 'a'), { qos: 1 });
    await closed;
    await waitFor(async () => (await deadLetters('&reason=too-large')).some((d) => d.topic === '(socket)'), 3000, 'socket dead letter');
    const health = await fetch(linli.url + '/healthz').then((r) => r.json());
    expect(health.ok).toBe(true);
    cam = await connectDevice(linli.mqttUrl, E, 'cam-s1-in', camSecret);
  });

  it('accepts telemetry at QoS 0 and 1, and a status retained with the firmware version', async () => {
    await cam.send('status', { online: true, fw: '2.3.1' }, { retain: true });
    await cam.send('telemetry', { id: nextId('t'), ts: now(), fps: 25, cpuTempC: 51.5 }, { qos: 0 });
    await cam.send('telemetry', { id: nextId('t'), ts: now(), type: 'telemetry', fps: 24, cpuTempC: 52 });
    const t = await waitFor(async () => {
      const r = await linli.api('GET', `/api/estates/${E}/telemetry?deviceId=cam-s1-in`);
      return r.body.items.length === 2 && r.body.items;
    });
    expect(t.map((x: any) => x.payload.fps).sort()).toEqual([24, 25]);
    const dev = await linli.api('GET', `/api/estates/${E}/devices/cam-s1-in`);
    expect(dev.body.fw).toBe('2.3.1');
    await cam.send('status', { online: 'yes' }, { retain: true });
    const bad = await waitFor(async () => (await deadLetters()).find((d) => d.topic.endsWith('/status')));
    expect(bad).toMatchObject({ reason: 'schema', field: 'online' });
  });

  it('speaks MQTT over WebSocket at /mqtt on the HTTP port', async () => {
    const gateSecret = (await linli.api('POST', `/api/estates/${E}/devices/gate-s1/rotate-secret`)).body.secret;
    const ws = await mqtt.connectAsync(linli.url.replace('http', 'ws') + '/mqtt', { clientId: 'gate-s1', username: 'gate-s1', password: gateSecret, protocolVersion: 4, reconnectPeriod: 0 });
    const ev = aGateState({ state: 'closed' });
    await ws.publishAsync(`linli/v1/${E}/gate-s1/event`, JSON.stringify(ev), { qos: 1 });
    const r = await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-s1`);
    expect(r.body.items[0].id).toBe(ev.id);
    await ws.endAsync();
  });
});
