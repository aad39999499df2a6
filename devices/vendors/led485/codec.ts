import type { z } from 'zod';
import { base64Strict } from '../bytes.js';
import { encodeGbk } from '../gbk.js';
import { reject, type VendorRejection } from '../result.js';
import {
  MAX_VOICE_BYTES,
  TEXT_HEADER_BYTES,
  VOICE_OPTIONS,
  boardWeekday,
  commandName,
  decodeReplyBody,
  decodeRequestBody,
  type CommandName,
  type FrameBody,
} from './commands.js';
import { MAX_DATA_BYTES, MAX_FRAME_BYTES, buildFrame, hex2, parseFrame } from './frame.js';
import { TextStyle, VoiceStyle } from './schemas.js';

/**
 * The RS-485 LED/voice board behind a plate camera's serial passthrough: text →
 * frame bytes and frame bytes → what they say. Pure: no I/O, no clock.
 */

export interface EncodedFrame {
  ok: true;
  frame: Uint8Array;
  /** Things that will probably not show or sound as meant (e.g. GBK characters outside GB2312). */
  warnings: string[];
}

export interface DecodedFrame {
  address: number;
  version: number;
  packet: number;
  command: number;
  name: CommandName;
  /** Who sent it: the host (camera passthrough, us) or the board (its reply). */
  from: 'host' | 'board';
  body: FrameBody;
}

function parseOptions<T extends z.ZodType>(schema: T, value: unknown, field: string): z.infer<T> | VendorRejection {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return reject('schema', [field, ...issue.path.map(String)].join('.'), issue.message);
}

function framed(command: number, data: Uint8Array, address: number, warnings: string[]): EncodedFrame | VendorRejection {
  const frame = buildFrame(command, data, address);
  return frame instanceof Uint8Array ? { ok: true, frame, warnings } : frame;
}

const outsideWarning = (field: string, chars: string[]) =>
  chars.length ? [`${field}: ${chars.join('')} are GBK but not GB2312; the board's document promises GB2312 only`] : [];

/** 0x30 play voice: OPT + GBK text (≤ 254 bytes). The board matches phrases of its built-in library, split by commas. */
export function encodeVoice(text: string, options?: Partial<VoiceStyle>, address = 0): EncodedFrame | VendorRejection {
  const style = parseOptions(VoiceStyle, options, 'voice');
  if ('ok' in style) return style;
  if (text.length === 0) return reject('schema', 'voice', 'empty text: nothing to say');
  const gbk = encodeGbk(text, 'voice');
  if ('ok' in gbk) return gbk;
  if (gbk.bytes.length > MAX_VOICE_BYTES) {
    return reject('too-long', 'voice', `${gbk.bytes.length} GBK bytes is over the board's ${MAX_VOICE_BYTES}`);
  }
  const data = new Uint8Array(1 + gbk.bytes.length);
  data[0] = VOICE_OPTIONS.indexOf(style.option);
  data.set(gbk.bytes, 1);
  return framed(0x30, data, address, outsideWarning('voice', gbk.outsideGb2312));
}

/** 0x62 temporary text on one window (line) of the board; lost at power-off, as a refusal should be. */
export function encodeTextLine(
  window: number,
  text: string,
  options?: Partial<TextStyle>,
  address = 0,
  maxBytes = MAX_DATA_BYTES - TEXT_HEADER_BYTES,
): EncodedFrame | VendorRejection {
  const style = parseOptions(TextStyle, options, 'style');
  if ('ok' in style) return style;
  const field = `display.line${window}`;
  if (!Number.isInteger(window) || window < 0 || window > 3) return reject('schema', 'TWID', `window ${window} is not 0–3`);
  const gbk = encodeGbk(text, field);
  if ('ok' in gbk) return gbk;
  const limit = Math.min(maxBytes, MAX_DATA_BYTES - TEXT_HEADER_BYTES);
  if (gbk.bytes.length > limit) return reject('too-long', field, `${gbk.bytes.length} GBK bytes is over the ${limit} a line takes`);
  const data = new Uint8Array(TEXT_HEADER_BYTES + gbk.bytes.length);
  // TWID ETM ETS GST DT RA1[2] FINDEX DRS TC[4] RA2[4] TL R3. RA1 is sent as the document's example sends it
  // (00 01): in older copies those bytes are EXM/EXS, and an exit speed of 0 is outside their 1–32.
  data.set([window, style.enter, style.speed, style.screenTime, style.stay, 0x00, 0x01, style.font, style.repeat]);
  data.set([...style.color, 0x00, 0, 0, 0, 0, gbk.bytes.length, 0x00], 9);
  data.set(gbk.bytes, TEXT_HEADER_BYTES);
  return framed(0x62, data, address, outsideWarning(field, gbk.outsideGb2312));
}

/** 0x00 connect, with the board's password (6–32 ASCII characters). */
export function encodeConnect(password: string, address = 0): EncodedFrame | VendorRejection {
  if (!/^[\x21-\x7e]{6,32}$/.test(password)) return reject('schema', 'PWD', 'a password is 6–32 printable ASCII characters');
  return framed(0x00, Uint8Array.from(password, (c) => c.charCodeAt(0)), address, []);
}

/** 0x31 stop voice and empty the queue. */
export function encodeStopVoice(address = 0): EncodedFrame | VendorRejection {
  return framed(0x31, new Uint8Array(0), address, []);
}

export interface BoardTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** 0x05 sync the board's clock (local wall time; W is derived: 1 = Sunday … 7 = Saturday). */
export function encodeSyncTime(t: BoardTime, address = 0): EncodedFrame | VendorRejection {
  const ok =
    Number.isInteger(t.year) && t.year >= 1970 && t.year <= 2099 &&
    Number.isInteger(t.month) && t.month >= 1 && t.month <= 12 &&
    Number.isInteger(t.day) && t.day >= 1 && t.day <= new Date(Date.UTC(t.year, t.month, 0)).getUTCDate() &&
    [t.hour, t.minute, t.second].every((v, i) => Number.isInteger(v) && v >= 0 && v <= (i === 0 ? 23 : 59));
  if (!ok) return reject('schema', 'time', 'not a wall time between 1970 and 2099');
  const data = Uint8Array.from([t.year & 0xff, t.year >> 8, t.month, t.day, boardWeekday(t.year, t.month, t.day), t.hour, t.minute, t.second]);
  return framed(0x05, data, address, []);
}

/** A frame → header, length and CRC checked, then its DATA read for its command. */
export function decodeFrame(bytes: Uint8Array, from: 'host' | 'board' = 'host'): { ok: true; frame: DecodedFrame } | VendorRejection {
  const raw = parseFrame(bytes);
  if ('ok' in raw) return raw;
  const name = commandName(raw.command);
  if (!name) return reject('unknown-command', 'CMD', `0x${hex2(raw.command)} is not in the board's instruction set`);
  const body = from === 'host' ? decodeRequestBody(raw.command, raw.data) : decodeReplyBody(raw.command, raw.data);
  if ('ok' in body) return body;
  return { ok: true, frame: { address: raw.address, version: raw.version, packet: raw.packet, command: raw.command, name, from, body } };
}

/** A frame as the camera carries it in `serialData[].data` (base64). */
export function decodeFrameBase64(text: string, from: 'host' | 'board' = 'host') {
  const bytes = base64Strict(text, 'data', MAX_FRAME_BYTES);
  return bytes instanceof Uint8Array ? decodeFrame(bytes, from) : bytes;
}
