import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { deviceTopic } from '../../devices/index.js';
import { spawnServer, type ServerProcess } from '../demo/server-process.js';
import { LinliApi } from '../estate/api-client.js';
import { blast, connectPublisher, median, percentile, plateReads, type Publisher } from './load.js';
import { measurePlateToGate, startBackground } from './plate-latency.js';
import { measureVendorPlateToOpen } from './vendor-latency.js';
import { chargerScenario, shedTelemetry, SHEDS, PORTS } from './charger-load.js';
import { usageQueryBench } from './usage-queries.js';

/**
 * `npm run bench [-- --json]`: Linli's intake against bare aedes, measured in one
 * run on this machine, so the ratio holds however noisy the machine is.
 *
 *   intake: QoS 1 events through auth + ACL + parse + zod + de-duplicate + a
 *           durable (fsynced) SQLite group commit, until every PUBACK is back;
 *   bare:   the same events through stock aedes to one QoS 1 subscriber, until the
 *           subscriber has them all and every PUBACK is back.
 * Rounds alternate bare/intake and the medians are reported.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
/** `--only=usage`: just the usage reports' part (issue 7), for working on them; `--only=vendor`: just the 臻识 push → opening answer, under the same background load. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const TOTAL = quick ? 5_000 : 20_000;
const PUBLISHERS = 10;
const WINDOW = 50;
const ROUNDS = quick ? 2 : 3;
const COMMANDS = quick ? 100 : 400;
const BACKGROUND_DEVICES = quick ? 200 : 1000;
const BACKGROUND_EVERY_MS = 2000;
const PLATE_SAMPLES = quick ? 100 : 400;
const E = 'bench';
const PASSWORD = 'bench-password-1';

const say = (line: string) => {
  if (!json) process.stdout.write(line + '\n');
  else process.stderr.write(line + '\n');
};

async function startBare(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bare-broker.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l).port)));
  return { url: `mqtt://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function bareRound(url: string, round: number): Promise<number> {
  const sub = await connectPublisher(url, E, `bench-sub-${round}`);
  let received = 0;
  sub.client.on('message', () => received++);
  await sub.client.subscribeAsync(`linli/v1/${E}/+/event`, { qos: 1 });
  const pubs = await Promise.all(Array.from({ length: PUBLISHERS }, (_, i) => connectPublisher(url, E, `bench-cam-${i}`)));
  const ms = await blast(pubs, TOTAL, WINDOW, plateReads(`bare${round}`), () => received >= TOTAL);
  await Promise.all([...pubs, sub].map((p) => p.client.endAsync()));
  return (TOTAL / ms) * 1000;
}

async function intakeRound(server: ServerProcess, secrets: Map<string, string>, round: number): Promise<number> {
  const pubs = await Promise.all([...secrets].map(([id, secret]) => connectPublisher(server.mqttUrl, E, id, secret)));
  const ms = await blast(pubs, TOTAL, WINDOW, plateReads(`intake${round}`), () => true);
  await Promise.all(pubs.map((p) => p.client.endAsync()));
  return (TOTAL / ms) * 1000;
}

async function provision(api: LinliApi): Promise<Map<string, string>> {
  await api.expect([201, 409], 'POST', '/api/estates', { id: E, name: '基准测试小区' });
  const secrets = new Map<string, string>();
  for (let i = 0; i < PUBLISHERS; i++) {
    const id = `bench-cam-${i}`;
    const res = await api.expect<{ secret: string }>([201], 'POST', `/api/estates/${E}/devices`, { id, kind: 'camera', gateId: 'bench-gate', direction: 'in' });
    secrets.set(id, res.body.secret);
  }
  return secrets;
}

/** A gate that acks every command at once; latency is the gateway's own send→ack measurement. */
async function commandRoundTrips(server: ServerProcess, api: LinliApi): Promise<number[]> {
  const { secret } = (await api.expect<{ secret: string }>([201], 'POST', `/api/estates/${E}/devices`, { id: 'bench-gate', kind: 'gate' })).body;
  const gate: Publisher = await connectPublisher(server.mqttUrl, E, 'bench-gate', secret);
  const ackTopic = deviceTopic(E, 'bench-gate', 'ack');
  gate.client.on('message', (_t, payload) => {
    const cmd = JSON.parse(payload.toString()) as { cmdId: string };
    gate.client.publish(ackTopic, JSON.stringify({ id: `ack-${cmd.cmdId}`, ts: new Date().toISOString(), type: 'ack', cmdId: cmd.cmdId, ok: true }), { qos: 1 });
  });
  await gate.client.subscribeAsync(deviceTopic(E, 'bench-gate', 'cmd'), { qos: 1 });
  for (let i = 0; i < COMMANDS; i++) {
    await api.expect([202], 'POST', `/api/estates/${E}/devices/bench-gate/commands`, { type: 'display', display: `车位剩余 ${i}` });
  }
  const latencies: number[] = [];
  for (let tries = 0; tries < 100 && latencies.length < COMMANDS; tries++) {
    await new Promise((r) => setTimeout(r, 100));
    const rows = (await api.expect<{ items: { status: string; latencyMs: number | null }[] }>([200], 'GET', `/api/estates/${E}/commands?deviceId=bench-gate&limit=1000`)).body.items;
    latencies.length = 0;
    for (const r of rows) if (r.status === 'acked' && r.latencyMs !== null) latencies.push(r.latencyMs);
  }
  await gate.client.endAsync();
  return latencies.sort((a, b) => a - b);
}

