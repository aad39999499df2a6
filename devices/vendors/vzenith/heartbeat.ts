import { byteLength, toBytes, utf8Strict } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { HeartbeatFields } from './schemas.js';
import { deadLetterFromZod } from './events.js';

/**
 * §2.5 heartbeat and comet poll: a form POST (the vendor says multipart/form-data;
 * urlencoded is read too). It carries the camera's web login in clear
 * (`user_name`, `pass_wd`): those values are skipped while parsing, never
 * returned, never put in a message.
 */
export interface Heartbeat {
  kind: 'heartbeat';
  serialNo: string;
  deviceName?: string;
  ip?: string;
  port?: number;
  channels?: number;
  /** True when the camera sent its web login; it was dropped unread. */
  credentialsDropped: boolean;
  /** Names (only) of other fields we do not use. */
  ignoredFields: string[];
}

export const MAX_HEARTBEAT_BYTES = 16 * 1024;
const CREDENTIALS = new Set(['user_name', 'pass_wd', 'password', 'passwd', 'username']);
const KNOWN = new Set(['serialno', 'device_name', 'ipaddr', 'port', 'channel_num']);

export function isFormContentType(contentType: string | undefined): boolean {
  return /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(contentType ?? '');
}

export function looksLikeMultipart(text: string): boolean {
  return /^[\s\S]{0,200}?--[0-9A-Za-z'()+_,./:=?-]{1,70}?\s*Content-Disposition/i.test(text);
}

export function decodeHeartbeat(body: Uint8Array | string, contentType?: string): Heartbeat | VendorRejection {
  const size = byteLength(body);
  if (size > MAX_HEARTBEAT_BYTES) return reject('too-large', '', `${size} bytes is over the ${MAX_HEARTBEAT_BYTES}-byte limit for a heartbeat`);
  const text = typeof body === 'string' ? body : utf8Strict(toBytes(body), '');
  if (typeof text !== 'string') return text;
  const type = (contentType ?? '').trim().toLowerCase();
  let fields: Map<string, string> | VendorRejection;
  if (type.startsWith('application/x-www-form-urlencoded')) fields = urlencodedFields(text);
  else if (type.startsWith('multipart/form-data') || (!type && looksLikeMultipart(text))) fields = multipartFields(text, contentType);
  else if (!type) fields = urlencodedFields(text);
  else return reject('unsupported-content-type', 'Content-Type', `"${type.slice(0, 60)}" is not a form`);
  if (!(fields instanceof Map)) return fields;

  let credentialsDropped = false;
  const known: Record<string, string> = {};
  const ignoredFields: string[] = [];
  for (const [name, value] of fields) {
    if (CREDENTIALS.has(name)) credentialsDropped = true;
    else if (KNOWN.has(name)) known[name] = value;
    else if (ignoredFields.length < 16) ignoredFields.push(name.replace(/[^\w.-]/g, '?').slice(0, 32));
  }
  const parsed = HeartbeatFields.safeParse(known);
  if (!parsed.success) return deadLetterFromZod(parsed.error, 'form');
  const f = parsed.data;
  return {
    kind: 'heartbeat',
    serialNo: f.serialno,
    ...(f.device_name !== undefined ? { deviceName: f.device_name } : {}),
    ...(f.ipaddr !== undefined ? { ip: f.ipaddr } : {}),
    ...(f.port !== undefined ? { port: Number(f.port) } : {}),
    ...(f.channel_num !== undefined ? { channels: Number(f.channel_num) } : {}),
    credentialsDropped,
    ignoredFields,
  };
}

/** Credentials are recorded as present with an empty value: their text never leaves the parser. */
function keep(fields: Map<string, string>, name: string, value: string) {
  const n = name.trim();
  if (!fields.has(n)) fields.set(n, CREDENTIALS.has(n) ? '' : value);
}

function urlencodedFields(text: string): Map<string, string> | VendorRejection {
  const fields = new Map<string, string>();
  if (!text.includes('=')) return reject('bad-form', '', 'neither multipart nor urlencoded form fields');
  for (const [name, value] of new URLSearchParams(text.trim())) keep(fields, name, value);
  return fields;
}

/**
 * RFC 7578 multipart/form-data. Also reads the vendor document's printed sample,
 * whose line breaks were lost (`name="device_name"IVS` with the next boundary
 * straight after): a part with no header block is `name="…"` followed by its value.
 */
function multipartFields(text: string, contentType: string | undefined): Map<string, string> | VendorRejection {
  const declared = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  const sniffed = /(--[0-9A-Za-z'()+_,./:=?-]{1,70}?)\s*Content-Disposition/i.exec(text);
  const delimiter = declared ? `--${declared[1] ?? declared[2]}` : sniffed?.[1];
  if (!delimiter) return reject('bad-form', 'Content-Type', 'multipart form without a boundary');
  const segments = text.split(delimiter);
  if (segments.length < 2) return reject('bad-form', '', 'the boundary never occurs in the body');
  const fields = new Map<string, string>();
  for (const [i, segment] of segments.slice(1).entries()) {
    if (segment.startsWith('--')) break; // close delimiter; the rest is epilogue
    const head = /Content-Disposition:\s*form-data\s*;\s*name\s*=\s*"([^"]{0,64})"/i.exec(segment);
    if (!head) return reject('bad-form', `part${i}`, 'a part without Content-Disposition: form-data; name="…"');
    const rest = segment.slice(head.index + head[0].length);
    let value: string;
    if (/^[^\S\r\n]*(;|\r?\n)/.test(rest)) {
      const blank = /\r?\n\r?\n/.exec(rest);
      if (!blank) return reject('bad-form', `part${i}`, 'headers without the blank line before the value');
      value = rest.slice(blank.index + blank[0].length).replace(/\r?\n$/, '');
    } else value = rest.trim();
    keep(fields, head[1]!, value);
  }
  return fields;
}
