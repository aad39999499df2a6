import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aPlateRead, connectDevice } from '../support/devices.js';
import { spawnServer, type ServerProcess } from '../support/process.js';

const E = 'estate-crash';
const PASSWORD = 'committee-pass-1';
const dataDir = mkdtempSync(join(tmpdir(), 'linli-crash-'));
let server: ServerProcess | undefined;

afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(base: string, token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

describe('durability', () => {
  it('after SIGKILL and restart, every event that got a PUBACK is in the store', async () => {
    // Production settings: synchronous=FULL group commit.
    const env = { LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: PASSWORD };
    server = await spawnServer(env);
    let token = (await api(server.httpUrl, undefined, 'POST', '/api/auth/login', { username: 'admin', password: PASSWORD })).token;
    await api(server.httpUrl, token, 'POST', '/api/estates', { id: E, name: '崩溃测试' });
    const { secret } = await api(server.httpUrl, token, 'POST', `/api/estates/${E}/devices`, { id: 'cam-k1', kind: 'camera', gateId: 'gate-k1', direction: 'in' });
    const cam = await connectDevice(server.mqttUrl, E, 'cam-k1', secret);
    cam.client.on('error', () => undefined);

    // Keep up to 200 QoS 1 publishes in flight; kill the server once 3,000 are acknowledged.
    const acked: string[] = [];
    let sent = 0;
    const killed = new Promise<void>((resolve) => {
      const pump = () => {
        while (sent - acked.length < 200 && cam.client.connected) {
          const ev = aPlateRead({ id: `k-${sent++}` });
          cam.client.publish(cam.topic('event'), JSON.stringify(ev), { qos: 1 }, (err) => {
            if (err) return;
            acked.push(ev.id);
            if (acked.length === 3000) {
              server!.child.kill('SIGKILL');
              resolve();
            } else if (acked.length < 3000) pump();
          });
        }
      };
      pump();
    });
    await killed;
    const ackedAtKill = [...acked];
    await new Promise((r) => server!.child.once('exit', r));
    await cam.close();

    server = await spawnServer(env);
    token = (await api(server.httpUrl, undefined, 'POST', '/api/auth/login', { username: 'admin', password: PASSWORD })).token;
    const stored = new Set<string>();
    let before: number | null | undefined;
    do {
      const page = await api(server.httpUrl, token, 'GET', `/api/estates/${E}/events?deviceId=cam-k1&limit=1000${before ? `&before=${before}` : ''}`);
      for (const item of page.items) stored.add(item.id);
      before = page.nextBefore;
    } while (before);
    const lost = ackedAtKill.filter((id) => !stored.has(id));
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(3000);
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(ackedAtKill.length);
    server.child.kill('SIGTERM');
  }, 60_000);
});
