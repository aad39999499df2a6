import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { passwordFor, registerDevice, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/** Two estates on one Linli: people of A must not get B's pushes, and pages must not have to filter them out. */
const A = 'estate-scope-a';
const B = 'estate-scope-b';
let linli: TestLinli;
const sheds: Record<string, TestDevice> = {};
const sockets: WebSocket[] = [];

async function open(path: string) {
  const messages: any[] = [];
  const ws = new WebSocket(`${linli.url.replace('http', 'ws')}${path}`);
  ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
  await new Promise((r) => ws.once('open', r));
  sockets.push(ws);
  return messages;
}
async function liveAs(username: string, role: string) {
  if (username !== 'admin') await linli.api('POST', '/api/users', { username, password: passwordFor(username), role, mustChangePassword: false });
  const token = username === 'admin' ? linli.token : (await linli.api('POST', '/api/auth/login', { username, password: passwordFor(username) })).body.token;
  const messages = await open(`/live?token=${token}`);
  await waitFor(() => messages.find((m) => m.type === 'hello'));
  return messages;
}

/** A port starts charging (→ `shed.changed`), then smoke with no charging charter (→ `alert.raised` charger.smoke). */
async function eventsAt(estateId: string) {
  const shed = sheds[estateId]!;
  await shed.send('event', { id: nextId('ps'), ts: new Date().toISOString(), type: 'port.state', port: 1, state: 'charging' });
  await shed.send('event', { id: nextId('al'), ts: new Date().toISOString(), type: 'alarm', kind: 'smoke', port: 1, active: true });
}
const got = (messages: any[], type: string, estateId: string) => messages.find((m) => m.type === type && m.estateId === estateId);
/** `alert.notify`, sent to one person (the committee of A is A's catch-all), carries its estate inside the alert. */
const estateOf = (m: any) => m.estateId ?? m.alert?.estateId;

let admin: any[];
let committeeA: any[];
let volunteerA: any[];
let residentA: any[];
let publicShedB: any[];

beforeAll(async () => {
  linli = await startTestLinli();
  for (const e of [A, B]) sheds[e] = await connectDevice(linli.mqttUrl, e, `shed-${e}`, await registerDevice(linli, e, { id: `shed-${e}`, kind: 'charger', ports: 4 }));
  // Of estate A: named in its roster (a volunteer, the committee), or a resident of one of its households.
  expect((await linli.api('PUT', `/api/estates/${A}/roster`, { volunteers: [{ username: 'vol-a', skills: ['charger'] }], committee: ['com-a'] })).status).toBe(200);
  expect((await linli.api('POST', `/api/estates/${A}/households`, { building: '1', unit: '1', room: '101' })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${A}/residents`, { householdId: '1-1-101', name: '王阿姨', username: 'res-a' })).status).toBe(201);
  admin = await liveAs('admin', 'committee');
  committeeA = await liveAs('com-a', 'committee');
  volunteerA = await liveAs('vol-a', 'volunteer');
  residentA = await liveAs('res-a', 'resident');
  publicShedB = await open(`/public/sheds/shed-${B}/live`);
  await waitFor(() => publicShedB.length === 1, 3000, 'the public page’s first state');

  await eventsAt(B);
  await eventsAt(A);
  // B's pushes went out before A's, on the same sockets: once A's have arrived, any of B's would have too.
  for (const [who, messages] of [['committee', committeeA], ['volunteer', volunteerA]] as const) {
    await waitFor(() => got(messages, 'alert.raised', A) && got(messages, 'shed.changed', A), 3000, `A's alert and shed change to the ${who} of A`);
  }
  await waitFor(() => got(residentA, 'shed.changed', A), 3000, "A's shed change to the resident of A");
});
afterAll(async () => {
  for (const ws of sockets) ws.close();
  for (const shed of Object.values(sheds)) await shed.close();
  await linli.stop();
});

describe('live pushes are scoped by estate', () => {
  it.each([
    { who: 'a committee member of A', messages: () => committeeA },
    { who: 'a volunteer of A', messages: () => volunteerA },
    { who: 'a resident of A', messages: () => residentA },
  ])("$who gets nothing of estate B: no alert, no shed change, no device event", ({ messages }) => {
    expect(messages().filter((m) => m.type !== 'hello' && estateOf(m) !== A)).toEqual([]);
  });

  it("the volunteer of A gets A's alert and shed change", () => {
    expect(got(volunteerA, 'alert.raised', A)).toMatchObject({ kind: 'charger.smoke', deviceId: `shed-${A}` });
    expect(got(volunteerA, 'shed.changed', A)).toMatchObject({ deviceId: `shed-${A}` });
  });

  it('a resident still gets only the shed news of their estate, not its alerts', () => {
    expect(got(residentA, 'shed.changed', A)).toBeDefined();
    expect(residentA.some((m) => m.type.startsWith('alert.'))).toBe(false);
  });

  it('someone named in no estate (the first admin) gets every estate, as the REST API lets them read every estate', async () => {
    for (const e of [A, B]) await waitFor(() => got(admin, 'alert.raised', e) && got(admin, 'shed.changed', e), 3000, `${e} to the admin`);
  });

  it('the public shed page (no login) still updates live', async () => {
    const update = await waitFor(() => publicShedB.slice(1).find((m) => m.type === 'shed'), 3000, 'a pushed shed state');
    expect(update).toMatchObject({ shedId: `shed-${B}` });
  });
});