/** 100 sheds × 12 ports all charging: swipe → start latency, then telemetry rate against bare aedes (medians of alternating rounds). */
async function chargerBench(server: ServerProcess, api: LinliApi, bareUrl: string) {
  say(`  charging: provisioning ${SHEDS} sheds × ${PORTS} ports and starting every session …`);
  const scenario = await chargerScenario(api, server.mqttUrl, 'bench-chg');
  const total = quick ? 3_000 : 10_000;
  const bareRates: number[] = [];
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bareRates.push(await bareTelemetryRound(bareUrl, total, r));
    rates.push(await scenario.telemetryRate(total, WINDOW, `chg${r}`));
  }
  await scenario.close();
  return { swipes: scenario.swipes, intake: median(rates), bare: median(bareRates) };
}

async function bareTelemetryRound(url: string, total: number, round: number): Promise<number> {
  const sub = await connectPublisher(url, 'bench-chg', `bench-chg-sub-${round}`);
  let received = 0;
  sub.client.on('message', () => received++);
  await sub.client.subscribeAsync('linli/v1/bench-chg/+/telemetry', { qos: 1 });
  const pubs = await Promise.all(Array.from({ length: SHEDS }, (_, i) => connectPublisher(url, 'bench-chg', `bench-bare-shed-${round}-${i}`)));
  const ms = await blast(pubs, total, WINDOW, shedTelemetry(`bare-chg${round}`), () => received >= total);
  await Promise.all([...pubs, sub].map((p) => p.client.endAsync()));
  return (total / ms) * 1000;
}

/**
 * `usageQueryMaxMs` is what a committee member sees: the slowest median over
 * HTTP once the server has pre-filled its rollups after boot;
 * `usageQueryColdMaxMs` the same with the rollups emptied before each call
 * (see usage-queries.ts).
 */
const usageResult = (usage: Awaited<ReturnType<typeof usageQueryBench>>) => ({
  usageQueryMaxMs: usage.maxMs,
  usageQueries: usage.medians,
  usageQueryColdMaxMs: usage.coldMaxMs,
  usageQueriesCold: usage.coldMedians,
});
const sayUsage = (usage: Awaited<ReturnType<typeof usageQueryBench>>) => {
  const list = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ');
  say(`  usage reports over a year of one estate (median of 5 calls each): slowest ${usage.maxMs} ms (target < 200) — ${list(usage.medians)}`);
  say(`  the same with the rollups emptied before each call (cold): slowest ${usage.coldMaxMs} ms — ${list(usage.coldMedians)}`);
};

