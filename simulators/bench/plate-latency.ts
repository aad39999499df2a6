import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../devices/index.js';
import type { LinliApi } from '../estate/api-client.js';
import { connectPublisher, percentile, pool } from './load.js';

/**
 * plate.read → gate command latency, measured where a driver feels it: from the
 * camera's publish to the gate receiving `open`, both clients in this process on
 * one clock, while 1,000 other devices send telemetry.
 */
const BACKGROUND_KINDS = ['charger', 'elevator', 'gate', 'camera'] as const;


function telemetryFor(kind: (typeof BACKGROUND_KINDS)[number], id: string, n: number): string {
  const base = { id: `${id}-t${n}`, ts: new Date().toISOString() };
  switch (kind) {
    case 'charger':
      return JSON.stringify({ ...base, ports: Array.from({ length: 10 }, (_, p) => ({ port: p + 1, powerW: 150 + p, energyWh: 400 + n, tempC: 30 })) });
    case 'elevator':
      return JSON.stringify({ ...base, floor: 1 + (n % 7), direction: 'idle', doorOpen: false, running: false });
    case 'gate':
      return JSON.stringify({ ...base, cycles: 1000 + n, motorTempC: 40 });
    case 'camera':
      return JSON.stringify({ ...base, fps: 25, cpuTempC: 50 });
  }
}

export interface Background {
  devices: number;
  msgPerS: number;
  stop(): Promise<void>;
}

/** 1,000 devices of every kind, each publishing telemetry every `everyMs`, staggered. */
export async function startBackground(api: LinliApi, mqttUrl: string, estateId: string, count: number, everyMs: number): Promise<Background> {
  const creds = await pool(count, 16, async (i) => {
    const kind = BACKGROUND_KINDS[i % BACKGROUND_KINDS.length]!;
    const id = `bg-${kind}-${i}`;
    const extra = kind === 'camera' ? { gateId: 'bg-gate', direction: 'in' } : kind === 'charger' ? { ports: 10 } : {};
    const res = await api.expect<{ secret: string }>([201], 'POST', `/api/estates/${estateId}/devices`, { id, kind, ...extra });
    return { id, kind, secret: res.body.secret };
  });
  const clients = await pool(count, 32, (i) => connectPublisher(mqttUrl, estateId, creds[i]!.id, creds[i]!.secret));
  let n = 0;
  const timers = clients.map((c, i) => {
    const start = setTimeout(() => {
      const t = setInterval(() => c.client.publish(deviceTopic(estateId, c.deviceId, 'telemetry'), telemetryFor(creds[i]!.kind, c.deviceId, n++), { qos: i % 2 ? 1 : 0 }), everyMs);
      timers[i] = t;
    }, Math.floor((everyMs * i) / count));
    return start as NodeJS.Timeout;
  });
  return {
    devices: count,
    msgPerS: Math.round((count * 1000) / everyMs),
    async stop() {
      timers.forEach((t) => clearInterval(t));
      await Promise.all(clients.map((c) => c.client.endAsync(true)));
    },
  };
}

/** A lot behind one gate, big enough never to fill; visitors' cars open as temporary cars. */
export function benchCharter(gateId: string) {
  return {
    effectiveFrom: new Date().toISOString(),
    adoption: { date: '2026-11-01', householdsTotal: 100, householdsFor: 80, householdsAgainst: 5, householdsAbstaining: 5 },
    document: {
      parking: {
        lots: [{ id: 'bench-lot', name: '基准', capacity: 1_000_000, gates: [gateId] }],
        classes: { resident: { clause: '2.1' }, monthly: { clause: '2.2' }, internal: { clause: '2.3' }, blacklist: { clause: '2.4' }, emergency: { clause: '2.5' }, visitor: { clause: '2.6' }, temporary: { clause: '2.7' } },
        groups: { clause: '2.8' },
        tariff: { clause: '3.1', freeMinutes: 30, firstPeriod: { minutes: 60, priceFen: 500 }, increment: { minutes: 30, priceFen: 100 } },
        plates: { clause: '2.9', repeatWindowS: 1 },
        exit: { clause: '3.2' },
        arrears: { clause: '3.3' },
        offline: { clause: '4.1' },
      },
    },
  };
}

/** Sends `samples` plate reads (distinct plates, spaced out) and times each to the gate's `open`. */
export async function measurePlateToGate(api: LinliApi, mqttUrl: string, estateId: string, samples: number): Promise<number[]> {
  const gateId = 'bench-lane-gate';
  const gateSecret = (await api.expect<{ secret: string }>([201], 'POST', `/api/estates/${estateId}/devices`, { id: gateId, kind: 'gate' })).body.secret;
  const camSecret = (await api.expect<{ secret: string }>([201], 'POST', `/api/estates/${estateId}/devices`, { id: 'bench-lane-cam', kind: 'camera', gateId, direction: 'in' })).body.secret;
  await api.expect([201], 'POST', `/api/estates/${estateId}/charter/versions`, benchCharter(gateId));
  const gate = await connectPublisher(mqttUrl, estateId, gateId, gateSecret);
  const cam = await connectPublisher(mqttUrl, estateId, 'bench-lane-cam', camSecret);
  const sentAt = new Map<string, bigint>();
  const latencies: number[] = [];
  let done: () => void = () => {};
  gate.client.on('message', (_t, payload) => {
    const received = process.hrtime.bigint();
    const cmd = JSON.parse(payload.toString()) as { cmdId: string; plate?: string };
    gate.client.publish(deviceTopic(estateId, gateId, 'ack'), JSON.stringify({ id: `a-${cmd.cmdId}`, ts: new Date().toISOString(), type: 'ack', cmdId: cmd.cmdId, ok: true }), { qos: 1 });
    const t0 = cmd.plate && sentAt.get(cmd.plate);
    if (t0) latencies.push(Number(received - t0) / 1e6);
    if (latencies.length >= samples) done();
  });
  await gate.client.subscribeAsync(deviceTopic(estateId, gateId, 'cmd'), { qos: 1 });
  const all = new Promise<void>((r) => (done = r));
  for (let i = 0; i < samples; i++) {
    const plate = `鄂A${String(10000 + i).padStart(5, '0')}`;
    sentAt.set(plate, process.hrtime.bigint());
    cam.client.publish(deviceTopic(estateId, 'bench-lane-cam', 'event'), JSON.stringify({ id: `r-${i}`, ts: new Date().toISOString(), type: 'plate.read', plate, color: 'blue', confidence: 0.96 }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.race([all, new Promise((r) => setTimeout(r, 10_000))]);
  await Promise.all([gate, cam].map((c: { client: MqttClient }) => c.client.endAsync()));
  return latencies.sort((a, b) => a - b);
}

export { percentile, mqtt };
