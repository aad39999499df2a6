import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { aGateState, connectDevice } from '../support/devices.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

const E = 'estate-live';
let linli: TestLinli;
let gateSecret: string;
let shedSecret: string;

beforeAll(async () => {
  linli = await startTestLinli({ LINLI_OFFLINE_DEBOUNCE_MS: '300' });
  gateSecret = await registerDevice(linli, E, { id: 'gate-w1', kind: 'gate' });
  shedSecret = await registerDevice(linli, E, { id: 'shed-w1', kind: 'charger', ports: 10 });
});
afterAll(() => linli.stop());

async function openLive(token: string) {
  const messages: any[] = [];
  const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${token}`);
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  await new Promise((r) => ws.once('open', r));
  await waitFor(() => messages.find((m) => m.type === 'hello'));
  return { ws, messages };
}

async function loginAs(username: string, role: string) {
  await linli.api('POST', '/api/users', { username, password: passwordFor(username), role, mustChangePassword: false });
  return (await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token as string;
}

const presence = async (deviceId: string) =>
  (await linli.api('GET', `/api/estates/${E}/presence?deviceId=${deviceId}`)).body.items.map((p: any) => p.online).reverse();

describe('presence', () => {
  it('records online and a debounced offline stamped with the moment the connection dropped', async () => {
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-w1', gateSecret);
    await waitFor(async () => (await presence('gate-w1')).length === 1);
    const droppedAt = Date.now();
    gate.client.stream.destroy(); // no DISCONNECT: the Will fires, as when power is cut
    await waitFor(async () => (await presence('gate-w1')).length === 2, 3000, 'offline');
    expect(await presence('gate-w1')).toEqual([true, false]);
    const offline = (await linli.api('GET', `/api/estates/${E}/presence?deviceId=gate-w1`)).body.items[0];
    expect(Math.abs(Date.parse(offline.at) - droppedAt)).toBeLessThan(200);
    const dev = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items.find((d: any) => d.id === 'gate-w1');
    expect(dev.online).toBe(false);
    expect(dev.lastSeen).not.toBeNull();
  });

  it('a reconnect within the debounce does not flap', async () => {
    const before = (await presence('gate-w1')).length;
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-w1', gateSecret);
    await waitFor(async () => (await presence('gate-w1')).length === before + 1);
    gate.client.stream.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const again = await connectDevice(linli.mqttUrl, E, 'gate-w1', gateSecret);
    await new Promise((r) => setTimeout(r, 600)); // past the debounce
    expect((await presence('gate-w1')).length).toBe(before + 1);
    await again.close();
  });
});

describe('live feed', () => {
  it('pushes presence and events to the committee, and only charger port states to a resident, with plates masked for a volunteer', async () => {
    const committee = await openLive(linli.token);
    const resident = await openLive(await loginAs('resident2', 'resident'));
    const volunteer = await openLive(await loginAs('volunteer1', 'volunteer'));
    const camSecret = await registerDevice(linli, E, { id: 'cam-w1', kind: 'camera', gateId: 'gate-w1', direction: 'in' });
    const cam = await connectDevice(linli.mqttUrl, E, 'cam-w1', camSecret);
    const shed = await connectDevice(linli.mqttUrl, E, 'shed-w1', shedSecret);
    await cam.send('event', { id: 'lv-1', ts: new Date().toISOString(), type: 'plate.read', plate: '鄂A12345', color: 'blue', confidence: 0.9 });
    await shed.send('event', { id: 'lv-2', ts: new Date().toISOString(), type: 'port.state', port: 3, state: 'charging' });
    await shed.send('event', { id: 'lv-3', ts: new Date().toISOString(), type: 'port.request', port: 3, cardId: 'card-778899' });

    const plateForCommittee = await waitFor(() => committee.messages.find((m) => m.event?.id === 'lv-1'));
    expect(plateForCommittee.event.plate).toBe('鄂A12345');
    expect(committee.messages.some((m) => m.type === 'device.online' && m.deviceId === 'cam-w1')).toBe(true);
    const plateForVolunteer = await waitFor(() => volunteer.messages.find((m) => m.event?.id === 'lv-1'));
    expect(plateForVolunteer.event.plate).toBe('鄂A***45');

    await waitFor(() => resident.messages.find((m) => m.event?.id === 'lv-2'));
    await waitFor(() => committee.messages.find((m) => m.event?.id === 'lv-3'));
    expect(resident.messages.some((m) => m.event?.id === 'lv-1' || m.event?.id === 'lv-3')).toBe(false);
    expect(resident.messages.some((m) => m.deviceId === 'cam-w1')).toBe(false);
    expect(resident.messages.some((m) => m.type === 'device.online' && m.deviceId === 'shed-w1')).toBe(true);
    for (const c of [committee, resident, volunteer]) c.ws.close();
    await cam.close();
    await shed.close();
  });

  it('shows a volunteer rejected payloads with plates and card ids masked', async () => {
    const camSecret = (await linli.api('POST', `/api/estates/${E}/devices/cam-w1/rotate-secret`)).body.secret;
    const cam = await connectDevice(linli.mqttUrl, E, 'cam-w1', camSecret);
    await cam.send('event', '{"id":"dl-1","type":"plate.read","plate":"鄂A54321","cardId":"card-123456"', { raw: true });
    const volunteer = await loginAs('volunteer2', 'volunteer');
    const seen = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-w1`, undefined, volunteer)).body.items[0]);
    expect(seen.reason).toBe('not-json');
    expect(seen.payloadExcerpt).toContain('鄂A***21');
    expect(seen.payloadExcerpt).not.toContain('54321');
    expect(seen.payloadExcerpt).toContain('"cardId":"***456"');
    const committee = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-w1`)).body.items[0];
    expect(committee.payloadExcerpt).toContain('鄂A54321');
    await cam.close();
  });

  it('refuses a live connection without a valid token', async () => {
    const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=nope`);
    const code = await new Promise((r) => ws.on('close', (c) => r(c)));
    expect(code).toBe(4401);
  });
});

