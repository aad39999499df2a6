import { hexExcerpt, reject, type VendorRejection } from '../result.js';

/**
 * The JUY frame (vendor "TCP 通信协议" V1.2 §1):
 *
 *     5A A5 | LEN u16 LE | CMD | RESULT | [IMEI, 15 ASCII digits] | DATA | SUM
 *
 * - LEN counts CMD … SUM inclusive, so the whole frame is 4 + LEN bytes.
 * - SUM is the low 8 bits of the sum of every byte from LEN to the end of DATA.
 * - Multi-byte numbers are little-endian.
 * - RESULT: 0x01 success, 0x00 failure, 0xFF no network — every sample sends
 *   0x00 in both directions ("忽略" in the login example), so it is kept, not read.
 * - The IMEI is present only in the "new format": a device whose login carries a
 *   protocol version ≥ 0x64 switches to it when the login answer is 0xF0, and then
 *   only over TCP (MQTT topics name the device). The login itself always carries
 *   the IMEI at that place, as its first data field.
 */

export const HEADER = [0x5a, 0xa5] as const;
export const IMEI_BYTES = 15;
/** LEN covers at least CMD, RESULT and SUM. */
export const MIN_LEN = 3;
/**
 * The largest frame we accept. The longest legitimate one is a 0x88 answer for 64
 * ports (4 + 2 + 15 + 4 + 64 × 17 + 1 = 1114 bytes); the parameter table (0x89/0x8A)
 * and the peak-valley tariff (0x8D) are under 100.
 */
export const MAX_FRAME_BYTES = 1200;

export type Addressing = 'imei' | 'none';

export interface JuyFrame {
  command: number;
  /** The RESULT byte as sent (not interpreted). */
  result: number;
  /** The 15-digit IMEI after RESULT, when the frame has one (new format, and every login). */
  imei?: string;
  addressing: Addressing;
  /** The bytes after RESULT (and the IMEI when present), SUM excluded. */
  data: Uint8Array;
  sum: number;
  /** The whole frame, for support. */
  bytes: Uint8Array;
}

export interface ParseOptions {
  /**
   * Whether the frame carries the IMEI after RESULT. `auto` (default) looks: 15
   * ASCII digits there. In the old format the first data byte is a port number, a
   * port count or a signal value (all < 0x30), so a digit run cannot be mistaken.
   */
  addressing?: Addressing | 'auto';
}

/** Low 8 bits of the sum of bytes [from, to). */
export function checksum(bytes: Uint8Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s = (s + bytes[i]!) & 0xff;
  return s;
}

export function isImei(text: string): boolean {
  return /^\d{15}$/.test(text);
}

function digitsAt(bytes: Uint8Array, at: number, n: number): boolean {
  if (bytes.length < at + n) return false;
  for (let i = at; i < at + n; i++) if (bytes[i]! < 0x30 || bytes[i]! > 0x39) return false;
  return true;
}

const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/**
 * One frame, exactly: header, LEN against the frame's real length, SUM. A frame
 * from MQTT is one payload; from TCP, one item of `splitFrames`. Never throws.
 */
