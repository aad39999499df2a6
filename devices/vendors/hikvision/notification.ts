import { byteLength, toBytes } from '../bytes.js';
import { decodeEvent, type DecodedEvent, type NotificationContext } from './event.js';
import { boundaryOf, splitMultipart, type Part } from './multipart.js';
import { rejectHik, type HikRejection } from './reasons.js';
import { parseXml } from './xml.js';

/**
 * What a Hikvision camera POSTs to its HTTP listening host (ISAPI
 * `/ISAPI/Event/notification/httpHosts`): an `EventNotificationAlert`, either as
 * plain XML or as multipart (form-data or mixed) with the XML part and JPEG
 * parts. Pure: the transport passes the body and its Content-Type, and gets
 * the decoded event, the pictures as bytes beside it (never inside a contract
 * message), and the XML text to keep for support.
 */

/** The XML and up to eight ~0.5 MB JPEGs; the transport's body limit should be the same. */
export const MAX_NOTIFICATION_BYTES = 8 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 3 * 1024 * 1024;
export const MAX_IMAGES = 8;
/** The support copy of the XML kept beside the event. */
export const MAX_RAW_CHARS = 16 * 1024;

export interface NotificationImage {
  /** The part's name (`licensePlatePicture.jpg`, `detectionPicture.jpg`, `vehiclePicture.jpg`, …). */
  name: string;
  /** `plate` = the plate crop, `scene` = a view of the vehicle or lane, `other` = anything else the camera attached. */
  role: 'plate' | 'scene' | 'other';
  bytes: Uint8Array;
}

export type Notification = DecodedEvent & { images: NotificationImage[] };

export type NotificationResult = { ok: true; notification: Notification; raw: string; warnings: string[] } | HikRejection;

const SCENE = /^(detection|vehicle|feature|panorama|composite)Picture/i;

function roleOf(name: string): NotificationImage['role'] {
  if (/^licensePlatePicture/i.test(name)) return 'plate';
  return SCENE.test(name) ? 'scene' : 'other';
}

const isXmlType = (t: string) => /^(?:application|text)\/(?:[\w.+-]+\+)?xml$/.test(t);
const startsLikeXml = (bytes: Uint8Array) => {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x3c; // "<"
};
const isJpeg = (b: Uint8Array) => b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Body + Content-Type (+ what registration knows) → one decoded notification, or a dead letter with its reason. Never throws. */
export function decodeNotification(body: Uint8Array | string, contentType: string | undefined, ctx: NotificationContext): NotificationResult {
  try {
    return decode(body, contentType, ctx);
  } catch (err) {
    // Nothing above is expected to throw; if a library does, it is still a dead letter, not a crash.
    return rejectHik('schema', '', `could not be decoded (${String((err as Error)?.message ?? err).slice(0, 80)})`);
  }
}

