import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { aGateState, connectDevice } from '../support/devices.js';
import { registerDevice, startTestLinli } from '../support/linli.js';
import { spawnServer } from '../support/process.js';

const dir = mkdtempSync(join(tmpdir(), 'linli-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MQTT over TLS', () => {
  it('serves devices on the TLS port when a certificate and key are configured', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const linli = await startTestLinli({ LINLI_TLS_CERT: cert, LINLI_TLS_KEY: key, LINLI_MQTTS_PORT: '0' });
    try {
      const secret = await registerDevice(linli, 'estate-tls', { id: 'gate-t1', kind: 'gate' });
      const port = linli.gateway.mqttsPort!;
      const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, { clientId: 'gate-t1', username: 'gate-t1', password: secret, protocolVersion: 4, reconnectPeriod: 0, rejectUnauthorized: false }); // self-signed
      const ev = aGateState();
      await client.publishAsync('linli/v1/estate-tls/gate-t1/event', JSON.stringify(ev), { qos: 1 });
      const events = await linli.api('GET', '/api/estates/estate-tls/events');
      expect(events.body.items[0].id).toBe(ev.id);
      await client.endAsync();
    } finally {
      await linli.stop();
    }
  });

  it('refuses to start with a certificate but no key, naming the variables', async () => {
    await expect(startTestLinli({ LINLI_TLS_CERT: '/nope.pem' })).rejects.toThrow(/LINLI_TLS_CERT and LINLI_TLS_KEY/);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM exits 0, and what was accepted and the devices going away are recorded', async () => {
    const dataDir = join(dir, 'data');
    const env = { LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: 'committee-pass-1', LINLI_OFFLINE_DEBOUNCE_MS: '60000' };
    let server = await spawnServer(env);
    const call = async (base: string, token: string | undefined, method: string, path: string, body?: unknown) =>
      (await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;
    let token = (await call(server.httpUrl, undefined, 'POST', '/api/auth/login', { username: 'admin', password: 'committee-pass-1' })).token;
    await call(server.httpUrl, token, 'POST', '/api/estates', { id: 'estate-stop', name: '停机' });
    const { secret } = await call(server.httpUrl, token, 'POST', '/api/estates/estate-stop/devices', { id: 'gate-q1', kind: 'gate' });
    const gate = await connectDevice(server.mqttUrl, 'estate-stop', 'gate-q1', secret);
    gate.client.on('error', () => undefined);
    const ev = aGateState();
    await gate.send('event', ev);
    const exit = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    server.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    await gate.close();

    server = await spawnServer(env);
    token = (await call(server.httpUrl, undefined, 'POST', '/api/auth/login', { username: 'admin', password: 'committee-pass-1' })).token;
    const events = await call(server.httpUrl, token, 'GET', '/api/estates/estate-stop/events');
    expect(events.items.map((e: any) => e.id)).toEqual([ev.id]);
    // The offline was still inside its debounce at shutdown: it is written then, not lost.
    const presence = await call(server.httpUrl, token, 'GET', '/api/estates/estate-stop/presence?deviceId=gate-q1');
    expect(presence.items.map((p: any) => p.online)).toEqual([false, true]);
    server.child.kill('SIGTERM');
  }, 60_000);
});
