import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEstate, type Estate } from '../../simulators/estate.js';
import { ADMIN_PASSWORD, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * The whole simulated estate against a real Linli (in-process, free ports, fresh
 * SQLite): provisioning through the HTTP API, 13 devices over real MQTT with real
 * secrets, a compressed morning, and a command round trip through the API.
 */
const ESTATE = 'sim-estate';
let linli: TestLinli;
let estate: Estate;

type Item = Record<string, any>;
const get = async (path: string): Promise<Item[]> => {
  const res = await linli.api<{ items: Item[] }>('GET', `/api/estates/${ESTATE}${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
};

beforeAll(async () => {
  linli = await startTestLinli();
  estate = await startEstate({
    httpUrl: linli.url,
    mqttUrl: linli.mqttUrl,
    username: 'admin',
    password: ADMIN_PASSWORD,
    estateId: ESTATE,
    estateName: '模拟小区',
    rateScale: 20, // the morning rush in seconds
    seed: 42,
    startHour: 7.5,
  });
});

afterAll(async () => {
  await estate?.close();
  await linli?.stop();
});

describe('a simulated estate on a real Linli', () => {
  it('is provisioned through the API and every device is listed online', async () => {
    expect(estate.devices).toHaveLength(13);
    const items = await waitFor(async () => {
      const list = await get('/devices');
      return list.length === 13 && list.every((d) => d.online) ? list : undefined;
    }, 10_000, 'all 13 devices online');
    const kinds = items.map((d) => d.kind).sort();
    expect(kinds).toEqual([...Array(4).fill('camera'), ...Array(3).fill('charger'), ...Array(4).fill('elevator'), ...Array(2).fill('gate')].sort());
    expect(items.find((d) => d.kind === 'charger')?.fw).toBe('charger-sim-1.0');
  });

  it('records the day as events, each under the id the device gave it', async () => {
    const camera = estate.cameras[0]!;
    const read = await camera.read('鄂A12345');
    const mine = await waitFor(async () => (await get(`/events?deviceId=${camera.deviceId}&type=plate.read`)).find((e) => e.id === read.id), 5_000, 'our plate.read');
    expect(mine).toMatchObject({ deviceId: camera.deviceId, type: 'plate.read', clockSkewed: false });
    expect(mine.payload).toMatchObject({ plate: '鄂A12345', color: 'blue' });

    // A few seconds of a compressed morning: cars leave, lifts run, bikes plug in.
    await new Promise((r) => setTimeout(r, 5_000));
    const events = await get('/events?limit=1000');
    const types = new Set(events.map((e) => e.type));
    for (const t of ['plate.read', 'gate.state', 'port.state', 'ride']) expect(types, `event types seen: ${[...types].join(', ')}`).toContain(t);
    const ids = events.map((e) => `${e.deviceId}/${e.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await get('/telemetry?limit=10')).length).toBeGreaterThan(0);
    // Everything the simulators sent passed the gateway's schemas.
    expect(await get('/dead-letters')).toEqual([]);
  });

  it('acks a gate display command sent through the API', async () => {
    const gate = estate.gates[0]!;
    const text = '月租车 欢迎回家';
    const sent = await linli.api<{ cmdId: string }>('POST', `/api/estates/${ESTATE}/devices/${gate.deviceId}/commands`, { type: 'display', display: text });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const row = await waitFor(
      async () => (await get(`/commands?deviceId=${gate.deviceId}`)).find((c) => c.cmdId === sent.body.cmdId && c.status === 'acked'),
      5_000,
      'the display command acked',
    );
    expect(row.type).toBe('display');
    expect(gate.display).toBe(text);
  });
});
