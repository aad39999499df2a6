import { describe, expect, it } from 'vitest';
import { isUnusable } from '../../server/reports/uptime-data.js';
import { deviceUptime, uptimeReport, type DeviceInput } from '../../server/reports/uptime.js';

/** Local (UTC+8) wall time, as the committee reads it: t('03-02 10:30') is 2026-03-02 10:30 in the estate. */
const t = (s: string) => Date.parse(`2026-${s.replace(' ', 'T')}:00+08:00`);
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

/** A device installed (first online) on 03-01 08:00, then the given transitions; `-` = offline, `+` = online. */
function aDevice(o: Partial<DeviceInput> & { moves?: string[] } = {}): DeviceInput {
  const { moves = [], ...rest } = o;
  return {
    deviceId: 'gate-1',
    kind: 'gate',
    registeredAt: t('03-01 07:00'),
    presence: [{ at: t('03-01 08:00'), online: true }, ...moves.map((m) => ({ at: t(m.slice(1)), online: m[0] === '+' }))],
    faults: [],
    maintenance: [],
    ...rest,
  };
}
const day2 = { from: t('03-02 00:00'), to: t('03-03 00:00') };

describe('availability over one local day (03-02, 24 h = 1440 min)', () => {
  it.each([
    // 7 min of 1440 offline: 1433 / 1440 = 99.5138…% → 99.51
    { what: '7 minutes offline', d: aDevice({ moves: ['-03-02 12:00', '+03-02 12:07'] }), pct: 99.51, downMs: 7 * MIN, maintenanceMs: 0, causes: ['offline'] },
    // fault 10:00–11:00 ∪ offline 10:30–12:00 = 10:00–12:00: 2 h, not 2.5 h. 22 / 24 = 91.666…% → 91.66
    {
      what: 'a fault overlapping an outage is counted once',
      d: aDevice({ moves: ['-03-02 10:30', '+03-02 12:00'], faults: [{ from: t('03-02 10:00'), to: t('03-02 11:00') }] }),
      pct: 91.66,
      downMs: 2 * H,
      maintenanceMs: 0,
      causes: ['both'],
    },
    // maintenance 14:00–16:00, offline 15:00–17:00: down only 16:00–17:00 = 1 h; denominator 24 − 2 = 22 h; 21 / 22 = 95.4545…% → 95.45
    {
      what: 'down time inside declared maintenance is not counted against the device',
      d: aDevice({ moves: ['-03-02 15:00', '+03-02 17:00'], maintenance: [{ from: t('03-02 14:00'), to: t('03-02 16:00') }] }),
      pct: 95.45,
      downMs: 1 * H,
      maintenanceMs: 2 * H,
      causes: ['offline'],
    },
    // offline from 23:00 and not back: cut at the period end: 1 h; 23 / 24 = 95.8333…% → 95.83
    { what: 'an open outage is cut at the period end', d: aDevice({ moves: ['-03-02 23:00'] }), pct: 95.83, downMs: 1 * H, maintenanceMs: 0, causes: ['offline'] },
    // a fault still open (no clearedAt) from 20:00: 4 h; 20 / 24 = 83.333…% → 83.33
    { what: 'an open fault is cut at the period end', d: aDevice({ faults: [{ from: t('03-02 20:00'), to: Infinity }] }), pct: 83.33, downMs: 4 * H, maintenanceMs: 0, causes: ['fault'] },
    // offline since 03-01 23:00, back 03-02 01:00: the day starts down; 1 h; 23 / 24 → 95.83
    { what: 'offline when the period starts (state from the transition before it)', d: aDevice({ moves: ['-03-01 23:00', '+03-02 01:00'] }), pct: 95.83, downMs: 1 * H, maintenanceMs: 0, causes: ['offline'] },
    // registered 12:00, first online 12:05: counted from 12:05 (11 h 55 min = 715 min); 30 min down: 685 / 715 = 95.8041…% → 95.80
    {
      what: 'a device installed mid-period counts from its first online',
      d: aDevice({ registeredAt: t('03-02 12:00'), presence: [{ at: t('03-02 12:05'), online: true }, { at: t('03-02 18:00'), online: false }, { at: t('03-02 18:30'), online: true }] }),
      pct: 95.8,
      downMs: 30 * MIN,
      maintenanceMs: 0,
      causes: ['offline'],
    },
    // never online: not installed, nothing to measure
    { what: 'a device never online is not down, just not measured', d: aDevice({ presence: [] }), pct: null, downMs: 0, maintenanceMs: 0, causes: [] },
    // a whole day in maintenance and offline: nothing left to measure, nothing counted
    {
      what: 'a day spent entirely in maintenance has no availability',
      d: aDevice({ moves: ['-03-02 00:00'], maintenance: [{ from: t('03-01 20:00'), to: t('03-03 08:00') }] }),
      pct: null,
      downMs: 0,
      maintenanceMs: DAY,
      causes: [],
    },
  ])('$what → $pct %', ({ d, pct, downMs, maintenanceMs, causes }) => {
    const u = deviceUptime(d, day2);
    expect(u.availabilityPct).toBe(pct);
    expect(u.downMs).toBe(downMs);
    expect(u.maintenanceMs).toBe(maintenanceMs);
    expect(u.outages.map((o) => o.cause)).toEqual(causes);
  });
});

