import { localClock } from '../parking/local-time.js';

/**
 * Uptime is computed from what was recorded, not sampled: every figure is a sum
 * of interval lengths in ms, intervals half-open [from, to).
 *
 * - **In service**: from the device's registration to its decommissioning. Only
 *   that part of the period is measured: before it the device did not exist, after
 *   it nobody expects it to work, so neither is down time. A device not in service
 *   at any moment of the period is left out of the report.
 * - **Observed time** of a device starts at the latest of the period start, its
 *   registration and its first recorded `online` (before that it was not yet
 *   installed: not down, not counted). It ends at the period end (the caller cuts
 *   the period at "now": the future is not observed) or at its decommissioning.
 * - **Down** = offline ∪ unusable fault: one union, so a fault 10:00–11:00 during
 *   an outage 10:30–12:00 is 2 h down, not 2.5 h. Which alerts make a device
 *   unusable is decided in `uptime-data.ts`.
 * - **Maintenance** (declared with maintenance mode) is shown apart and taken out
 *   of the denominator: down time inside it does not count against the device.
 *   `availabilityPct = (observed − maintenance − down) / (observed − maintenance)`,
 *   rounded down to 2 decimals (so 100.00 means no down time at all), `null` when
 *   nothing was observed outside maintenance.
 * - **Outages** are the connected stretches of down time (outside maintenance),
 *   with their cause: `offline`, `fault` or `both`. One that is still going at the
 *   period end is cut there (`ongoing: true`); one that began before the period
 *   counts from its start. One still going when the device was decommissioned is
 *   cut there (`decommissioned: true`): the device was retired, not restored.
 * - **MTTR** (mean time to restore) is the mean length of the outages that ended
 *   inside the period; ongoing ones and ones ended by decommissioning have not
 *   been restored and are left out.
 * - **Per-day figures** use local calendar days (UTC+8, `local-time.ts`): an outage
 *   23:50–00:20 is 10 min on one day and 20 on the next, and one outage of 30 min
 *   for the period. Only days the device was in service for at least a moment are
 *   listed: a day before its registration or after its decommissioning has no
 *   figure, rather than one that reads as 0 % or 100 %.
 * - **Worst week**: the lowest availability over any 7-day window inside the
 *   in-service part of the period (that whole part when it is shorter), so the
 *   window never reaches past a decommissioning. Exact: availability over a
 *   sliding window is a ratio of piecewise-linear functions of its start, monotone
 *   between breakpoints, so only starts where an edge meets a boundary are tried.
 */

export interface Interval {
  from: number;
  to: number;
}

export interface DeviceInput {
  deviceId: string;
  kind: string;
  name?: string;
  registeredAt: number;
  /** When it was taken out of service; absent while it is in service. */
  decommissionedAt?: number;
  /** Online/offline transitions in the order recorded, including the last one before the period (it sets the state at its start). */
  presence: { at: number; online: boolean }[];
  /** Times the device was unusable by a fault; one still open has `to: Infinity`. */
  faults: Interval[];
  maintenance: Interval[];
}

export interface Availability {
  availabilityPct: number | null;
  observedMs: number;
  downMs: number;
  maintenanceMs: number;
}

export type OutageCause = 'offline' | 'fault' | 'both';
export interface Outage {
  from: number;
  to: number;
  cause: OutageCause;
  ms: number;
  ongoing: boolean;
  /** Cut at the device's decommissioning: it was retired while down, never restored. */
  decommissioned?: true;
}

export interface DeviceUptime extends Availability {
  deviceId: string;
  kind: string;
  name?: string;
  registeredAt: number;
  decommissionedAt: number | null;
  outages: Outage[];
  mttrMs: number | null;
  days: ({ date: string } & Availability)[];
  worstWeek: ({ from: number; to: number } & Availability) | null;
}

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

// ── interval arithmetic ─────────────────────────────────────────────────────

/** Sorted, merged, without empty pieces. */
export function union(xs: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of [...xs].filter((i) => i.to > i.from).sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && x.from <= last.to) last.to = Math.max(last.to, x.to);
    else out.push({ ...x });
  }
  return out;
}

export const clip = (xs: Interval[], w: Interval): Interval[] =>
  xs.map((x) => ({ from: Math.max(x.from, w.from), to: Math.min(x.to, w.to) })).filter((x) => x.to > x.from);

