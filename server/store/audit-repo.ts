import { fromRow } from './rows.js';
import type { Db } from './sqlite.js';
import { likeLiteral } from './like.js';

export interface AuditEntry {
  id: number;
  estateId?: string;
  at: string;
  username: string;
  role: string;
  /** e.g. "charter.versions.create", "parking.gate.open", "parking.plate-history.read" */
  action: string;
  route: string;
  target?: string;
  status: number;
  detail: Record<string, unknown>;
}

export function createAuditRepo(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (estate_id, at, username, role, action, route, target, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return {
    add: (e: Omit<AuditEntry, 'id'>) => void insert.run(e.estateId ?? null, e.at, e.username, e.role, e.action, e.route, e.target ?? null, e.status, JSON.stringify(e.detail)),
    list(estateId: string, f: { username?: string; action?: string; fromIso?: string; toIso?: string; limit: number }): AuditEntry[] {
      const where = ['estate_id = ?'];
      const args: unknown[] = [estateId];
      if (f.username) (where.push('username = ?'), args.push(f.username));
      if (f.action) (where.push("action LIKE ? ESCAPE '\\'"), args.push(`${likeLiteral(f.action)}%`));
      if (f.fromIso) (where.push('at >= ?'), args.push(f.fromIso));
      if (f.toIso) (where.push('at < ?'), args.push(f.toIso));
      return db.prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, f.limit).map((r) => fromRow<AuditEntry>(r as Record<string, unknown>, ['detail'])!);
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
