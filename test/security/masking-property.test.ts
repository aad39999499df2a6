import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RouteEntry } from '../../server/http/privacy.js';
import { localMonthOf } from '../../server/accounts/months.js';
import { aCharterVersion } from '../support/charter.js';
import { aChargingSection } from '../support/charging.js';
import { anAck, aPlateRead, connectDevice, nextId, type TestDevice } from '../support/devices.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { waitFor } from '../support/linli.js';
import { P as LAST_MONTH } from '../support/months.js';
import { A, startTwoEstates, type Account, type TwoEstates } from './two-estates.js';

/*
 * Issue 11's property: on a populated estate, for EVERY route a volunteer or a guard
 * may call (read from the app's own route table, so a new route is covered the day
 * it is added) and every live message they receive, no full plate, card id, phone or
 * name of the estate's people appears anywhere in what they are sent, and nothing
 * plate-shaped appears in full at all.
 */

const E = `/api/estates/${A}`;

// ── the estate's people, as the committee registers them ─────────────────────
const HOUSEHOLDS = [
  {
    id: '3-2-501',
    residents: [
      { name: '王小芳', phone: '13812345678', linked: true },
      { name: '欧阳娜娜', phone: '13987654321' },
    ],
    vehicles: [{ plate: '鄂A12345', class: 'resident' }, { plate: '鄂AD12345', class: 'resident' }],
    cards: ['IC-A0501', 'IC-A0502'],
  },
  { id: '3-2-601', residents: [{ name: '李建国', phone: '15011112222' }], vehicles: [{ plate: '鄂B23456', class: 'monthly', validUntil: '2099-12-31' }], cards: ['IC-A0601'] },
  { id: '3-2-301', residents: [{ name: '张伟', phone: '18600001111' }], vehicles: [], cards: ['IC-A0301'] },
] as const;
/** Cars that are nobody's in the register: visitors, a car with no entry, the one a guard opens for by hand, a resident's visitor. */
const VISITORS = { paying: '湘A88888', waived: '湘B77777', unmatched: '粤B55555', manual: '鄂A99999', pass: '川A11111' };
/** Cards swiped that are not in the register, and a nurse's elevator pass. */
const UNREGISTERED_CARDS = ['UNREG-9000', 'UNREG-9100', 'MED-7001'];

const PLATES = [...HOUSEHOLDS.flatMap((h) => h.vehicles.map((v) => v.plate)), ...Object.values(VISITORS)];
const PERSONAL = [
  ...PLATES,
  ...HOUSEHOLDS.flatMap((h) => h.cards),
  ...UNREGISTERED_CARDS,
  ...HOUSEHOLDS.flatMap((h) => h.residents.flatMap((r) => [r.name, r.phone])),
];
/** A full plate: province + letter + 5–6 characters, none masked (a separator allowed). */
const FULL_PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s]?[A-Z0-9]{5,6}/g;

/** Every full personal value and plate-shaped string in a text (empty: nothing leaks). */
function leaks(text: string): string[] {
  return [...new Set([...PERSONAL.filter((v) => text.includes(v)), ...(text.match(FULL_PLATE) ?? [])])];
}

// ── the install ───────────────────────────────────────────────────────────────
/** Simulated time for server and devices alike, so a visitor can stay an hour. */
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
const now = () => new Date(clock.now()).toISOString();
let t: TwoEstates;
let staff: { volunteer: Account; guard: Account; committee: Account; resident: Account };
const devices: Record<string, TestDevice> = {};
const live: Record<'volunteer' | 'guard', any[]> = { volunteer: [], guard: [] };
/** Ids found while populating, to fill path parameters. */
const ids = { residents: [] as string[], alerts: [] as string[], stays: {} as Record<string, string>, unmatched: '', sessions: [] as string[] };

const committee = (method: string, path: string, body?: unknown) => t.as(staff.committee, method, path, body);
async function ok(method: string, path: string, body?: unknown, who: Account = staff.committee) {
  const r = await t.as(who, method, path, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** A device over real MQTT that acks every command it gets. */
async function device(id: string, secret: string) {
  const d = await connectDevice(t.linli.mqttUrl, A, id, secret);
  d.client.on('message', (topic, payload) => {
    if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId));
  });
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  await d.send('status', { online: true, fw: '1.0.0' }, { retain: true });
  return (devices[id] = d);
}
const commandAfter = (d: TestDevice, n: number, what: string) => waitFor(() => d.commands.length > n && d.commands[n], 3000, what);
/** The first command since the n-th of this type (on this port). */
const commandFor = (d: TestDevice, n: number, type: string, port?: number) => waitFor(() => d.commands.slice(n).find((c) => c.type === type && (port === undefined || c.port === port)), 3000, `${type} to ${d.deviceId}`);