/** `xs` without `ys` (both any intervals). */
export function subtract(xs: Interval[], ys: Interval[]): Interval[] {
  const cut = union(ys);
  const out: Interval[] = [];
  for (const x of union(xs)) {
    let from = x.from;
    for (const y of cut) {
      if (y.to <= from || y.from >= x.to) continue;
      if (y.from > from) out.push({ from, to: y.from });
      from = Math.max(from, y.to);
    }
    if (from < x.to) out.push({ from, to: x.to });
  }
  return out;
}

export const totalMs = (xs: Interval[]) => xs.reduce((s, x) => s + (x.to - x.from), 0);
const overlaps = (xs: Interval[], w: Interval) => xs.some((x) => x.from < w.to && x.to > w.from);

/** When the device was first online (installed), and the stretches it was offline after that; a last one still open ends at Infinity. */
export function offlineIntervals(presence: DeviceInput['presence']): { installedAt?: number; offline: Interval[] } {
  let installedAt: number | undefined;
  let offlineSince: number | undefined;
  const offline: Interval[] = [];
  for (const t of [...presence].sort((a, b) => a.at - b.at)) {
    if (installedAt === undefined) {
      if (t.online) installedAt = t.at;
      continue; // an 'offline' before the first 'online' says nothing: not installed yet
    }
    if (!t.online && offlineSince === undefined) offlineSince = t.at;
    else if (t.online && offlineSince !== undefined) {
      offline.push({ from: offlineSince, to: t.at });
      offlineSince = undefined;
    }
  }
  if (offlineSince !== undefined) offline.push({ from: offlineSince, to: Infinity });
  return { installedAt, offline };
}

/** The part of `w` the device was in service (registered and not yet decommissioned), if any. */
export function inService(d: Pick<DeviceInput, 'registeredAt' | 'decommissionedAt'>, w: Interval): Interval | undefined {
  const from = Math.max(w.from, d.registeredAt);
  const to = Math.min(w.to, d.decommissionedAt ?? Infinity);
  return from < to ? { from, to } : undefined;
}

// ── one device ──────────────────────────────────────────────────────────────

/** The device's observed time in a window, split into what the figures are made of. */
interface Parts {
  observed: Interval[];
  maintenance: Interval[];
  offline: Interval[];
  fault: Interval[];
  down: Interval[];
}

export function parts(d: DeviceInput, w: Interval): Parts {
  const { installedAt, offline } = offlineIntervals(d.presence);
  const service = inService(d, w);
  const start = installedAt === undefined || !service ? Infinity : Math.max(service.from, installedAt);
  const observed = service && start < service.to ? [{ from: start, to: service.to }] : [];
  const maintenance = union(clip(d.maintenance, observed[0] ?? { from: 0, to: 0 }));
  const off = subtract(clip(offline, observed[0] ?? { from: 0, to: 0 }), maintenance);
  const fault = subtract(clip(d.faults, observed[0] ?? { from: 0, to: 0 }), maintenance);
  return { observed, maintenance, offline: off, fault, down: union([...off, ...fault]) };
}

const pct = (upMs: number, denMs: number) => (denMs > 0 ? Math.floor((100 * upMs) / denMs * 100 + 1e-6) / 100 : null);

/** The figures of `p` inside a sub-window. */
export function availabilityWithin(p: Parts, sub: Interval): Availability {
  const observedMs = totalMs(clip(p.observed, sub));
  const maintenanceMs = totalMs(clip(p.maintenance, sub));
  const downMs = totalMs(clip(p.down, sub));
  const den = observedMs - maintenanceMs;
  return { availabilityPct: pct(den - downMs, den), observedMs, downMs, maintenanceMs };
}

/** Down time is cut at the end of observation, so an outage reaching `decommissionedAt` was still going when the device was retired. */
export function outagesOf(p: Parts, w: Interval, decommissionedAt = Infinity): Outage[] {
  return p.down.map((o) => {
    const retired = o.to >= decommissionedAt;
    return {
      from: o.from,
      to: o.to,
      cause: overlaps(p.offline, o) && overlaps(p.fault, o) ? 'both' : overlaps(p.offline, o) ? 'offline' : 'fault',
      ms: o.to - o.from,
      ongoing: !retired && o.to >= w.to,
      ...(retired && { decommissioned: true as const }),
    };
  });
}

export function mttrMs(outages: Outage[]): number | null {
  const restored = outages.filter((o) => !o.ongoing && !o.decommissioned);
  return restored.length ? Math.round(restored.reduce((s, o) => s + o.ms, 0) / restored.length) : null;
}

