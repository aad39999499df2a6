import { randomUUID } from 'node:crypto';
import type { ChargingAccount, ChargingSession, PortRecord } from '../charging/records.js';
import { fromRow, insertObject, updateObject } from './rows.js';
import type { Db } from './sqlite.js';

export function createChargingRepo(db: Db) {
  const session = (r: unknown) => fromRow<ChargingSession>(r as Record<string, unknown>);
  const q = {
    active: db.prepare(`SELECT * FROM charging_sessions WHERE shed_id = ? AND status IN ('starting', 'charging') ORDER BY port`),
    // A port is taken while a session charges or a full bike still sits on it.
    activeOnPort: db.prepare(`SELECT * FROM charging_sessions WHERE shed_id = ? AND port = ? AND status IN ('starting', 'charging', 'full') LIMIT 1`),
    get: db.prepare('SELECT * FROM charging_sessions WHERE id = ?'),
    account: db.prepare('SELECT * FROM charging_accounts WHERE estate_id = ? AND household_id = ?'),
    ports: db.prepare('SELECT * FROM charger_ports WHERE shed_id = ? ORDER BY port'),
    waiting: db.prepare(`SELECT * FROM charging_queue WHERE shed_id = ? AND status = 'waiting' ORDER BY requested_at`),
    durations: db.prepare(`SELECT (julianday(ended_at) - julianday(started_at)) * 1440 AS minutes FROM charging_sessions WHERE shed_id = ? AND status = 'ended' AND started_at IS NOT NULL ORDER BY ended_at DESC LIMIT 50`),
  };
  const upsertAccount = db.prepare(
    `INSERT INTO charging_accounts (estate_id, household_id, balance_fen, updated_at) VALUES (?, ?, 0, ?)
     ON CONFLICT (estate_id, household_id) DO NOTHING`,
  );
  /** Moves money and writes its ledger line in one transaction; returns the line's id. */
  const move = db.transaction((m: { estateId: string; householdId: string; kind: string; amountFen: number; sessionId?: string; by?: string; note?: string; at: string }): string => {
    upsertAccount.run(m.estateId, m.householdId, m.at);
    db.prepare('UPDATE charging_accounts SET balance_fen = balance_fen + ?, updated_at = ? WHERE estate_id = ? AND household_id = ?').run(m.amountFen, m.at, m.estateId, m.householdId);
    const id = `led-${randomUUID()}`;
    insertObject(db, 'charging_ledger', { id, estateId: m.estateId, householdId: m.householdId, kind: m.kind, amountFen: m.amountFen, sessionId: m.sessionId, byUser: m.by, note: m.note, at: m.at });
    return id;
  });
  return {
    insertSession: (s: ChargingSession) => insertObject(db, 'charging_sessions', s),
    updateSession: (id: string, patch: Partial<ChargingSession>) => updateObject(db, 'charging_sessions', ['id', id], patch),
    getSession: (id: string) => session(q.get.get(id)),
    activeSessions: (shedId: string) => q.active.all(shedId).map((r) => session(r)!),
    activeOnPort: (shedId: string, port: number) => session(q.activeOnPort.get(shedId, port)),
    sessions(estateId: string, f: { shedId?: string; householdId?: string; fromIso?: string; toIso?: string; limit: number }): ChargingSession[] {
      const where = ['estate_id = ?'];
      const args: unknown[] = [estateId];
      if (f.shedId) (where.push('shed_id = ?'), args.push(f.shedId));
      if (f.householdId) (where.push('household_id = ?'), args.push(f.householdId));
      // A session belongs to a period if it ran in it: started before its end, and not ended before its start.
      if (f.fromIso) (where.push('(ended_at IS NULL OR ended_at >= ?)'), args.push(f.fromIso));
      if (f.toIso) (where.push('requested_at < ?'), args.push(f.toIso));
      return db.prepare(`SELECT * FROM charging_sessions WHERE ${where.join(' AND ')} ORDER BY requested_at DESC LIMIT ?`).all(...args, f.limit).map((r) => session(r)!);
    },
    recentDurationsMin: (shedId: string) => (q.durations.all(shedId) as { minutes: number }[]).map((r) => r.minutes),
    account: (estateId: string, householdId: string) => fromRow<ChargingAccount>(q.account.get(estateId, householdId) as Record<string, unknown>),
    move,
    setPlan: db.transaction((m: { estateId: string; householdId: string; planId: string; validUntil: string; priceFen: number; by: string; at: string }) => {
      move({ estateId: m.estateId, householdId: m.householdId, kind: 'plan', amountFen: -m.priceFen, by: m.by, note: m.planId, at: m.at });
      db.prepare('UPDATE charging_accounts SET plan_id = ?, plan_valid_until = ? WHERE estate_id = ? AND household_id = ?').run(m.planId, m.validUntil, m.estateId, m.householdId);
    }),
    /**
     * Prepaid money handed back to a household (open accounts): a 'refund' line, negative. The
     * balance is read and debited in one transaction, so two refunds cannot both pass the check.
     */
    refund: db.transaction((r: { estateId: string; householdId: string; amountFen: number; by: string; note?: string; at: string }): { ok: true; refundId: string; balanceFen: number } | { ok: false; balanceFen: number } => {
      const balanceFen = (q.account.get(r.estateId, r.householdId) as { balance_fen: number } | undefined)?.balance_fen ?? 0;
      if (r.amountFen > balanceFen) return { ok: false, balanceFen };
      const refundId = move({ estateId: r.estateId, householdId: r.householdId, kind: 'refund', amountFen: -r.amountFen, by: r.by, note: r.note, at: r.at });
      return { ok: true, refundId, balanceFen: balanceFen - r.amountFen };
    }),
    ledger: (estateId: string, householdId: string) =>
      db.prepare('SELECT * FROM charging_ledger WHERE estate_id = ? AND household_id = ? ORDER BY at DESC LIMIT 200').all(estateId, householdId).map((r) => fromRow<Record<string, unknown>>(r as Record<string, unknown>)!),
    ports: (shedId: string) => q.ports.all(shedId).map((r) => fromRow<PortRecord>(r as Record<string, unknown>)!),
    setPort(p: PortRecord): void {
      db.prepare(
        `INSERT INTO charger_ports (shed_id, port, estate_id, state, session_id, since) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (shed_id, port) DO UPDATE SET state = excluded.state, session_id = excluded.session_id,
           since = CASE WHEN charger_ports.state = excluded.state THEN charger_ports.since ELSE excluded.since END`,
      ).run(p.shedId, p.port, p.estateId, p.state, p.sessionId ?? null, p.since);
    },
    enqueue: (e: { id: string; estateId: string; shedId: string; port: number; cardId: string; requestedAt: string }) => insertObject(db, 'charging_queue', { ...e, status: 'waiting' }),
    waiting: (shedId: string) => q.waiting.all(shedId).map((r) => fromRow<{ id: string; estateId: string; shedId: string; port: number; cardId: string; requestedAt: string }>(r as Record<string, unknown>)!),
    setQueueStatus: (id: string, status: string) => void db.prepare('UPDATE charging_queue SET status = ? WHERE id = ?').run(status, id),
    addPortFreeRequest: (r: { id: string; estateId: string; shedId: string; username: string; createdAt: string }) => insertObject(db, 'port_free_requests', r),
    takePortFreeRequests(shedId: string, at: string): { username: string }[] {
      const rows = db.prepare('SELECT id, username FROM port_free_requests WHERE shed_id = ? AND notified_at IS NULL').all(shedId) as { id: string; username: string }[];
      for (const r of rows) db.prepare('UPDATE port_free_requests SET notified_at = ? WHERE id = ?').run(at, r.id);
      return rows;
    },
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export type ChargingRepo = ReturnType<typeof createChargingRepo>;
