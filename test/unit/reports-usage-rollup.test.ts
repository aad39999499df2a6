import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bucket } from '../../server/reports/usage-buckets.js';
import { createUsageReports, USAGE_ROLLUP_TABLES } from '../../server/reports/usage-reports.js';
import { rng } from '../../server/reports/seed-year.js';
import { openDatabase, openSideConnection, type Db } from '../../server/store/sqlite.js';
import { chargersReference, elevatorsReference, gatesReference, type RideRow, type SessionRow, type StayRow } from './reports-usage-reference.js';

const H = 3_600_000;
const DAY = 24 * H;
const E = 'e1';
/** Monday 28 April 2025, local midnight: the data runs from the Friday before into May. */
const D0 = Date.parse('2025-04-28T00:00:00+08:00');
const SHEDS = [
  { shedId: 'shed-1', ports: 4 },
  { shedId: 'shed-2', ports: 2 },
];
const BUCKETS: Bucket[] = ['hour', 'day', 'week', 'month'];


let dir: string;
let db: Db;
let side: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'linli-usage-rollup-'));
  db = openDatabase({ dataDir: dir, sync: 'normal' });
  // Writes go through a second connection, as the parking repo's do: the triggers, not the reader, keep the rollup true.
  side = openSideConnection({ dataDir: dir, sync: 'normal' });
  for (const e of [E, 'e2']) side.prepare(`INSERT INTO estates (id, name, created_at) VALUES (?, ?, '2025-01-01T00:00:00.000Z')`).run(e, e);
  for (const s of SHEDS) side.prepare(`INSERT INTO devices (id, estate_id, kind, name, props, secret_hash, created_at) VALUES (?, ?, 'charger', ?, ?, 'x', '2025-01-01T00:00:00.000Z')`).run(s.shedId, E, s.shedId, JSON.stringify({ ports: s.ports }));
});
afterEach(() => {
  side.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Random stays, sessions and rides over [D0 − 3 days, D0 + 13 days), with times unique to the second (ties in one millisecond are left to chance in the real thing). */
function writer(seed: number) {
  const r = rng(seed);
  const used = new Set<number>();
  const time = (from: number, to: number) => {
    for (;;) {
      const t = from + r.int(0, Math.floor((to - from) / 1000) - 1) * 1000;
      if (!used.has(t)) return used.add(t), t;
    }
  };
  const iso = (t: number) => new Date(t).toISOString();
  let n = 0;
  const ins = {
    stay: side.prepare(`INSERT INTO stays (id, estate_id, lot_id, plate, vehicle_class, entry_at, entry_source, exit_at, fee_fen) VALUES (?, ?, 'main', ?, ?, ?, 'camera', ?, ?)`),
    session: side.prepare(`INSERT INTO charging_sessions (id, estate_id, shed_id, port, card_id, household_id, payment, status, requested_at, started_at, ended_at, max_minutes, energy_wh, fee_fen) VALUES (?, ?, ?, 1, 'c', 'h', 'balance', ?, ?, ?, ?, 480, ?, ?)`),
    ride: side.prepare(`INSERT INTO elevator_rides (id, estate_id, elevator_id, from_floor, to_floor, at, charge_fen) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  };
  return {
    r,
    time,
    iso,
    stay(from: number, to: number, estateId = E) {
      const entry = time(from, to);
      const exit = r.next() < 0.12 ? null : time(entry + 60_000, entry + r.int(2, 30 * 60) * 60_000);
      const fee = r.next() < 0.5 ? null : r.int(0, 20) * 100;
      ins.stay.run(`s${++n}`, estateId, `P${n}`, r.pick(['resident', 'monthly', 'visitor', 'window', 'temporary', 'internal']), iso(entry), exit === null ? null : iso(exit), fee);
    },
    /** A session that has ended, failed, or (unless `ended`) is still running. */
    session(from: number, to: number, estateId = E, ended = false) {
      const start = time(from, to);
      const roll = ended ? 1 : r.next();
      const [status, startedAt, endedAt] = roll < 0.1 ? ['charging', start, null] : roll < 0.15 ? ['failed', r.next() < 0.5 ? start : null, start + 10_000] : ['ended', start, start + r.int(20, 9 * 60) * 60_000];
      ins.session.run(`c${++n}`, estateId, r.pick(SHEDS).shedId, status, iso(start), startedAt === null ? null : iso(startedAt), endedAt === null ? null : iso(endedAt), r.int(0, 3000), r.next() < 0.2 ? null : r.int(0, 400));
    },
    ride(from: number, to: number, estateId = E) {
      ins.ride.run(`r${++n}`, estateId, r.pick(['lift-2', 'lift-1', 'lift-10']), r.int(1, 6), r.int(1, 6), iso(time(from, to)), r.pick([0, 0, 50]));
    },
  };
}

const stored = {
  stays: () => side.prepare(`SELECT entry_at, exit_at, vehicle_class, fee_fen FROM stays WHERE estate_id = ?`).all(E) as StayRow[],
  sessions: () => side.prepare(`SELECT shed_id, status, started_at, ended_at, energy_wh, fee_fen FROM charging_sessions WHERE estate_id = ?`).all(E) as SessionRow[],
  rides: () => side.prepare(`SELECT elevator_id, from_floor, to_floor, at, charge_fen FROM elevator_rides WHERE estate_id = ?`).all(E) as RideRow[],
};

/** Every report, every bucket, over ranges whole and partial, across month and week ends, around now and within one hour. */
function expectReferenceAnswers(reports: ReturnType<typeof createUsageReports>, nowMs: number) {
  const ranges = [
    [D0 - 2 * DAY, D0 + 12 * DAY],
    [D0 + DAY + 3 * H + 17 * 60_000, D0 + 9 * DAY + 5 * H + 41 * 60_000],
    [nowMs - 2 * DAY - 20 * 60_000, nowMs + DAY + 7 * 60_000],
    [D0 + 2 * DAY + 10 * H + 5 * 60_000, D0 + 2 * DAY + 10 * H + 55 * 60_000],
  ];
  const [stays, sessions, rides] = [stored.stays(), stored.sessions(), stored.rides()];
  for (const [fromMs, toMs] of ranges) {
    for (const bucket of BUCKETS) {
      const r = { estateId: E, fromMs: fromMs!, toMs: toMs!, bucket };
      const what = `${bucket} ${new Date(fromMs!).toISOString()} → ${new Date(toMs!).toISOString()}`;
      expect(reports.gates(r), `gates ${what}`).toEqual(gatesReference(stays, r));
      expect(reports.chargers(r), `chargers ${what}`).toEqual(chargersReference(sessions, SHEDS, r, nowMs));
      expect(reports.elevators(r), `elevators ${what}`).toEqual(elevatorsReference(rides, r));
    }
  }
}

const rollupRows = () => Object.fromEntries(USAGE_ROLLUP_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE estate_id = ?`).get(E) as { n: number }).n]));

