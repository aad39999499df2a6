import { GatePassage } from '../../gate/schemas.js';
import { base64Strict, byteLength, toBytes, utf8Strict } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { decodeFrame, type DecodedFrame } from '../led485/codec.js';
import { MAX_FRAME_BYTES } from '../led485/frame.js';
import { AlarmGioIn, CommandResult, SerialData, TriggerImage } from './schemas.js';
import { deadLetterFromZod, forSupport, type VendorEvent } from './events.js';
import { decodeAlarmInfoPlate, MAX_IMAGE_BYTES, type DecodedPlate, type PushContext } from './plate.js';
import { decodeHeartbeat, isFormContentType, looksLikeMultipart, type Heartbeat } from './heartbeat.js';

/**
 * 臻识 Vzenith HTTP push → contract messages (vendor "HTTP 推送" §2). One entry
 * for everything a camera POSTs: the JSON pushes by their top-level key, the
 * heartbeat/comet form by its content type. Pure: the transport passes the body,
 * the Content-Type and what registration knows; nothing here throws.
 */

/** Two inline JPEGs in base64 and the JSON around them fit; the transport's body limit should be the same. */
export const MAX_PUSH_BYTES = 8 * 1024 * 1024;

export interface GioContext extends PushContext {
  /** Which IO input (§2.2 `source`, 0–3 = input 1–4) the loop detector is wired to; any when unset. */
  loopSource?: number;
  /** The input state that means a car went through (wiring: normally open or closed). Default 1. */
  passageValue?: 0 | 1;
}

export type DecodedPush =
  | DecodedPlate
  | { kind: 'gio-in'; serialNo: string; source: number; value: number; events: VendorEvent[]; warnings: string[] }
  | { kind: 'serial'; serialNo: string; serialChannel: number; bytes: Uint8Array; board: DecodedFrame | VendorRejection }
  | { kind: 'snapshot'; ip?: string; image: Uint8Array }
  | { kind: 'command-result'; cmd: string; succeeded: boolean; msgId?: string; serialNo?: string; message?: string }
  | Heartbeat;

/** The deepest push in the documents nests 6 levels; a body nested far deeper is refused before it is parsed (walking it would overflow the stack). */
const MAX_NESTING = 64;

/** The position where `[`/`{` nesting first exceeds `max` (outside strings), or 0. One pass, no recursion. */
function nestingOver(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i + 1;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return 0;
}

export type PushResult = { ok: true; push: DecodedPush; raw: unknown } | VendorRejection;

