import type { z } from 'zod';
import { Ack, MAX_PAYLOAD_BYTES, Status } from './envelope.js';
import { kindDef, type DeviceKind } from './kinds.js';
import type { UplinkChannel } from './topics.js';

export type RejectReason = 'too-large' | 'not-json' | 'not-object' | 'unknown-type' | 'schema';

export interface Rejection {
  ok: false;
  reason: RejectReason;
  /** Dotted path of the offending field ("" for the payload as a whole). */
  field: string;
  /** One line a person can act on, naming the field. */
  message: string;
}

export interface Accepted {
  ok: true;
  /** The validated message: an envelope with `type`, or a status object. */
  message: Record<string, unknown> & { type?: string; id?: string; ts?: string };
}

export type ParseResult = Accepted | Rejection;

function reject(reason: RejectReason, field: string, message: string): Rejection {
  return { ok: false, reason, field, message };
}

/** The first zod issue as a rejection whose message starts with the field's dotted path. */
export function schemaRejection(error: z.ZodError, whole = 'payload'): Rejection {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return reject('schema', field, `${field || whole}: ${issue.message}`);
}

/** Picks the schema for a payload on an uplink channel of a device kind. */
function schemaFor(kind: DeviceKind, channel: UplinkChannel, type: unknown): z.ZodType | Rejection {
  const def = kindDef(kind);
  switch (channel) {
    case 'status':
      return Status;
    case 'ack':
      return Ack;
    case 'telemetry':
      return def.telemetry;
    case 'event': {
      if (typeof type !== 'string') return reject('schema', 'type', 'type: required string');
      const schema = def.events[type];
      if (!schema) {
        const known = Object.keys(def.events).join(', ');
        return reject('unknown-type', 'type', `type: "${type.slice(0, 40)}" is not an event of a ${kind} (${known})`);
      }
      return schema;
    }
  }
}

/**
 * Contract §Envelope: parse → size → JSON → type → schema. Never throws: a bad
 * payload is data, returned as a Rejection whose message names the field.
 */
export function parseUplink(kind: DeviceKind, channel: UplinkChannel, payload: Buffer | string): ParseResult {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_PAYLOAD_BYTES) {
    return reject('too-large', '', `payload: ${size} bytes is over the ${MAX_PAYLOAD_BYTES}-byte limit`);
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (err) {
    return reject('not-json', '', `payload: not JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return reject('not-object', '', 'payload: must be one JSON object');
  }
  const schema = schemaFor(kind, channel, (json as { type?: unknown }).type);
  if ('ok' in schema) return schema;
  const result = schema.safeParse(json);
  if (!result.success) return schemaRejection(result.error);
  return { ok: true, message: result.data as Accepted['message'] };
}

/** Validates an outgoing command against the kind's schema (the gateway never sends what a device would reject). */
export function parseCommand(kind: DeviceKind, cmd: unknown): ParseResult {
  const type = (cmd as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' ? kindDef(kind).commands[type] : undefined;
  if (!schema) return reject('unknown-type', 'type', `type: "${String(type)}" is not a command of a ${kind}`);
  const result = schema.safeParse(cmd);
  if (!result.success) return schemaRejection(result.error, 'command');
  return { ok: true, message: result.data as Accepted['message'] };
}