function decode(body: Uint8Array | string, contentType: string | undefined, ctx: NotificationContext): NotificationResult {
  const size = byteLength(body);
  if (size > MAX_NOTIFICATION_BYTES) return rejectHik('too-large', '', `${size} bytes is over the ${MAX_NOTIFICATION_BYTES}-byte limit`);
  const bytes = toBytes(body);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const warnings: string[] = [];
  let xmlBytes: Uint8Array;
  let xmlField = '';
  let images: NotificationImage[] = [];
  if (type.startsWith('multipart/')) {
    const boundary = boundaryOf(contentType!);
    if (typeof boundary !== 'string') return boundary;
    const parts = splitMultipart(bytes, boundary);
    if (!Array.isArray(parts)) return parts;
    const xml = pickXml(parts, warnings);
    if (!xml) return rejectHik('bad-multipart', '', `no XML part among ${parts.length} (${parts.map(describe).join(', ')})`);
    xmlBytes = xml.part.body;
    xmlField = xml.field;
    images = pickImages(parts, xml.part, warnings);
  } else if (isXmlType(type) || ((type === '' || type === 'text/plain' || type === 'application/octet-stream') && startsLikeXml(bytes))) {
    xmlBytes = bytes;
  } else if (type === 'application/json' || type.endsWith('+json')) {
    return rejectHik('unsupported-content-type', 'Content-Type', 'JSON event notifications are not read: set the camera\'s HTTP listening host to XML');
  } else if (bytes[0] === 0x2d && bytes[1] === 0x2d) {
    return rejectHik('bad-multipart', 'Content-Type', `the body is multipart but the Content-Type is "${type.slice(0, 60) || 'missing'}", so its boundary is unknown`);
  } else {
    return rejectHik('unsupported-content-type', 'Content-Type', `"${type.slice(0, 60) || 'missing'}" is neither XML nor multipart`);
  }
  const parsed = parseXml(xmlBytes, xmlField);
  if ('ok' in parsed) return parsed;
  const event = decodeEvent(parsed.root, parsed.value, ctx);
  if ('ok' in event) return event;
  if (event.kind === 'plate') matchPictures(event.extras.pictureNames, images, warnings);
  const raw = parsed.text.length > MAX_RAW_CHARS ? `${parsed.text.slice(0, MAX_RAW_CHARS)}…(cut)` : parsed.text;
  return { ok: true, notification: { ...event, images }, raw, warnings: [...warnings, ...('warnings' in event ? event.warnings : [])] };
}

function describe(p: Part): string {
  return `${(p.name ?? p.filename ?? '?').replace(/[^\w.-]/g, '?').slice(0, 40)}:${p.contentType ?? '?'}`;
}

function pickXml(parts: Part[], warnings: string[]): { part: Part; field: string } | undefined {
  const byType = parts.filter((p) => (p.contentType && /xml/.test(p.contentType)) || /\.xml$/i.test(p.name ?? p.filename ?? ''));
  const candidates = byType.length ? byType : parts.filter((p) => startsLikeXml(p.body));
  if (candidates.length > 1) warnings.push(`${candidates.length} XML parts: the first is read`);
  const part = candidates[0];
  return part && { part, field: `part ${(part.name ?? part.filename ?? '?').replace(/[^\w.-]/g, '?').slice(0, 40)}` };
}

function pickImages(parts: Part[], xml: Part, warnings: string[]): NotificationImage[] {
  const images: NotificationImage[] = [];
  for (const p of parts) {
    if (p === xml) continue;
    const name = (p.filename ?? p.name ?? `part${images.length + 1}.jpg`).replace(/[^\w.-]/g, '_').slice(0, 64);
    if (p.declaredLength !== undefined && p.declaredLength !== p.body.length) warnings.push(`${name}: ${p.body.length} bytes, its Content-Length says ${p.declaredLength}`);
    if (p.body.length === 0) {
      warnings.push(`${name}: empty picture part, skipped`);
      continue;
    }
    if (!isJpeg(p.body)) {
      warnings.push(`${name}: not a JPEG (${p.contentType ?? 'no type'}), dropped`);
      continue;
    }
    if (p.body.length > MAX_IMAGE_BYTES) {
      warnings.push(`${name}: ${p.body.length} bytes is over the ${MAX_IMAGE_BYTES}-byte picture limit, dropped`);
      continue;
    }
    if (images.length >= MAX_IMAGES) {
      warnings.push(`${name}: more than ${MAX_IMAGES} pictures, dropped`);
      continue;
    }
    // A copy: the caller may keep the pictures after the request body is released.
    images.push({ name, role: roleOf(name), bytes: p.body.slice() });
  }
  return images;
}

function matchPictures(listed: string[], images: NotificationImage[], warnings: string[]): void {
  const sent = new Set(images.map((i) => i.name));
  const missing = listed.filter((n) => !sent.has(n));
  if (missing.length && images.length) warnings.push(`pictures listed but not sent: ${missing.join(', ')}`);
}
