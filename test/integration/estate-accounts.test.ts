import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDevice, type TestDevice } from '../support/devices.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/*
 * Two estates on one server (a street office running Linli for several old
 * estates): an account that belongs to one estate is refused the other's
 * routes whatever its role, is shown only its own estate, adds people only to
 * it, and its live feed carries only it.
 */
const A = 'estate-a';
const B = 'estate-b';
let linli: TestLinli;
const tokens: Record<string, string> = {};
const secrets: Record<string, string> = {};

async function person(username: string, role: string, estateId?: string, by = linli.token) {
  const made = await linli.api<{ estateId: string | null }>('POST', '/api/users', { username, password: passwordFor(username), role, mustChangePassword: false, ...(estateId ? { estateId } : {}) }, by);
  expect(made.status).toBe(201);
  tokens[username] = (await linli.api<{ token: string }>('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token;
  return made.body;
}

beforeAll(async () => {
  linli = await startTestLinli();
  secrets.a = await registerDevice(linli, A, { id: 'gate-a1', kind: 'gate' });
  secrets.b = await registerDevice(linli, B, { id: 'gate-b1', kind: 'gate' });
  await person('chair-a', 'committee', A);
  await person('guard-a', 'guard', A);
});
afterAll(async () => {
  await linli?.stop();
});

describe('an account of one estate', () => {
  it('is refused the other estate’s routes, whatever its role, and served its own', async () => {
    for (const who of ['chair-a', 'guard-a']) {
      const other = await linli.api<{ message: string }>('GET', `/api/estates/${B}/devices`, undefined, tokens[who]);
      expect(other.status).toBe(403);
      expect(other.body.message).toBe(`this account belongs to estate ${A}`);
      expect((await linli.api('GET', `/api/estates/${A}/devices`, undefined, tokens[who])).status).toBe(200);
    }
    expect((await linli.api('GET', `/api/estates/${B}/audit`, undefined, tokens['chair-a'])).status).toBe(403);
    expect((await linli.api('GET', `/api/estates/${B}/accounts/assets`, undefined, tokens['chair-a'])).status).toBe(403);
  });

  it('is shown its own estate only, and the install’s admin every estate', async () => {
    const ids = async (token: string) => (await linli.api<{ items: { id: string }[] }>('GET', '/api/estates', undefined, token)).body.items.map((e) => e.id);
    expect(await ids(tokens['chair-a']!)).toEqual([A]);
    expect(await ids(linli.token)).toEqual(expect.arrayContaining([A, B]));
  });

  it('adds people to its own estate only, and cannot add estates', async () => {
    expect(await person('resident-a', 'resident', undefined, tokens['chair-a'])).toMatchObject({ estateId: A }); // its estate by default
    const elsewhere = await linli.api<{ message: string }>('POST', '/api/users', { username: 'sneaky-b', password: passwordFor('sneaky-b'), role: 'committee', estateId: B }, tokens['chair-a']);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toMatch(/^body\.estateId/);
    expect((await linli.api('POST', '/api/estates', { id: 'estate-c', name: '丙小区' }, tokens['chair-a'])).status).toBe(403);
    const listed = (await linli.api<{ items: { username: string }[] }>('GET', '/api/users', undefined, tokens['chair-a'])).body.items.map((u) => u.username);
    expect(listed.sort()).toEqual(['chair-a', 'guard-a', 'resident-a']);
    const unknown = await linli.api<{ message: string }>('POST', '/api/users', { username: 'nowhere', password: passwordFor('nowhere'), role: 'guard', estateId: 'no-such-estate' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/^body\.estateId: no estate/);
  });

  it('hears only its own estate on /live', async () => {
    const heard: { estateId?: string; type: string; deviceId?: string }[] = [];
    const ws = new WebSocket(`${linli.url.replace('http', 'ws')}/live?token=${tokens['guard-a']}`);
    ws.on('message', (m) => heard.push(JSON.parse(m.toString())));
    await new Promise((r) => ws.once('open', r));
    const devices: TestDevice[] = [await connectDevice(linli.mqttUrl, B, 'gate-b1', secrets.b!), await connectDevice(linli.mqttUrl, A, 'gate-a1', secrets.a!)];
    // B's gate came online first; once A's is heard, B's would have been too.
    await waitFor(() => heard.some((m) => m.type === 'device.online' && m.deviceId === 'gate-a1'), 3000, 'gate-a1 online on the feed');
    expect(heard.filter((m) => m.estateId === B)).toEqual([]);
    await Promise.all(devices.map((d) => d.client.endAsync()));
    ws.close();
  });
});