export function decodePush(body: Uint8Array | string, ctx: GioContext & { contentType?: string }): PushResult {
  const size = byteLength(body);
  if (size > MAX_PUSH_BYTES) return reject('too-large', '', `${size} bytes is over the ${MAX_PUSH_BYTES}-byte limit`);
  const text = typeof body === 'string' ? body : utf8Strict(toBytes(body), '');
  if (typeof text !== 'string') return text;
  if (isFormContentType(ctx.contentType) || (!ctx.contentType?.includes('json') && looksLikeMultipart(text))) {
    const hb = decodeHeartbeat(text, ctx.contentType);
    if ('ok' in hb) return hb;
    return { ok: true, push: hb, raw: { form: 'heartbeat', credentialsDropped: hb.credentialsDropped } };
  }
  const depth = nestingOver(text, MAX_NESTING);
  if (depth) return reject('schema', '', `nested deeper than ${MAX_NESTING} levels (at character ${depth})`);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return reject('not-json', '', `not JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return reject('not-object', '', 'must be one JSON object');
  const top = json as Record<string, unknown>;
  const done = (push: DecodedPush | VendorRejection): PushResult => ('ok' in push ? push : { ok: true, push, raw: forSupport(json) });

  if ('AlarmInfoPlate' in top) return done(decodeAlarmInfoPlate(top.AlarmInfoPlate, ctx));
  if ('AlarmGioIn' in top) return done(decodeGioIn(top.AlarmGioIn, ctx));
  if ('SerialData' in top) return done(decodeSerialData(top.SerialData));
  if ('TriggerImage' in top) return done(decodeTriggerImage(top));
  if ('cmd' in top && 'state_code' in top) return done(decodeCommandResult(top));
  const keys = Object.keys(top).slice(0, 4).map((k) => k.replace(/[^\w.-]/g, '?').slice(0, 32));
  return reject('unknown-message', '', `not a push this codec knows (keys: ${keys.join(', ') || 'none'})`);
}

/**
 * MQTT `ivs_result` (`device/{sn}/message/up/ivs_result`): the same
 * AlarmInfoPlate with `license` in base64 UTF-8. Only the payload is read here;
 * topics and the envelope belong to the MQTT transport.
 */
export function decodeIvsResult(json: unknown, ctx: PushContext): DecodedPlate | VendorRejection {
  const plate = (json as { payload?: { AlarmInfoPlate?: unknown } } | null)?.payload?.AlarmInfoPlate;
  if (plate === undefined) return reject('schema', 'payload.AlarmInfoPlate', 'required');
  return decodeAlarmInfoPlate(plate, ctx, 'base64');
}

/** §2.2 → gate.passage when the loop detector's input reaches its passage state. */
export function decodeGioIn(json: unknown, ctx: GioContext): DecodedPush | VendorRejection {
  const parsed = AlarmGioIn.safeParse(json);
  if (!parsed.success) return deadLetterFromZod(parsed.error, 'AlarmGioIn');
  const g = parsed.data;
  const { source, value } = g.result.TriggerResult;
  const warnings: string[] = [];
  const events: VendorEvent[] = [];
  if (ctx.loopSource !== undefined && source !== ctx.loopSource) warnings.push(`IO input ${source + 1} is not the loop detector's: no event`);
  else if (value !== (ctx.passageValue ?? 1)) warnings.push(`input state ${value} is not the passage state: no event`);
  else if (!ctx.direction) return reject('schema', 'direction', 'the lane has no registered direction, so a passage cannot be told in or out');
  else {
    // §2.2 carries no id and no time: the receipt time stands for both. A camera's resend is therefore a second passage.
    const passage = GatePassage.safeParse({
      id: `${g.serialno}.io${source}.${Date.parse(ctx.receivedAt)}`,
      ts: ctx.receivedAt,
      type: 'gate.passage',
      direction: ctx.direction,
    });
    if (!passage.success) return deadLetterFromZod(passage.error, 'gate.passage');
    events.push({ kind: 'gate', message: passage.data });
  }
  return { kind: 'gio-in', serialNo: g.serialno, source, value, events, warnings };
}

/** §2.3: what came in on the camera's RS-485 port, read as a board reply when it is one. */
function decodeSerialData(json: unknown): DecodedPush | VendorRejection {
  const parsed = SerialData.safeParse(json);
  if (!parsed.success) return deadLetterFromZod(parsed.error, 'SerialData');
  const s = parsed.data;
  const bytes = base64Strict(s.data, 'SerialData.data', 4096);
  if (!(bytes instanceof Uint8Array)) return bytes;
  if (bytes.length !== s.dataLen) return reject('bad-length', 'SerialData.dataLen', `says ${s.dataLen} bytes, data holds ${bytes.length}`);
  const board = bytes.length <= MAX_FRAME_BYTES ? decodeFrame(bytes, 'board') : reject('too-large', 'SerialData.data', 'longer than a board frame');
  return { kind: 'serial', serialNo: s.serialno, serialChannel: s.serialChannel, bytes, board: board.ok ? board.frame : board };
}

function decodeTriggerImage(json: unknown): DecodedPush | VendorRejection {
  const parsed = TriggerImage.safeParse(json);
  if (!parsed.success) return deadLetterFromZod(parsed.error, '');
  const t = parsed.data;
  const image = base64Strict(t.TriggerImage.imageFile, 'TriggerImage.imageFile', MAX_IMAGE_BYTES);
  if (!(image instanceof Uint8Array)) return image;
  return { kind: 'snapshot', ...(t.ipaddr ? { ip: t.ipaddr } : {}), image };
}

function decodeCommandResult(json: unknown): DecodedPush | VendorRejection {
  const parsed = CommandResult.safeParse(json);
  if (!parsed.success) return deadLetterFromZod(parsed.error, '');
  const c = parsed.data;
  return {
    kind: 'command-result',
    cmd: c.cmd,
    succeeded: c.state_code === 200,
    ...(c.msgId !== undefined ? { msgId: c.msgId } : {}),
    ...(c.serialno !== undefined ? { serialNo: c.serialno } : {}),
    ...(c.error_msg !== undefined ? { message: c.error_msg } : {}),
  };
}
