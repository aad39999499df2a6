import { bucketLabel, type Bucket } from '../../server/reports/usage-buckets.js';

/**
 * The usage reports computed the plain way, for tests to hold the rollups
 * against: every stored row in hand, every bucket walked passage by passage.
 * Slow, and obviously right.
 */
export interface StayRow { entry_at: string; exit_at: string | null; vehicle_class: string; fee_fen: number | null }
export interface SessionRow { shed_id: string; status: string; started_at: string | null; ended_at: string | null; energy_wh: number; fee_fen: number | null }
export interface RideRow { elevator_id: string; from_floor: number; to_floor: number; at: string; charge_fen: number }
export interface Range { fromMs: number; toMs: number; bucket: Bucket }

const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The buckets of a range, each with its part of the range: [from, to) in ms. */
function buckets(r: Range): { label: string; from: number; to: number }[] {
  const out: { label: string; from: number; to: number }[] = [];
  for (let t = Math.floor(r.fromMs / H) * H; t < r.toMs; t += H) {
    const label = bucketLabel(r.bucket, t);
    const last = out[out.length - 1];
    if (last?.label === label) last.to = Math.min(r.toMs, t + H);
    else out.push({ label, from: Math.max(r.fromMs, t), to: Math.min(r.toMs, t + H) });
  }
  return out;
}

const RESIDENT = ['resident', 'monthly'];
const VISITOR = ['visitor', 'window', 'temporary'];

export function gatesReference(stays: StayRow[], r: Range) {
  const events = stays
    .flatMap((s) => [{ t: ms(s.entry_at), s, entry: true }, ...(s.exit_at ? [{ t: ms(s.exit_at), s, entry: false }] : [])])
    .sort((a, b) => a.t - b.t);
  let occ = events.filter((e) => e.t < r.fromMs).reduce((n, e) => n + (e.entry ? 1 : -1), 0);
  const occupancyStart = occ;
  const bs = buckets(r);
  const series: Record<string, (string | number)[]> = Object.fromEntries(
    ['bucket', 'entries', 'exits', 'residentEntries', 'visitorEntries', 'residentExits', 'visitorExits', 'feesFen', 'visitorFeesFen', 'peakOccupancy', 'occupancyEnd'].map((k) => [k, []]),
  );
  for (const b of bs) {
    const row = { entries: 0, exits: 0, residentEntries: 0, visitorEntries: 0, residentExits: 0, visitorExits: 0, feesFen: 0, visitorFeesFen: 0 };
    let peak = occ;
    for (const e of events.filter((x) => x.t >= b.from && x.t < b.to)) {
      const cls = RESIDENT.includes(e.s.vehicle_class) ? 'resident' : VISITOR.includes(e.s.vehicle_class) ? 'visitor' : undefined;
      if (e.entry) {
        row.entries++;
        if (cls) row[`${cls}Entries`]++;
        peak = Math.max(peak, ++occ);
      } else {
        row.exits++;
        if (cls) row[`${cls}Exits`]++;
        occ--;
        row.feesFen += e.s.fee_fen ?? 0;
        if (cls === 'visitor') row.visitorFeesFen += e.s.fee_fen ?? 0;
      }
    }
    series.bucket!.push(b.label);
    for (const [k, v] of Object.entries(row)) series[k]!.push(v);
    series.peakOccupancy!.push(peak);
    series.occupancyEnd!.push(occ);
  }
  const peaks = series.peakOccupancy as number[];
  const top = peaks.indexOf(Math.max(...peaks));
  const total = (k: string) => sum(series[k] as number[]);
  return {
    entries: total('entries'), exits: total('exits'), residentEntries: total('residentEntries'), visitorEntries: total('visitorEntries'),
    residentExits: total('residentExits'), visitorExits: total('visitorExits'), feesFen: total('feesFen'), visitorFeesFen: total('visitorFeesFen'),
    occupancyStart, occupancyEnd: occ, peakOccupancy: peaks[top], peakBucket: series.bucket![top], series,
  };
}

