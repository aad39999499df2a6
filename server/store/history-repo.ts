import type { CommandLog, CommandRow } from '../../gateway/index.js';
import type { Db } from './sqlite.js';
import type { DeadLetterRow, HistoryRepo, MessageRow, PresenceRow } from './types.js';

/** Builds `WHERE a = ? AND b = ? AND seq < ?` from the filters that are set. */
function where(filters: Record<string, string | number | undefined>, seqColumn = 'seq'): { sql: string; args: (string | number)[] } {
  const parts: string[] = [];
  const args: (string | number)[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    parts.push(column === 'before' ? `${seqColumn} < ?` : `${column} = ?`);
    args.push(value);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

export function createHistoryRepo(db: Db): HistoryRepo & { counterReader: (deviceId: string) => Record<string, number> } {
  const counters = db.prepare('SELECT name, count FROM device_counters WHERE device_id = ?');
  const counterReader = (deviceId: string) =>
    Object.fromEntries((counters.all(deviceId) as { name: string; count: number }[]).map((r) => [r.name, r.count]));
  return {
    messages(q) {
      const w = where({ 'm.estate_id': q.estateId, channel: q.channel, 'm.device_id': q.deviceId, type: q.type, before: q.before });
      // What a vendor device really sent sits beside its message (vendor_raw), for the committee's support.
      const raw = q.withVendorRaw ? { col: ', vr.raw AS vendorRaw', join: 'LEFT JOIN vendor_raw vr ON vr.device_id = m.device_id AND vr.msg_id = m.msg_id' } : { col: '', join: '' };
      const rows = db
        .prepare(
          `SELECT seq, m.msg_id AS id, m.estate_id AS estateId, m.device_id AS deviceId, d.kind AS kind, channel, type, ts,
                  received_at AS receivedAt, clock_skewed AS clockSkewed, payload${raw.col}
           FROM messages m LEFT JOIN devices d ON d.id = m.device_id ${raw.join} ${w.sql} ORDER BY seq DESC LIMIT ?`,
        )
        .all(...w.args, q.limit) as (Omit<MessageRow, 'payload' | 'clockSkewed'> & { payload: string; clockSkewed: number; vendorRaw?: string | null })[];
      return rows.map(({ vendorRaw, ...r }) => ({
        ...r,
        clockSkewed: r.clockSkewed === 1,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        ...(vendorRaw ? { vendorRaw: JSON.parse(vendorRaw) as unknown } : {}),
      }));
    },
    deadLetters(q) {
      const w = where({ estate_id: q.estateId, device_id: q.deviceId, reason: q.reason, before: q.before });
      return db
        .prepare(
          `SELECT seq, estate_id AS estateId, device_id AS deviceId, topic, reason, field, message, payload_bytes AS payloadBytes,
                  payload_excerpt AS payloadExcerpt, received_at AS receivedAt FROM dead_letters ${w.sql} ORDER BY seq DESC LIMIT ?`,
        )
        .all(...w.args, q.limit) as DeadLetterRow[];
    },
    presence(q) {
      const w = where({ estate_id: q.estateId, device_id: q.deviceId, before: q.before });
      const rows = db
        .prepare(`SELECT seq, device_id AS deviceId, online, at, reason FROM presence ${w.sql} ORDER BY seq DESC LIMIT ?`)
        .all(...w.args, q.limit) as (Omit<PresenceRow, 'online'> & { online: number })[];
      return rows.map((r) => ({ ...r, online: r.online === 1 }));
    },
    commands(q) {
      const w = where({ estate_id: q.estateId, device_id: q.deviceId, status: q.status, before: q.before }, 'rowid');
      const rows = db
        .prepare(
          `SELECT rowid AS seq, cmd_id AS cmdId, estate_id AS estateId, device_id AS deviceId, type, payload, status, attempts,
                  requested_by AS requestedBy, created_at AS createdAt, expires_at AS expiresAt, finished_at AS finishedAt,
                  latency_ms AS latencyMs, error, note FROM commands ${w.sql} ORDER BY rowid DESC LIMIT ?`,
        )
        .all(...w.args, q.limit) as (Omit<CommandRow, 'payload' | 'note'> & { seq: number; payload: string; note: string | null })[];
      return rows.map(({ note, ...r }) => ({ ...r, ...(note ? { note } : {}), payload: JSON.parse(r.payload) as Record<string, unknown> }));
    },
    counters: counterReader,
    counterReader,
  };
}

export function createCommandLog(db: Db): CommandLog {
  const insert = db.prepare(
    `INSERT INTO commands (cmd_id, estate_id, device_id, type, payload, status, attempts, requested_by, created_at, expires_at)
     VALUES (@cmdId, @estateId, @deviceId, @type, @payload, @status, @attempts, @requestedBy, @createdAt, @expiresAt)`,
  );
  const COLUMNS: Record<string, string> = {
    status: 'status',
    attempts: 'attempts',
    finishedAt: 'finished_at',
    latencyMs: 'latency_ms',
    error: 'error',
    note: 'note',
    expiresAt: 'expires_at',
    payload: 'payload',
  };
  return {
    create(row) {
      insert.run({ ...row, payload: JSON.stringify(row.payload), requestedBy: row.requestedBy ?? null, expiresAt: row.expiresAt ?? null });
    },
    update(cmdId, patch) {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return;
      const sets = entries.map(([k]) => `${COLUMNS[k]} = ?`).join(', ');
      const values = entries.map(([k, v]) => (k === 'payload' ? JSON.stringify(v) : (v as string | number)));
      db.prepare(`UPDATE commands SET ${sets} WHERE cmd_id = ?`).run(...values, cmdId);
    },
  };
}
