import type { Alert, AlertEvent } from '../alerts/types.js';
import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';

export function createAlertsRepo(db: Db) {
  const open = db.prepare(`SELECT * FROM alerts WHERE device_id = ? AND kind = ? AND status = 'open'`);
  const toAlert = (r: unknown) => fromRow<Alert>(r as Record<string, unknown>, ['detail'], ['needsPerson', 'held']);
  return {
    findOpen: (deviceId: string, kind: string) => toAlert(open.get(deviceId, kind)),
    insert: (a: Alert) => insertObject(db, 'alerts', a, ['detail']),
    /** A repeat of an open alert: count it and keep the newest detail. */
    repeat(id: string, detail: Record<string, unknown>, severity: string, at: string): void {
      db.prepare('UPDATE alerts SET count = count + 1, detail = ?, severity = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(detail), severity, at, id);
    },
    claim(id: string, by: string, at: string): boolean {
      return db.prepare(`UPDATE alerts SET claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ? AND status = 'open' AND claimed_by IS NULL`).run(by, at, at, id).changes === 1;
    },
    setHeld: (id: string, held: boolean) => void db.prepare('UPDATE alerts SET held = ? WHERE id = ?').run(held ? 1 : 0, id),
    /** Open alerts nobody has claimed yet: the escalation tick walks these. */
    openUnclaimed: () => db.prepare(`SELECT * FROM alerts WHERE status = 'open' AND claimed_by IS NULL`).all().map((r) => toAlert(r)!),
    openForDevice: (deviceId: string) => db.prepare(`SELECT * FROM alerts WHERE status = 'open' AND device_id = ?`).all(deviceId).map((r) => toAlert(r)!),
    addEvent(e: Omit<AlertEvent, 'id'>): void {
      db.prepare('INSERT INTO alert_events (alert_id, at, what, by_user, detail) VALUES (?, ?, ?, ?, ?)').run(e.alertId, e.at, e.what, e.byUser ?? null, JSON.stringify(e.detail));
    },
    events: (alertId: string) => db.prepare('SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id').all(alertId).map((r) => fromRow<AlertEvent>(r as Record<string, unknown>, ['detail'])!),
    /** Who has been told about an alert so far (by any channel). */
    notified(alertId: string): Set<string> {
      const rows = db.prepare(`SELECT DISTINCT by_user FROM alert_events WHERE alert_id = ? AND what IN ('notified', 'escalated') AND by_user IS NOT NULL`).all(alertId) as { by_user: string }[];
      return new Set(rows.map((r) => r.by_user));
    },
    lastReminderAt(alertId: string): string | undefined {
      const r = db.prepare(`SELECT MAX(at) AS at FROM alert_events WHERE alert_id = ? AND what IN ('notified', 'reminded', 'escalated')`).get(alertId) as { at: string | null };
      return r.at ?? undefined;
    },
    maintenance: (deviceId: string) => fromRow<{ deviceId: string; estateId: string; until: string; reason: string; byUser: string; since: string }>(db.prepare('SELECT * FROM maintenance_mode WHERE device_id = ?').get(deviceId) as Record<string, unknown>),
    setMaintenance(m: { deviceId: string; estateId: string; until: string; reason: string; byUser: string; since: string }): void {
      db.prepare(
        `INSERT INTO maintenance_mode (device_id, estate_id, until, reason, by_user, since) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET until = excluded.until, reason = excluded.reason, by_user = excluded.by_user`,
      ).run(m.deviceId, m.estateId, m.until, m.reason, m.byUser, m.since);
    },
    endMaintenance: (deviceId: string) => db.prepare('DELETE FROM maintenance_mode WHERE device_id = ?').run(deviceId).changes === 1,
    maintenanceEndedBy: (atIso: string) => (db.prepare('SELECT device_id AS deviceId FROM maintenance_mode WHERE until <= ?').all(atIso) as { deviceId: string }[]).map((r) => r.deviceId),
    /** Maintenance history for uptime: a new period, or the one still running extended (same row, same `since`). */
    recordMaintenancePeriod(m: { deviceId: string; estateId: string; until: string; reason: string; byUser: string; since: string }): void {
      const moved = db
        .prepare(`UPDATE maintenance_periods SET until = ?, reason = ?, by_user = ? WHERE device_id = ? AND ended_at IS NULL AND until > ?`)
        .run(m.until, m.reason, m.byUser, m.deviceId, m.since).changes;
      if (moved === 0) insertObject(db, 'maintenance_periods', m);
    },
    /** Ended early by a person: the period is over at `at`, whatever `until` said. */
    endMaintenancePeriod: (deviceId: string, at: string) => void db.prepare(`UPDATE maintenance_periods SET ended_at = ? WHERE device_id = ? AND ended_at IS NULL AND until > ?`).run(at, deviceId, at),
    /** Maintenance periods of an estate that overlap [fromIso, toIso). */
    maintenancePeriods: (estateId: string, fromIso: string, toIso: string) =>
      db
        .prepare(`SELECT * FROM maintenance_periods WHERE estate_id = ? AND since < ? AND MIN(until, COALESCE(ended_at, until)) > ? ORDER BY since`)
        .all(estateId, toIso, fromIso)
        .map((r) => fromRow<{ deviceId: string; estateId: string; since: string; until: string; endedAt?: string; reason: string; byUser: string }>(r as Record<string, unknown>)!),
    /** Alerts of an estate that were open at some moment of [fromIso, toIso) (closed ones carry `cleared_at`). */
    overlapping: (estateId: string, fromIso: string, toIso: string) =>
      db.prepare(`SELECT * FROM alerts WHERE estate_id = ? AND raised_at < ? AND (cleared_at IS NULL OR cleared_at > ?) ORDER BY raised_at`).all(estateId, toIso, fromIso).map((r) => toAlert(r)!),
    get: (id: string) => toAlert(db.prepare('SELECT * FROM alerts WHERE id = ?').get(id)),
    deviceCleared: (id: string, at: string) => void db.prepare('UPDATE alerts SET device_cleared_at = ?, updated_at = ? WHERE id = ?').run(at, at, id),
    close(id: string, by: string, note: string, at: string): boolean {
      // A cleared alert can still be closed with a note: the volunteer who went to look records what they found.
      return db.prepare(`UPDATE alerts SET status = 'closed', closed_by = ?, close_note = ?, cleared_at = ?, updated_at = ? WHERE id = ? AND status IN ('open', 'cleared')`).run(by, note, at, at, id).changes === 1;
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
