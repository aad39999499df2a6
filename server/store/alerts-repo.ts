import type { Alert } from '../alerts/types.js';
import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';

export function createAlertsRepo(db: Db) {
  const open = db.prepare(`SELECT * FROM alerts WHERE device_id = ? AND kind = ? AND status = 'open'`);
  const toAlert = (r: unknown) => fromRow<Alert>(r as Record<string, unknown>, ['detail'], ['needsPerson']);
  return {
    findOpen: (deviceId: string, kind: string) => toAlert(open.get(deviceId, kind)),
    insert: (a: Alert) => insertObject(db, 'alerts', a, ['detail']),
    /** A repeat of an open alert: count it and keep the newest detail. */
    repeat(id: string, detail: Record<string, unknown>, severity: string, at: string): void {
      db.prepare('UPDATE alerts SET count = count + 1, detail = ?, severity = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(detail), severity, at, id);
    },
    get: (id: string) => toAlert(db.prepare('SELECT * FROM alerts WHERE id = ?').get(id)),
    deviceCleared: (id: string, at: string) => void db.prepare('UPDATE alerts SET device_cleared_at = ?, updated_at = ? WHERE id = ?').run(at, at, id),
    close(id: string, by: string, note: string, at: string): boolean {
      return db.prepare(`UPDATE alerts SET status = 'closed', closed_by = ?, close_note = ?, cleared_at = ?, updated_at = ? WHERE id = ? AND status = 'open'`).run(by, note, at, at, id).changes === 1;
    },
    forDevice: (deviceId: string, limit: number) => db.prepare('SELECT * FROM alerts WHERE device_id = ? ORDER BY raised_at DESC LIMIT ?').all(deviceId, limit).map((r) => toAlert(r)!),
    clear(id: string, at: string): void {
      db.prepare(`UPDATE alerts SET status = 'cleared', cleared_at = ?, updated_at = ? WHERE id = ? AND status = 'open'`).run(at, at, id);
    },
    list(estateId: string, f: { status?: string; limit: number }): Alert[] {
      const rows = db
        .prepare(`SELECT * FROM alerts WHERE estate_id = ? ${f.status ? 'AND status = ?' : ''} ORDER BY raised_at DESC LIMIT ?`)
        .all(...[estateId, f.status].filter((x) => x !== undefined), f.limit);
      return rows.map((r) => toAlert(r)!);
    },
  };
}

export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
