import { rejectHik, type HikRejection } from './reasons.js';

/**
 * multipart/form-data and multipart/mixed bodies (RFC 2046 §5.1.1, RFC 7578),
 * split as bytes so JPEG parts stay intact. A Hikvision camera posts its
 * `EventNotificationAlert` as a part named `anpr.xml` (Content-Type `text/xml`
 * or `application/xml`) followed by its pictures (`licensePlatePicture.jpg`,
 * `detectionPicture.jpg`, …) as `image/jpeg` (older firmware: `image/pjpeg` or
 * `application/octet-stream`). The boundary comes from the Content-Type only.
 */

export interface Part {
  /** Content-Disposition `name`. */
  name?: string;
  /** Content-Disposition `filename`. */
  filename?: string;
  /** The part's Content-Type, lower-cased, parameters dropped. */
  contentType?: string;
  /** The part's own Content-Length header, when it sent one (checked, not trusted). */
  declaredLength?: number;
  body: Uint8Array;
}

/** A camera's pictures plus the XML; the schema allows 8 pictures. */
export const MAX_PARTS = 16;
const MAX_PART_HEADER_BYTES = 4096;
// RFC 2046 §5.1.1 bchars, 1–70 of them, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The `boundary` parameter of a multipart Content-Type. */
export function boundaryOf(contentType: string): string | HikRejection {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2] ?? '') : undefined;
  if (b === undefined) return rejectHik('bad-multipart', 'Content-Type', `"${contentType.slice(0, 80)}" has no boundary parameter`);
  if (!BOUNDARY.test(b)) return rejectHik('bad-multipart', 'Content-Type', 'the boundary is not 1–70 RFC 2046 characters');
  return b;
}

/** First index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  let i = hay.indexOf(first, from);
  while (i >= 0 && i + needle.length <= hay.length) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const LAX = new TextDecoder('utf-8');

function readHeaders(bytes: Uint8Array): Omit<Part, 'body'> {
  const out: Omit<Part, 'body'> = {};
  for (const line of LAX.decode(bytes).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') out.contentType = value.split(';')[0]!.trim().toLowerCase();
    else if (name === 'content-length' && /^\d{1,10}$/.test(value)) out.declaredLength = Number(value);
    else if (name === 'content-disposition') {
      const pName = /(?:^|;)\s*name\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(value);
      const pFile = /(?:^|;)\s*filename\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(value);
      if (pName) out.name = (pName[1] ?? pName[2] ?? '').slice(0, 128);
      if (pFile) out.filename = (pFile[1] ?? pFile[2] ?? '').slice(0, 128);
    }
  }
  return out;
}

/** After a delimiter: transport padding, then CRLF (LF tolerated). Returns the index after it, or -1. */
function afterLineEnd(body: Uint8Array, i: number): number {
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  if (body[i] === 0x0d && body[i + 1] === 0x0a) return i + 2;
  if (body[i] === 0x0a) return i + 1;
  return -1;
}

/** The next "\n--boundary" that is a delimiter: followed by "--" or by padding and a line end (RFC 2046: anything else is content). */
function findDelimiter(body: Uint8Array, delimiter: Uint8Array, from: number): number {
  let at = indexOfBytes(body, delimiter, from);
  while (at >= 0) {
    const after = at + delimiter.length;
    if (after >= body.length || (body[after] === 0x2d && body[after + 1] === 0x2d) || afterLineEnd(body, after) >= 0) return at;
    at = indexOfBytes(body, delimiter, at + 1);
  }
  return -1;
}

/** The parts between the first delimiter and the closing one; the preamble and epilogue are ignored. */
export function splitMultipart(body: Uint8Array, boundary: string): Part[] | HikRejection {
  const dash = ascii(`--${boundary}`);
  const delimiter = ascii(`\n--${boundary}`); // CRLF before it: the CR ends the previous body and is cut below
  const first = indexOfBytes(body.subarray(0, dash.length), dash) === 0 ? -1 : findDelimiter(body, delimiter, 0);
  if (first === -1 && indexOfBytes(body.subarray(0, dash.length), dash) !== 0) {
    return rejectHik('bad-multipart', '', 'the boundary named in the Content-Type never occurs in the body');
  }
  let at = first === -1 ? 0 : first + 1; // at the first "--boundary" (after the LF of "\n--boundary")
  const parts: Part[] = [];
  for (;;) {
    let i = at + dash.length;
    if (body[i] === 0x2d && body[i + 1] === 0x2d) return parts.length ? parts : rejectHik('bad-multipart', '', 'no parts before the closing boundary');
    const lineEnd = afterLineEnd(body, i);
    if (lineEnd < 0) {
      const cut = i + 2 > body.length;
      return rejectHik(cut ? 'truncated' : 'bad-multipart', `part ${parts.length + 1}`, cut ? 'the body ends inside a boundary line' : 'the boundary line does not end with CRLF');
    }
    i = lineEnd;
    // The next delimiter bounds this part; headers never contain one.
    const next = findDelimiter(body, delimiter, i);
    if (next < 0) return rejectHik('truncated', `part ${parts.length + 1}`, 'no boundary after it: the body was cut before its closing --boundary--');
    const head = body.subarray(i, next);
    const crlf2 = indexOfBytes(head, ascii('\r\n\r\n'));
    const lf2 = indexOfBytes(head, ascii('\n\n'));
    const headEnd = crlf2 >= 0 && (lf2 < 0 || crlf2 < lf2) ? crlf2 : lf2;
    // Headers that run straight into the next delimiter: a part with no body (a camera's 0-byte picture).
    const headerBytes = headEnd < 0 ? head.length : headEnd;
    if (headerBytes > MAX_PART_HEADER_BYTES) return rejectHik('bad-multipart', `part ${parts.length + 1}`, `headers longer than ${MAX_PART_HEADER_BYTES} bytes`);
    const headers = readHeaders(head.subarray(0, headerBytes));
    const start = headEnd < 0 ? next : i + headEnd + (headEnd === crlf2 ? 4 : 2);
    const end = next > start && body[next - 1] === 0x0d ? next - 1 : next;
    parts.push({ ...headers, body: body.subarray(start, Math.max(start, end)) });
    if (parts.length > MAX_PARTS) return rejectHik('bad-multipart', '', `more than ${MAX_PARTS} parts`);
    at = next + 1;
  }
}