describe('usage rollups', () => {
  for (const seed of [1, 2, 3]) {
    it(`answer as the plain computation does, filled, warm, and after back-dated writes, edits and deletions (seed ${seed})`, () => {
      let nowMs = D0 + 10 * DAY + 13 * H + 30 * 60_000;
      const reports = createUsageReports(db, { now: () => nowMs });
      const w = writer(seed);
      const [from, to] = [D0 - 3 * DAY, D0 + 13 * DAY];
      for (let i = 0; i < 160; i++) w.stay(from, to);
      for (let i = 0; i < 70; i++) w.session(from, to);
      for (let i = 0; i < 320; i++) w.ride(from, to);
      for (let i = 0; i < 20; i++) (w.stay(from, to, 'e2'), w.session(from, to, 'e2'), w.ride(from, to, 'e2'));

      expectReferenceAnswers(reports, nowMs); // fills the rollups
      const filled = rollupRows();
      for (const [table, n] of Object.entries(filled)) expect(n, table).toBeGreaterThan(0);
      expectReferenceAnswers(reports, nowMs); // from them
      expect(rollupRows()).toEqual(filled);

      // Offline gates and buffered events deliver late; people correct records. Each
      // kind of write alone, then the answers, so no write's deletions cover another's.
      const some = (sql: string, k: number) => (side.prepare(sql).all(E) as { id: string; t: string }[]).filter((x) => Date.parse(x.t) < nowMs).slice(0, k);
      const writes: Record<string, () => void> = {
        'late inserts'() {
          for (let i = 0; i < 30; i++) w.stay(from, nowMs);
          for (let i = 0; i < 12; i++) w.session(from, nowMs, E, true);
          for (let i = 0; i < 40; i++) w.ride(from, nowMs);
        },
        'stays closed late'() {
          for (const s of some(`SELECT id, entry_at AS t FROM stays WHERE estate_id = ? AND exit_at IS NULL ORDER BY id`, 6)) {
            side.prepare(`UPDATE stays SET exit_at = ?, fee_fen = 500 WHERE id = ?`).run(w.iso(w.time(Date.parse(s.t) + 1000, Math.max(Date.parse(s.t) + 2000, nowMs))), s.id);
          }
        },
        'corrections'() {
          for (const s of some(`SELECT id, entry_at AS t FROM stays WHERE estate_id = ? ORDER BY id DESC`, 5)) side.prepare(`UPDATE stays SET vehicle_class = 'visitor', fee_fen = 300 WHERE id = ?`).run(s.id);
          for (const s of some(`SELECT id, started_at AS t FROM charging_sessions WHERE estate_id = ? AND status = 'ended' ORDER BY id`, 4)) side.prepare(`UPDATE charging_sessions SET ended_at = ?, fee_fen = 999 WHERE id = ?`).run(w.iso(Date.parse(s.t) + 11 * H), s.id);
          for (const s of some(`SELECT id, at AS t FROM elevator_rides WHERE estate_id = ? ORDER BY id`, 8)) side.prepare(`UPDATE elevator_rides SET to_floor = 6, from_floor = 2, elevator_id = 'lift-3' WHERE id = ?`).run(s.id);
          for (const s of some(`SELECT id, at AS t FROM elevator_rides WHERE estate_id = ? ORDER BY id DESC`, 4)) side.prepare(`UPDATE elevator_rides SET at = ? WHERE id = ?`).run(w.iso(Date.parse(s.t) - 2 * DAY - 3 * H), s.id);
        },
        'deletions'() {
          for (const s of some(`SELECT id, entry_at AS t FROM stays WHERE estate_id = ? ORDER BY plate`, 5)) side.prepare(`DELETE FROM stays WHERE id = ?`).run(s.id);
          for (const s of some(`SELECT id, started_at AS t FROM charging_sessions WHERE estate_id = ? ORDER BY id DESC`, 3)) side.prepare(`DELETE FROM charging_sessions WHERE id = ?`).run(s.id);
          for (const s of some(`SELECT id, at AS t FROM elevator_rides WHERE estate_id = ? ORDER BY elevator_id, id`, 10)) side.prepare(`DELETE FROM elevator_rides WHERE id = ?`).run(s.id);
        },
        'running sessions ended, the clock moved on'() {
          for (const s of some(`SELECT id, started_at AS t FROM charging_sessions WHERE estate_id = ? AND ended_at IS NULL AND started_at IS NOT NULL`, 3)) {
            side.prepare(`UPDATE charging_sessions SET status = 'ended', ended_at = ?, energy_wh = energy_wh + 500 WHERE id = ?`).run(w.iso(Date.parse(s.t) + 90 * 60_000), s.id);
          }
          nowMs += 5 * H + 20 * 60_000; // hours close; sessions still running run longer
        },
      };
      for (const [what, write] of Object.entries(writes)) {
        write();
        expect(rollupRows(), `${what} left the rollups whole`).not.toEqual(filled);
        expectReferenceAnswers(reports, nowMs);
      }
    });
  }

  it('pre-fills every closed hour and day, the current hour and today never', () => {
    const nowMs = D0 + 3 * DAY + 9 * H + 30 * 60_000;
    const reports = createUsageReports(db, { now: () => nowMs });
    const w = writer(7);
    for (let i = 0; i < 50; i++) (w.stay(D0, D0 + 4 * DAY), w.session(D0, D0 + 4 * DAY), w.ride(D0, D0 + 4 * DAY));
    // Three days and nine hours are over: three tables of 81 hours, and three days.
    expect(reports.fill(E, D0, D0 + 5 * DAY)).toBe(3 * 81 + 3);
    expect(rollupRows()).toMatchObject({ usage_gate_hours: 81, usage_charger_hours: 81, usage_elevator_hours: 81, usage_elevator_days: 3 });
    expect(reports.fill(E, D0, D0 + 5 * DAY)).toBe(0);
    expectReferenceAnswers(reports, nowMs);
  });
});
