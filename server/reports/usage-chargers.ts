import type { Db } from '../store/sqlite.js';
import { HOUR_MS, hourBuckets, hourKeySql, hourOfKeySql, round, spanParams, type UsageRange } from './usage-buckets.js';
import { createHourlyRollup } from './usage-rollup.js';

/**
 * `series` is columnar: `bucket` holds the labels, every other field an array
 * as long. `sessions` started charging in the bucket, with their `kWh` and
 * `revenueFen` (as `server/charging/usage.ts` counts them); `utilisation` is
 * port-hours in use (started → ended, a running session up to now) over
 * port-hours available, 0–1.
 */
export const CHARGER_SERIES = ['sessions', 'kWh', 'revenueFen', 'utilisation'] as const;
export type ChargerSeries = { bucket: string[] } & Record<(typeof CHARGER_SERIES)[number], number[]>;

/** A session counts once it started charging; a failed start used no port. */
const COUNTED = `status != 'failed' AND started_at IS NOT NULL`;

/**
 * The figures of each UTC hour of a span. Sessions, energy and fees group by
 * the hour of `started_at`. Port time is spread over the hours it covers by a
 * recursive step per session hour (a session lasts hours), each hour taking the
 * seconds of the session inside it and the span. Times are epoch seconds:
 * `unixepoch` once per session.
 */
const hourlySql = `
  WITH started AS (
    SELECT ${hourKeySql('started_at')} AS hk, COUNT(*) AS sessions, SUM(energy_wh) AS wh, SUM(COALESCE(fee_fen, 0)) AS fen
    FROM charging_sessions WHERE estate_id = @estateId AND started_at >= @fromIso AND started_at < @toIso AND ${COUNTED}
    GROUP BY hk
  ),
  span AS (
    SELECT max(unixepoch(started_at), @fromS) AS a, min(unixepoch(COALESCE(ended_at, @nowIso)), @toS) AS z
    FROM charging_sessions WHERE estate_id = @estateId AND started_at < @toIso AND (ended_at IS NULL OR ended_at > @fromIso) AND ${COUNTED}
  ),
  busy(hr, a, z) AS (
    SELECT a / 3600, a, z FROM span WHERE z > a
    UNION ALL
    SELECT hr + 1, a, z FROM busy WHERE (hr + 1) * 3600 < z
  ),
  hourly(hr, sessions, wh, fen, busyS) AS (
    SELECT ${hourOfKeySql('hk')}, sessions, wh, fen, 0 FROM started
    UNION ALL
    SELECT hr, 0, 0, 0, SUM(min(z, (hr + 1) * 3600) - max(a, hr * 3600)) FROM busy GROUP BY hr
  )
  SELECT hr, SUM(sessions), SUM(wh), SUM(fen), SUM(busyS) FROM hourly GROUP BY hr`;

/** Per shed over the whole range, straight from the sessions: a year of one estate is some thousands of them. */
const byShedSql = `
  SELECT shed_id AS shedId, SUM(started_at >= @fromIso) AS sessions,
    SUM(CASE WHEN started_at >= @fromIso THEN energy_wh ELSE 0 END) AS wh,
    SUM(CASE WHEN started_at >= @fromIso THEN COALESCE(fee_fen, 0) ELSE 0 END) AS revenueFen,
    SUM(max(0, min(unixepoch(COALESCE(ended_at, @nowIso)), @toS) - max(unixepoch(started_at), @fromS))) AS busyS
  FROM charging_sessions WHERE estate_id = @estateId AND started_at < @toIso AND (ended_at IS NULL OR ended_at > @fromIso) AND ${COUNTED}
  GROUP BY shed_id`;

/** Ports of the estate's active sheds (a shed's `ports`, 10 if it never said). */
const portsSql = `
  SELECT id AS shedId, COALESCE(json_extract(props, '$.ports'), 10) AS ports FROM devices
  WHERE estate_id = ? AND kind = 'charger' AND status = 'active' ORDER BY id`;

