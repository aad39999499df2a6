import { cmdHex, CMD } from './commands.js';
import type { JuyFrame } from './frame.js';

/** FNV-1a, 32 bits: a short, stable digest of a frame's bytes (not a security measure). */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * The device's 32-bit order number for a Linli session: a digest of the session
 * id, so the transport can work it out again (a stop after a restart) without a
 * table. Never 0 (the vendor sample numbers orders from 1).
 */
export function orderNoFor(sessionId: string): number {
  return fnv1a32(new TextEncoder().encode(sessionId)) || 1;
}

/** Frames the device resends until answered: their content names them, so a resend is the same message. */
const RESENT = new Set<number>([CMD.end, CMD.localStart]);

/**
 * The contract envelope `id` of what a frame became (contract ids: ≤ 64 of
 * `[A-Za-z0-9_.-]`). Derived from the frame, never from a counter:
 *
 * - 0x85 end and 0x86 local start are resent by the device (up to 3 times, 10 s
 *   apart) until acked: `juy85.p{port}.o{order}.{digest of DATA}`, equal for every
 *   resend, so the gateway's duplicate check drops them.
 * - 0x83/0x84 answers: `juy83.p{port}.o{order}.r{result}`; the answer to our
 *   resent command is the same answer.
 * - Everything else repeats byte for byte in normal life (a heartbeat, the same
 *   card swiped twice): `juy{CMD}.{receipt ms}.{digest}`, so a repeat is a new message.
 */
export function frameMessageId(frame: JuyFrame, receivedAtMs: number, port?: number, orderNo?: number): string {
  const c = cmdHex(frame.command);
  const digest = hex8(fnv1a32(frame.data));
  if (RESENT.has(frame.command) && port !== undefined && orderNo !== undefined) return `juy${c}.p${port}.o${orderNo}.${digest}`;
  if ((frame.command === CMD.remoteStart || frame.command === CMD.remoteStop) && port !== undefined && orderNo !== undefined) {
    return `juy${c}.p${port}.o${orderNo}.r${frame.data[frame.data.length - 1] ?? 0}`;
  }
  return `juy${c}.${receivedAtMs}.${digest}`;
}
