import type { GateSim } from '../lib/gate-sim.js';
import type { Rng } from '../lib/random.js';
import type { SimLog } from '../lib/sim-log.js';
import type { LinliApi } from './api-client.js';
import type { ResidentCar } from './residents.js';

interface StayRow {
  plate: string;
  vehicleClass: string;
  entryAt: string;
  exitAt?: string;
}

export interface Morning {
  /** Cars the server has inside that are not residents' (guests who stayed the night, a police car): they leave in the morning. */
  guests: string[];
  /** Resident cars the gates reported as having come home overnight. */
  cameHome: number;
}

/** Most cars are home at night. */
const HOME_OVERNIGHT = 0.85;
const CONFIG_WAIT_MS = 5_000;
const RECORDED_WAIT_MS = 5_000;
const HOUR = 3_600_000;

/**
 * Where every car is when the simulated day starts, in agreement with the server:
 * a car with an open stay is inside (it was inside when the last demo run ended).
 * Most other resident cars came home overnight while the server was not running:
 * their gate let them in from its offline whitelist, and reports each passage now,
 * with the time it happened (`gate.manual`, source `offline-whitelist`), exactly as
 * it does after an outage; the server records them as stays. Their exits later
 * then match an entry, as they would in an estate where the system ran all night.
 */
export async function settleOvernight(o: {
  api: LinliApi;
  estateId: string;
  cars: ResidentCar[];
  banned: string;
  gates: { gate: GateSim; share: number }[];
  rng: Rng;
  now: () => number;
  log: SimLog;
}): Promise<Morning> {
  const e = `/api/estates/${encodeURIComponent(o.estateId)}`;
  const stays = (await o.api.expect<{ items: StayRow[] }>([200], 'GET', `${e}/parking/stays?limit=1000`)).body.items;
  const open = new Set(stays.filter((s) => !s.exitAt).map((s) => s.plate));
  const lastExit = new Map<string, number>();
  for (const s of stays) if (s.exitAt) lastExit.set(s.plate, Math.max(lastExit.get(s.plate) ?? 0, Date.parse(s.exitAt)));

  const ours = new Set(o.cars.map((c) => c.plate));
  for (const car of o.cars) car.inside = open.has(car.plate);
  const guests = [...open].filter((p) => !ours.has(p) && p !== o.banned);

  await waitUntil(() => o.gates.every((g) => g.gate.config.version > 0), CONFIG_WAIT_MS);
  let cameHome = 0;
  const now = o.now();
  for (const car of o.cars) {
    if (car.inside || !o.rng.chance(HOME_OVERNIGHT)) continue;
    const { gate } = pickByShare(o.rng, o.gates);
    if (!gate.holds(car.plate)) continue; // a lapsed monthly pass: that car spent the night elsewhere
    const at = Math.max(now - o.rng.between(1, 10) * HOUR, (lastExit.get(car.plate) ?? 0) + 60_000);
    if (at > now - 60_000) continue; // it left only a minute ago, in the last run
    await gate.reportOfflinePassage(car.plate, 'in', new Date(at));
    car.inside = true;
    cameHome++;
  }
  if (cameHome > 0) {
    const expected = o.cars.filter((c) => c.inside).length;
    const recorded = await waitUntil(async () => {
      const res = await o.api.request<{ items: StayRow[] }>('GET', `${e}/parking/stays?open=true&limit=1000`);
      return res.status === 200 && res.body.items.filter((s) => ours.has(s.plate)).length >= expected;
    }, RECORDED_WAIT_MS);
    if (!recorded) o.log.warn({ estateId: o.estateId, expected }, 'the overnight passages were not all recorded as stays in time');
  }
  o.log.info({ estateId: o.estateId, inside: o.cars.filter((c) => c.inside).length, cameHome, guests: guests.length }, 'the day starts');
  return { guests, cameHome };
}

function pickByShare<T extends { share: number }>(rng: Rng, items: T[]): T {
  let r = rng.next() * items.reduce((s, i) => s + i.share, 0);
  for (const i of items) if ((r -= i.share) < 0) return i;
  return items[items.length - 1]!;
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
