import { base64Strict, byteLength, toBytes, utf8Strict } from '../bytes.js';
import { decodeGbk } from '../gbk.js';
import { reject, type VendorRejection } from '../result.js';
import { decodeFrame, type DecodedFrame } from '../led485/codec.js';
import { MAX_FRAME_BYTES } from '../led485/frame.js';
import { ResponseBody } from './schemas.js';
import { deadLetterFromZod } from './events.js';

/**
 * A server's answer to a push or a poll → what the camera will do. For tests,
 * for the simulator that plays a camera, and for support ("what did we tell
 * the camera?"). Reads every answer shape in the vendor document and fixtures.
 */
export interface DecodedReply {
  kind: 'reply';
  /** `{"status":"ok"}`: acknowledged, nothing to do. */
  idle: boolean;
  /** `info`: "ok" opens (§2.6.1), anything else does not; undefined when absent. */
  open?: boolean;
  ioctrl?: { io: number; value: number; delayMs?: number };
  voice?: { text: string; encoding: 'utf-8' | 'gbk' | 'js-escape'; volume?: number; female?: boolean };
  serial: { channel: number; bytes: Uint8Array; frame: DecodedFrame | VendorRejection }[];
  continuePushOffline?: { plateId: number; continue: boolean };
  manualTrigger: boolean;
  msgId?: string;
  /** §2.6.7.7–10: LCD text for models with a screen. */
  lcd?: { module?: string; type?: string; scene?: string; lines: string[]; qrcode?: string };
  content?: string;
  /** Keys of the answer this decoder does not read (LCD config, OSD, snapshot…). */
  otherKeys: string[];
}

const READ = new Set([
  'info', 'content', 'is_pay', 'plateid', 'channelNum', 'serialData', 'ivs_ioctrl', 'playserver_json_request',
  'ContinuePushOffline', 'manualTrigger', 'msgId', 'module', 'type', 'reply_url', 'body',
]);
export const MAX_REPLY_BYTES = 1024 * 1024;
const R = 'Response_AlarmInfoPlate';

