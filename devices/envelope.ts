import { z } from 'zod';
import { Id } from './ids.js';

/** Contract §Envelope: every payload is one UTF-8 JSON object of at most 64 KiB. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** ISO 8601 with a zone (Z or ±hh:mm), as devices send it. */
export const Timestamp = z.iso.datetime({ offset: true });

export const Envelope = z.object({
  id: Id,
  ts: Timestamp,
  type: z.string(),
});
export type Envelope = z.infer<typeof Envelope>;

/** Contract §Acks. */
export const Ack = Envelope.extend({
  type: z.literal('ack'),
  cmdId: Id,
  ok: z.boolean(),
  error: z.string().max(200).optional(),
  /** Added (optional): what the ack proves, when less than "done" (a vendor transport: `delivered` in its HTTP reply). */
  note: z.string().max(200).optional(),
});
export type Ack = z.infer<typeof Ack>;

/**
 * Contract §Topics, `status`: `{"online":true,"fw":"1.4.2"}` on connect and the
 * Last Will `{"online":false}`. No envelope is required here: the Will is fixed at
 * CONNECT time and cannot carry a fresh id or ts.
 */
export const Status = z.object({
  online: z.boolean(),
  fw: z.string().max(32).optional(),
  /** Added (optional): the retained `config.version` the device holds. */
  configVersion: z.number().int().min(0).optional(),
  id: Id.optional(),
  ts: Timestamp.optional(),
});
export type Status = z.infer<typeof Status>;

/** Fields every command carries; `expiresAt` is required by the gate commands and added (optional) to all. */
export const CommandBase = Envelope.extend({
  cmdId: Id,
  expiresAt: Timestamp.optional(),
});

export const Direction = z.enum(['in', 'out']);
export type Direction = z.infer<typeof Direction>;
