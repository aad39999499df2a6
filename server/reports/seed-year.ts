import { pathToFileURL } from 'node:url';
import { CHINA_OFFSET_MS } from '../parking/local-time.js';
import { openDatabase, type Db } from '../store/sqlite.js';

/**
 * A believable year of one estate, written straight into SQLite for the usage
 * reports and their benchmark:
 *
 *   node --import tsx server/reports/seed-year.ts <dataDir> [--estate id] [--households 500] [--days 365] [--end YYYY-MM-DD] [--seed 1]
 *
 * ≈ 500 households in six-storey blocks, two gates, three sheds of ten ports,
 * four retrofitted elevators. Residents' cars leave for work 7–9 and come back
 * 17–20 on weekdays, run errands, sometimes stay out; visitors come by day,
 * more at weekends, most pay the temporary tariff; e-bikes charge in the
 * evening; elevators carry people down in the morning and up in the evening.
 * Deterministic for a seed. The data ends at local midnight starting `--end`
 * (default: today), so "the last year" is the seeded year.
 */
export interface SeedOptions {
  estateId: string;
  households: number;
  days: number;
  /** Local date (UTC+8) the data stops at, exclusive. */
  end: string;
  seed: number;
}

export interface SeedSummary {
  estateId: string;
  from: string;
  to: string;
  households: number;
  vehicles: number;
  stays: number;
  decisions: number;
  sessions: number;
  rides: number;
  ms: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GATES = ['gate-east', 'gate-west'];
const SHEDS = ['shed-1', 'shed-2', 'shed-3'];
const PORTS = 10;
const LIFTS = 4;
const FLOORS = 6;

/** mulberry32: small, fast, good enough to look random (the rollup tests draw their data from it too). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    between: (lo: number, hi: number) => lo + next() * (hi - lo),
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    /** Around `mean`, never below zero (a sum of uniforms: cheap and bell-shaped enough). */
    around: (mean: number, spread: number) => Math.max(0, Math.round(mean + (next() + next() + next() - 1.5) * spread)),
  };
}
type Rng = ReturnType<typeof rng>;

const iso = (ms: number) => new Date(ms).toISOString();
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const plateOf = (n: number, prefix: string) => `${prefix}${PLATE_LETTERS[n % 24]}${String(10_000 + ((n * 7919) % 90_000)).slice(-5)}`;

interface Household { id: string; building: number; unit: number; floor: number }

function householdsOf(count: number): Household[] {
  const out: Household[] = [];
  for (let b = 1; out.length < count; b++) {
    for (let u = 1; u <= 3 && out.length < count; u++) {
      for (let f = 1; f <= FLOORS && out.length < count; f++) for (let r = 1; r <= 2 && out.length < count; r++) out.push({ id: `${b}-${u}-${f}0${r}`, building: b, unit: u, floor: f });
    }
  }
  return out;
}

