import type { Db } from '../store/sqlite.js';
import { bucketLabelSql, bucketSpans, fillSeries, hourKeySql, hourOfKeySql, rangeParams, round, type Bucket, type UsageRange } from './usage-buckets.js';

export interface ChargerBucket {
  bucket: string;
  /** Sessions that started charging in the bucket, with their energy and fees (as `server/charging/usage.ts` counts them). */
  sessions: number;
  kWh: number;
  revenueFen: number;
  /** Port-hours in use (started → ended, a running session up to now) over port-hours available, 0–1. */
  utilisation: number;
}

/** A session counts once it started charging; a failed start used no port. */
const COUNTED = `status != 'failed' AND started_at IS NOT NULL`;

/**
 * Two aggregations joined by bucket. Sessions, kWh and revenue group by the
 * UTC hour of `started_at`. Port time is spread over the hours it covers by a
 * recursive step per session hour (a session lasts hours, so a year of one
 * estate is some tens of thousands of rows), each hour taking the seconds of
 * the session inside it. Times are epoch seconds: `unixepoch` once per session.
 */
const sql = (bucket: Bucket) => `
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
  SELECT ${bucketLabelSql(bucket, 'hr')} AS bucket, SUM(sessions) AS sessions, SUM(wh) AS wh, SUM(fen) AS revenueFen, SUM(busyS) AS busyS
  FROM hourly GROUP BY bucket ORDER BY bucket`;

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

export function createChargerUsage(db: Db, now: () => number) {
  const queries = new Map((['hour', 'day', 'week', 'month'] as const).map((b) => [b, db.prepare(sql(b))]));
  const byShed = db.prepare(byShedSql);
  const ports = db.prepare(portsSql);
  return (r: UsageRange) => {
    const toMs = Math.min(r.toMs, Math.max(r.fromMs, now())); // the future has no port time to offer yet
    const params = { ...rangeParams(r), fromS: Math.floor(r.fromMs / 1000), toS: Math.floor(r.toMs / 1000), nowIso: new Date(now()).toISOString() };
    const sheds = ports.all(r.estateId) as { shedId: string; ports: number }[];
    const portCount = sheds.reduce((a, s) => a + s.ports, 0);
    const rows = queries.get(r.bucket)!.all(params) as { bucket: string; sessions: number; wh: number; revenueFen: number; busyS: number }[];
    const spans = bucketSpans(r.bucket, r.fromMs, r.toMs);
    const past = new Map(bucketSpans(r.bucket, r.fromMs, toMs).map((s) => [s.bucket, s.seconds]));
    const share = (busyS: number, seconds: number) => (portCount > 0 && seconds > 0 ? round(busyS / (portCount * seconds), 4) : 0);
    const series = fillSeries(spans, rows, (span, row): ChargerBucket => ({
      bucket: span.bucket,
      sessions: row?.sessions ?? 0,
      kWh: round((row?.wh ?? 0) / 1000, 3),
      revenueFen: row?.revenueFen ?? 0,
      utilisation: share(row?.busyS ?? 0, past.get(span.bucket) ?? 0),
    }));
    const rangeS = (toMs - r.fromMs) / 1000;
    const shedRows = new Map((byShed.all(params) as { shedId: string; sessions: number; wh: number; revenueFen: number; busyS: number }[]).map((s) => [s.shedId, s]));
    const shedList = sheds.map((s) => {
      const u = shedRows.get(s.shedId);
      const busyS = u?.busyS ?? 0;
      return { shedId: s.shedId, ports: s.ports, sessions: u?.sessions ?? 0, kWh: round((u?.wh ?? 0) / 1000, 3), revenueFen: u?.revenueFen ?? 0, utilisation: s.ports > 0 && rangeS > 0 ? round(busyS / (s.ports * rangeS), 4) : 0 };
    });
    const busyS = rows.reduce((a, b) => a + b.busyS, 0);
    return {
      sessions: series.reduce((a, b) => a + b.sessions, 0),
      kWh: round(series.reduce((a, b) => a + b.kWh, 0), 3),
      revenueFen: series.reduce((a, b) => a + b.revenueFen, 0),
      ports: portCount,
      utilisation: portCount > 0 && rangeS > 0 ? round(busyS / (portCount * rangeS), 4) : 0,
      sheds: shedList,
      series,
    };
  };
}
