import type { DeliveryRecord, DeliveryStatus } from '../notify/types.js';
import { fromRow, insertObject, updateObject } from './rows.js';
import type { Db } from './sqlite.js';

/**
 * Webhook deliveries, one row each (table from migration 006-roster-notify; this
 * repo adds no schema):
 *
 *   CREATE TABLE deliveries (
 *     id TEXT PRIMARY KEY,
 *     alert_id TEXT NOT NULL,
 *     recipient TEXT NOT NULL,        -- username or external contact id
 *     channel_id TEXT NOT NULL,
 *     channel_kind TEXT NOT NULL,     -- dingtalk | wecom | json
 *     target TEXT NOT NULL,           -- the webhook URL masked: never the key or access_token
 *     status TEXT NOT NULL,           -- pending | delivered | failed
 *     attempts INTEGER NOT NULL DEFAULT 0,
 *     http_status INTEGER,
 *     last_error TEXT,                -- never the webhook URL or the secret
 *     created_at TEXT NOT NULL,
 *     updated_at TEXT NOT NULL,
 *     delivered_at TEXT
 *   );
 *   CREATE INDEX deliveries_alert ON deliveries(alert_id, created_at);
 *   CREATE INDEX deliveries_recent ON deliveries(created_at);
 *
 * No foreign key to alerts: a test message sent from the channel settings has no alert row.
 * `last_error` stays after a later attempt succeeds: "delivered on attempt 3, after a 500".
 */
const TABLE = 'deliveries';

/** Fields a delivery's progress changes. `httpStatus: null` clears it (the last attempt got no HTTP answer). */
export type DeliveryPatch = Partial<Pick<DeliveryRecord, 'status' | 'attempts' | 'lastError' | 'updatedAt' | 'deliveredAt'>> & { httpStatus?: number | null };

export function createDeliveriesRepo(db: Db) {
  const toRecord = (r: unknown) => fromRow<DeliveryRecord>(r as Record<string, unknown>);
  const byId = db.prepare(`SELECT * FROM ${TABLE} WHERE id = ?`);
  const byAlert = db.prepare(`SELECT * FROM ${TABLE} WHERE alert_id = ? ORDER BY created_at, rowid`);
  return {
    insert: (d: DeliveryRecord) => insertObject(db, TABLE, d),
    update: (id: string, patch: DeliveryPatch) => updateObject(db, TABLE, ['id', id], patch),
    get: (id: string) => toRecord(byId.get(id)),
    /** Every delivery of one alert, oldest first: the alert's notification history. */
    listByAlert: (alertId: string): DeliveryRecord[] => byAlert.all(alertId).map((r) => toRecord(r)!),
    /** Newest first, for the "did the group get it?" page. */
    listRecent(f: { limit: number; status?: DeliveryStatus }): DeliveryRecord[] {
      const rows = db
        .prepare(`SELECT * FROM ${TABLE} ${f.status ? 'WHERE status = ?' : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`)
        .all(...(f.status ? [f.status] : []), f.limit);
      return rows.map((r) => toRecord(r)!);
    },
  };
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
