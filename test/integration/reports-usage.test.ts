import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargingSession } from '../../server/charging/records.js';
import type { Stay } from '../../server/parking/types.js';
import { seedYear } from '../../server/reports/seed-year.js';
import { openDatabase } from '../../server/store/sqlite.js';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

const E = 'estate-usage';
let linli: TestLinli;

/** A local (UTC+8) time as the store keeps it: ISO UTC. */
const local = (s: string) => new Date(Date.parse(`${s.replace(' ', 'T')}:00+08:00`)).toISOString();
const usage = (what: string, query: string) => linli.api('GET', `/api/estates/${E}/reports/usage/${what}?${query}`);
/** `series` is columnar: one array per field, all as long as `bucket`. */
type Series = Record<string, (string | number)[]>;
/** The series' fields at one bucket, as one object. */
const at = (series: Series, bucket: string) => {
  const i = series.bucket!.indexOf(bucket);
  expect(i, bucket).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v[i]]));
};
/** Every bucket's fields as one object (for the buckets that have traffic, say). */
const rows = (series: Series) => series.bucket!.map((b) => at(series, b as string));
const expectColumns = (series: Series, fields: string[], length: number) => {
  expect(Object.keys(series).sort()).toEqual(['bucket', ...fields].sort());
  for (const f of Object.keys(series)) expect(series[f], f).toHaveLength(length);
};
const TWO_DAYS = 'from=2025-03-03&to=2025-03-04';

let n = 0;
const aStay = (plate: string, vehicleClass: Stay['vehicleClass'], entry: string, exit?: string, feeFen?: number): Stay => ({
  id: `stay-${++n}`,
  estateId: E,
  lotId: 'main',
  plate,
  vehicleClass,
  overflow: false,
  entryAt: local(entry),
  entrySource: 'camera',
  exitAt: exit ? local(exit) : undefined,
  feeFen,
  payment: feeFen ? 'paid' : 'none',
});
const aSession = (port: number, start: string | undefined, end: string, energyWh: number, feeFen: number, status: ChargingSession['status'] = 'ended'): ChargingSession => ({
  id: `chg-${++n}`,
  estateId: E,
  shedId: 'shed-a',
  port,
  cardId: 'card-1',
  householdId: '1-1-101',
  payment: 'balance',
  status,
  requestedAt: local(start ?? end),
  startedAt: start ? local(start) : undefined,
  endedAt: local(end),
  maxMinutes: 480,
  energyWh,
  maxPowerW: 400,
  feeFen,
});

beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'shed-a', kind: 'charger', ports: 2 });
  await registerDevice(linli, E, { id: 'lift-a', kind: 'elevator', lowestFloor: 1, highestFloor: 7 });
  const { parking, charging, elevators } = linli.store;
  // Gates, Monday 3 March 2025 (local). Car A came home the evening before: inside when the range starts.
  for (const s of [
    aStay('鄂A00001', 'resident', '2025-03-02 20:00', '2025-03-03 08:10'),
    aStay('鄂A00002', 'resident', '2025-03-03 08:20', '2025-03-03 09:30'),
    aStay('鄂B00003', 'temporary', '2025-03-03 08:30', '2025-03-03 08:50', 0),
    aStay('鄂B00004', 'temporary', '2025-03-03 08:40', '2025-03-03 10:15', 600),
    aStay('鄂B00005', 'visitor', '2025-03-03 09:05'),
    aStay('鄂A00006', 'internal', '2025-03-03 09:10', '2025-03-04 07:00'),
    { ...aStay('鄂A00007', 'resident', '2025-03-03 09:00', '2025-03-03 09:20'), estateId: 'another-estate' },
  ]) parking.openStay(s);
  // One shed of two ports.
  charging.insertSession(aSession(1, '2025-03-03 20:00', '2025-03-03 22:30', 1500, 75));
  charging.insertSession(aSession(2, '2025-03-03 21:30', '2025-03-04 01:00', 2000, 100));
  charging.insertSession(aSession(1, undefined, '2025-03-03 23:00', 0, 0, 'failed')); // never started: no port time
  // One elevator: down in the morning, up in the evening.
  for (const [from, to, at, chargeFen] of [
    [5, 1, '2025-03-03 08:05', 0],
    [3, 1, '2025-03-03 08:15', 0],
    [1, 5, '2025-03-03 08:20', 0],
    [1, 5, '2025-03-03 18:30', 0],
    [1, 3, '2025-03-03 18:40', 50],
    [5, 3, '2025-03-03 19:00', 0],
  ] as const) {
    elevators.addRide({ id: `ride-${++n}`, estateId: E, elevatorId: 'lift-a', fromFloor: from, toFloor: to, at: local(at), chargeFen });
  }
  elevators.addRide({ id: `ride-${++n}`, estateId: 'another-estate', elevatorId: 'lift-b', fromFloor: 1, toFloor: 2, at: local('2025-03-03 08:30'), chargeFen: 0 });
});
afterAll(async () => {
  await linli.stop();
});