/** The rollup's columns (migration 011), and their places among an hour's figures. */
const COLUMNS = ['sessions', 'wh', 'revenue_fen', 'busy_s'] as const;
const [SESSIONS, WH, FEN, BUSY_S] = COLUMNS.map((_, i) => i) as [number, number, number, number];
/** Epoch seconds as SQLite integers (a JS number binds as a REAL, and `a / 3600` must divide whole). */
const spanSeconds = (fromMs: number, toMs: number, nowMs: number) => ({ fromS: BigInt(Math.floor(fromMs / 1000)), toS: BigInt(Math.floor(toMs / 1000)), nowIso: new Date(nowMs).toISOString() });

export function createChargerUsage(db: Db) {
  const hourly = db.prepare(hourlySql).raw(true);
  const byShed = db.prepare(byShedSql);
  const ports = db.prepare(portsSql);
  const rollup = createHourlyRollup(db, {
    table: 'usage_charger_hours',
    columns: COLUMNS,
    compute: (estateId, fromMs, toMs, nowMs) => hourly.all({ ...spanParams(estateId, fromMs, toMs), ...spanSeconds(fromMs, toMs, nowMs) }) as number[][],
  });

  return {
    fill: rollup.fill,
    report(r: UsageRange, nowMs: number) {
      const pastMs = Math.min(r.toMs, Math.max(r.fromMs, nowMs)); // the future has no port time to offer yet
      const sheds = ports.all(r.estateId) as { shedId: string; ports: number }[];
      const portCount = sheds.reduce((a, s) => a + s.ports, 0);
      const share = (busyS: number, seconds: number) => (portCount > 0 && seconds > 0 ? round(busyS / (portCount * seconds), 4) : 0);
      const { first, count, cols } = rollup.hours(r.estateId, r.fromMs, r.toMs, nowMs);
      const { labels, starts } = hourBuckets(r.bucket, first, count);
      const series = Object.fromEntries([['bucket', labels], ...CHARGER_SERIES.map((k) => [k, new Array<number>(labels.length)])]) as ChargerSeries;
      let busyS = 0;
      for (let b = 0; b < labels.length; b++) {
        let [sessions, wh, fen, busy, seconds] = [0, 0, 0, 0, 0];
        for (let i = starts[b]!; i < starts[b + 1]!; i++) {
          sessions += cols[SESSIONS]![i]!;
          wh += cols[WH]![i]!;
          fen += cols[FEN]![i]!;
          busy += cols[BUSY_S]![i]!;
          const t = (first + i) * HOUR_MS;
          seconds += Math.max(0, Math.min(pastMs, t + HOUR_MS) - Math.max(r.fromMs, t)) / 1000; // of the bucket, in the range and past
        }
        series.sessions[b] = sessions;
        series.kWh[b] = round(wh / 1000, 3);
        series.revenueFen[b] = fen;
        series.utilisation[b] = share(busy, seconds);
        busyS += busy;
      }
      const rangeS = (pastMs - r.fromMs) / 1000;
      const params = { ...spanParams(r.estateId, r.fromMs, r.toMs), ...spanSeconds(r.fromMs, r.toMs, nowMs) };
      const shedRows = new Map((byShed.all(params) as { shedId: string; sessions: number; wh: number; revenueFen: number; busyS: number }[]).map((s) => [s.shedId, s]));
      const shedList = sheds.map((s) => {
        const u = shedRows.get(s.shedId);
        return { shedId: s.shedId, ports: s.ports, sessions: u?.sessions ?? 0, kWh: round((u?.wh ?? 0) / 1000, 3), revenueFen: u?.revenueFen ?? 0, utilisation: s.ports > 0 && rangeS > 0 ? round((u?.busyS ?? 0) / (s.ports * rangeS), 4) : 0 };
      });
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return {
        sessions: sum(series.sessions),
        kWh: round(sum(series.kWh), 3),
        revenueFen: sum(series.revenueFen),
        ports: portCount,
        utilisation: share(busyS, rangeS),
        sheds: shedList,
        series,
      };
    },
  };
}