export function parseFrame(bytes: Uint8Array, options: ParseOptions = {}): JuyFrame | VendorRejection {
  if (bytes.length > MAX_FRAME_BYTES) {
    return reject('too-large', '', `${bytes.length} bytes is over the ${MAX_FRAME_BYTES}-byte limit for one JUY frame`);
  }
  if (bytes.length < 2 || bytes[0] !== HEADER[0] || bytes[1] !== HEADER[1]) {
    if (bytes.length < 2 && (bytes.length === 0 || bytes[0] === HEADER[0])) {
      return reject('truncated', '', `${bytes.length} bytes, shorter than the 5AA5 header`);
    }
    return reject('unknown-message', 'header', `does not start with 5A A5 (${hexExcerpt(bytes, 8)})`);
  }
  if (bytes.length < 4 + MIN_LEN) {
    return reject('truncated', '', `${bytes.length} bytes, shorter than the smallest frame (7: header, LEN, CMD, RESULT, SUM) (${hexExcerpt(bytes)})`);
  }
  const len = bytes[2]! | (bytes[3]! << 8);
  if (len < MIN_LEN) return reject('bad-length', 'LEN', `LEN ${len} is under ${MIN_LEN} (CMD, RESULT and SUM at least)`);
  const total = 4 + len;
  if (total > MAX_FRAME_BYTES) return reject('too-large', 'LEN', `LEN ${len} makes a ${total}-byte frame, over the ${MAX_FRAME_BYTES}-byte limit`);
  if (bytes.length < total) {
    return reject('truncated', 'LEN', `LEN ${len} (CMD…SUM) means ${total} bytes in all, the frame has ${bytes.length}`);
  }
  if (bytes.length > total) {
    return reject('bad-length', 'LEN', `LEN ${len} (CMD…SUM) means ${total} bytes in all, the frame has ${bytes.length}`);
  }
  const sum = bytes[total - 1]!;
  const computed = checksum(bytes, 2, total - 1);
  if (sum !== computed) {
    return reject('bad-crc', 'SUM', `frame carries 0x${hex2(sum)}, the low 8 bits of LEN…DATA are 0x${hex2(computed)}`);
  }
  const command = bytes[4]!;
  const body = bytes.subarray(6, total - 1);
  const mode = options.addressing ?? 'auto';
  const hasImei = mode === 'imei' || (mode === 'auto' && digitsAt(body, 0, IMEI_BYTES));
  if (hasImei) {
    if (!digitsAt(body, 0, IMEI_BYTES)) {
      return reject('schema', 'IMEI', `the device uses the IMEI format, but the 15 bytes after RESULT are not digits (${hexExcerpt(body, 15)})`);
    }
    return {
      command,
      result: bytes[5]!,
      imei: ascii(body.subarray(0, IMEI_BYTES)),
      addressing: 'imei',
      data: body.slice(IMEI_BYTES),
      sum,
      bytes: bytes.slice(0, total),
    };
  }
  return { command, result: bytes[5]!, addressing: 'none', data: body.slice(), sum, bytes: bytes.slice(0, total) };
}

export interface BuildOptions {
  /** Put the IMEI after RESULT (new format, TCP only). */
  imei?: string;
  /** RESULT byte; 0 as in every vendor sample. */
  result?: number;
}

/** A frame around DATA, LEN and SUM computed. */
export function buildFrame(command: number, data: Uint8Array, options: BuildOptions = {}): Uint8Array | VendorRejection {
  const imei = options.imei;
  if (imei !== undefined && !isImei(imei)) return reject('schema', 'imei', 'must be 15 ASCII digits');
  const idBytes = imei === undefined ? 0 : IMEI_BYTES;
  const total = 4 + 2 + idBytes + data.length + 1;
  if (total > MAX_FRAME_BYTES) return reject('too-long', 'DATA', `a ${total}-byte frame is over the ${MAX_FRAME_BYTES}-byte limit`);
  const len = total - 4;
  const frame = new Uint8Array(total);
  frame.set([HEADER[0], HEADER[1], len & 0xff, len >> 8, command & 0xff, (options.result ?? 0) & 0xff]);
  if (imei !== undefined) for (let i = 0; i < IMEI_BYTES; i++) frame[6 + i] = imei.charCodeAt(i);
  frame.set(data, 6 + idBytes);
  frame[total - 1] = checksum(frame, 2, total - 1);
  return frame;
}

// ── little-endian fields ───────────────────────────────────────────────────────────────────────────

/** Reads fixed fields from DATA; `ok` is false once a read went past the end. */
export class Reader {
  private at = 0;
  ok = true;
  constructor(private readonly bytes: Uint8Array) {}
  get offset(): number {
    return this.at;
  }
  get remaining(): number {
    return this.bytes.length - this.at;
  }
  private take(n: number): Uint8Array {
    const out = this.bytes.subarray(this.at, this.at + n);
    if (out.length < n) this.ok = false;
    this.at += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0] ?? 0;
  }
  u16(): number {
    const b = this.take(2);
    return (b[0] ?? 0) | ((b[1] ?? 0) << 8);
  }
  u32(): number {
    const b = this.take(4);
    return ((b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16) | ((b[3] ?? 0) << 24)) >>> 0;
  }
  bytesOf(n: number): Uint8Array {
    return this.take(n);
  }
}

/** Builds DATA from fixed little-endian fields. */
export class Writer {
  private readonly out: number[] = [];
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    this.out.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number): this {
    this.out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.out.push(0);
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