describe('an outage across local midnight (offline 03-02 23:50 → 03-03 00:20)', () => {
  const u = deviceUptime(aDevice({ moves: ['-03-02 23:50', '+03-03 00:20'] }), { from: t('03-02 00:00'), to: t('03-04 00:00') });

  it.each([
    // 10 min on the 2nd: 1430 / 1440 = 99.305…% → 99.30
    { date: '2026-03-02', downMs: 10 * MIN, pct: 99.3 },
    // 20 min on the 3rd: 1420 / 1440 = 98.611…% → 98.61
    { date: '2026-03-03', downMs: 20 * MIN, pct: 98.61 },
  ])('per local day: $date has $downMs ms down', ({ date, downMs, pct }) => {
    const day = u.days.find((x) => x.date === date)!;
    expect(day.downMs).toBe(downMs);
    expect(day.availabilityPct).toBe(pct);
  });

  it('is one outage of 30 min for the period: 2850 / 2880 = 98.958…% → 98.95', () => {
    expect(u.days).toHaveLength(2);
    expect(u.outages).toEqual([{ from: t('03-02 23:50'), to: t('03-03 00:20'), cause: 'offline', ms: 30 * MIN, ongoing: false }]);
    expect(u.downMs).toBe(30 * MIN);
    expect(u.availabilityPct).toBe(98.95);
    expect(u.mttrMs).toBe(30 * MIN);
  });
});

describe('mean time to restore', () => {
  it.each([
    // 10, 20 and 60 min restored: (10 + 20 + 60) / 3 = 30 min
    { what: 'three restored outages', moves: ['-03-02 01:00', '+03-02 01:10', '-03-02 05:00', '+03-02 05:20', '-03-02 09:00', '+03-02 10:00'], faults: [], mttr: 30 * MIN, outages: 3 },
    // the same three and one still going at the end (not restored: left out): still 30 min
    { what: 'an ongoing outage is left out', moves: ['-03-02 01:00', '+03-02 01:10', '-03-02 05:00', '+03-02 05:20', '-03-02 09:00', '+03-02 10:00', '-03-02 23:00'], faults: [], mttr: 30 * MIN, outages: 4 },
    // offline 02:00–02:30 and a fault 02:30–03:00 touch: one outage of 60 min ('both'); a fault 12:00–12:30: (60 + 30) / 2 = 45 min
    {
      what: 'offline followed at once by a fault is one outage',
      moves: ['-03-02 02:00', '+03-02 02:30'],
      faults: [{ from: t('03-02 02:30'), to: t('03-02 03:00') }, { from: t('03-02 12:00'), to: t('03-02 12:30') }],
      mttr: 45 * MIN,
      outages: 2,
    },
    // only an ongoing outage: nothing restored, no MTTR
    { what: 'nothing restored', moves: ['-03-02 22:00'], faults: [], mttr: null, outages: 1 },
    // an outage that began the day before counts from the period start: 03-01 23:00 → 03-02 00:40 is 40 min here
    { what: 'an outage from before the period counts from its start', moves: ['-03-01 23:00', '+03-02 00:40'], faults: [], mttr: 40 * MIN, outages: 1 },
  ])('$what → $mttr ms', ({ moves, faults, mttr, outages }) => {
    const u = deviceUptime(aDevice({ moves, faults }), day2);
    expect(u.mttrMs).toBe(mttr);
    expect(u.outages).toHaveLength(outages);
  });
});

