import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The README's first command, as a person runs it: `npm run demo` (here its
 * script, node --import tsx simulators/demo.ts) on a data directory that does
 * not exist yet, then Ctrl-C. It must come up with the estate online and its
 * committee figures filled, and stop cleanly.
 */
const root = join(import.meta.dirname, '..', '..');
const parent = mkdtempSync(join(tmpdir(), 'linli-demo-'));
const dataDir = join(parent, 'not-made-yet', 'data');
const PASSWORD = 'demo-test-password-1';
let child: ChildProcess | undefined;

afterAll(async () => {
  // After a failed assertion the demo is still up: SIGINT lets it stop its server child too (SIGKILL would orphan it).
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    child.kill('SIGKILL');
  }
  rmSync(parent, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('starts on a fresh data directory, runs the estate with open accounts, and stops on SIGINT', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'simulators/demo.ts'], {
      cwd: root,
      env: { ...process.env, LINLI_DATA_DIR: dataDir, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_ADMIN_PASSWORD: PASSWORD, LINLI_DEMO_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        const m = /Dashboard\s+(http:\/\/\S+)\//.exec(line);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`demo exited with ${code} before it was ready:\n${stderr}`)));
    });

    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const get = async <T>(path: string) => (await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const devices = await get<{ items: { status: string; online: boolean }[] }>('/api/estates/heping/devices');
    expect(devices.items).toHaveLength(13); // 2 gates, 4 cameras, 3 sheds, 4 elevators
    const accounts = await get<{ assets: { id: string; contributedFen: number }[] }>('/api/estates/heping/accounts/assets');
    expect(accounts.assets.find((a) => a.id === 'gates')?.contributedFen).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
