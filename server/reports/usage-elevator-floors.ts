import { CHINA_OFFSET_MS } from '../parking/local-time.js';
import type { Db } from '../store/sqlite.js';
import { DAY_MS, spanParams } from './usage-buckets.js';

export interface ElevatorFloors {
  elevatorId: string;
  /** Each ride boards once: the sum of the elevator's boardings. */
  rides: number;
  floors: { floor: number; boardings: number; alightings: number }[];
}

/** Local days since the epoch, and back. */
const dayOf = (ms: number) => Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
const dayStart = (day: number) => day * DAY_MS - CHINA_OFFSET_MS;

/** A span's rides grouped by (elevator, from, to): a day is a few hundred rides, a few dozen trips. */
const tripsSql = `
  SELECT elevator_id, from_floor, to_floor, COUNT(*) FROM elevator_rides
  WHERE estate_id = @estateId AND at >= @fromIso AND at < @toIso GROUP BY 1, 2, 3`;

/**
 * Where people got on and where they got off, per elevator: the trips of the
 * range's whole closed local days from the rollup (migration 011), the rest —
 * a partial first and last day, today — straight from the rides; added up per
 * trip first (a hundred-odd rows, kept as they are), then the floors counted
 * from those.
 */
const floorsSql = `
  WITH trips(e, f, t, n) AS MATERIALIZED (
    SELECT e, f, t, SUM(n) FROM (
      SELECT elevator_id AS e, from_floor AS f, to_floor AS t, rides AS n FROM usage_elevator_trips WHERE estate_id = @estateId AND day >= @loDay AND day < @hiDay
      UNION ALL
      SELECT elevator_id, from_floor, to_floor, 1 FROM elevator_rides WHERE estate_id = @estateId AND at >= @headFrom AND at < @headTo
      UNION ALL
      SELECT elevator_id, from_floor, to_floor, 1 FROM elevator_rides WHERE estate_id = @estateId AND at >= @tailFrom AND at < @tailTo
    ) GROUP BY e, f, t
  ),
  ends(e, floor, boardings, alightings) AS (
    SELECT e, f, n, 0 FROM trips UNION ALL SELECT e, t, 0, n FROM trips
  )
  SELECT e AS elevatorId, floor, SUM(boardings) AS boardings, SUM(alightings) AS alightings FROM ends GROUP BY e, floor ORDER BY e, floor`;

/**
 * Trips per local day rather than per hour: an hour of one estate holds
 * nearly as many distinct trips as rides, a day a tenth. A day's trips count
 * only while the day is listed in `usage_elevator_days`; a ride's trigger
 * unlists its day, and filling a day rewrites its trips whole. Like the hourly
 * rollup, only days over before `nowMs` are stored.
 */
export function createElevatorFloors(db: Db) {
  const trips = db.prepare(tripsSql).raw(true);
  const floors = db.prepare(floorsSql);
  const filledDays = db.prepare('SELECT day FROM usage_elevator_days WHERE estate_id = ? AND day >= ? AND day < ?').pluck();
  const clearDay = db.prepare('DELETE FROM usage_elevator_trips WHERE estate_id = ? AND day = ?');
  const writeTrip = db.prepare('INSERT INTO usage_elevator_trips (estate_id, day, elevator_id, from_floor, to_floor, rides) VALUES (?, ?, ?, ?, ?, ?)');
  const markDay = db.prepare('INSERT OR REPLACE INTO usage_elevator_days (estate_id, day) VALUES (?, ?)');

  /** The closed whole local days of [fromMs, toMs): [lo, hi). */
  const closed = (fromMs: number, toMs: number, nowMs: number) => {
    const lo = Math.ceil((fromMs + CHINA_OFFSET_MS) / DAY_MS);
    return { lo, hi: Math.max(lo, Math.min(dayOf(toMs), dayOf(nowMs))) };
  };

  /** Stores the trips of the days of [lo, hi) the rollup lacks, a day per query (each a short index range); returns how many. */
  function ensure(estateId: string, lo: number, hi: number): number {
    const filled = new Set(filledDays.all(estateId, lo, hi) as number[]);
    let computed = 0;
    for (let day = lo; day < hi; day++) {
      if (filled.has(day)) continue;
      clearDay.run(estateId, day);
      for (const [e, f, t, n] of trips.all(spanParams(estateId, dayStart(day), dayStart(day + 1))) as [string, number, number, number][]) writeTrip.run(estateId, day, e, f, t, n);
      markDay.run(estateId, day);
      computed++;
    }
    return computed;
  }

  return {
    floors(estateId: string, fromMs: number, toMs: number, nowMs: number): ElevatorFloors[] {
      const { lo, hi } = closed(fromMs, toMs, nowMs);
      ensure(estateId, lo, hi);
      const iso = (ms: number) => new Date(ms).toISOString();
      const rows = floors.all({
        estateId,
        loDay: lo,
        hiDay: hi,
        headFrom: iso(fromMs),
        headTo: iso(Math.min(toMs, dayStart(lo))),
        tailFrom: iso(Math.max(fromMs, dayStart(hi))),
        tailTo: iso(toMs),
      }) as { elevatorId: string; floor: number; boardings: number; alightings: number }[];
      const elevators = new Map<string, ElevatorFloors>();
      for (const { elevatorId, ...f } of rows) {
        const e = elevators.get(elevatorId) ?? { elevatorId, rides: 0, floors: [] };
        e.rides += f.boardings;
        e.floors.push(f);
        elevators.set(elevatorId, e);
      }
      return [...elevators.values()];
    },
    /** Stores the closed days of [fromMs, toMs) the rollup lacks (the background pre-fill); returns how many it computed. */
    fill(estateId: string, fromMs: number, toMs: number, nowMs: number): number {
      const { lo, hi } = closed(fromMs, toMs, nowMs);
      return ensure(estateId, lo, hi);
    },
  };
}
