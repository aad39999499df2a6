import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anAck, connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/*
 * A server restart in the middle of a charge (an update, a power cut of the
 * server box): the port's meter counts across sessions, so the session's energy
 * is the rise from its first reading — which must survive the restart, or the
 * household is billed only for what it drew after it.
 */
const E = 'estate-restart';
const dataDir = mkdtempSync(join(tmpdir(), 'linli-charging-restart-'));
let linli: TestLinli | undefined;
let shed: TestDevice | undefined;

async function connectShed(l: TestLinli, secret: string) {
  const d = await connectDevice(l.mqttUrl, E, 'shed-r', secret);
  d.client.on('message', (topic, payload) => {
    if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: new Date().toISOString() }));
  });
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  return d;
}
const telemetry = (d: TestDevice, energyWh: number, powerW = 180) => d.send('telemetry', { id: nextId('t'), ts: new Date().toISOString(), ports: [{ port: 1, powerW, energyWh, tempC: 30 }] });

afterAll(async () => {
  await shed?.close();
  await linli?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a charge across a server restart', () => {
  it('bills the energy from the session’s first meter reading, not from the first reading after the restart', async () => {
    linli = await startTestLinli({}, { dataDir });
    const secret = await registerDevice(linli, E, { id: 'shed-r', kind: 'charger', ports: 4, name: '1号充电棚' });
    const charter = aCharterVersion();
    (charter.document as any).charging = aChargingSection((c) => (c.pricing = { clause: '5.4', mode: 'energy', perKwhFen: 100 }));
    expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
    await linli.api('POST', `/api/estates/${E}/households`, { building: '1', unit: '1', room: '101' });
    expect((await linli.api('POST', `/api/estates/${E}/cards`, { cardId: 'card-101', householdId: '1-1-101', purposes: ['charger'] })).status).toBe(201);
    expect((await linli.api('POST', `/api/estates/${E}/charging/accounts/1-1-101/topup`, { amountFen: 5000 })).status).toBe(200);
    shed = await connectShed(linli, secret);

    await shed.send('event', { id: nextId('sw'), ts: new Date().toISOString(), type: 'port.request', port: 1, cardId: 'card-101' });
    const start = await waitFor(() => shed!.commands.find((c) => c.type === 'start'), 3000, 'start');
    const sessionOf = async (l: TestLinli) => (await l.api('GET', `/api/estates/${E}/charging/sessions?shedId=shed-r`)).body.items.find((s: any) => s.id === start.sessionId);
    await waitFor(async () => (await sessionOf(linli!))?.status === 'charging', 3000, 'charging');
    await telemetry(shed, 12_000); // the meter's running total when the bike was plugged in
    await telemetry(shed, 12_400);
    await waitFor(async () => (await sessionOf(linli!))?.meterStartWh === 12_000, 3000, 'meter start stored');

    await shed.close();
    await linli.stop();
    linli = await startTestLinli({}, { dataDir });
    shed = await connectShed(linli, secret);
    await telemetry(shed, 12_900);
    await telemetry(shed, 13_000);
    expect((await linli.api('POST', `/api/estates/${E}/charging/sessions/${start.sessionId}/stop`)).status).toBe(200);

    const ended = await waitFor(async () => ((await sessionOf(linli!))?.status === 'ended' ? sessionOf(linli!) : undefined), 3000, 'ended');
    // 13,000 − 12,000 = 1,000 Wh = 1 kWh at ¥1 → 100 fen. Without the stored start it would be 100 Wh → 10 fen.
    expect(ended).toMatchObject({ energyWh: 1000, feeFen: 100 });
    expect((await linli.api('GET', `/api/estates/${E}/charging/accounts/1-1-101`)).body.balanceFen).toBe(4900);
  });
});