export function chargersReference(sessions: SessionRow[], sheds: { shedId: string; ports: number }[], r: Range, nowMs: number) {
  const counted = sessions.filter((s) => s.status !== 'failed' && s.started_at !== null);
  const secs = (t: number) => Math.floor(t / 1000);
  /** Port seconds of a session inside [a, z) (seconds), its running end being now. */
  const busy = (s: SessionRow, a: number, z: number) => Math.max(0, Math.min(secs(s.ended_at ? ms(s.ended_at) : nowMs), z) - Math.max(secs(ms(s.started_at!)), a));
  const startedIn = (s: SessionRow, from: number, to: number) => ms(s.started_at!) >= from && ms(s.started_at!) < to;
  const pastMs = Math.min(r.toMs, Math.max(r.fromMs, nowMs));
  const ports = sum(sheds.map((s) => s.ports));
  const share = (b: number, seconds: number) => (ports > 0 && seconds > 0 ? round(b / (ports * seconds), 4) : 0);
  const series: Record<string, (string | number)[]> = { bucket: [], sessions: [], kWh: [], revenueFen: [], utilisation: [] };
  let busyS = 0;
  for (const b of buckets(r)) {
    const started = counted.filter((s) => startedIn(s, b.from, b.to));
    const inUse = sum(counted.map((s) => busy(s, secs(b.from), secs(b.to))));
    busyS += inUse;
    series.bucket!.push(b.label);
    series.sessions!.push(started.length);
    series.kWh!.push(round(sum(started.map((s) => s.energy_wh)) / 1000, 3));
    series.revenueFen!.push(sum(started.map((s) => s.fee_fen ?? 0)));
    series.utilisation!.push(share(inUse, Math.max(0, Math.min(pastMs, b.to) - b.from) / 1000));
  }
  const rangeS = (pastMs - r.fromMs) / 1000;
  return {
    sessions: sum(series.sessions as number[]),
    kWh: round(sum(series.kWh as number[]), 3),
    revenueFen: sum(series.revenueFen as number[]),
    ports,
    utilisation: share(busyS, rangeS),
    sheds: sheds.map(({ shedId, ports: n }) => {
      const mine = counted.filter((s) => s.shed_id === shedId);
      const started = mine.filter((s) => startedIn(s, r.fromMs, r.toMs));
      const b = sum(mine.map((s) => busy(s, secs(r.fromMs), secs(r.toMs))));
      return { shedId, ports: n, sessions: started.length, kWh: round(sum(started.map((s) => s.energy_wh)) / 1000, 3), revenueFen: sum(started.map((s) => s.fee_fen ?? 0)), utilisation: n > 0 && rangeS > 0 ? round(b / (n * rangeS), 4) : 0 };
    }),
    series,
  };
}

export function elevatorsReference(rides: RideRow[], r: Range) {
  const inRange = rides.filter((x) => ms(x.at) >= r.fromMs && ms(x.at) < r.toMs);
  const series: Record<string, (string | number)[]> = { bucket: [], rides: [], up: [], down: [], chargeFen: [] };
  for (const b of buckets(r)) {
    const mine = inRange.filter((x) => ms(x.at) >= b.from && ms(x.at) < b.to);
    series.bucket!.push(b.label);
    series.rides!.push(mine.length);
    series.up!.push(mine.filter((x) => x.to_floor > x.from_floor).length);
    series.down!.push(mine.filter((x) => x.to_floor < x.from_floor).length);
    series.chargeFen!.push(sum(mine.map((x) => x.charge_fen)));
  }
  const ids = [...new Set(inRange.map((x) => x.elevator_id))].sort();
  const elevators = ids.map((elevatorId) => {
    const mine = inRange.filter((x) => x.elevator_id === elevatorId);
    const floors = [...new Set(mine.flatMap((x) => [x.from_floor, x.to_floor]))].sort((a, b) => a - b);
    return {
      elevatorId,
      rides: mine.length,
      floors: floors.map((floor) => ({ floor, boardings: mine.filter((x) => x.from_floor === floor).length, alightings: mine.filter((x) => x.to_floor === floor).length })),
    };
  });
  const total = (k: string) => sum(series[k] as number[]);
  return { rides: total('rides'), up: total('up'), down: total('down'), chargeFen: total('chargeFen'), elevators, series };
}
