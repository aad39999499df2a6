import type { Db } from '../store/sqlite.js';
import { bucketLabelSql, bucketSpans, fillSeries, hourKeySql, hourOfKeySql, rangeParams, type Bucket, type UsageRange } from './usage-buckets.js';

export interface ElevatorBucket {
  bucket: string;
  rides: number;
  up: number;
  down: number;
  chargeFen: number;
}

/** Rides per UTC hour from the covering index, then per local bucket. */
const seriesSql = (bucket: Bucket) => `
  WITH hourly AS (
    SELECT ${hourKeySql('at')} AS hk, COUNT(*) AS rides, SUM(to_floor > from_floor) AS up, SUM(to_floor < from_floor) AS down, SUM(charge_fen) AS chargeFen
    FROM elevator_rides WHERE estate_id = @estateId AND at >= @fromIso AND at < @toIso GROUP BY hk
  )
  SELECT ${bucketLabelSql(bucket, hourOfKeySql('hk'))} AS bucket, SUM(rides) AS rides, SUM(up) AS up, SUM(down) AS down, SUM(chargeFen) AS chargeFen
  FROM hourly GROUP BY bucket ORDER BY bucket`;

/**
 * Rides by floor: where people got on and where they got off, per elevator. The
 * range is grouped once by (elevator, from, to) — a few hundred rows — and the
 * floors are counted from that.
 */
const floorsSql = `
  WITH trips AS (
    SELECT elevator_id AS e, from_floor AS f, to_floor AS t, COUNT(*) AS n
    FROM elevator_rides WHERE estate_id = @estateId AND at >= @fromIso AND at < @toIso GROUP BY e, f, t
  ),
  ends(e, floor, boardings, alightings) AS (
    SELECT e, f, n, 0 FROM trips UNION ALL SELECT e, t, 0, n FROM trips
  )
  SELECT e AS elevatorId, floor, SUM(boardings) AS boardings, SUM(alightings) AS alightings FROM ends GROUP BY e, floor ORDER BY e, floor`;

export function createElevatorUsage(db: Db) {
  const queries = new Map((['hour', 'day', 'week', 'month'] as const).map((b) => [b, db.prepare(seriesSql(b))]));
  const floors = db.prepare(floorsSql);
  return (r: UsageRange) => {
    const params = rangeParams(r);
    const rows = queries.get(r.bucket)!.all(params) as ElevatorBucket[];
    const series = fillSeries(bucketSpans(r.bucket, r.fromMs, r.toMs), rows, (span, row): ElevatorBucket => row ?? { bucket: span.bucket, rides: 0, up: 0, down: 0, chargeFen: 0 });
    const perFloor = floors.all(params) as { elevatorId: string; floor: number; boardings: number; alightings: number }[];
    // Each ride boards once: an elevator's rides are the sum of its boardings.
    const elevators = new Map<string, { elevatorId: string; rides: number; floors: { floor: number; boardings: number; alightings: number }[] }>();
    for (const { elevatorId, ...f } of perFloor) {
      const e = elevators.get(elevatorId) ?? { elevatorId, rides: 0, floors: [] };
      e.rides += f.boardings;
      e.floors.push(f);
      elevators.set(elevatorId, e);
    }
    return {
      rides: series.reduce((a, b) => a + b.rides, 0),
      up: series.reduce((a, b) => a + b.up, 0),
      down: series.reduce((a, b) => a + b.down, 0),
      chargeFen: series.reduce((a, b) => a + b.chargeFen, 0),
      elevators: [...elevators.values()],
      series,
    };
  };
}