/** Local (UTC+8) calendar days covering a window, each cut to it. */
export function localDays(w: Interval): ({ date: string } & Interval)[] {
  const out: ({ date: string } & Interval)[] = [];
  let dayStart = Date.parse(`${localClock(w.from).date}T00:00:00+08:00`);
  while (dayStart < w.to) {
    out.push({ date: localClock(dayStart).date, from: Math.max(dayStart, w.from), to: Math.min(dayStart + DAY_MS, w.to) }); // UTC+8 has no DST: every day is 24 h
    dayStart += DAY_MS;
  }
  return out;
}

/** The 7-day window with the lowest availability (exact: see the header), or the whole period when it is shorter. */
export function worstWeek(p: Parts, w: Interval): DeviceUptime['worstWeek'] {
  if (w.to - w.from <= WEEK_MS) {
    const a = availabilityWithin(p, w);
    return a.availabilityPct === null ? null : { from: w.from, to: w.to, ...a };
  }
  const last = w.to - WEEK_MS;
  const edges = [p.observed, p.maintenance, p.down].flat().flatMap((i) => [i.from, i.to]);
  const starts = [...new Set([w.from, last, ...edges.flatMap((b) => [b, b - WEEK_MS])])].filter((s) => s >= w.from && s <= last).sort((a, b) => a - b);
  let worst: { ratio: number; from: number; a: Availability } | undefined;
  for (const s of starts) {
    const a = availabilityWithin(p, { from: s, to: s + WEEK_MS });
    const den = a.observedMs - a.maintenanceMs;
    if (den <= 0) continue;
    const ratio = (den - a.downMs) / den;
    if (!worst || ratio < worst.ratio) worst = { ratio, from: s, a };
  }
  return worst ? { from: worst.from, to: worst.from + WEEK_MS, ...worst.a } : null;
}

export function deviceUptime(d: DeviceInput, w: Interval): DeviceUptime {
  const p = parts(d, w);
  const service = inService(d, w);
  const outages = outagesOf(p, w, d.decommissionedAt);
  return {
    deviceId: d.deviceId,
    kind: d.kind,
    ...(d.name !== undefined && { name: d.name }),
    registeredAt: d.registeredAt,
    decommissionedAt: d.decommissionedAt ?? null,
    ...availabilityWithin(p, w),
    outages,
    mttrMs: mttrMs(outages),
    days: service ? localDays(service).map(({ date, ...day }) => ({ date, ...availabilityWithin(p, day) })) : [],
    worstWeek: service ? worstWeek(p, service) : null,
  };
}

// ── the estate ──────────────────────────────────────────────────────────────

export interface KindUptime extends Availability {
  kind: string;
  devices: number;
  outages: number;
  mttrMs: number | null;
}

/** Per kind: sums of the devices' times (a device observed longer weighs more: only its in-service time counts), MTTR over all their restored outages. */
export function byKind(devices: DeviceUptime[]): KindUptime[] {
  const kinds = [...new Set(devices.map((d) => d.kind))].sort();
  return kinds.map((kind) => {
    const ds = devices.filter((d) => d.kind === kind);
    const sum = (f: (d: DeviceUptime) => number) => ds.reduce((s, d) => s + f(d), 0);
    const observedMs = sum((d) => d.observedMs);
    const maintenanceMs = sum((d) => d.maintenanceMs);
    const downMs = sum((d) => d.downMs);
    const outages = ds.flatMap((d) => d.outages);
    return { kind, devices: ds.length, availabilityPct: pct(observedMs - maintenanceMs - downMs, observedMs - maintenanceMs), observedMs, downMs, maintenanceMs, outages: outages.length, mttrMs: mttrMs(outages) };
  });
}

/** Devices ranked by their worst week, worst first; ties by more down time, then id. */
export function rankWorstWeek(devices: DeviceUptime[]) {
  return devices
    .filter((d) => d.worstWeek)
    .map((d) => ({ deviceId: d.deviceId, kind: d.kind, ...(d.name !== undefined && { name: d.name }), ...d.worstWeek! }))
    .sort((a, b) => a.availabilityPct! - b.availabilityPct! || b.downMs - a.downMs || a.deviceId.localeCompare(b.deviceId));
}

/** Devices not in service at any moment of the period (decommissioned before it, registered after it) are not part of it. */
export function uptimeReport(inputs: DeviceInput[], w: Interval) {
  const devices = inputs.filter((d) => inService(d, w)).map((d) => deviceUptime(d, w));
  return { devices, kinds: byKind(devices), worstWeek: rankWorstWeek(devices) };
}