async function populate() {
  const secrets: Record<string, string> = {};
  for (const d of [
    { id: 'gate-a1', kind: 'gate', name: '北门道闸' },
    { id: 'cam-a1-in', kind: 'camera', gateId: 'gate-a1', direction: 'in' },
    { id: 'cam-a1-out', kind: 'camera', gateId: 'gate-a1', direction: 'out' },
    { id: 'shed-a1', kind: 'charger', ports: 10, name: '3号楼充电棚' },
    { id: 'lift-a1', kind: 'elevator', lowestFloor: 1, highestFloor: 7, name: '3号楼2单元电梯' },
  ]) secrets[d.id] = (await ok('POST', `${E}/devices`, d)).secret;

  // The charter: visitors pay ¥6 from the first minute; charging and the elevator's rules.
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 50, reservedForResidents: 10, gates: ['gate-a1'] }];
    p.tariff = { clause: '3.1', freeMinutes: 0, firstPeriod: { minutes: 60, priceFen: 600 }, increment: { minutes: 30, priceFen: 100 } };
  });
  Object.assign(charter.document as Record<string, unknown>, { charging: aChargingSection(), elevator: { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() } });
  await ok('POST', `${E}/charter/versions`, charter);

  for (const h of HOUSEHOLDS) {
    const [building, unit, room] = h.id.split('-');
    await ok('POST', `${E}/households`, { building, unit, room, areaM2: 85.2, parkingSpaces: 1, note: `户主 ${h.residents[0].name}` });
    for (const r of h.residents) {
      const linked = 'linked' in r ? { username: staff.resident.username } : {};
      ids.residents.push((await ok('POST', `${E}/residents`, { householdId: h.id, name: r.name, phone: r.phone, ...linked })).id);
    }
    for (const v of h.vehicles) await ok('POST', `${E}/vehicles`, { ...v, householdId: h.id });
    for (const cardId of h.cards) await ok('POST', `${E}/cards`, { cardId, householdId: h.id });
    await ok('POST', `${E}/charging/accounts/${h.id}/topup`, { amountFen: 5000 });
  }
  await ok('POST', `${E}/elevators/lift-a1/members`, { householdId: '3-2-501' });
  await ok('POST', `${E}/elevator-passes`, { cardId: UNREGISTERED_CARDS[2], kind: 'medical', validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(), note: '上门护理' });
  // The volunteer is on duty for everything, all day: alerts come to them on /live.
  const allDay = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => (['gate', 'charger', 'elevator', 'general'] as const).map((skill) => ({ weekday, from: '00:00', to: '00:00', skill, usernames: [staff.volunteer.username] })));
  await ok('PUT', `${E}/roster`, {
    volunteers: [{ username: staff.volunteer.username, skills: ['gate', 'charger', 'elevator', 'general'] }, { username: staff.guard.username, skills: ['gate'] }],
    shifts: allDay,
    swaps: [],
    committee: [staff.committee.username],
  });
  // 公示: last month's statement of the north gate's fund, on the notice board.
  await ok('POST', `${E}/accounts/assets`, { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-a1'] });
  await ok('POST', `${E}/accounts/assets/north-gate/contributions`, { householdId: '3-2-501', amountFen: 50_000, at: `${LAST_MONTH}-03`, note: '道闸集资' });
  await ok('POST', `${E}/accounts/assets/north-gate/statements/${LAST_MONTH}/publish`);
  // A resident registers a visitor's car.
  await ok('POST', `${E}/visitor-passes`, { plate: VISITORS.pass, validFrom: new Date(Date.now() - 60_000).toISOString(), validTo: new Date(Date.now() + 3_600_000).toISOString() }, staff.resident);
  return secrets;
}

/** What happens in a morning: cars in and out, a fee owed, an exit with no entry, charging, rides, a trapped passenger, smoke. */
async function activity(secrets: Record<string, string>) {
  const gate = await device('gate-a1', secrets['gate-a1']!);
  const camIn = await device('cam-a1-in', secrets['cam-a1-in']!);
  const camOut = await device('cam-a1-out', secrets['cam-a1-out']!);
  const shed = await device('shed-a1', secrets['shed-a1']!);
  const lift = await device('lift-a1', secrets['lift-a1']!);
  const read = async (cam: TestDevice, plate: string) => {
    const n = gate.commands.length;
    await cam.send('event', aPlateRead({ plate, confidence: 0.97, ts: now() }));
    return commandAfter(gate, n, `the gate's answer to ${plate}`);
  };
  for (const plate of ['鄂A12345', '鄂B23456', VISITORS.paying, VISITORS.waived, VISITORS.pass]) await read(camIn, plate);
  clock.offsetMs += 59 * 60_000; // an hour's parking: ¥6 owed at the exit
  for (const plate of [VISITORS.paying, VISITORS.waived]) expect(await read(camOut, plate)).toMatchObject({ type: 'deny' });
  await read(camOut, VISITORS.unmatched);
  // A payload the camera got wrong: kept as a dead letter, with its raw text.
  await camIn.send('event', `{"type":"plate.read","plate":"鄂A12345","cardId":"IC-A0501","note":"王小芳 13812345678"}`, { raw: true });

  // Charging: a registered card starts and is stopped by its resident; an unregistered one is refused.
  let n = shed.commands.length;
  await shed.send('event', { id: nextId('sw'), ts: now(), type: 'port.request', port: 3, cardId: 'IC-A0501' });
  const start = await commandFor(shed, n, 'start', 3);
  await shed.send('event', { id: nextId('ps'), ts: now(), type: 'port.state', port: 3, state: 'charging' });
  await shed.send('telemetry', { id: nextId('t'), ts: now(), ports: [{ port: 3, powerW: 180, energyWh: 1000, tempC: 30 }] });
  await waitFor(async () => (await committee('GET', `${E}/charging/sessions`)).body.items.find((s: any) => s.id === start.sessionId && s.status === 'charging'), 3000, 'charging');
  await ok('POST', `${E}/charging/sessions/${start.sessionId}/stop`, undefined, staff.resident);
  n = shed.commands.length;
  await shed.send('event', { id: nextId('sw'), ts: now(), type: 'port.request', port: 4, cardId: 'IC-A0601' });
  await commandFor(shed, n, 'start', 4);
  n = shed.commands.length;
  await shed.send('event', { id: nextId('sw'), ts: now(), type: 'port.request', port: 5, cardId: UNREGISTERED_CARDS[0] });
  await commandFor(shed, n, 'deny', 5);

  // The elevator: a member's card, rides, an unknown card, a trapped passenger.
  n = lift.commands.length;
  await lift.send('event', { id: nextId('s'), ts: now(), type: 'card.swipe', cardId: 'IC-A0501', floor: 1 });
  await commandFor(lift, n, 'grant');
  await lift.send('event', { id: nextId('r'), ts: now(), type: 'ride', from: 1, to: 5, cardId: 'IC-A0501' });
  n = lift.commands.length;
  await lift.send('event', { id: nextId('s'), ts: now(), type: 'card.swipe', cardId: UNREGISTERED_CARDS[1], floor: 1 });
  await commandFor(lift, n, 'deny');
  await lift.send('event', { id: nextId('f'), ts: now(), type: 'fault', code: 'trapped', active: true, floor: 4 });
  // Smoke at the shed: every port stops, a critical alert.
  await shed.send('event', { id: nextId('al'), ts: now(), type: 'alarm', kind: 'smoke', port: 4, active: true });

  const alerts = await waitFor(async () => {
    const items = (await committee('GET', `${E}/alerts?status=open`)).body.items;
    return items.length >= 2 && items;
  }, 3000, 'two alerts');
  ids.alerts = alerts.map((a: any) => a.id);
  const stays = (await committee('GET', `${E}/parking/stays`)).body.items;
  for (const plate of [VISITORS.paying, VISITORS.waived]) ids.stays[plate] = stays.find((s: any) => s.plate === plate && s.feeFen).id;
  ids.unmatched = (await committee('GET', `${E}/parking/unmatched-exits`)).body.items[0].id;
  ids.sessions = (await committee('GET', `${E}/charging/sessions`)).body.items.map((s: any) => s.id);
  await waitFor(() => live.volunteer.some((m) => m.type === 'alert.notify'), 3000, 'the volunteer told of an alert');
}

beforeAll(async () => {
  t = await startTwoEstates({}, { clock });
  staff = { volunteer: t.accounts[A]!.volunteer, guard: t.accounts[A]!.guard, committee: t.accounts[A]!.committee, resident: t.accounts[A]!.resident };
  for (const role of ['volunteer', 'guard'] as const) live[role] = (await t.live(staff[role].token)).messages;
  await activity(await populate());
}, 60_000);

afterAll(async () => {
  for (const d of Object.values(devices)) await d.close();
  await t?.stop();
});

// ── every route, filled from the estate ───────────────────────────────────────
/** Values for each path parameter: a route with a parameter not listed here fails the test until it is added. */
const PARAMS: Record<string, () => string[]> = {
  estateId: () => [A],
  deviceId: () => ['gate-a1', 'cam-a1-in', 'cam-a1-out', 'shed-a1', 'lift-a1'],
  gateId: () => ['gate-a1'],
  shedId: () => ['shed-a1'],
  elevatorId: () => ['lift-a1'],
  householdId: () => HOUSEHOLDS.map((h) => h.id),
  residentId: () => ids.residents,
  plate: () => HOUSEHOLDS.flatMap((h) => h.vehicles.map((v) => v.plate)),
  cardId: () => HOUSEHOLDS.flatMap((h) => h.cards),
  version: () => ['1'],
  alertId: () => ids.alerts,
  assetId: () => ['north-gate'],
  month: () => [LAST_MONTH],
  stayId: () => Object.values(ids.stays),
  id: () => [ids.unmatched],
  sessionId: () => ids.sessions,
};
const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
const DAY = 86_400_000;
/** Query strings a route needs to answer at all (a GET answering 400 without one fails the test until it is added). */
const QUERIES: Record<string, string> = {
  '/api/estates/:estateId/charter/diff': 'from=1&to=1',
  '/api/estates/:estateId/elevators/:elevatorId/rides': `from=${iso(Date.now() - DAY)}&to=${iso(Date.now() + DAY)}`,
  '/api/estates/:estateId/elevators/:elevatorId/cost-split': 'totalFen=100000',
  '/api/estates/:estateId/elevators/:elevatorId/running-costs': `month=${localMonthOf(new Date().toISOString())}`,
  '/api/estates/:estateId/reports/uptime': `from=${iso(Date.now() - DAY)}&to=${iso(Date.now() + 60_000)}`,
};
/** A look-up field filled with a full value (the guard may; a volunteer is refused). */
const LOOKUP_VALUES: Record<string, string> = { plate: '鄂A12345', cardId: 'IC-A0501' };
/** WebSocket routes of these roles: each is checked by its own test below, or said why not. */
const SOCKETS: Record<string, string> = {
  'GET /live': 'the live feed: every message it sent them is checked below',
  'GET /public/sheds/:shedId/live': 'the public shed page: its message is checked below',
  'GET /mqtt': 'the devices’ MQTT over WebSocket, not an answer to a person',
};

/** Every way to fill a route's path: one URL per value of each parameter (not the product, which adds nothing). */
function fill(url: string): string[] {
  const names = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  for (const name of names) if (!PARAMS[name]) throw new Error(`${url}: no value for :${name} — add one to PARAMS`);
  const longest = Math.max(1, ...names.map((n) => PARAMS[n]!().length));
  return [...new Set(Array.from({ length: longest }, (_, i) => url.replace(/:([A-Za-z]+)/g, (_m, n: string) => {
    const vs = PARAMS[n]!();
    if (vs.length === 0) throw new Error(`${url}: the estate has no ${n} to fill it with`);
    return encodeURIComponent(vs[i % vs.length]!);
  })))];
}

const callersOf = (r: RouteEntry): ('volunteer' | 'guard')[] => (r.public ? ['volunteer', 'guard'] : (['volunteer', 'guard'] as const).filter((role) => r.roles?.includes(role)));
const table = () => (t.linli.http as unknown as { routeTable: RouteEntry[] }).routeTable.filter((r) => callersOf(r).length > 0);
const routes = () => table().filter((r) => !r.websocket);

/** One call as a person: the status and the answer as sent, JSON re-serialised so escapes cannot hide a value. */
async function call(who: Account, method: string, path: string, body?: unknown) {
  const res = await fetch(t.linli.url + path, {
    method,
    headers: { authorization: `Bearer ${who.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const raw = await res.text();
  const json = /json/.test(res.headers.get('content-type') ?? '');
  return { status: res.status, text: json && raw ? JSON.stringify(JSON.parse(raw)) : raw };
}

type Action = { path: string; body?: unknown; who?: () => Account };
/** The non-GET routes volunteers and guards may call, each with a valid call (or none, saying why). */
const ACTIONS: Record<string, (role: 'volunteer' | 'guard') => Action[] | string> = {
  'POST /api/auth/password': () => [{ path: '/api/auth/password', body: { oldPassword: 'not-my-password', newPassword: 'Another·晴川-Lamp-99' } }],
  'POST /api/auth/logout': () => [{ path: '/api/auth/logout', who: () => ({ ...staff.guard, token: freshToken }) }],
  'POST /api/auth/login': () => [{ path: '/api/auth/login', body: { username: staff.guard.username, password: 'wrong-password' } }],
  'POST /api/estates/:estateId/devices/:deviceId/commands': () => [{ path: `${E}/devices/gate-a1/commands`, body: { type: 'display', display: `请稍候 ${VISITORS.manual}` } }],
  'POST /api/estates/:estateId/gates/:gateId/open': () => [{ path: `${E}/gates/gate-a1/open`, body: { direction: 'in', reason: '救护车送病人', plate: VISITORS.manual } }],
  'POST /api/estates/:estateId/parking/stays/:stayId/pay': () => [{ path: `${E}/parking/stays/${ids.stays[VISITORS.paying]}/pay`, body: { method: 'cash' } }],
  'POST /api/estates/:estateId/parking/stays/:stayId/waive': () => [{ path: `${E}/parking/stays/${ids.stays[VISITORS.waived]}/waive`, body: { reason: '送医急诊' } }],
  'POST /api/estates/:estateId/parking/unmatched-exits/:id/resolve': () => [{ path: `${E}/parking/unmatched-exits/${ids.unmatched}/resolve`, body: {} }],
  'POST /api/estates/:estateId/alerts/:alertId/claim': () => [{ path: `${E}/alerts/${ids.alerts[0]}/claim` }],
  'POST /api/estates/:estateId/alerts/:alertId/resolve': () => [{ path: `${E}/alerts/${ids.alerts[0]}/resolve`, body: { note: '维保到场，乘客已安全离开' } }],
  'POST /api/estates/:estateId/alerts/:alertId/close': () => [{ path: `${E}/alerts/${ids.alerts[1]}/close`, body: { note: '烟雾已排除，检查线路' } }],
  'POST /api/estates/:estateId/roster/swaps': () => [{ path: `${E}/roster/swaps`, body: { date: new Date(Date.now() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10), skill: 'gate', from: staff.volunteer.username, to: staff.guard.username } }],
  'POST /api/estates/:estateId/notification-channels': () => [{ path: `${E}/notification-channels`, body: { kind: 'json', url: 'https://hooks.example.com/linli' } }],
  'POST /api/estates/:estateId/devices/:deviceId/maintenance-mode': () => [{ path: `${E}/devices/shed-a1/maintenance-mode`, body: { until: new Date(Date.now() + 3_600_000).toISOString(), reason: '更换漏电保护器' } }],
  'DELETE /api/estates/:estateId/devices/:deviceId/maintenance-mode': () => [{ path: `${E}/devices/shed-a1/maintenance-mode` }],
  // A camera's push address: the token is its credential, so a person's call finds no camera (404), and names none.
  'POST /vendor/vzenith/:token': () => [{ path: `/vendor/vzenith/${'A'.repeat(43)}`, body: { AlarmInfoPlate: { serialno: 'fe71e106-57263272' } } }],
  'POST /vendor/hikvision/:token': () => [{ path: `/vendor/hikvision/${'A'.repeat(43)}`, body: { EventNotificationAlert: { eventType: 'ANPR', licensePlate: '鄂A12345' } } }],
  'POST /api/estates/:estateId/elevators/:elevatorId/maintenance': () => [{ path: `${E}/elevators/lift-a1/maintenance`, body: { doneBy: '安达电梯维保 张师傅', doneAt: new Date(Date.now() - DAY).toISOString(), what: '半月保养：门机、曳引机、安全回路' } }],
};
let freshToken = '';

describe('no personal data reaches a volunteer or a guard, on any route or live message', () => {
  it('every non-GET route they may call answers without a full plate, card id, phone or name', async () => {
    freshToken = await t.login(staff.guard.username);
    const found: string[] = [];
    const statuses: string[] = [];
    for (const r of routes().filter((x) => x.method !== 'GET')) {
      const action = ACTIONS[`${r.method} ${r.url}`];
      if (!action) throw new Error(`${r.method} ${r.url}: no call for it in ACTIONS — add a valid one (or a reason it cannot be called)`);
      for (const role of callersOf(r)) {
        const planned = action(role);
        if (typeof planned === 'string') continue;
        for (const a of planned) {
          const who = a.who?.() ?? staff[role];
          const res = await call(who, r.method, a.path, a.body);
          statuses.push(`${role} ${r.method} ${r.url} → ${res.status}`);
          expect(res.status, `${role} ${r.method} ${a.path}: ${res.text}`).toBeLessThan(500);
          for (const leak of leaks(res.text)) found.push(`${role} ${r.method} ${a.path}: ${leak}`);
        }
      }
    }
    expect(found).toEqual([]);
    // The calls did what they say (a refusal would check nothing): the guard's at the gate, the volunteer's on duty.
    for (const done of ['guard POST /api/estates/:estateId/gates/:gateId/open → 202', 'guard POST /api/estates/:estateId/parking/stays/:stayId/pay → 200', 'guard POST /api/estates/:estateId/parking/unmatched-exits/:id/resolve → 200', 'volunteer POST /api/estates/:estateId/alerts/:alertId/claim → 200']) {
      expect(statuses).toContain(done);
    }
  });

  it('every GET route they may call answers without a full plate, card id, phone or name', async () => {
    const found: string[] = [];
    let calls = 0;
    for (const r of routes().filter((x) => x.method === 'GET')) {
      for (const role of callersOf(r)) {
        for (const path of fill(r.url)) {
          const base = QUERIES[r.url] ? `${path}?${QUERIES[r.url]}` : path;
          const lookups = r.lookupFields.filter((f) => f.startsWith('query.')).map((f) => `${base}${base.includes('?') ? '&' : '?'}${f.slice(6)}=${encodeURIComponent(LOOKUP_VALUES[f.slice(6)]!)}`);
          for (const url of [base, ...lookups]) {
            const res = await call(staff[role], 'GET', url);
            calls++;
            const lookup = url !== base || r.lookupFields.some((f) => f.startsWith('params.'));
            // A volunteer looking a car or card up is refused; everything else answers.
            const expected = lookup && role === 'volunteer' ? 403 : 200;
            expect(res.status, `${role} GET ${url}: ${res.text.slice(0, 300)}${res.status === 400 ? ' — add the query it needs to QUERIES' : ''}`).toBe(expected);
            for (const leak of leaks(res.text)) found.push(`${role} GET ${url}: ${leak}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
    expect(calls).toBeGreaterThan(80);
  });

  it('every WebSocket route they may open is checked', () => {
    expect(table().filter((r) => r.websocket).map((r) => `${r.method} ${r.url}`).filter((k) => !SOCKETS[k])).toEqual([]);
  });

  it('the public shed page’s live feed sends no personal data either', async () => {
    const ws = new WebSocket(`${t.linli.url.replace('http', 'ws')}/public/sheds/shed-a1/live`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (m) => resolve(m.toString()));
      ws.once('error', reject);
    });
    ws.terminate();
    expect(JSON.parse(first).type).toBe('shed');
    expect(leaks(first)).toEqual([]);
  });

  it('every live message they received during all this carries no full plate, card id, phone or name', () => {
    for (const role of ['volunteer', 'guard'] as const) {
      const types = [...new Set(live[role].map((m) => m.type === 'device.event' ? `device.event:${m.event.type}` : m.type))].sort();
      // The activity reached them: gate decisions, plate reads, swipes, rides, alerts, charging.
      for (const type of ['parking.decision', 'device.event:plate.read', 'device.event:port.request', 'device.event:card.swipe', 'device.event:ride', 'elevator.access', 'charging.denied', 'charging.session.started', 'charging.session.ended', 'alert.raised', 'command.outcome']) {
        expect(types, role).toContain(type);
      }
      const found = live[role].flatMap((m) => leaks(JSON.stringify(m)).map((leak) => `${role} ${m.type}: ${leak}`));
      expect(found).toEqual([]);
    }
    // The volunteer on duty was told of the alerts in person (sendToUser).
    expect(live.volunteer.some((m) => m.type === 'alert.notify')).toBe(true);
  });

  it('the committee, for contrast, reads them all in full', async () => {
    const text = JSON.stringify([
      (await committee('GET', `${E}/households/3-2-501`)).body,
      (await committee('GET', `${E}/parking/decisions`)).body,
      (await committee('GET', `${E}/charging/sessions`)).body,
      (await committee('GET', `${E}/elevator-passes`)).body,
    ]);
    for (const v of ['王小芳', '13812345678', 'IC-A0501', '鄂A12345', VISITORS.paying, UNREGISTERED_CARDS[2]!]) expect(text).toContain(v);
  });
});
