import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEstate, type Estate } from '../../simulators/estate.js';
import { LinliApi } from '../../simulators/estate/api-client.js';
import { GUARD_REASON } from '../../simulators/estate/lane.js';
import { provisionParking } from '../../simulators/estate/provision.js';
import { provisionAccounts } from '../../simulators/estate/accounts.js';
import { estateLayout } from '../../simulators/estate/layout.js';
import { estateRegister } from '../../simulators/estate/register.js';
import type { ParsedCommand } from '../../simulators/lib/command-inbox.js';
import { silentLog } from '../../simulators/lib/sim-log.js';
import { ADMIN_PASSWORD, startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * Simulated estates against a real Linli (in-process, free ports, fresh SQLite):
 * provisioning through the HTTP API (charter, register by CSV import, logins),
 * devices over real MQTT with real secrets, and the server's parking decisions
 * acted on by the simulated gates, drivers and guard.
 *
 * `desk` has no day of its own: the tests drive its lanes one car at a time.
 * `day` runs a compressed morning. Server and devices share one clock, so the
 * last test can let an hour pass.
 */
const DESK = 'sim-desk';
const DAY = 'sim-day';
const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
let linli: TestLinli;
let desk: Estate;
let day: Estate;

type Item = Record<string, any>;
const get = async (estateId: string, path: string): Promise<Item[]> => {
  const res = await linli.api<{ items: Item[] }>('GET', `/api/estates/${estateId}${path}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
};
const start = (estateId: string, extra: Partial<Parameters<typeof startEstate>[0]>) =>
  startEstate({ httpUrl: linli.url, mqttUrl: linli.mqttUrl, username: 'admin', password: ADMIN_PASSWORD, estateId, estateName: '模拟小区', rateScale: 20, clock: clock.now, ...extra });

/** Commands the gate took, as it saw them. */
function commandsOf(e: Estate, gateIndex = 0): ParsedCommand[] {
  const seen: ParsedCommand[] = [];
  e.gates[gateIndex]!.on('command', (cmd: ParsedCommand) => seen.push(cmd));
  return seen;
}

/** A registered car the test may drive: outside on the server, and left alone by any day. */
function residentCar(e: Estate, cls: 'resident' | 'monthly' = 'resident', pred: (plate: string) => boolean = () => true) {
  const car = e.residents.cars.find((c) => c.class === cls && !c.inside && !c.moving && pred(c.plate));
  if (!car) throw new Error('no free car');
  car.moving = true;
  return car;
}

beforeAll(async () => {
  linli = await startTestLinli({}, { clock });
  desk = await start(DESK, { scenario: false, seed: 7 });
  day = await start(DAY, { seed: 42, startHour: 7.5 }); // the morning rush in seconds
});

afterAll(async () => {
  await day?.close();
  await desk?.close();
  await linli?.stop();
});

describe('provisioning', () => {
  it('adopts a charter with a lot behind both gates, imports the register, bans one car, and makes the logins', async () => {
    const charter = (await linli.api('GET', `/api/estates/${DESK}/charter`)).body;
    expect(charter.version).toBe(1);
    const parking = charter.document.parking;
    expect(parking.lots[0].gates).toEqual(desk.gates.map((g) => g.deviceId));
    expect(parking.tariff.freeMinutes).toBe(30);
    expect(parking.classes.emergency.clause).toBe('2.5');
    const register = estateRegister(DESK);
    expect((await linli.api('GET', `/api/estates/${DESK}/households?limit=1`)).body.total).toBe(register.households.length);
    const vehicles = await get(DESK, '/vehicles?limit=1000');
    expect(vehicles).toHaveLength(register.cars.length + 1);
    expect(vehicles.filter((v) => v.class === 'blacklist').map((v) => v.plate)).toEqual([register.banned.plate]);
    expect(vehicles.filter((v) => v.class === 'monthly').every((v) => v.validUntil)).toBe(true);
    // The simulated residents drive exactly the registered plates.
    expect(desk.residents.cars.map((c) => c.plate).sort()).toEqual(register.cars.map((c) => c.plate).sort());
    const group = register.groups[0]!;
    expect(vehicles.filter((v) => v.householdId === group)).toHaveLength(2);
    expect(desk.parking.guardAccount?.username).toBe('sim-desk-guard');
    expect(desk.parking.hosts.length).toBeGreaterThan(0);
  });

  it('is idempotent: a second run keeps the charter and changes nothing in the register', async () => {
    const api = await LinliApi.login(linli.url, 'admin', ADMIN_PASSWORD);
    const before = await get(DESK, '/vehicles?limit=1000');
    const again = await provisionParking(
      api,
      { estateId: DESK, estateName: '模拟小区', gateIds: desk.gates.map((g) => g.deviceId), register: estateRegister(DESK, new Date(clock.now())), adminPassword: ADMIN_PASSWORD, now: clock.now },
      silentLog,
    );
    expect(again).toMatchObject({ charterVersion: 1, adopted: false });
    expect((await linli.api('GET', `/api/estates/${DESK}/charter/versions`)).body.items).toHaveLength(1);
    const plain = (items: Item[]) => items.map(({ updatedAt: _, ...v }) => v);
    expect(plain(await get(DESK, '/vehicles?limit=1000'))).toEqual(plain(before));
    expect(again.guardAccount?.username).toBe(desk.parking.guardAccount?.username);
  });

  it('opens the accounts: the gates and sheds funds with a fifth of households contributing, each elevator its own asset; a second run adds nothing', async () => {
    type Overview = { assets: { id: string; kind: string; deviceIds: string[]; contributedFen: number; costsFen: number }[] };
    const overview = async () => (await linli.api<Overview>('GET', `/api/estates/${DESK}/accounts/assets`)).body.assets;
    const first = await overview();
    const contributors = Math.ceil(estateRegister(DESK).households.length / 5);
    expect(first.find((a) => a.id === 'gates')).toMatchObject({ kind: 'gate', deviceIds: desk.gates.map((g) => g.deviceId), contributedFen: contributors * 30_000, costsFen: 45_000 });
    expect(first.find((a) => a.id === 'sheds')).toMatchObject({ kind: 'shed', contributedFen: contributors * 10_000, costsFen: 86_420 });
    expect(first.filter((a) => a.kind === 'elevator')).toHaveLength(estateLayout(DESK).elevators.length);
    const api = await LinliApi.login(linli.url, 'admin', ADMIN_PASSWORD);
    const today = new Date(clock.now());
    expect(await provisionAccounts(api, { estateId: DESK, layout: estateLayout(DESK), register: estateRegister(DESK, today), today }, silentLog)).toBe(0);
    expect(await overview()).toEqual(first);
    const month = new Date(clock.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const statement = (await linli.api<{ reconciliation: { ok: boolean } }>('GET', `/api/estates/${DESK}/accounts/assets/gates/statements/${month}`)).body;
    expect(statement.reconciliation.ok).toBe(true);
  });

  it('the gates hold the offline whitelist and report its version in their retained status', async () => {
    const lanes = await waitFor(async () => {
      const body = (await linli.api('GET', `/api/estates/${DESK}/parking/lanes`)).body;
      return body.lots[0]?.gates.every((g: Item) => g.whitelist?.upToDate) && body;
    }, 5_000, 'both gates up to date');
    const reported = lanes.lots[0].gates.map((g: Item) => g.whitelist.reportedVersion);
    expect(reported).toEqual(desk.gates.map((g) => g.config.version));
    const residents = desk.residents.cars.filter((c) => c.class === 'resident').map((c) => c.plate);
    expect(desk.gates[0]!.config.plates).toEqual(expect.arrayContaining(residents));
    expect(desk.gates[0]!.config.plates).not.toContain(desk.residents.banned);
  });
});

describe('at a simulated gate, the server decides', () => {
  it('a resident car entering gets an open from the server, the simulated arm lifts, and a stay appears', async () => {
    const car = residentCar(desk);
    const cmds = commandsOf(desk);
    const lane = desk.lanes[0]!.in;
    const result = await lane.enqueue({ plate: car.plate, who: 'resident', read: car.plate, confidence: 0.97 });
    expect(result).toEqual({ result: 'passed', via: 'server', display: '业主车辆 欢迎回家' });
    expect(cmds[0]).toMatchObject({ type: 'open', direction: 'in', plate: car.plate, display: '业主车辆 欢迎回家' });
    const gateId = desk.gates[0]!.deviceId;
    const states = await waitFor(async () => {
      const s = (await get(DESK, `/events?deviceId=${gateId}&type=gate.state&limit=50`)).map((e) => e.payload.state).reverse();
      return s.at(-1) === 'closed' && s.length >= 5 && s;
    }, 5_000, 'the arm back down');
    expect(states.slice(-4)).toEqual(['opening', 'open', 'closing', 'closed']);
    const stays = await get(DESK, `/parking/stays?plate=${encodeURIComponent(car.plate)}&open=true`);
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ vehicleClass: 'resident', entrySource: 'camera', entryGate: gateId, lotId: 'lot-main' });
    const decision = (await get(DESK, `/parking/decisions?gateId=${gateId}&limit=5`)).find((d) => d.plate === car.plate);
    expect(decision).toMatchObject({ action: 'open', clause: '2.1', direction: 'in', stayId: stays[0]!.id });
  });

  it('the banned car is denied: the board says so, the arm stays down, the driver turns round', async () => {
    const gate = desk.gates[1]!;
    const result = await desk.lanes[1]!.in.enqueue({ plate: desk.residents.banned, who: 'banned', read: desk.residents.banned, confidence: 0.96 });
    expect(result).toEqual({ result: 'turned-away', via: 'denied', display: '禁止通行 请联系值班' });
    expect(gate.armState).toBe('closed');
    expect(gate.display).toBe('禁止通行 请联系值班');
    const decision = (await get(DESK, `/parking/decisions?gateId=${gate.deviceId}&limit=5`)).find((d) => d.plate === desk.residents.banned);
    expect(decision).toMatchObject({ action: 'deny', clause: '2.4' });
    expect(await get(DESK, `/parking/stays?plate=${encodeURIComponent(desk.residents.banned)}`)).toEqual([]);
  });

  it('a misread (5↔S) the server is unsure of asks the guard, who opens by hand with a reason', async () => {
    const swap: Record<string, string> = { '5': 'S', S: '5', '8': 'B', B: '8', '2': 'Z', Z: '2' };
    const car = residentCar(desk, 'resident', (p) => [...p.slice(2)].some((ch) => swap[ch]));
    const at = [...car.plate].findIndex((ch, i) => i >= 2 && swap[ch]);
    const read = [...car.plate].map((ch, i) => (i === at ? swap[ch] : ch)).join('');
    const result = await desk.lanes[0]!.in.enqueue({ plate: car.plate, who: 'resident', read, confidence: 0.6 });
    expect(result).toEqual({ result: 'passed', via: 'guard', display: '人工放行' });
    const decision = (await get(DESK, `/parking/decisions?gateId=${desk.gates[0]!.deviceId}&limit=5`)).find((d) => d.plateRead === read);
    expect(decision).toMatchObject({ action: 'guard', clause: '2.9', display: '车牌待确认 请稍候' });
    const audit = (await get(DESK, '/parking/manual-opens'))[0];
    expect(audit).toMatchObject({ gateId: desk.gates[0]!.deviceId, direction: 'in', plate: car.plate, reason: GUARD_REASON, byUser: 'sim-desk-guard' });
    expect((await get(DESK, `/parking/stays?plate=${encodeURIComponent(car.plate)}&open=true`))[0]).toMatchObject({ entrySource: 'manual', vehicleClass: 'resident' });
  });

  it('with its link cut, the gate lets a resident in from its whitelist; back online, the passage becomes a stay', async () => {
    const lanes = desk.lanes[1]!;
    const car = residentCar(desk);
    for (const d of [lanes.gate, lanes.in.camera, lanes.out.camera]) d.cutLink();
    const visitor = await lanes.in.enqueue({ plate: '湘A66666', who: 'visitor' });
    expect(visitor).toMatchObject({ result: 'turned-away', via: 'no-answer' });
    const result = await lanes.in.enqueue({ plate: car.plate, who: 'resident', read: car.plate });
    expect(result).toMatchObject({ result: 'passed', via: 'offline' });
    expect(await get(DESK, `/parking/stays?plate=${encodeURIComponent(car.plate)}`)).toEqual([]);
    await Promise.all([lanes.gate, lanes.in.camera, lanes.out.camera].map((d) => d.restoreLink()));
    const stay = await waitFor(async () => (await get(DESK, `/parking/stays?plate=${encodeURIComponent(car.plate)}&open=true`))[0], 5_000, 'the offline stay');
    expect(stay).toMatchObject({ entrySource: 'offline-whitelist', vehicleClass: 'resident', entryGate: lanes.gate.deviceId });
  });

  it('a visitor an hour later is asked to pay at the exit; the driver pays, and the server lifts the arm', async () => {
    const plate = '湘A57575';
    const lane = desk.lanes[0]!;
    const entered = await lane.in.enqueue({ plate, who: 'visitor', read: plate, confidence: 0.95 });
    expect(entered).toMatchObject({ result: 'passed', via: 'server', display: expect.stringMatching(/^临时车 免费30分钟/) });
    clock.offsetMs += 59 * 60_000;
    const cmds = commandsOf(desk);
    const result = await lane.out.enqueue({ plate, who: 'visitor', read: plate, confidence: 0.95 });
    expect(result).toMatchObject({ result: 'passed', via: 'paid', display: '缴费成功 一路顺风' });
    const deny = cmds.find((c) => c.type === 'deny')!;
    expect(deny.display).toMatch(/^请缴费 ¥\d/);
    const stay = (await get(DESK, `/parking/stays?plate=${encodeURIComponent(plate)}`))[0]!;
    expect(stay).toMatchObject({ vehicleClass: 'temporary', payment: 'paid', feeClause: '3.1' });
    expect(stay.feeFen).toBeGreaterThan(0);
    expect(result.feeFen).toBe(stay.feeFen);
    expect(deny.display).toBe(`请缴费 ¥${stay.feeFen / 100}`);
    expect(stay.exitAt).toBeTruthy();
  });
});

describe('a compressed morning on a real Linli', () => {
  it('is provisioned through the API and every device is listed online', async () => {
    expect(day.devices).toHaveLength(13);
    const items = await waitFor(async () => {
      const list = await get(DAY, '/devices');
      return list.length === 13 && list.every((d) => d.online) ? list : undefined;
    }, 10_000, 'all 13 devices online');
    const kinds = items.map((d) => d.kind).sort();
    expect(kinds).toEqual([...Array(4).fill('camera'), ...Array(3).fill('charger'), ...Array(4).fill('elevator'), ...Array(2).fill('gate')].sort());
    expect(items.find((d) => d.kind === 'charger')?.fw).toBe('charger-sim-1.1');
  });

  it('starts with the cars that were home overnight inside, as stays the gates reported', async () => {
    const open = await get(DAY, '/parking/stays?open=true&limit=1000');
    const overnight = open.filter((s) => s.entrySource === 'offline-whitelist');
    expect(overnight.length).toBeGreaterThan(day.residents.cars.length / 2);
    for (const s of overnight) expect(Date.parse(s.entryAt)).toBeLessThan(clock.now() - 30 * 60_000);
  });

  it('runs on the server’s decisions: residents leave and return, visitors come and go, nothing is refused by the gateway', async () => {
    await new Promise((r) => setTimeout(r, 7_000));
    const decisions = await get(DAY, '/parking/decisions?limit=1000');
    const clauses = new Set(decisions.map((d) => d.clause));
    expect(clauses.size, `clauses: ${[...clauses].join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(decisions.filter((d) => d.direction === 'out' && d.action === 'open').length).toBeGreaterThan(0);
    const s = day.stats()!;
    expect(s.carsOut).toBeGreaterThan(0);
    expect((await get(DAY, '/parking/stays?limit=1000')).some((st) => st.entrySource === 'camera')).toBe(true);

    const events = await get(DAY, '/events?limit=1000');
    const types = new Set(events.map((e) => e.type));
    for (const t of ['plate.read', 'gate.state', 'gate.passage', 'port.state', 'ride']) expect(types, `event types seen: ${[...types].join(', ')}`).toContain(t);
    const ids = events.map((e) => `${e.deviceId}/${e.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await get(DAY, '/telemetry?limit=10')).length).toBeGreaterThan(0);
    // Everything the simulators sent passed the gateway's schemas.
    expect(await get(DAY, '/dead-letters')).toEqual([]);
    expect(await get(DESK, '/dead-letters')).toEqual([]);
  });

  it('its vendor devices speak their own wire formats: the JUY shed’s sessions and the monitoring box’s telemetry arrive through their TCP listeners', async () => {
    const layout = estateLayout(DAY);
    const juyShed = layout.sheds.find((s) => s.registration.vendor === 'juy')!;
    const boxLift = layout.elevators.find((e) => e.registration.vendor === 'elevatorcloud')!;
    expect(juyShed, 'the layout has a JUY shed').toBeDefined();
    expect(boxLift, 'the layout has a lift with a monitoring box').toBeDefined();
    const devices = await get(DAY, '/devices');
    expect(devices.find((d) => d.id === juyShed.id)).toMatchObject({ online: true, vendor: { name: 'juy', transport: 'tcp' } });
    expect(devices.find((d) => d.id === boxLift.id)).toMatchObject({ online: true, vendor: { name: 'elevatorcloud', transport: 'tcp' } });
    // A swipe at the JUY board (0x87) became a port.request, the server's 0x83 started a session on it.
    const sessions = await waitFor(async () => {
      const s = await get(DAY, `/charging/sessions?shedId=${encodeURIComponent(juyShed.id)}&limit=1000`);
      return s.length > 0 && s;
    }, 15_000, 'a session on the JUY shed');
    expect(sessions[0]).toMatchObject({ shedId: juyShed.id });
    const requests = await get(DAY, `/events?deviceId=${encodeURIComponent(juyShed.id)}&type=port.request&limit=10`);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]!.vendorRaw, 'the board’s own frame is kept beside the event').toBeTruthy();
    // The box's info frames are the lift's telemetry: floor, direction, door.
    const telemetry = await waitFor(async () => (await get(DAY, `/telemetry?deviceId=${encodeURIComponent(boxLift.id)}&limit=5`))[0], 5_000, 'the box’s telemetry');
    expect(telemetry.payload).toMatchObject({ floor: expect.any(Number), doorOpen: expect.any(Boolean) });
    // The south gate's lane cameras are 臻识 cameras pushing AlarmInfoPlate over HTTP: their reads are stored under their Linli ids.
    const vzenith = layout.gates.flatMap((g) => [g.cameraIn, g.cameraOut]).filter((c) => c.registration.vendor === 'vzenith');
    expect(vzenith.map((c) => c.registration.direction).sort()).toEqual(['in', 'out']);
    for (const c of vzenith) expect(devices.find((d) => d.id === c.id)).toMatchObject({ online: true, vendor: { name: 'vzenith', transport: 'http' } });
    const reads = await waitFor(async () => {
      const all = (await Promise.all(vzenith.map((c) => get(DAY, `/events?deviceId=${encodeURIComponent(c.id)}&type=plate.read&limit=10`)))).flat();
      return all.length > 0 && all;
    }, 15_000, 'a plate read from a 臻识 camera');
    const read = reads[0]!;
    const camera = vzenith.find((c) => c.id === read.deviceId)!;
    expect(read.id).toMatch(new RegExp(`^${String(camera.registration.serialNo)}\\.\\d+\\.\\d+$`));
    expect(read.vendorRaw.AlarmInfoPlate.serialno).toBe(camera.registration.serialNo);
    // The rules decided on it for the south gate's lane.
    const decisions = await get(DAY, '/parking/decisions?limit=1000');
    expect(decisions.some((d) => d.cameraId === camera.id && d.gateId === camera.registration.gateId)).toBe(true);
    expect(await get(DAY, '/dead-letters')).toEqual([]);
  });

  it('acks a gate display command sent through the API', async () => {
    const gate = day.gates[0]!;
    const text = '月租车 欢迎回家';
    const sent = await linli.api<{ cmdId: string }>('POST', `/api/estates/${DAY}/devices/${gate.deviceId}/commands`, { type: 'display', display: text });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const row = await waitFor(
      async () => (await get(DAY, `/commands?deviceId=${gate.deviceId}`)).find((c) => c.cmdId === sent.body.cmdId && c.status === 'acked'),
      5_000,
      'the display command acked',
    );
    expect(row.type).toBe('display');
  });
});