describe('gate usage', () => {
  it('counts entries and exits per local hour, residents apart from visitors, with the peak and the fees', async () => {
    const res = await usage('gates', `${TWO_DAYS}&bucket=hour`);
    expect(res.status).toBe(200);
    const r = res.body;
    expectColumns(r.series, ['entries', 'exits', 'residentEntries', 'visitorEntries', 'residentExits', 'visitorExits', 'peakOccupancy', 'occupancyEnd', 'feesFen', 'visitorFeesFen'], 48);
    const hour = (h: string) => at(r.series, h);
    expect(hour('2025-03-03 07:00')).toMatchObject({ entries: 0, exits: 0, peakOccupancy: 1, occupancyEnd: 1 });
    expect(hour('2025-03-03 08:00')).toEqual({
      bucket: '2025-03-03 08:00',
      entries: 3, exits: 2, residentEntries: 1, visitorEntries: 2, residentExits: 1, visitorExits: 1,
      peakOccupancy: 3, occupancyEnd: 2, feesFen: 0, visitorFeesFen: 0,
    });
    // The internal car is neither resident nor visitor; four inside at 09:10.
    expect(hour('2025-03-03 09:00')).toMatchObject({ entries: 2, exits: 1, residentEntries: 0, visitorEntries: 1, residentExits: 1, visitorExits: 0, peakOccupancy: 4, occupancyEnd: 3 });
    // Only exits: the peak is the occupancy the hour started with.
    expect(hour('2025-03-03 10:00')).toMatchObject({ entries: 0, exits: 1, visitorExits: 1, feesFen: 600, visitorFeesFen: 600, peakOccupancy: 3, occupancyEnd: 2 });
    expect(hour('2025-03-03 15:00')).toMatchObject({ entries: 0, exits: 0, peakOccupancy: 2, occupancyEnd: 2 });
    expect(hour('2025-03-04 07:00')).toMatchObject({ exits: 1, peakOccupancy: 2, occupancyEnd: 1 });
    expect(r).toMatchObject({
      estateId: E, bucket: 'hour', from: local('2025-03-03 00:00'), to: local('2025-03-05 00:00'),
      entries: 5, exits: 5, residentEntries: 1, visitorEntries: 3, residentExits: 2, visitorExits: 2,
      feesFen: 600, visitorFeesFen: 600, occupancyStart: 1, occupancyEnd: 1, peakOccupancy: 4, peakBucket: '2025-03-03 09:00',
    });
  });

  it('groups by local day, week and month', async () => {
    const days = (await usage('gates', `${TWO_DAYS}&bucket=day`)).body;
    expect(days.series).toEqual({
      bucket: ['2025-03-03', '2025-03-04'],
      entries: [5, 0],
      exits: [4, 1],
      residentEntries: [1, 0],
      visitorEntries: [3, 0],
      residentExits: [2, 0],
      visitorExits: [2, 0],
      peakOccupancy: [4, 2],
      occupancyEnd: [2, 1],
      feesFen: [600, 0],
      visitorFeesFen: [600, 0],
    });
    // Car A's entry on Sunday 2 March falls in the week of Monday 24 February.
    const weeks = (await usage('gates', 'from=2025-03-01&to=2025-03-09&bucket=week')).body;
    expect(rows(weeks.series).map((b: any) => [b.bucket, b.entries, b.exits, b.peakOccupancy])).toEqual([
      ['2025-02-24', 1, 0, 1],
      ['2025-03-03', 5, 5, 4],
    ]);
    const months = (await usage('gates', 'from=2025-02-01&to=2025-03-31&bucket=month')).body;
    expect(rows(months.series).map((b: any) => [b.bucket, b.entries, b.exits])).toEqual([
      ['2025-02', 0, 0],
      ['2025-03', 6, 5],
    ]);
  });
});