describe('worst week over 14 days (03-01 → 03-15; a week is 168 h)', () => {
  const period = { from: t('03-01 00:00'), to: t('03-15 00:00') };
  // Installed long before the period, so every week is a full 168 h observed.
  const installed = (o: Parameters<typeof aDevice>[0]) => {
    const d = aDevice(o);
    return { ...d, registeredAt: t('02-20 07:00'), presence: [{ at: t('02-20 08:00'), online: true }, ...d.presence.slice(1)] };
  };
  const devices = [
    // 6 h on 03-10: its worst week holds all of it: 162 / 168 = 96.428…% → 96.42
    installed({ deviceId: 'gate-a', moves: ['-03-10 08:00', '+03-10 14:00'] }),
    // 3 h on 03-02 and 3 h on 03-12, 10 days apart: no week holds both: 165 / 168 = 98.214…% → 98.21
    installed({ deviceId: 'gate-b', moves: ['-03-02 08:00', '+03-02 11:00', '-03-12 08:00', '+03-12 11:00'] }),
    // 2 h on 03-03 and 2 h on 03-06, 3 days apart: one week holds both: 164 / 168 = 97.619…% → 97.61
    installed({ deviceId: 'gate-c', moves: ['-03-03 08:00', '+03-03 10:00', '-03-06 08:00', '+03-06 10:00'] }),
    // never down: 100
    installed({ deviceId: 'lift-d', kind: 'elevator' }),
  ];
  const r = uptimeReport(devices, period);

  it.each([
    { rank: 0, deviceId: 'gate-a', pct: 96.42, downMs: 6 * H },
    { rank: 1, deviceId: 'gate-c', pct: 97.61, downMs: 4 * H },
    { rank: 2, deviceId: 'gate-b', pct: 98.21, downMs: 3 * H },
    { rank: 3, deviceId: 'lift-d', pct: 100, downMs: 0 },
  ])('#$rank is $deviceId at $pct %', ({ rank, deviceId, pct, downMs }) => {
    const w = r.worstWeek[rank]!;
    expect(w.deviceId).toBe(deviceId);
    expect(w.availabilityPct).toBe(pct);
    expect(w.downMs).toBe(downMs);
    expect(w.to - w.from).toBe(7 * DAY);
    expect(w.from).toBeGreaterThanOrEqual(period.from);
    expect(w.to).toBeLessThanOrEqual(period.to);
  });

  it('over the whole period gate-a and gate-b have the same down time; only the week tells them apart', () => {
    const a = r.devices.find((d) => d.deviceId === 'gate-a')!;
    const b = r.devices.find((d) => d.deviceId === 'gate-b')!;
    expect(a.downMs).toBe(b.downMs);
    // both: 336 h observed, 6 h down: 330 / 336 = 98.214…% → 98.21
    expect(a.availabilityPct).toBe(98.21);
    expect(b.availabilityPct).toBe(98.21);
  });

  it('a period shorter than a week is its own worst week', () => {
    const short = deviceUptime(aDevice({ moves: ['-03-02 12:00', '+03-02 12:07'] }), day2);
    expect(short.worstWeek).toMatchObject({ from: day2.from, to: day2.to, availabilityPct: 99.51 });
  });
});

