import type { Logger } from 'pino';
import { parseUplink, type UplinkChannel } from '../devices/index.js';
import type { DeviceSession, GatewayBus } from './events.js';
import type { Clock, DeadLetterRecord, IntakeItem, IntakeOutcome, IntakeSink, UplinkRecord } from './ports.js';

export type IntakeResult = 'stored' | 'duplicate' | 'rejected';
type Done = (err: Error | null, result?: IntakeResult) => void;

interface Pending {
  item: IntakeItem;
  device: DeviceSession;
  done: Done;
}

export interface IntakeDeps {
  sink: IntakeSink;
  bus: GatewayBus;
  clock: Clock;
  clockSkewMs: number;
  log: Logger;
}

/** A transaction per event loop turn; large enough to amortise an fsync, small enough to keep acks prompt. */
const MAX_BATCH = 2000;
const EXCERPT_BYTES = 512;

/**
 * Intake: JSON → schema → de-duplicate → durable store, before the PUBACK.
 *
 * aedes writes the PUBACK after authorizePublish calls back, so each message's
 * callback waits for the group commit that holds it: one fsync covers every
 * message that arrived in the same event-loop turn (group commit), which is what
 * keeps "stored before acked" affordable.
 */
export function createIntake(deps: IntakeDeps) {
  let queue: Pending[] = [];
  let scheduled = false;
  let closed = false;

  /** `vendorRaw`: what a vendor device really sent, stored beside the message (vendor transports only). */
  function submit(device: DeviceSession, topic: string, channel: Exclude<UplinkChannel, 'status'>, payload: Buffer, done: Done, vendorRaw?: UplinkRecord['vendorRaw']): boolean {
    if (closed) {
      done(new Error('intake closed'));
      return false;
    }
    const receivedAt = new Date(deps.clock.now()).toISOString();
    const parsed = parseUplink(device.kind, channel, payload);
    const item: IntakeItem = parsed.ok
      ? { kind: 'uplink', record: { ...toRecord(device, channel, parsed.message, receivedAt), ...(vendorRaw ? { vendorRaw } : {}) } }
      : { kind: 'dead-letter', record: deadLetter(device, topic, payload, receivedAt, parsed) };
    queue.push({ item, device, done });
    if (queue.length >= MAX_BATCH) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    return parsed.ok;
  }

  /** A payload refused before parsing (e.g. at the socket) still leaves a dead letter. */
  function submitDeadLetter(record: DeadLetterRecord, device: DeviceSession, done: Done): void {
    queue.push({ item: { kind: 'dead-letter', record }, device, done });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }

  function toRecord(device: DeviceSession, channel: Exclude<UplinkChannel, 'status'>, msg: Record<string, unknown>, receivedAt: string): UplinkRecord {
    const ts = String(msg.ts);
    const skew = Math.abs(Date.parse(ts) - Date.parse(receivedAt));
    return {
      estateId: device.estateId,
      deviceId: device.deviceId,
      kind: device.kind,
      channel,
      msgId: String(msg.id),
      type: String(msg.type),
      ts,
      receivedAt,
      clockSkewed: skew > deps.clockSkewMs,
      payload: msg,
    };
  }

  function flush(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    let outcomes: IntakeOutcome[];
    try {
      outcomes = deps.sink.writeBatch(batch.map((p) => p.item));
    } catch (err) {
      // Nothing was written, so nothing is acknowledged: aedes closes these
      // connections without a PUBACK and the devices resend.
      deps.log.error({ err, batch: batch.length }, 'intake store failed; messages not acknowledged');
      for (const p of batch) p.done(err as Error);
      return;
    }
    batch.forEach((p, i) => settle(p, outcomes[i]!));
  }

  function settle(p: Pending, outcome: IntakeOutcome): void {
    if (p.item.kind === 'dead-letter') {
      p.done(null, 'rejected');
      deps.bus.emit('deadLetter', p.item.record);
      return;
    }
    const r = p.item.record;
    p.done(null, outcome);
    if (outcome === 'duplicate') {
      deps.bus.emit('duplicate', { deviceId: r.deviceId, msgId: r.msgId });
      return;
    }
    deps.bus.emit('message', {
      device: p.device,
      channel: r.channel,
      message: r.payload as Record<string, unknown> & { id: string; ts: string; type: string },
      receivedAt: r.receivedAt,
      clockSkewed: r.clockSkewed,
    });
  }

  return {
    submit,
    submitDeadLetter,
    /** Writes what is queued; used on shutdown so nothing accepted waits in memory. */
    drain(): void {
      flush();
    },
    close(): void {
      flush();
      closed = true;
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

export function deadLetter(
  device: Pick<DeviceSession, 'deviceId' | 'estateId'>,
  topic: string,
  payload: Buffer,
  receivedAt: string,
  why: { reason: string; field: string; message: string },
): DeadLetterRecord {
  return {
    estateId: device.estateId,
    deviceId: device.deviceId,
    topic,
    reason: why.reason,
    field: why.field,
    message: why.message,
    payloadBytes: payload.length,
    payloadExcerpt: payload.subarray(0, EXCERPT_BYTES).toString('utf8'),
    receivedAt,
  };
}