describe('charger usage', () => {
  it('counts sessions, kWh and revenue by start, and spreads port time over the hours it covers', async () => {
    const r = (await usage('chargers', `${TWO_DAYS}&bucket=hour`)).body;
    expectColumns(r.series, ['sessions', 'kWh', 'revenueFen', 'utilisation'], 48);
    const hour = (h: string) => at(r.series, h);
    expect(hour('2025-03-03 20:00')).toEqual({ bucket: '2025-03-03 20:00', sessions: 1, kWh: 1.5, revenueFen: 75, utilisation: 0.5 });
    expect(hour('2025-03-03 21:00')).toEqual({ bucket: '2025-03-03 21:00', sessions: 1, kWh: 2, revenueFen: 100, utilisation: 0.75 });
    expect(hour('2025-03-03 22:00')).toMatchObject({ sessions: 0, utilisation: 0.75 });
    expect(hour('2025-03-03 23:00')).toMatchObject({ sessions: 0, utilisation: 0.5 });
    expect(hour('2025-03-04 00:00')).toMatchObject({ utilisation: 0.5 });
    expect(hour('2025-03-04 01:00')).toMatchObject({ utilisation: 0 });
    // 6 port-hours of 2 ports × 48 hours.
    expect(r).toMatchObject({ sessions: 2, kWh: 3.5, revenueFen: 175, ports: 2, utilisation: 0.0625 });
    expect(r.sheds).toEqual([{ shedId: 'shed-a', ports: 2, sessions: 2, kWh: 3.5, revenueFen: 175, utilisation: 0.0625 }]);
    const days = (await usage('chargers', `${TWO_DAYS}&bucket=day`)).body;
    expect(days.series).toEqual({
      bucket: ['2025-03-03', '2025-03-04'],
      sessions: [2, 0],
      kWh: [3.5, 0],
      revenueFen: [175, 0],
      utilisation: [0.1042, 0.0208], // 5 and 1 of 48 port-hours
    });
  });
});

describe('elevator usage', () => {
  it('counts rides per local hour and by floor', async () => {
    const r = (await usage('elevators', `${TWO_DAYS}&bucket=hour`)).body;
    expectColumns(r.series, ['rides', 'up', 'down', 'chargeFen'], 48);
    const rides = rows(r.series).filter((b: any) => b.rides > 0);
    expect(rides).toEqual([
      { bucket: '2025-03-03 08:00', rides: 3, up: 1, down: 2, chargeFen: 0 },
      { bucket: '2025-03-03 18:00', rides: 2, up: 2, down: 0, chargeFen: 50 },
      { bucket: '2025-03-03 19:00', rides: 1, up: 0, down: 1, chargeFen: 0 },
    ]);
    expect(r).toMatchObject({ rides: 6, up: 3, down: 3, chargeFen: 50 });
    expect(r.elevators).toEqual([
      {
        elevatorId: 'lift-a',
        rides: 6,
        floors: [
          { floor: 1, boardings: 3, alightings: 2 },
          { floor: 3, boardings: 1, alightings: 2 },
          { floor: 5, boardings: 2, alightings: 2 },
        ],
      },
    ]);
  });
});

