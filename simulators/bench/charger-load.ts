import { deviceTopic } from '../../devices/index.js';
import type { LinliApi } from '../estate/api-client.js';
import { benchCharter } from './plate-latency.js';
import { blast, connectPublisher, pool, type MakeMessage, type Publisher } from './load.js';

/**
 * Charging at scale: 100 sheds × 12 ports, every port in a session, telemetry from
 * every shed. Measures the swipe → start round trip as a resident feels it (the
 * shed publishes port.request, the same shed receives `start`), and how fast
 * charger telemetry goes through intake + session monitoring compared with bare
 * aedes forwarding the same payloads.
 */
export const SHEDS = 100;
export const PORTS = 12;


const shedId = (i: number) => `bench-shed-${i}`;
const cardId = (shed: number, port: number) => `bc-${shed}-${port}`;

/** A charter that lets every port of every shed charge (no breaker limit), and a household per shed with 12 cards. */
async function provision(api: LinliApi, estateId: string): Promise<Map<string, string>> {
  await api.expect([201, 409], 'POST', '/api/estates', { id: estateId, name: '充电基准小区' });
  const charter = benchCharter('bench-charger-gate');
  (charter.document as Record<string, unknown>).charging = {
    access: { clause: '5.1', payment: 'balance', minBalanceFen: 0, plans: [] },
    session: { clause: '5.2', maxMinutes: 600 },
    breaker: { clause: '5.3', whenOver: 'deny' },
    pricing: { clause: '5.4', mode: 'time', perHourFen: 100 },
    detection: { clause: '5.5', fullBelowW: 15, fullForMinutes: 10, unplugBelowW: 3, overPowerW: 1000 },
    safety: { clause: '5.6', maxPortTempC: 60 },
  };
  await api.expect([201], 'POST', `/api/estates/${estateId}/charter/versions`, charter);
  const rows = ['building,unit,room,cards', ...Array.from({ length: SHEDS }, (_, s) => `${90 + Math.floor(s / 20)},${(s % 20) + 1},101,${Array.from({ length: PORTS }, (_, p) => cardId(s, p + 1)).join(';')}`)];
  const res = await fetch(`${api.baseUrl}/api/estates/${estateId}/import/households`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${api.bearer}` }, body: rows.join('\n') });
  if (!res.ok) throw new Error(`charger bench import: ${res.status} ${await res.text()}`);
  await pool(SHEDS, 8, (s) => api.expect([200], 'POST', `/api/estates/${estateId}/charging/accounts/${90 + Math.floor(s / 20)}-${(s % 20) + 1}-101/topup`, { amountFen: 100_000 }));
  const secrets = await pool(SHEDS, 16, (s) => api.expect<{ secret: string }>([201], 'POST', `/api/estates/${estateId}/devices`, { id: shedId(s), kind: 'charger', ports: PORTS }));
  return new Map(secrets.map((r, s) => [shedId(s), r.body.secret]));
}

/** Sheds that ack every command, and time each swipe to its `start`. */
async function connectSheds(mqttUrl: string, estateId: string, secrets: Map<string, string>, onStart: (shed: string, port: number) => void): Promise<Publisher[]> {
  const sheds = await pool(SHEDS, 16, (s) => connectPublisher(mqttUrl, estateId, shedId(s), secrets.get(shedId(s))!));
  await Promise.all(sheds.map(async (p) => {
    p.client.on('message', (_t, payload) => {
      const cmd = JSON.parse(payload.toString()) as { cmdId: string; type: string; port: number };
      if (cmd.type === 'start') onStart(p.deviceId, cmd.port);
      p.client.publish(deviceTopic(estateId, p.deviceId, 'ack'), JSON.stringify({ id: `a-${cmd.cmdId}`, ts: new Date().toISOString(), type: 'ack', cmdId: cmd.cmdId, ok: true }), { qos: 1 });
    });
    await p.client.subscribeAsync(deviceTopic(estateId, p.deviceId, 'cmd'), { qos: 1 });
  }));
  return sheds;
}

/** Every port swipes once, spaced out; returns the swipe → start latencies, sorted. */
async function swipeAll(sheds: Publisher[], estateId: string, started: Map<string, bigint>): Promise<number[]> {
  const latencies: number[] = [];
  const waiting = new Map<string, bigint>();
  const done = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      for (const [key, t0] of waiting) {
        const t1 = started.get(key);
        if (t1 === undefined) continue;
        latencies.push(Number(t1 - t0) / 1e6);
        waiting.delete(key);
      }
      if (latencies.length === SHEDS * PORTS || (waiting.size === 0 && latencies.length > 0 && sent === SHEDS * PORTS)) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  let sent = 0;
  for (let port = 1; port <= PORTS; port++) {
    for (const [s, p] of sheds.entries()) {
      waiting.set(`${p.deviceId}/${port}`, process.hrtime.bigint());
      p.client.publish(deviceTopic(estateId, p.deviceId, 'event'), JSON.stringify({ id: `sw-${port}`, ts: new Date().toISOString(), type: 'port.request', port, cardId: cardId(s, port) }), { qos: 1 });
      sent++;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
  return latencies.sort((a, b) => a - b);
}

/** A shed's telemetry: every port drawing ~180 W, energy rising, so no session ends during the run. */
export const shedTelemetry = (runTag: string): MakeMessage => (p, n) => ({
  topic: deviceTopic(p.estateId, p.deviceId, 'telemetry'),
  payload: JSON.stringify({ id: `${runTag}-${n}`, ts: new Date().toISOString(), ports: Array.from({ length: PORTS }, (_, i) => ({ port: i + 1, powerW: 175 + (n % 10), energyWh: 10 + n / 100, tempC: 31 })), ambientTempC: 18 }),
});

export async function chargerScenario(api: LinliApi, mqttUrl: string, estateId: string) {
  const secrets = await provision(api, estateId);
  const started = new Map<string, bigint>();
  const sheds = await connectSheds(mqttUrl, estateId, secrets, (shed, port) => started.set(`${shed}/${port}`, process.hrtime.bigint()));
  const swipes = await swipeAll(sheds, estateId, started);
  return {
    swipes,
    /** Telemetry rate through Linli with every port in a monitored session. */
    telemetryRate: async (total: number, window: number, runTag: string) => (total / (await blast(sheds, total, window, shedTelemetry(runTag), () => true))) * 1000,
    close: () => Promise.all(sheds.map((p) => p.client.endAsync(true))),
  };
}
