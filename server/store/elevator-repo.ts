import type { ElevatorLiveState, ElevatorMember, ElevatorPass, MaintenanceRecord, Ride, RunningCost } from '../elevator/records.js';
import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';

export function createElevatorRepo(db: Db) {
  const all = <T>(sql: string, args: unknown[], json: string[] = [], bools: string[] = []) =>
    db.prepare(sql).all(...args).map((r) => fromRow<T>(r as Record<string, unknown>, json, bools)!);
  const one = <T>(sql: string, args: unknown[], json: string[] = [], bools: string[] = []) => fromRow<T>(db.prepare(sql).get(...args) as Record<string, unknown>, json, bools);
  return {
    members: (elevatorId: string) => all<ElevatorMember>('SELECT * FROM elevator_members WHERE elevator_id = ? ORDER BY household_id', [elevatorId]),
    member: (elevatorId: string, householdId: string) => one<ElevatorMember>('SELECT * FROM elevator_members WHERE elevator_id = ? AND household_id = ?', [elevatorId, householdId]),
    addMember(m: ElevatorMember): boolean {
      return db.prepare('INSERT OR IGNORE INTO elevator_members (estate_id, elevator_id, household_id, kind, joined_at, paid_fen) VALUES (?, ?, ?, ?, ?, ?)').run(m.estateId, m.elevatorId, m.householdId, m.kind, m.joinedAt, m.paidFen).changes === 1;
    },
    /** A member's payment corrected (typed wrong): the elevator fund's contribution line changes with it. */
    setMemberPaid: (elevatorId: string, householdId: string, paidFen: number) => db.prepare('UPDATE elevator_members SET paid_fen = ? WHERE elevator_id = ? AND household_id = ?').run(paidFen, elevatorId, householdId).changes === 1,
    removeMember: (elevatorId: string, householdId: string) => db.prepare('DELETE FROM elevator_members WHERE elevator_id = ? AND household_id = ?').run(elevatorId, householdId).changes === 1,
    addPass: (p: ElevatorPass) => insertObject(db, 'elevator_passes', p, ['floors']),
    activePass: (estateId: string, cardId: string, atIso: string) =>
      one<ElevatorPass>('SELECT * FROM elevator_passes WHERE estate_id = ? AND card_id = ? AND cancelled_at IS NULL AND valid_until > ? ORDER BY valid_until DESC LIMIT 1', [estateId, cardId, atIso], ['floors']),
    passes: (estateId: string) => all<ElevatorPass>('SELECT * FROM elevator_passes WHERE estate_id = ? ORDER BY created_at DESC LIMIT 500', [estateId], ['floors']),
    cancelPass: (id: string, at: string) => db.prepare('UPDATE elevator_passes SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL').run(at, id).changes === 1,
    addRide: (r: Ride) => insertObject(db, 'elevator_rides', r),
    rides: (elevatorId: string, fromIso: string, toIso: string) => all<Ride>('SELECT * FROM elevator_rides WHERE elevator_id = ? AND at >= ? AND at < ? ORDER BY at', [elevatorId, fromIso, toIso]),
    ridesOfHousehold: (estateId: string, householdId: string, limit: number) =>
      all<Ride>('SELECT * FROM elevator_rides WHERE estate_id = ? AND household_id = ? ORDER BY at DESC LIMIT ?', [estateId, householdId, limit]),
    rideCountsByHousehold(elevatorId: string, fromIso: string, toIso: string): Record<string, number> {
      const rows = db.prepare('SELECT household_id AS h, COUNT(*) AS n FROM elevator_rides WHERE elevator_id = ? AND at >= ? AND at < ? AND household_id IS NOT NULL GROUP BY household_id').all(elevatorId, fromIso, toIso) as { h: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.h, r.n]));
    },
    state: (elevatorId: string) => one<ElevatorLiveState>('SELECT * FROM elevator_state WHERE elevator_id = ?', [elevatorId], [], ['doorOpen', 'running']),
    saveState(s: ElevatorLiveState): void {
      db.prepare(
        `INSERT INTO elevator_state (elevator_id, estate_id, floor, direction, door_open, running, load_pct, runs, door_cycles, run_seconds, updated_at)
         VALUES (@elevatorId, @estateId, @floor, @direction, @doorOpen, @running, @loadPct, @runs, @doorCycles, @runSeconds, @updatedAt)
         ON CONFLICT (elevator_id) DO UPDATE SET floor = excluded.floor, direction = excluded.direction, door_open = excluded.door_open, running = excluded.running,
           load_pct = excluded.load_pct, runs = excluded.runs, door_cycles = excluded.door_cycles, run_seconds = excluded.run_seconds, updated_at = excluded.updated_at`,
      ).run({ floor: null, direction: null, loadPct: null, ...s, doorOpen: s.doorOpen === undefined ? null : s.doorOpen ? 1 : 0, running: s.running === undefined ? null : s.running ? 1 : 0 });
    },
    addMaintenance: (m: MaintenanceRecord) => insertObject(db, 'elevator_maintenance', m),
    maintenance: (elevatorId: string, limit: number) => all<MaintenanceRecord>('SELECT * FROM elevator_maintenance WHERE elevator_id = ? ORDER BY done_at DESC LIMIT ?', [elevatorId, limit]),
    addRunningCost: (c: RunningCost) => insertObject(db, 'elevator_running_costs', c),
    runningCost: (elevatorId: string, id: string) => one<RunningCost>('SELECT * FROM elevator_running_costs WHERE elevator_id = ? AND id = ?', [elevatorId, id]),
    removeRunningCost: (elevatorId: string, id: string) => db.prepare('DELETE FROM elevator_running_costs WHERE elevator_id = ? AND id = ?').run(elevatorId, id).changes === 1,
    runningCosts: (elevatorId: string, month: string) => all<RunningCost>('SELECT * FROM elevator_running_costs WHERE elevator_id = ? AND month = ? ORDER BY recorded_at', [elevatorId, month]),
  };
}

export type ElevatorRepo = ReturnType<typeof createElevatorRepo>;