describe('per kind', () => {
  it('sums the devices: two gates for a day, one 7 min down → (2880 − 7) / 2880 = 99.756…% → 99.75', () => {
    const r = uptimeReport([aDevice({ deviceId: 'g1', moves: ['-03-02 12:00', '+03-02 12:07'] }), aDevice({ deviceId: 'g2' })], day2);
    expect(r.kinds).toEqual([{ kind: 'gate', devices: 2, availabilityPct: 99.75, observedMs: 2 * DAY, downMs: 7 * MIN, maintenanceMs: 0, outages: 1, mttrMs: 7 * MIN }]);
  });
});

describe('only the time in service counts (registration → decommissioning)', () => {
  /** Registered and first online 03-02 12:00, offline 12:30–12:37. */
  const newGate = (o: Partial<DeviceInput> = {}): DeviceInput => ({
    ...aDevice({ deviceId: 'gate-new', registeredAt: t('03-02 12:00'), ...o }),
    presence: [{ at: t('03-02 12:00'), online: true }, { at: t('03-02 12:30'), online: false }, { at: t('03-02 12:37'), online: true }],
  });

  it('registered at 12:00, 7 min offline: measured over its 12 in-service hours, 713 / 720 = 99.027…% → 99.02 (not 1433 / 1440)', () => {
    const u = deviceUptime(newGate(), day2);
    expect(u).toMatchObject({ observedMs: 12 * H, downMs: 7 * MIN, availabilityPct: 99.02, registeredAt: t('03-02 12:00'), decommissionedAt: null });
    expect(u.worstWeek).toMatchObject({ from: t('03-02 12:00'), to: day2.to, availabilityPct: 99.02 });
  });

  it('a device registered mid-period has no per-day figures before its registration day', () => {
    // 03-01 → 03-04: in service 03-02 12:00 → 03-04 00:00 = 36 h = 2160 min; 2153 / 2160 = 99.675…% → 99.67
    const u = deviceUptime(newGate(), { from: t('03-01 00:00'), to: t('03-04 00:00') });
    expect(u.days.map((d) => [d.date, d.observedMs, d.availabilityPct])).toEqual([
      ['2026-03-02', 12 * H, 99.02],
      ['2026-03-03', 24 * H, 100],
    ]);
    expect(u.availabilityPct).toBe(99.67);
  });

  it('decommissioned at 18:00 while offline since 17:53: 7 min down of 18 h in service, 1073 / 1080 = 99.351…% → 99.35 (not 1073 / 1440 = 74.51)', () => {
    // Decommissioning disconnects the device: it stays offline, which is not an outage after 18:00.
    const u = deviceUptime(aDevice({ moves: ['-03-02 17:53'], decommissionedAt: t('03-02 18:00') }), day2);
    expect(u).toMatchObject({ observedMs: 18 * H, downMs: 7 * MIN, availabilityPct: 99.35, decommissionedAt: t('03-02 18:00') });
    // Cut at the decommissioning, not ongoing, and never restored: no MTTR.
    expect(u.outages).toEqual([{ from: t('03-02 17:53'), to: t('03-02 18:00'), cause: 'offline', ms: 7 * MIN, ongoing: false, decommissioned: true }]);
    expect(u.mttrMs).toBeNull();
  });

  it('registered 12:00 and decommissioned 18:00 the same day: 6 h in service, 353 / 360 = 98.055…% → 98.05', () => {
    const u = deviceUptime(newGate({ decommissionedAt: t('03-02 18:00') }), day2);
    expect(u).toMatchObject({ observedMs: 6 * H, downMs: 7 * MIN, availabilityPct: 98.05 });
    expect(u.outages).toEqual([{ from: t('03-02 12:30'), to: t('03-02 12:37'), cause: 'offline', ms: 7 * MIN, ongoing: false }]);
    expect(u.mttrMs).toBe(7 * MIN);
  });

  describe('decommissioned 03-10 12:00, over 14 days (03-01 → 03-15)', () => {
    const period = { from: t('03-01 00:00'), to: t('03-15 00:00') };
    // In service since 02-20; 6 h offline on 03-09; disconnected (offline for good) by the decommissioning.
    const u = deviceUptime(
      aDevice({
        registeredAt: t('02-20 07:00'),
        presence: [
          { at: t('02-20 08:00'), online: true },
          { at: t('03-09 08:00'), online: false },
          { at: t('03-09 14:00'), online: true },
          { at: t('03-10 12:00'), online: false },
        ],
        decommissionedAt: t('03-10 12:00'),
      }),
      period,
    );

    it('counts 9.5 days in service: 6 h down of 228 h, 222 / 228 = 97.368…% → 97.36 (not 114 h down of 336)', () => {
      expect(u).toMatchObject({ observedMs: 228 * H, downMs: 6 * H, availabilityPct: 97.36 });
      expect(u.outages).toHaveLength(1);
    });

    it('lists days 03-01 … 03-10 only; 03-10 is 12 h in service at 100 %', () => {
      expect(u.days.map((x) => x.date)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((x) => `2026-03-${x}`));
      expect(u.days.at(-1)).toMatchObject({ observedMs: 12 * H, downMs: 0, availabilityPct: 100 });
    });

    it('its worst week holds the 6 h and ends by the decommissioning: 162 / 168 = 96.428…% → 96.42', () => {
      expect(u.worstWeek).toMatchObject({ availabilityPct: 96.42, downMs: 6 * H, observedMs: 168 * H });
      expect(u.worstWeek!.to).toBeLessThanOrEqual(t('03-10 12:00'));
    });
  });

  it('per kind, only in-service time weighs: a full day and a half day, 7 min down → 2153 / 2160 = 99.675…% → 99.67 (not 2873 / 2880)', () => {
    const r = uptimeReport(
      [
        aDevice({ deviceId: 'g1' }),
        newGate({ deviceId: 'g2' }),
        // Decommissioned the day before, registered the day after: not in service at all on 03-02, not in the report.
        aDevice({ deviceId: 'g3', decommissionedAt: t('03-01 20:00') }),
        aDevice({ deviceId: 'g4', registeredAt: t('03-03 09:00'), presence: [{ at: t('03-03 09:00'), online: true }] }),
      ],
      day2,
    );
    expect(r.devices.map((d) => d.deviceId)).toEqual(['g1', 'g2']);
    expect(r.kinds).toEqual([{ kind: 'gate', devices: 2, availabilityPct: 99.67, observedMs: 36 * H, downMs: 7 * MIN, maintenanceMs: 0, outages: 1, mttrMs: 7 * MIN }]);
  });
});

describe('which alerts make a device unusable', () => {
  it.each([
    { kind: 'gate.fault', severity: 'high', unusable: true },
    { kind: 'elevator.trapped', severity: 'critical', unusable: true },
    { kind: 'elevator.door-fault', severity: 'high', unusable: true },
    { kind: 'elevator.emergency-call', severity: 'critical', unusable: false },
    { kind: 'elevator.ebike-detected', severity: 'medium', unusable: false },
    { kind: 'charger.smoke', severity: 'critical', unusable: true },
    { kind: 'charger.over-temperature', severity: 'critical', unusable: true },
    { kind: 'charger.leakage', severity: 'high', unusable: false },
    { kind: 'device.offline', severity: 'high', unusable: false },
    { kind: 'gate.whitelist-stale', severity: 'medium', unusable: false },
  ] as const)('$kind ($severity) → $unusable', ({ kind, severity, unusable }) => {
    expect(isUnusable({ kind, severity })).toBe(unusable);
  });
});