async function main(): Promise<void> {
  if (only === 'usage') {
    const usage = await usageQueryBench({ root: ROOT, password: PASSWORD, say });
    sayUsage(usage);
    process.stdout.write(JSON.stringify(usageResult(usage)) + '\n');
    return;
  }
  if (only === 'vendor') return vendorOnly();
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-'));
  const bare = await startBare();
  const server = await spawnServer({
    cwd: ROOT,
    env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: PASSWORD, LINLI_LOG_LEVEL: 'info' },
    httpPort: 0,
    logFile: join(dataDir, 'server.log'),
    onProblem: (line) => say(`  server: ${line}`),
  });
  try {
    const api = await LinliApi.login(server.httpUrl, 'admin', PASSWORD);
    const secrets = await provision(api);
    say(`Linli bench: ${TOTAL} QoS 1 events per round, ${PUBLISHERS} publishers × ${WINDOW} in flight, ${ROUNDS} rounds`);
    await bareRound(bare.url, -1); // warm-up, both sides
    await intakeRound(server, secrets, -1);
    const bareRates: number[] = [];
    const intakeRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareRates.push(await bareRound(bare.url, r));
      intakeRates.push(await intakeRound(server, secrets, r));
      say(`  round ${r + 1}: bare aedes ${bareRates[r]!.toFixed(0)} msg/s, Linli intake ${intakeRates[r]!.toFixed(0)} msg/s`);
    }
    const stored = (await api.expect<{ items: unknown[] }>([200], 'GET', `/api/estates/${E}/events?limit=1`)).body.items.length;
    if (stored !== 1) throw new Error('intake stored nothing: the bench measured a broken server');
    const rtt = await commandRoundTrips(server, api);
    say(`  starting ${BACKGROUND_DEVICES} background devices (telemetry every ${BACKGROUND_EVERY_MS / 1000} s) …`);
    const background = await startBackground(api, server.mqttUrl, E, BACKGROUND_DEVICES, BACKGROUND_EVERY_MS);
    await new Promise((r) => setTimeout(r, BACKGROUND_EVERY_MS)); // every device has started publishing
    const plate = await measurePlateToGate(api, server.mqttUrl, E, PLATE_SAMPLES);
    // The same lane through a 臻识 camera's HTTP push, under the same background load (issue 12).
    const vendorPlate = await measureVendorPlateToOpen(api, server.httpUrl, `${E}-vz`, PLATE_SAMPLES);
    await background.stop();
    const charger = await chargerBench(server, api, bare.url);
    const usage = await usageQueryBench({ root: ROOT, password: PASSWORD, say });
    const result = {
      intakeMsgPerS: Math.round(median(intakeRates)),
      bareMsgPerS: Math.round(median(bareRates)),
      intakeRatio: Number((median(intakeRates) / median(bareRates)).toFixed(3)),
      cmdRttP50Ms: Number(percentile(rtt, 50).toFixed(2)),
      cmdRttP99Ms: Number(percentile(rtt, 99).toFixed(2)),
      cmdSamples: rtt.length,
      plateToGateP50Ms: Number(percentile(plate, 50).toFixed(2)),
      plateToGateP99Ms: Number(percentile(plate, 99).toFixed(2)),
      plateSamples: plate.length,
      vendorPlateToOpenP50Ms: Number(percentile(vendorPlate, 50).toFixed(2)),
      vendorPlateToOpenP99Ms: Number(percentile(vendorPlate, 99).toFixed(2)),
      vendorPlateSamples: vendorPlate.length,
      backgroundDevices: background.devices,
      backgroundMsgPerS: background.msgPerS,
      chargerIntakeMsgPerS: Math.round(charger.intake),
      chargerBareMsgPerS: Math.round(charger.bare),
      chargerIntakeRatio: Number((charger.intake / charger.bare).toFixed(3)),
      swipeToStartP50Ms: Number(percentile(charger.swipes, 50).toFixed(2)),
      swipeToStartP99Ms: Number(percentile(charger.swipes, 99).toFixed(2)),
      swipeSamples: charger.swipes.length,
      ...usageResult(usage),
      messagesPerRound: TOTAL,
      dbSync: 'full',
    };
    say(`  intake / bare = ${result.intakeRatio} (target ≥ 0.5)`);
    say(`  command round-trip (send → ack, ${rtt.length} commands): p50 ${result.cmdRttP50Ms} ms, p99 ${result.cmdRttP99Ms} ms`);
    say(`  charging: ${SHEDS} sheds × ${PORTS} ports in session — telemetry through Linli ${Math.round(charger.intake)} msg/s vs bare aedes ${Math.round(charger.bare)} msg/s = ${result.chargerIntakeRatio}; swipe → start (${charger.swipes.length} swipes) p50 ${result.swipeToStartP50Ms} ms, p99 ${result.swipeToStartP99Ms} ms`);
    say(`  plate read → gate open (${plate.length} reads, ${background.devices} devices sending ${background.msgPerS} telemetry msg/s): p50 ${result.plateToGateP50Ms} ms, p99 ${result.plateToGateP99Ms} ms (target p99 < 50)`);
    say(`  臻识 HTTP push of a plate → the answer that opens (${vendorPlate.length} pushes, same background): p50 ${result.vendorPlateToOpenP50Ms} ms, p99 ${result.vendorPlateToOpenP99Ms} ms (target p99 < 50)`);
    sayUsage(usage);
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    bare.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `--only=vendor`: the 臻识 push → opening answer (and the MQTT lane beside it), with the background load of the full run. */
async function vendorOnly(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-'));
  const server = await spawnServer({
    cwd: ROOT,
    env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: PASSWORD, LINLI_LOG_LEVEL: 'info' },
    httpPort: 0,
    logFile: join(dataDir, 'server.log'),
    onProblem: (line) => say(`  server: ${line}`),
  });
  try {
    const api = await LinliApi.login(server.httpUrl, 'admin', PASSWORD);
    await api.expect([201, 409], 'POST', '/api/estates', { id: E, name: '基准测试小区' });
    say(`  starting ${BACKGROUND_DEVICES} background devices (telemetry every ${BACKGROUND_EVERY_MS / 1000} s) …`);
    const background = await startBackground(api, server.mqttUrl, E, BACKGROUND_DEVICES, BACKGROUND_EVERY_MS);
    await new Promise((r) => setTimeout(r, BACKGROUND_EVERY_MS));
    // The MQTT lane in the same run, for comparison under the same load.
    const plate = await measurePlateToGate(api, server.mqttUrl, E, PLATE_SAMPLES);
    const vendorPlate = await measureVendorPlateToOpen(api, server.httpUrl, `${E}-vz`, PLATE_SAMPLES);
    await background.stop();
    const result = {
      plateToGateP50Ms: Number(percentile(plate, 50).toFixed(2)),
      plateToGateP99Ms: Number(percentile(plate, 99).toFixed(2)),
      vendorPlateToOpenP50Ms: Number(percentile(vendorPlate, 50).toFixed(2)),
      vendorPlateToOpenP99Ms: Number(percentile(vendorPlate, 99).toFixed(2)),
      vendorPlateSamples: vendorPlate.length,
      backgroundDevices: background.devices,
      backgroundMsgPerS: background.msgPerS,
      dbSync: 'full',
    };
    say(`  plate read → gate open over MQTT (${plate.length} reads): p50 ${result.plateToGateP50Ms} ms, p99 ${result.plateToGateP99Ms} ms`);
    say(`  臻识 HTTP push of a plate → the answer that opens (${vendorPlate.length} pushes, ${background.devices} devices sending ${background.msgPerS} telemetry msg/s): p50 ${result.vendorPlateToOpenP50Ms} ms, p99 ${result.vendorPlateToOpenP99Ms} ms (target p99 < 50)`);
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
