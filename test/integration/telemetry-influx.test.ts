import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, nextId, now } from '../support/devices.js';
import { registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * VictoriaMetrics (Debian `victoria-metrics`) speaks the InfluxDB 2 write API that
 * @influxdata/influxdb-client uses, so the sink is tested against a real server.
 * CI installs it; on a developer machine without it the test is skipped.
 */
const VM = '/usr/bin/victoria-metrics';
const required = process.env.CI === '1';
const available = existsSync(VM);
if (required && !available) throw new Error(`${VM} is missing: .ci/run installs victoria-metrics`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!available)('telemetry to InfluxDB (VictoriaMetrics)', () => {
  let vm: ChildProcess;
  let vmUrl: string;
  let linli: TestLinli;
  const dir = mkdtempSync(join(tmpdir(), 'linli-vm-'));

  beforeAll(async () => {
    const port = await freePort();
    vmUrl = `http://127.0.0.1:${port}`;
    vm = spawn(VM, [`-httpListenAddr=127.0.0.1:${port}`, `-storageDataPath=${dir}`, '-loggerLevel=ERROR'], { stdio: 'ignore' });
    await waitFor(() => fetch(`${vmUrl}/health`).then((r) => r.ok, () => false), 10_000, 'victoria-metrics');
    linli = await startTestLinli({ LINLI_INFLUX_URL: vmUrl, LINLI_INFLUX_TOKEN: 'unused' });
  });
  afterAll(async () => {
    await linli?.stop();
    if (vm && vm.exitCode === null) {
      const exited = new Promise((r) => vm.once('exit', r));
      vm.kill('SIGTERM');
      await exited; // it writes into its data dir until it has exited
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('writes charger port readings and elevator state as points tagged with estate, device and port', async () => {
    const shedSecret = await registerDevice(linli, 'estate-tsdb', { id: 'shed-v1', kind: 'charger', ports: 4 });
    const liftSecret = await registerDevice(linli, 'estate-tsdb', { id: 'lift-v1', kind: 'elevator' });
    const shed = await connectDevice(linli.mqttUrl, 'estate-tsdb', 'shed-v1', shedSecret);
    const lift = await connectDevice(linli.mqttUrl, 'estate-tsdb', 'lift-v1', liftSecret);
    await shed.send('telemetry', { id: nextId('t'), ts: now(), ports: [{ port: 2, powerW: 180.5, energyWh: 412, tempC: 31.2 }], ambientTempC: 18 });
    await lift.send('telemetry', { id: nextId('t'), ts: now(), floor: 5, direction: 'up', doorOpen: false, running: true, loadPct: 40 });
    await linli.influx!.flush();
    await fetch(`${vmUrl}/internal/force_flush`);
    const exported = await waitFor(async () => {
      const text = await fetch(`${vmUrl}/api/v1/export?match[]={__name__=~"charger.*|elevator.*"}`).then((r) => r.text());
      const series = text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      return series.length >= 5 && series;
    }, 10_000, 'series in victoria-metrics');
    const find = (name: string) => exported.find((s: any) => s.metric.__name__ === name);
    expect(find('charger_port_powerW')).toMatchObject({ metric: { estate: 'estate-tsdb', device: 'shed-v1', port: '2' }, values: [180.5] });
    expect(find('charger_port_energyWh').values).toEqual([412]);
    expect(find('charger_ambientTempC').values).toEqual([18]);
    expect(find('elevator_floor')).toMatchObject({ metric: { device: 'lift-v1', direction: 'up' }, values: [5] });
    expect(find('elevator_running').values).toEqual([1]);
    await shed.close();
    await lift.close();
  });
});
