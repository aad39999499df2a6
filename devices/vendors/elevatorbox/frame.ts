import { toBytes } from '../bytes.js';
import { hexExcerpt, type VendorReason, type VendorRejection } from '../result.js';

/**
 * elevatorcloud-style framing over TCP: `#10#` + one JSON object + `#13#`, no
 * length and no checksum (kancloud "srioprotocol" as quoted in the 2017 developer
 * notes; the server's Workerman `input()` cuts at the first `#13#`, its `decode()`
 * drops everything up to `#10#` and trims). Markers are ASCII, so searching bytes
 * is safe inside UTF-8 text: no byte of a multi-byte sequence is 0x23 `#`.
 */
export const START = '#10#';
export const END = '#13#';
const START_BYTES = toBytes(START);
const END_BYTES = toBytes(END);

/**
 * The longest JSON between the markers we accept. The firmware that speaks this
 * protocol builds every frame in a 1,024-byte buffer (its send queue holds 300);
 * an `info` frame with all 27 of its fault codes is under 300 bytes.
 */
export const MAX_FRAME_BYTES = 4096;

/** Reasons of this codec: the shared ones, and bytes that sit outside `#10#…#13#`. */
export type BoxReason = VendorReason | 'bad-marker';

export interface BoxRejection extends Omit<VendorRejection, 'reason'> {
  reason: BoxReason;
}

export function rejectBox(reason: BoxReason, field: string, message: string): BoxRejection {
  return { ok: false, reason, field, message: `${field || 'payload'}: ${message}` };
}

/** Bytes the splitter threw away, with why; the bytes themselves are not kept (only an excerpt). */
export interface Garbage extends BoxRejection {
  bytes: number;
}

export interface SplitResult {
  /** The JSON between each pair of markers, in arrival order, markers removed. */
  frames: Uint8Array[];
  /** An unfinished frame (or a marker cut by the chunk boundary): put it before the next chunk. */
  rest: Uint8Array;
  /** What was dropped to get back in step; each is a dead letter. */
  garbage: Garbage[];
}

export interface SplitOptions {
  maxFrameBytes?: number;
}

/**
 * Streaming splitter. Call it with what is left from the last call followed by
 * the new chunk (`joinBytes(rest, chunk)`). It never throws and never keeps more
 * than one frame's worth of bytes: a frame that grows past the limit is dropped
 * (`too-large`), and the splitter resynchronises on the next `#10#`.
 *
 * - bytes before a `#10#` (other than whitespace: some modems add CR LF) → `bad-marker`;
 * - a `#10#` followed by another `#10#` before any `#13#` → the first frame is `truncated`;
 * - JSON longer than the limit → `too-large`, whether its `#13#` has come yet or not.
 */
export function splitFrames(input: Uint8Array | string, options: SplitOptions = {}): SplitResult {
  const max = options.maxFrameBytes ?? MAX_FRAME_BYTES;
  const buf = toBytes(input);
  const frames: Uint8Array[] = [];
  const garbage: Garbage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = indexOf(buf, START_BYTES, pos);
    if (start < 0) {
      // No start marker: keep a tail that may be the first bytes of one, drop the rest.
      const keep = partialMarkerTail(buf, START_BYTES);
      dropOutside(buf.subarray(pos, buf.length - keep), garbage);
      return { frames, rest: buf.slice(buf.length - keep), garbage };
    }
    dropOutside(buf.subarray(pos, start), garbage);
    const body = start + START_BYTES.length;
    const end = indexOf(buf, END_BYTES, body);
    const nextStart = indexOf(buf, START_BYTES, body);
    if (nextStart >= 0 && (end < 0 || nextStart < end)) {
      garbage.push(dropped('truncated', buf.subarray(start, nextStart), 'a frame with no #13# before the next #10#'));
      pos = nextStart;
      continue;
    }
    if (end < 0) {
      // The last bytes may be the first of a `#13#` cut by the chunk boundary.
      if (buf.length - body > max + END_BYTES.length - 1) {
        garbage.push(dropped('too-large', buf.subarray(start), `no #13# within ${max} bytes of #10#; skipped to the next #10#`));
        return { frames, rest: new Uint8Array(0), garbage };
      }
      return { frames, rest: buf.slice(start), garbage };
    }
    if (end - body > max) {
      garbage.push(dropped('too-large', buf.subarray(start, end + END_BYTES.length), `${end - body} bytes between the markers, over the ${max}-byte limit`));
    } else {
      frames.push(buf.slice(body, end));
    }
    pos = end + END_BYTES.length;
  }
  return { frames, rest: new Uint8Array(0), garbage };
}

/** One frame as the box and the server send it. */
export function encodeFrame(json: unknown): Uint8Array {
  return toBytes(`${START}${JSON.stringify(json)}${END}`);
}

export function joinBytes(...parts: (Uint8Array | string)[]): Uint8Array {
  const bytes = parts.map(toBytes);
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of bytes) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

function dropped(reason: BoxReason, bytes: Uint8Array, why: string): Garbage {
  return { ...rejectBox(reason, '', `${why} (${hexExcerpt(bytes)})`), bytes: bytes.length };
}

function dropOutside(bytes: Uint8Array, garbage: Garbage[]): void {
  if (bytes.length === 0 || bytes.every(isSpace)) return;
  garbage.push(dropped('bad-marker', bytes, `${bytes.length} bytes outside #10#…#13#`));
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first, from); i >= 0 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** How many trailing bytes are a proper prefix of the marker (`#`, `#1`, `#10`). */
function partialMarkerTail(buf: Uint8Array, marker: Uint8Array): number {
  for (let n = Math.min(marker.length - 1, buf.length); n > 0; n--) {
    let match = true;
    for (let j = 0; j < n; j++) if (buf[buf.length - n + j] !== marker[j]) match = false;
    if (match) return n;
  }
  return 0;
}