describe('system endpoints', () => {
  it('healthz, metrics and the OpenAPI document answer', async () => {
    const gate = await connectDevice(linli.mqttUrl, E, 'gate-w1', gateSecret);
    await gate.send('event', aGateState());
    const health = await fetch(linli.url + '/healthz').then((r) => r.json());
    expect(health).toMatchObject({ ok: true, mqtt: { port: linli.mqttPort, wsPath: '/mqtt' } });
    const metrics = await fetch(linli.url + '/metrics').then((r) => r.text());
    expect(metrics).toMatch(/linli_devices_connected [1-9]/);
    expect(metrics).toMatch(/linli_messages_in_total\{kind="gate",channel="event"\} [1-9]/);
    expect(metrics).toContain('linli_command_latency_seconds');
    const doc = await fetch(linli.url + '/docs/json').then((r) => r.json());
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/estates/{estateId}/devices', '/api/estates/{estateId}/events']));
    expect(doc.paths['/api/estates/{estateId}/events'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['deviceId', 'type', 'limit']));
    await gate.close();
  });

  it('the one-time admin password only lets its holder change it', async () => {
    const fresh = await (await import('../support/linli.js')).startTestLinli({ LINLI_ADMIN_PASSWORD: '' });
    try {
      expect(fresh.firstAdmin?.oneTimePassword).toBeTruthy();
      const login = await fresh.api('POST', '/api/auth/login', { username: 'admin', password: fresh.firstAdmin!.oneTimePassword });
      expect(login.body.user.mustChangePassword).toBe(true);
      const t = login.body.token;
      expect((await fresh.api('GET', '/api/estates', undefined, t)).status).toBe(403);
      expect((await fresh.api('POST', '/api/auth/password', { oldPassword: fresh.firstAdmin!.oneTimePassword, newPassword: 'river-lamp-47-quay' }, t)).status).toBe(200);
      const t2 = (await fresh.api('POST', '/api/auth/login', { username: 'admin', password: 'river-lamp-47-quay' })).body.token;
      expect((await fresh.api('GET', '/api/estates', undefined, t2)).status).toBe(200);
    } finally {
      await fresh.stop();
    }
  });
});
