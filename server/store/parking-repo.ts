import type { GateConfigRecord, ManualOpen, ParkingDecisionRecord, PaymentState, Stay, UnmatchedExit, VisitorPass } from '../parking/types.js';
import type { Db } from './sqlite.js';
import { fromRow, insertObject, updateObject } from './rows.js';

export function createParkingRepo(db: Db) {
  const insert = (table: string, obj: object, json: string[] = []) => insertObject(db, table, obj, json);
  const q = {
    openStay: db.prepare('SELECT * FROM stays WHERE estate_id = ? AND plate = ? AND exit_at IS NULL ORDER BY entry_at DESC LIMIT 1'),
    openInLot: db.prepare('SELECT COUNT(*) AS n FROM stays WHERE estate_id = ? AND lot_id = ? AND exit_at IS NULL'),
    openVisitorsInLot: db.prepare(`SELECT COUNT(*) AS n FROM stays WHERE estate_id = ? AND lot_id = ? AND exit_at IS NULL AND vehicle_class IN ('visitor', 'temporary')`),
    openAll: db.prepare('SELECT * FROM stays WHERE estate_id = ? AND exit_at IS NULL ORDER BY entry_at'),
    openGroup: db.prepare('SELECT * FROM stays WHERE estate_id = ? AND household_id = ? AND exit_at IS NULL ORDER BY entry_at'),
    arrears: db.prepare(`SELECT COALESCE(SUM(fee_fen), 0) AS fen FROM stays WHERE estate_id = ? AND plate = ? AND payment = 'owed'`),
    stay: db.prepare('SELECT * FROM stays WHERE id = ?'),
    passActive: db.prepare('SELECT * FROM visitor_passes WHERE estate_id = ? AND plate = ? AND cancelled_at IS NULL AND valid_from <= ? AND valid_to > ? ORDER BY valid_to DESC LIMIT 1'),
    passCount: db.prepare('SELECT COUNT(*) AS n FROM visitor_passes WHERE estate_id = ? AND household_id = ? AND cancelled_at IS NULL AND valid_from >= ? AND valid_from < ?'),
    passes: db.prepare('SELECT * FROM visitor_passes WHERE estate_id = ? AND household_id = ? ORDER BY created_at DESC LIMIT 200'),
    unmatchedOpen: db.prepare('SELECT * FROM unmatched_exits WHERE estate_id = ? AND resolved_at IS NULL ORDER BY at'),
    unmatched: db.prepare('SELECT * FROM unmatched_exits WHERE id = ?'),
    gateConfig: db.prepare('SELECT * FROM gate_configs WHERE gate_id = ?'),
    gateConfigs: db.prepare('SELECT * FROM gate_configs WHERE estate_id = ? ORDER BY gate_id'),
  };
  const stay = (r: unknown) => fromRow<Stay>(r as Record<string, unknown>, [], ['overflow']);
  return {
    addDecision: (d: ParkingDecisionRecord) => insert('parking_decisions', d),
    decisions(estateId: string, f: { gateId?: string; plate?: string; limit: number }): ParkingDecisionRecord[] {
      // Each condition and its value are added together: an empty filter can no longer leave a value without its `?`.
      const where = ['estate_id = ?'];
      const args: unknown[] = [estateId];
      if (f.gateId) (where.push('gate_id = ?'), args.push(f.gateId));
      if (f.plate) (where.push('plate = ?'), args.push(f.plate));
      const rows = db.prepare(`SELECT * FROM parking_decisions WHERE ${where.join(' AND ')} ORDER BY at DESC LIMIT ?`).all(...args, f.limit) as Record<string, unknown>[];
      return rows.map((r) => fromRow<ParkingDecisionRecord>(r)!);
    },
    openStay: (s: Stay) => insert('stays', s),
    findOpenStay: (estateId: string, plate: string) => stay(q.openStay.get(estateId, plate)),
    getStay: (id: string) => stay(q.stay.get(id)),
    openStays: (estateId: string) => (q.openAll.all(estateId) as unknown[]).map((r) => stay(r)!),
    openGroupStays: (estateId: string, householdId: string) => (q.openGroup.all(estateId, householdId) as unknown[]).map((r) => stay(r)!),
    occupancy: (estateId: string, lotId: string) => ({
      total: (q.openInLot.get(estateId, lotId) as { n: number }).n,
      visitors: (q.openVisitorsInLot.get(estateId, lotId) as { n: number }).n,
    }),
    arrearsFen: (estateId: string, plate: string) => (q.arrears.get(estateId, plate) as { fen: number }).fen,
    updateStay: (id: string, patch: Partial<Stay>) => updateObject(db, 'stays', ['id', id], patch),
    setPayment(id: string, payment: PaymentState, by: string, at: string): void {
      db.prepare('UPDATE stays SET payment = ?, payment_by = ?, payment_at = ? WHERE id = ?').run(payment, by, at, id);
    },
    stays(estateId: string, f: { plate?: string; householdId?: string; open?: boolean; limit: number }): Stay[] {
      const where = ['estate_id = ?'];
      const args: unknown[] = [estateId];
      if (f.plate) (where.push('plate = ?'), args.push(f.plate));
      if (f.householdId) (where.push('household_id = ?'), args.push(f.householdId));
      if (f.open !== undefined) where.push(f.open ? 'exit_at IS NULL' : 'exit_at IS NOT NULL');
      const rows = db.prepare(`SELECT * FROM stays WHERE ${where.join(' AND ')} ORDER BY entry_at DESC LIMIT ?`).all(...args, f.limit);
      return rows.map((r) => stay(r)!);
    },
    addPass: (p: VisitorPass) => insert('visitor_passes', p),
    activePass: (estateId: string, plate: string, atIso: string) => fromRow<VisitorPass>(q.passActive.get(estateId, plate, atIso, atIso) as Record<string, unknown>),
    passesIssuedBetween: (estateId: string, householdId: string, fromIso: string, toIso: string) => (q.passCount.get(estateId, householdId, fromIso, toIso) as { n: number }).n,
    passesOf: (estateId: string, householdId: string) => (q.passes.all(estateId, householdId) as Record<string, unknown>[]).map((r) => fromRow<VisitorPass>(r)!),
    cancelPass: (id: string, at: string) => db.prepare('UPDATE visitor_passes SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL').run(at, id).changes === 1,
    getPass: (id: string) => fromRow<VisitorPass>(db.prepare('SELECT * FROM visitor_passes WHERE id = ?').get(id) as Record<string, unknown>),
    addManualOpen: (m: ManualOpen) => insert('manual_opens', m),
    manualOpens: (estateId: string, limit: number) =>
      (db.prepare('SELECT * FROM manual_opens WHERE estate_id = ? ORDER BY at DESC LIMIT ?').all(estateId, limit) as Record<string, unknown>[]).map((r) => fromRow<ManualOpen>(r)!),
    addUnmatched: (u: UnmatchedExit) => insert('unmatched_exits', u, ['candidates']),
    openUnmatched: (estateId: string) => (q.unmatchedOpen.all(estateId) as Record<string, unknown>[]).map((r) => fromRow<UnmatchedExit>(r, ['candidates'])!),
    getUnmatched: (id: string) => fromRow<UnmatchedExit>(q.unmatched.get(id) as Record<string, unknown>, ['candidates']),
    resolveUnmatched(id: string, r: { by: string; at: string; resolution: string; stayId?: string }): boolean {
      return (
        db.prepare('UPDATE unmatched_exits SET resolved_at = ?, resolved_by = ?, resolution = ?, stay_id = ? WHERE id = ? AND resolved_at IS NULL').run(r.at, r.by, r.resolution, r.stayId ?? null, id)
          .changes === 1
      );
    },
    gateConfig: (gateId: string) => fromRow<GateConfigRecord>(q.gateConfig.get(gateId) as Record<string, unknown>, ['config']),
    gateConfigs: (estateId: string) => (q.gateConfigs.all(estateId) as Record<string, unknown>[]).map((r) => fromRow<GateConfigRecord>(r, ['config'])!),
    saveGateConfig(c: Omit<GateConfigRecord, 'reportedVersion' | 'reportedAt'>): void {
      db.prepare(
        `INSERT INTO gate_configs (gate_id, estate_id, version, config, published_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (gate_id) DO UPDATE SET version = excluded.version, config = excluded.config, published_at = excluded.published_at`,
      ).run(c.gateId, c.estateId, c.version, JSON.stringify(c.config), c.publishedAt);
    },
    reportGateConfig: (gateId: string, version: number, at: string) =>
      void db.prepare('UPDATE gate_configs SET reported_version = ?, reported_at = ? WHERE gate_id = ?').run(version, at, gateId),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export type ParkingRepo = ReturnType<typeof createParkingRepo>;
