import { reject, type VendorRejection } from './result.js';

/** Bytes from a string or a byte array, without copying when it is already bytes. */
export function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function byteLength(input: Uint8Array | string): number {
  if (typeof input !== 'string') return input.length;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Strict UTF-8 (a leading BOM is dropped): bytes that are not UTF-8 are a rejection, not U+FFFD. */
export function utf8Strict(bytes: Uint8Array, field: string): string | VendorRejection {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    return reject('invalid-utf8', field, `${bytes.length} bytes that are not valid UTF-8`);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * RFC 4648 §4 base64, strictly: Node's own decoder skips what it does not know,
 * which would turn a damaged frame into a different, shorter one.
 */
export function base64Strict(text: string, field: string, maxBytes: number): Uint8Array | VendorRejection {
  if (text.length > Math.ceil(maxBytes / 3) * 4) {
    return reject('too-large', field, `${text.length} base64 characters is over the ${maxBytes}-byte limit`);
  }
  if (!BASE64.test(text)) return reject('bad-base64', field, 'not base64 (RFC 4648 alphabet, padded to 4)');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (SEXTET[text.charCodeAt(i)]! << 18) | (SEXTET[text.charCodeAt(i + 1)]! << 12) |
      ((SEXTET[text.charCodeAt(i + 2)] ?? 0) << 6) | (SEXTET[text.charCodeAt(i + 3)] ?? 0);
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// '=' maps to undefined and counts as 0: the padding check above already placed it.
const SEXTET: (number | undefined)[] = Array.from({ length: 128 }, (_, c) => {
  const i = ALPHABET.indexOf(String.fromCharCode(c));
  return i < 0 ? undefined : i;
});

/** Base64 without Node's Buffer: devices/ is imported by the browser dashboard too. */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
    s += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    s += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return s;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function fromHex(hex: string): Uint8Array | undefined {
  const clean = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) return undefined;
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}