describe('usage rollup', () => {
  it('shows a stay, ride or charging session written late with past times in the next answer', async () => {
    const L = 'estate-late';
    await registerDevice(linli, L, { id: 'shed-late', kind: 'charger', ports: 2 });
    await registerDevice(linli, L, { id: 'lift-late', kind: 'elevator', lowestFloor: 1, highestFloor: 7 });
    const q = (what: string) => linli.api('GET', `/api/estates/${L}/reports/usage/${what}?from=2025-04-10&to=2025-04-10&bucket=hour`).then((r) => r.body);
    const rolledUp = () => {
      const db = openDatabase({ dataDir: linli.dataDir, sync: 'normal' });
      const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE estate_id = ?`).get(L) as { n: number }).n;
      const counts = [n('usage_gate_hours'), n('usage_charger_hours'), n('usage_elevator_hours'), n('usage_elevator_days')];
      db.close();
      return counts;
    };
    for (const what of ['gates', 'chargers', 'elevators']) expect((await q(what)).series.bucket).toHaveLength(24);
    expect(rolledUp()).toEqual([24, 24, 24, 1]); // a day long past: every hour stored

    // An offline gate's buffered passages, a car that left without being seen, a ride and a session, all with past times.
    const { parking, charging, elevators } = linli.store;
    parking.openStay({ ...aStay('鄂C00001', 'temporary', '2025-04-10 08:10', '2025-04-10 09:20', 300), estateId: L });
    const open = { ...aStay('鄂A00002', 'resident', '2025-04-10 10:05'), estateId: L };
    parking.openStay(open);
    elevators.addRide({ id: `ride-${++n}`, estateId: L, elevatorId: 'lift-late', fromFloor: 1, toFloor: 4, at: local('2025-04-10 08:30'), chargeFen: 50 });
    const running = { ...aSession(1, '2025-04-10 20:00', '2025-04-10 20:00', 800, 40), estateId: L, shedId: 'shed-late', status: 'charging' as const, endedAt: undefined };
    charging.insertSession(running);
    const gates = await q('gates');
    expect(at(gates.series, '2025-04-10 08:00')).toMatchObject({ entries: 1, visitorEntries: 1, peakOccupancy: 1, occupancyEnd: 1 });
    expect(at(gates.series, '2025-04-10 09:00')).toMatchObject({ exits: 1, visitorExits: 1, feesFen: 300, visitorFeesFen: 300, occupancyEnd: 0 });
    expect(gates).toMatchObject({ entries: 2, exits: 1, feesFen: 300, occupancyEnd: 1, peakOccupancy: 1, peakBucket: '2025-04-10 08:00' });
    expect(await q('elevators')).toMatchObject({ rides: 1, up: 1, chargeFen: 50, elevators: [{ elevatorId: 'lift-late', rides: 1 }] });
    // Still charging (as far as the store knows): one port of two from 20:00 to the end of the day.
    const busy = await q('chargers');
    expect(busy).toMatchObject({ sessions: 1, kWh: 0.8, revenueFen: 40, utilisation: 0.0833 });
    expect(at(busy.series, '2025-04-10 23:00')).toMatchObject({ utilisation: 0.5 });

    // The car's exit and the session's end arrive later still.
    parking.updateStay(open.id, { exitAt: local('2025-04-10 11:40'), feeFen: 0 });
    charging.updateSession(running.id, { status: 'ended', endedAt: local('2025-04-10 21:30'), energyWh: 1200, feeFen: 60 });
    expect(at((await q('gates')).series, '2025-04-10 11:00')).toMatchObject({ exits: 1, residentExits: 1, occupancyEnd: 0 });
    const ended = await q('chargers');
    expect(ended).toMatchObject({ sessions: 1, kWh: 1.2, revenueFen: 60, utilisation: 0.0313 }); // 1.5 of 48 port-hours
    expect(ended.series.utilisation.slice(20)).toEqual([0.5, 0.25, 0, 0]);
    expect(rolledUp()).toEqual([24, 24, 24, 1]);
  });
});

describe('usage API', () => {
  it('is for the committee, and says what is wrong with a range', async () => {
    expect((await linli.api('GET', `/api/estates/${E}/reports/usage/gates?${TWO_DAYS}`, undefined, 'not-a-token')).status).toBe(401);
    const backwards = await usage('gates', 'from=2025-03-04&to=2025-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/^querystring\.from/);
    expect((await usage('gates', 'from=2020-01-01&to=2025-03-01')).status).toBe(400);
    expect((await usage('gates', `${TWO_DAYS}&bucket=minute`)).status).toBe(400);
    expect((await linli.api('GET', `/api/estates/no-such/reports/usage/gates?${TWO_DAYS}`)).status).toBe(404);
  });

  it('reports what the year seeder wrote, with its daily rhythm', async () => {
    const db = openDatabase({ dataDir: linli.dataDir, sync: 'normal' });
    const seeded = seedYear(db, { estateId: 'seeded', households: 60, days: 14, end: '2025-06-15', seed: 7 });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const from = `'${seeded.from}'`;
    const stays = count(`SELECT COUNT(*) AS n FROM stays WHERE estate_id = 'seeded' AND entry_at >= ${from}`);
    const sessions = count(`SELECT COUNT(*) AS n FROM charging_sessions WHERE estate_id = 'seeded' AND status != 'failed'`);
    db.close();
    const q = 'from=2025-06-01&to=2025-06-14&bucket=hour';
    const gates = (await linli.api('GET', `/api/estates/seeded/reports/usage/gates?${q}`)).body;
    expect(gates.entries).toBe(stays);
    expect(gates.residentEntries + gates.visitorEntries).toBeLessThanOrEqual(gates.entries);
    expect(gates.visitorFeesFen).toBeGreaterThan(0);
    // People drive home in the evening, not at three in the morning.
    const byHour = (h: string) => rows(gates.series).filter((b: any) => b.bucket.endsWith(` ${h}:00`)).reduce((a: number, b: any) => a + b.entries, 0);
    expect(byHour('18')).toBeGreaterThan(5 * byHour('03') + 5);
    const chargers = (await linli.api('GET', `/api/estates/seeded/reports/usage/chargers?${q}`)).body;
    expect(chargers.sessions).toBe(sessions);
    expect(chargers.ports).toBe(30);
    expect(chargers.utilisation).toBeGreaterThan(0);
    const lifts = (await linli.api('GET', `/api/estates/seeded/reports/usage/elevators?${q}`)).body;
    expect(lifts.rides).toBe(seeded.rides);
    expect(lifts.elevators.length).toBeGreaterThan(0);
  });
});
