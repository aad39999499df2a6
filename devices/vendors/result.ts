/**
 * What every vendor codec answers when it cannot decode or encode: a dead-letter
 * reason, never an exception. The shape follows `devices/parse.ts` (`reason`,
 * `field`, `message`) so a transport stores vendor and contract rejections alike.
 */
export type VendorReason =
  // the bytes as a whole
  | 'too-large'
  | 'truncated'
  | 'bad-length'
  | 'bad-crc'
  | 'bad-base64'
  | 'invalid-utf8'
  | 'invalid-gbk'
  | 'not-json'
  | 'not-object'
  | 'bad-form'
  | 'unsupported-content-type'
  // what the bytes say
  | 'unknown-message'
  | 'unknown-command'
  | 'unknown-version'
  | 'schema'
  // our side: text or a command that the device cannot take
  | 'unencodable'
  | 'too-long'
  | 'expired'
  | 'gbk-unavailable';

export interface VendorRejection {
  ok: false;
  reason: VendorReason;
  /** Dotted path of the offending field in the vendor's message ("" for the message as a whole). */
  field: string;
  /** One line a person can act on; starts with the field. Never carries a secret's value. */
  message: string;
}

export function reject(reason: VendorReason, field: string, message: string): VendorRejection {
  return { ok: false, reason, field, message: `${field || 'payload'}: ${message}` };
}

export function isRejection(value: unknown): value is VendorRejection {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}

/** Hex of at most `max` bytes, for messages and support excerpts. */
export function hexExcerpt(bytes: Uint8Array, max = 32): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${head} …(${bytes.length} bytes)` : head;
}
