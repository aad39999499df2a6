import { expect } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { anAck, connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { registerDevice, waitFor, type TestLinli } from '../support/linli.js';

/*
 * What the charging page tests share: an estate whose charter has a charging
 * section (¥1 per started hour, 8 h sessions), household 3-2-501 with charging
 * cards and a balance, and a real MQTT shed of 10 ports that acks its commands
 * as test/integration/charging-shed.test.ts does.
 */

export const HOUSEHOLD = '3-2-501';
export const SHED = { id: 'shed-1', name: '3号楼充电棚', ports: 10 };

export interface TestShed extends TestDevice {
  swipe(port: number, cardId: string): Promise<void>;
  portState(port: number, state: string, reason?: string): Promise<void>;
  alarm(kind: string, port?: number): Promise<void>;
  telemetry(ports: { port: number; powerW: number; energyWh: number; tempC?: number }[]): Promise<void>;
  /** The command of `type` on `port` after the first `after` commands. */
  command(type: string, port: number, after?: number): Promise<Record<string, any>>;
}

/** `now`: the clock the server runs on, when a test moves it (the shed's messages are stamped with it). */
export async function setUpChargingEstate(linli: TestLinli, estateId: string, cards: string[], now: () => number = Date.now): Promise<TestShed> {
  const secret = await registerDevice(linli, estateId, { id: SHED.id, kind: 'charger', ports: SHED.ports, name: SHED.name });
  const charter = aCharterVersion();
  (charter.document as any).charging = aChargingSection();
  const steps: [string, string, unknown][] = [
    ['POST', `/api/estates/${estateId}/charter/versions`, charter],
    ['POST', `/api/estates/${estateId}/households`, { building: '3', unit: '2', room: '501' }],
    ...cards.map((cardId): [string, string, unknown] => ['POST', `/api/estates/${estateId}/cards`, { cardId, householdId: HOUSEHOLD, purposes: ['charger'] }]),
    ['POST', `/api/estates/${estateId}/charging/accounts/${HOUSEHOLD}/topup`, { amountFen: 5000 }],
  ];
  for (const [method, path, body] of steps) expect((await linli.api(method, path, body)).status, path).toBeLessThan(300);
  return connectShed(linli, estateId, secret, now);
}

async function connectShed(linli: TestLinli, estateId: string, secret: string, now: () => number): Promise<TestShed> {
  const d = await connectDevice(linli.mqttUrl, estateId, SHED.id, secret);
  const ts = () => new Date(now()).toISOString();
  d.client.on('message', (topic, payload) => {
    if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId, { ts: ts() }));
  });
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  return Object.assign(d, {
    swipe: (port: number, cardId: string) => d.send('event', { id: nextId('sw'), ts: ts(), type: 'port.request', port, cardId }),
    portState: (port: number, state: string, reason?: string) => d.send('event', { id: nextId('ps'), ts: ts(), type: 'port.state', port, state, ...(reason ? { reason } : {}) }),
    alarm: (kind: string, port?: number) => d.send('event', { id: nextId('al'), ts: ts(), type: 'alarm', kind, ...(port ? { port } : {}), active: true }),
    telemetry: (ports: { port: number; powerW: number; energyWh: number; tempC?: number }[]) => d.send('telemetry', { id: nextId('t'), ts: ts(), ports: ports.map((p) => ({ tempC: 30, ...p })) }),
    command: (type: string, port: number, after = 0) => waitFor(() => d.commands.slice(after).find((c) => c.type === type && c.port === port), 3000, `${type} on port ${port}`),
  });
}