export function seedYear(db: Db, opts: SeedOptions): SeedSummary {
  const started = Date.now();
  const r = rng(opts.seed);
  const toMs = Date.parse(`${opts.end}T00:00:00+08:00`);
  const fromMs = toMs - opts.days * DAY;
  const E = opts.estateId;
  const now = iso(fromMs);
  const counts = { vehicles: 0, stays: 0, decisions: 0, sessions: 0, rides: 0 };

  const ins = {
    estate: db.prepare('INSERT OR IGNORE INTO estates (id, name, created_at) VALUES (?, ?, ?)'),
    device: db.prepare(`INSERT OR IGNORE INTO devices (id, estate_id, kind, name, props, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, 'seeded: no secret', ?)`),
    household: db.prepare('INSERT OR IGNORE INTO households (estate_id, id, building, unit, room, area_m2, parking_spaces, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    vehicle: db.prepare('INSERT OR IGNORE INTO vehicles (estate_id, plate, household_id, class, valid_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    member: db.prepare(`INSERT OR IGNORE INTO elevator_members (estate_id, elevator_id, household_id, kind, joined_at, paid_fen) VALUES (?, ?, ?, 'founder', ?, 1200000)`),
    stay: db.prepare(`INSERT INTO stays (id, estate_id, lot_id, plate, vehicle_class, household_id, entry_at, entry_gate, entry_source, exit_at, exit_gate, exit_source, billing_from, billing_to, fee_fen, fee_clause, payment, charter_version)
      VALUES (?, ?, 'main', ?, ?, ?, ?, ?, 'camera', ?, ?, ?, ?, ?, ?, ?, ?, 1)`),
    decision: db.prepare(`INSERT INTO parking_decisions (id, estate_id, gate_id, direction, plate_read, plate, vehicle_class, action, clause, charter_version, display, explain, fee_fen, stay_id, at, latency_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`),
    session: db.prepare(`INSERT INTO charging_sessions (id, estate_id, shed_id, port, card_id, household_id, payment, status, requested_at, started_at, ended_at, stop_reason, max_minutes, energy_wh, max_power_w, fee_fen, charter_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 480, ?, ?, ?, 1)`),
    ride: db.prepare('INSERT INTO elevator_rides (id, estate_id, elevator_id, card_id, household_id, from_floor, to_floor, at, charge_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  };

  // The register: households, their cars, the elevators' members.
  const households = householdsOf(opts.households);
  const cars: { plate: string; cls: 'resident' | 'monthly'; householdId: string; commuter: number }[] = [];
  const lifts = Array.from({ length: LIFTS }, (_, i) => ({ id: `lift-${i + 1}-1`, households: households.filter((h) => h.building === i + 1 && h.unit === 1) }));
  const members = new Set<string>();
  db.transaction(() => {
    ins.estate.run(E, '和平里小区（一年样本）', now);
    for (const g of GATES) ins.device.run(g, E, 'gate', g, '{}', now);
    for (const s of SHEDS) ins.device.run(s, E, 'charger', s, JSON.stringify({ ports: PORTS }), now);
    for (const l of lifts) ins.device.run(l.id, E, 'elevator', l.id, JSON.stringify({ lowestFloor: 1, highestFloor: FLOORS }), now);
    for (const h of households) {
      const owned = r.chance(0.6) ? (r.chance(0.12) ? 2 : 1) : 0;
      ins.household.run(E, h.id, String(h.building), String(h.unit), `${h.floor}0${h.id.slice(-1)}`, r.int(55, 110), owned > 0 ? 1 : 0, now, now);
      for (let c = 0; c < owned; c++) {
        const cls = r.chance(0.08) ? 'monthly' : 'resident';
        const car = { plate: plateOf(cars.length, '鄂A'), cls, householdId: h.id, commuter: r.between(0.3, 0.85) } as const;
        cars.push(car);
        ins.vehicle.run(E, car.plate, h.id, cls, cls === 'monthly' ? opts.end : null, now, now);
      }
    }
    for (const l of lifts) for (const h of l.households) if (h.floor > 1 && r.chance(0.8)) (members.add(h.id), ins.member.run(E, l.id, h.id, now));
  })();
  counts.vehicles = cars.length;

  let seq = 0;
  const id = (p: string) => `${p}-${E}-${(++seq).toString(36)}`;
  const decide = (gate: string, dir: 'in' | 'out', plate: string, cls: string, at: number, stayId: string | null, feeFen: number | null, action = 'open') => {
    ins.decision.run(id('dec'), E, gate, dir, plate, plate, cls, action, action === 'open' ? '2.1' : '2.4', action === 'open' ? '欢迎' : '禁止通行', 'seeded', feeFen, stayId, iso(at), r.between(4, 30));
    counts.decisions++;
  };
  const stay = (plate: string, cls: string, householdId: string | null, entry: number, exit: number | null, feeFen: number | null) => {
    const sid = id('stay');
    const inGate = r.pick(GATES);
    const outGate = r.pick(GATES);
    const open = exit === null || exit >= toMs;
    ins.stay.run(sid, E, plate, cls, householdId, iso(entry), inGate, open ? null : iso(exit!), open ? null : outGate, open ? null : 'camera', feeFen === null ? null : iso(entry), feeFen === null || open ? null : iso(exit!), open ? null : feeFen, feeFen ? '4.2' : null, feeFen ? 'paid' : 'none');
    if (entry >= fromMs) decide(inGate, 'in', plate, cls, entry, sid, null);
    if (!open) decide(outGate, 'out', plate, cls, exit!, sid, feeFen);
    counts.stays++;
  };
  const portFree = new Map<string, number>(); // shed/port → when the bike on it is gone
  for (let d = 0; d < opts.days; d++) {
    const day = fromMs + d * DAY; // local midnight
    const weekday = new Date(day + CHINA_OFFSET_MS).getUTCDay(); // 0 = Sunday
    const workday = weekday >= 1 && weekday <= 5;
    db.transaction(() => {
      residentsDay(r, cars, day, d === 0, d === opts.days - 1, workday, stay);
      visitorsDay(r, day, d, workday, stay, decide);
      counts.sessions += chargingDay(r, day, workday, households, portFree, (row) => ins.session.run(id('chg'), E, ...row));
      counts.rides += ridesDay(r, day, workday, lifts, members, (row) => ins.ride.run(id('ride'), E, ...row));
    })();
  }
  return { estateId: E, from: iso(fromMs), to: iso(toMs), households: households.length, ...counts, ms: Date.now() - started };
}

type StayFn = (plate: string, cls: string, householdId: string | null, entry: number, exit: number | null, feeFen: number | null) => void;

/** Resident cars: a stay runs from coming home to leaving again; each car carries its open stay across days. */
const carState = new WeakMap<object, number>();
function residentsDay(r: Rng, cars: { plate: string; cls: string; householdId: string; commuter: number }[], day: number, first: boolean, last: boolean, workday: boolean, stay: StayFn) {
  for (const car of cars) {
    if (first) carState.set(car, day - r.between(1, 14) * HOUR); // home since last night
    let home = carState.get(car)!;
    const outings: [number, number][] = [];
    if (r.chance(workday ? car.commuter : car.commuter * 0.3)) outings.push([day + r.between(6.8, 9.2) * HOUR, day + r.between(16.8, 20.5) * HOUR]);
    if (r.chance(workday ? 0.25 : 0.55)) {
      const leave = day + r.between(9.5, 20) * HOUR;
      const back = leave + r.between(0.4, 3) * HOUR;
      if (!outings.some(([a, b]) => leave < b + 0.5 * HOUR && back > a - 0.5 * HOUR)) outings.push([leave, back]);
    }
    if (r.chance(0.02)) outings.push([day + r.between(19, 22) * HOUR, day + DAY + r.between(8, 20) * HOUR]); // away overnight
    outings.sort((a, b) => a[0] - b[0]);
    for (const [leave, back] of outings) {
      if (leave <= home) continue; // still out from an outing that overlapped this one
      stay(car.plate, car.cls, car.householdId, home, leave, null);
      home = back;
    }
    carState.set(car, home);
    if (last) stay(car.plate, car.cls, car.householdId, home, null, null);
  }
}

/** Visitors: by day, more at weekends; most pay the temporary tariff (30 minutes free, ¥3 an hour, ¥20 a day at most). */
function visitorsDay(r: Rng, day: number, d: number, workday: boolean, stay: StayFn, decide: (gate: string, dir: 'in' | 'out', plate: string, cls: string, at: number, stayId: string | null, feeFen: number | null, action?: string) => void) {
  const n = r.around(workday ? 85 : 130, 30);
  for (let i = 0; i < n; i++) {
    const plate = plateOf(d * 1000 + i, r.pick(['鄂A', '鄂A', '鄂B', '湘A', '豫P']));
    const entry = day + (r.chance(0.5) ? r.between(9, 12) : r.chance(0.6) ? r.between(17.5, 21) : r.between(7, 22.5)) * HOUR;
    const minutes = r.chance(0.05) ? r.between(600, 900) : r.chance(0.45) ? r.between(8, 30) : r.between(30, 300);
    const roll = r.next();
    const cls = roll < 0.3 ? 'visitor' : roll < 0.36 ? 'internal' : roll < 0.4 ? 'window' : 'temporary';
    const fee = cls === 'temporary' && minutes > 30 ? Math.min(2000, Math.ceil(minutes / 60) * 300) : cls === 'temporary' ? 0 : null;
    stay(plate, cls, null, entry, entry + minutes * 60_000, fee);
  }
  for (let i = r.around(2, 2); i > 0; i--) decide(r.pick(GATES), 'in', plateOf(d * 1000 + 900 + i, '鄂A'), 'blacklist', day + r.between(8, 22) * HOUR, null, null, 'deny');
}

type SessionRow = [string, number, string, string, string, string, string, string | null, string | null, string | null, number, number, number | null];

/** E-bikes charge in the evening, some by day; a port holds one bike at a time, a swipe at a full shed goes elsewhere. */
function chargingDay(r: Rng, day: number, workday: boolean, households: Household[], portFree: Map<string, number>, write: (row: SessionRow) => void): number {
  let n = 0;
  for (const shed of SHEDS) {
    const wanted = r.around(workday ? 13 : 16, 4);
    const starts = Array.from({ length: wanted }, () => day + (r.chance(0.7) ? r.between(18, 23.5) : r.between(7, 18)) * HOUR).sort((a, b) => a - b);
    for (const start of starts) {
      const port = Array.from({ length: PORTS }, (_, p) => p + 1).find((p) => (portFree.get(`${shed}/${p}`) ?? 0) <= start);
      if (port === undefined) continue;
      const h = households[r.int(0, Math.min(households.length, 160) - 1)]!;
      const plan = r.chance(0.3);
      if (r.chance(0.02)) {
        write([shed, port, `card-${h.id}`, h.id, plan ? 'plan' : 'balance', 'failed', iso(start), null, iso(start + 10_000), 'fault', 0, 0, 0]);
        n++;
        continue;
      }
      const hours = r.between(1.5, 8);
      const end = start + hours * HOUR;
      const fault = r.chance(0.01);
      const wh = Math.round(hours * r.between(250, 420));
      portFree.set(`${shed}/${port}`, end + r.between(0, 0.5) * HOUR);
      write([shed, port, `card-${h.id}`, h.id, plan ? 'plan' : 'balance', 'ended', iso(start - 5_000), iso(start), iso(end), fault ? 'over-temperature' : r.pick(['full', 'unplugged', 'max-time']), wh, r.between(180, 420), plan ? 0 : Math.ceil(hours) * 25]);
      n++;
    }
  }
  return n;
}

type RideRow = [string, string | null, string | null, number, number, string, number];

/** People go down in the morning and up in the evening; a household that did not pay in pays ¥0.5 a ride. */
function ridesDay(r: Rng, day: number, workday: boolean, lifts: { id: string; households: Household[] }[], members: Set<string>, write: (row: RideRow) => void): number {
  let n = 0;
  for (const lift of lifts) {
    for (const h of lift.households) {
      if (h.floor === 1) continue;
      for (let k = r.around(workday ? 7 : 8, 4); k > 0; k--) {
        const hour = r.chance(0.3) ? r.between(6.5, 9) : r.chance(0.4) ? r.between(17, 20.5) : r.between(6, 23);
        const down = hour < 12 ? r.chance(0.75) : r.chance(0.3);
        const other = r.chance(0.05) ? r.int(2, FLOORS) : 1;
        const [from, to] = down ? [h.floor, other] : [other, h.floor];
        if (from === to) continue;
        const card = r.chance(0.9);
        write([lift.id, card ? `lift-card-${h.id}` : null, card ? h.id : null, from, to, iso(day + hour * HOUR), members.has(h.id) || !card ? 0 : 50]);
        n++;
      }
    }
  }
  return n;
}

function parseArgs(argv: string[]): { dataDir: string; opts: SeedOptions } {
  const dataDir = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!dataDir) throw new Error('usage: node --import tsx server/reports/seed-year.ts <dataDir> [--estate id] [--households 500] [--days 365] [--end YYYY-MM-DD] [--seed 1]');
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const today = new Date(Date.now() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  return {
    dataDir,
    opts: { estateId: flag('estate') ?? 'year', households: Number(flag('households') ?? 500), days: Number(flag('days') ?? 365), end: flag('end') ?? today, seed: Number(flag('seed') ?? 1) },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { dataDir, opts } = parseArgs(process.argv.slice(2));
  const db = openDatabase({ dataDir, sync: 'normal' });
  db.pragma('synchronous = OFF'); // a generated sample: if the machine dies mid-way, seed again
  try {
    process.stdout.write(JSON.stringify(seedYear(db, opts)) + '\n');
  } finally {
    db.close();
  }
}