export function decodeReply(input: Uint8Array | string): { ok: true; reply: DecodedReply } | VendorRejection {
  const size = byteLength(input);
  if (size > MAX_REPLY_BYTES) return reject('too-large', '', `${size} bytes is over the ${MAX_REPLY_BYTES}-byte limit`);
  const text = typeof input === 'string' ? input : utf8Strict(toBytes(input), '');
  if (typeof text !== 'string') return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return reject('not-json', '', `not JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return reject('not-object', '', 'must be one JSON object');
  const top = json as Record<string, unknown>;
  const empty: DecodedReply = { kind: 'reply', idle: false, serial: [], manualTrigger: false, otherKeys: [] };
  if (top.status === 'ok' && !(R in top)) return { ok: true, reply: { ...empty, idle: true } };
  if (top.type === 'AVS_TRIGGER' && !(R in top)) return { ok: true, reply: { ...empty, manualTrigger: true } };
  if (!(R in top)) return reject('unknown-message', '', `none of ${R}, status, type (has ${Object.keys(top).slice(0, 4).join(', ')})`);
  const parsed = ResponseBody.safeParse(top[R]);
  if (!parsed.success) return deadLetterFromZod(parsed.error, R);
  const b = parsed.data;

  const reply: DecodedReply = { ...empty, otherKeys: Object.keys(b).filter((k) => !READ.has(k)) };
  if (b.info !== undefined) reply.open = b.info === 'ok';
  if (b.content !== undefined) reply.content = b.content;
  if (b.ivs_ioctrl) reply.ioctrl = { io: b.ivs_ioctrl.io, value: b.ivs_ioctrl.value, ...(b.ivs_ioctrl.delay !== undefined ? { delayMs: b.ivs_ioctrl.delay } : {}) };
  if (b.ContinuePushOffline) reply.continuePushOffline = { plateId: b.ContinuePushOffline.plateid, continue: b.ContinuePushOffline.continue === 1 };
  if (b.manualTrigger !== undefined) reply.manualTrigger = b.manualTrigger === 'ok';
  if (b.msgId !== undefined) reply.msgId = b.msgId;
  for (const [i, item] of (b.serialData ?? []).entries()) {
    const field = `${R}.serialData.${i}`;
    const bytes = base64Strict(item.data, `${field}.data`, MAX_FRAME_BYTES);
    if (!(bytes instanceof Uint8Array)) return bytes;
    const frame =
      bytes.length === item.dataLen
        ? decodeFrame(bytes, 'host')
        : reject('bad-length', `${field}.dataLen`, `says ${item.dataLen} bytes, data holds ${bytes.length}`);
    reply.serial.push({ channel: item.serialChannel, bytes, frame: frame.ok ? frame.frame : frame });
  }
  if (b.playserver_json_request) {
    const p = b.playserver_json_request;
    const voice = decodeVoiceText(p.voice, `${R}.playserver_json_request.voice`);
    if ('ok' in voice) return voice;
    reply.voice = { ...voice, ...(p.voice_volume !== undefined ? { volume: p.voice_volume } : {}), ...(p.voice_male !== undefined ? { female: p.voice_male === 1 } : {}) };
  }
  if (b.module === 'AD_CONFIG_REQUESTION' && b.type === 'ad_push_message' && b.body) {
    const lcd = decodeLcd(b.body, b.module, b.type);
    if ('ok' in lcd) return lcd;
    reply.lcd = lcd;
  } else if (b.module !== undefined || b.body !== undefined) reply.otherKeys.push(...['module', 'type', 'body'].filter((k) => k in b));
  return { ok: true, reply };
}

/**
 * §2.6.5 says `voice` is base64 of UTF-8 or GBK; its own example is base64 of a
 * JavaScript `escape()` string ("%u6B22…"). All three are read.
 */
function decodeVoiceText(b64: string, field: string): { text: string; encoding: 'utf-8' | 'gbk' | 'js-escape' } | VendorRejection {
  const bytes = base64Strict(b64.trim(), field, 4096);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const ascii = String.fromCharCode(...bytes);
  if (/^[\x20-\x7e]*$/.test(ascii) && /%u[0-9A-Fa-f]{4}/.test(ascii)) {
    const text = ascii.replace(/%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})/g, (_, u: string, b: string) => String.fromCharCode(parseInt(u ?? b, 16)));
    return { text, encoding: 'js-escape' };
  }
  const utf8 = utf8Strict(bytes, field);
  if (typeof utf8 === 'string') return { text: utf8, encoding: 'utf-8' };
  const gbk = decodeGbk(bytes, field);
  return typeof gbk === 'string' ? { text: gbk, encoding: 'gbk' } : reject('invalid-utf8', field, 'neither UTF-8 nor GBK text');
}

function decodeLcd(
  body: { scene_name?: string; custom?: string[]; qrcode_text?: string },
  module: string,
  type: string,
): NonNullable<DecodedReply['lcd']> | VendorRejection {
  const text = (b64: string, field: string): string | VendorRejection => {
    // The document's "full screen idle" example has a leading space in its base64; tolerate surrounding blanks.
    const bytes = base64Strict(b64.trim(), field, 1024);
    return bytes instanceof Uint8Array ? utf8Strict(bytes, field) : bytes;
  };
  const scene = body.scene_name === undefined ? undefined : text(body.scene_name, `${R}.body.scene_name`);
  if (typeof scene === 'object') return scene;
  const lines: string[] = [];
  for (const [i, c] of (body.custom ?? []).entries()) {
    const line = text(c, `${R}.body.custom.${i}`);
    if (typeof line !== 'string') return line;
    lines.push(line);
  }
  return { module, type, ...(scene !== undefined ? { scene } : {}), lines, ...(body.qrcode_text !== undefined ? { qrcode: body.qrcode_text } : {}) };
}
