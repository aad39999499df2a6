import type { Db } from '../store/sqlite.js';
import { hourBuckets, hourKeySql, hourOfKeySql, spanParams, type UsageRange } from './usage-buckets.js';
import { createElevatorFloors } from './usage-elevator-floors.js';
import { createHourlyRollup } from './usage-rollup.js';

/** `series` is columnar: `bucket` holds the labels, every other field an array as long — rides, those going up and down, and what they were charged. */
export const ELEVATOR_SERIES = ['rides', 'up', 'down', 'chargeFen'] as const;
export type ElevatorSeries = { bucket: string[] } & Record<(typeof ELEVATOR_SERIES)[number], number[]>;

/** Rides per UTC hour of a span, off the covering index (migration 008). */
const hourlySql = `
  SELECT ${hourOfKeySql('hk')}, rides, up, down, chargeFen FROM (
    SELECT ${hourKeySql('at')} AS hk, COUNT(*) AS rides, SUM(to_floor > from_floor) AS up, SUM(to_floor < from_floor) AS down, SUM(charge_fen) AS chargeFen
    FROM elevator_rides WHERE estate_id = @estateId AND at >= @fromIso AND at < @toIso GROUP BY hk
  )`;

export function createElevatorUsage(db: Db) {
  const hourly = db.prepare(hourlySql).raw(true);
  const rollup = createHourlyRollup(db, {
    table: 'usage_elevator_hours',
    // The columns in the order of ELEVATOR_SERIES.
    columns: ['rides', 'up', 'down', 'charge_fen'],
    compute: (estateId, fromMs, toMs) => hourly.all(spanParams(estateId, fromMs, toMs)) as number[][],
  });
  const floors = createElevatorFloors(db);

  return {
    fill: (estateId: string, fromMs: number, toMs: number, nowMs: number) => rollup.fill(estateId, fromMs, toMs, nowMs) + floors.fill(estateId, fromMs, toMs, nowMs),
    report(r: UsageRange, nowMs: number) {
      const { first, count, cols } = rollup.hours(r.estateId, r.fromMs, r.toMs, nowMs);
      const { labels, starts } = hourBuckets(r.bucket, first, count);
      const series = { bucket: labels } as ElevatorSeries;
      const totals = { rides: 0, up: 0, down: 0, chargeFen: 0 };
      ELEVATOR_SERIES.forEach((k, f) => {
        const col = cols[f]!;
        series[k] = labels.map((_, b) => {
          let sum = 0;
          for (let i = starts[b]!; i < starts[b + 1]!; i++) sum += col[i]!;
          totals[k] += sum;
          return sum;
        });
      });
      return { ...totals, elevators: floors.floors(r.estateId, r.fromMs, r.toMs, nowMs), series };
    },
  };
}
