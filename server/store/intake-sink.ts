import type { IntakeItem, IntakeOutcome, IntakeSink } from '../../gateway/index.js';
import type { Db } from './sqlite.js';

/**
 * One transaction per batch: the messages, their dead letters, and each device's
 * last-seen. With synchronous=FULL the commit is fsynced before any PUBACK of the
 * batch leaves.
 */
export function createIntakeSink(db: Db): IntakeSink {
  const insertMessage = db.prepare(
    `INSERT OR IGNORE INTO messages (estate_id, device_id, channel, msg_id, type, ts, received_at, clock_skewed, payload)
     VALUES (@estateId, @deviceId, @channel, @msgId, @type, @ts, @receivedAt, @clockSkewed, @payload)`,
  );
  const insertDead = db.prepare(
    `INSERT INTO dead_letters (estate_id, device_id, topic, reason, field, message, payload_bytes, payload_excerpt, received_at)
     VALUES (@estateId, @deviceId, @topic, @reason, @field, @message, @payloadBytes, @payloadExcerpt, @receivedAt)`,
  );
  const insertRaw = db.prepare(`INSERT OR IGNORE INTO vendor_raw (device_id, msg_id, vendor, raw) VALUES (?, ?, ?, ?)`);
  const touchDevice = db.prepare(`UPDATE devices SET last_seen = ? WHERE id = ?`);
  const touchEvent = db.prepare(`UPDATE devices SET last_seen = ?, last_event_type = ?, last_event_at = ? WHERE id = ?`);

  const write = db.transaction((items: IntakeItem[]): IntakeOutcome[] => {
    const outcomes: IntakeOutcome[] = [];
    const seen = new Map<string, { at: string; eventType?: string }>();
    for (const item of items) {
      const r = item.record;
      if (item.kind === 'dead-letter') {
        insertDead.run({ ...item.record, estateId: item.record.estateId ?? null });
        outcomes.push('stored');
      } else {
        const { changes } = insertMessage.run({
          estateId: item.record.estateId,
          deviceId: item.record.deviceId,
          channel: item.record.channel,
          msgId: item.record.msgId,
          type: item.record.type,
          ts: item.record.ts,
          receivedAt: item.record.receivedAt,
          clockSkewed: item.record.clockSkewed ? 1 : 0,
          payload: JSON.stringify(item.record.payload),
        });
        outcomes.push(changes === 1 ? 'stored' : 'duplicate');
        const raw = item.record.vendorRaw;
        if (raw && changes === 1) insertRaw.run(item.record.deviceId, item.record.msgId, raw.vendor, raw.raw);
        const prev = seen.get(r.deviceId);
        const eventType = item.record.channel === 'event' && changes === 1 ? item.record.type : prev?.eventType;
        seen.set(r.deviceId, { at: r.receivedAt, eventType });
      }
    }
    for (const [deviceId, s] of seen) {
      if (s.eventType) touchEvent.run(s.at, s.eventType, s.at, deviceId);
      else touchDevice.run(s.at, deviceId);
    }
    return outcomes;
  });

  return { writeBatch: (items) => write(items) };
}
