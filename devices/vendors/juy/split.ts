import { hexExcerpt, reject, type VendorRejection } from '../result.js';
import { checksum, HEADER, MAX_FRAME_BYTES, MIN_LEN, hex2 } from './frame.js';

/**
 * A TCP byte stream → JUY frames. Pure: the transport keeps `rest` and passes it
 * back in front of the next chunk.
 *
 * - A frame starts at `5A A5`; LEN says where it ends; it is taken only when its
 *   SUM checks, so a wrong LEN (a vendor sample has one) or a `5A A5` inside
 *   line noise cannot swallow the next good frame: the scan goes on two bytes
 *   after the false start and finds the real header again.
 * - A header whose LEN is under 3 or over the frame cap is refused at once.
 * - A header still waiting for its bytes is given up when a complete, valid frame
 *   already follows it in the buffer (otherwise noise claiming 1 KiB would hold
 *   the device's next frames back until a kilobyte arrived).
 * - `rest` is never longer than the frame cap, so a transport's buffer is bounded.
 */

export interface StreamRejection extends VendorRejection {
  /** The candidate's bytes (as far as known), kept for the dead letter. */
  bytes: Uint8Array;
}

export interface SplitResult {
  /** Complete frames whose SUM checks, in order: pass each to `decodeUplink`. */
  frames: Uint8Array[];
  /** The start of a frame still arriving: give it back with the next chunk. */
  rest: Uint8Array;
  /** Runs of bytes outside any good frame (noise, and the bodies of refused candidates). */
  garbage: Uint8Array[];
  /** Candidates that began with 5A A5 but were refused: dead letters with a reason. */
  rejected: StreamRejection[];
}

export interface SplitOptions {
  maxFrameBytes?: number;
}

function headerAt(buf: Uint8Array, i: number): boolean {
  return buf[i] === HEADER[0] && buf[i + 1] === HEADER[1];
}

function nextHeader(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (headerAt(buf, i)) return i;
  return -1;
}

/** Is a complete frame with a good SUM at `at`? Its length, or 0. */
function validFrameAt(buf: Uint8Array, at: number, max: number): number {
  if (!headerAt(buf, at) || buf.length - at < 4) return 0;
  const len = buf[at + 2]! | (buf[at + 3]! << 8);
  const total = 4 + len;
  if (len < MIN_LEN || total > max || buf.length - at < total) return 0;
  return checksum(buf, at + 2, at + total - 1) === buf[at + total - 1] ? total : 0;
}

export function splitFrames(buffer: Uint8Array, options: SplitOptions = {}): SplitResult {
  const max = Math.min(options.maxFrameBytes ?? MAX_FRAME_BYTES, MAX_FRAME_BYTES);
  const frames: Uint8Array[] = [];
  const garbage: Uint8Array[] = [];
  const rejected: StreamRejection[] = [];
  let garbageFrom = -1;
  const skip = (from: number, to: number) => {
    if (to <= from) return;
    if (garbageFrom < 0) garbageFrom = from;
  };
  const flushGarbage = (to: number) => {
    if (garbageFrom >= 0 && to > garbageFrom) garbage.push(buffer.slice(garbageFrom, to));
    garbageFrom = -1;
  };
  const refuse = (r: VendorRejection, bytes: Uint8Array) => rejected.push({ ...r, bytes });

  let i = 0;
  let rest = new Uint8Array(0);
  while (i < buffer.length) {
    const h = nextHeader(buffer, i);
    if (h < 0) {
      // A last 5A may be the first half of a header.
      const keep = buffer[buffer.length - 1] === HEADER[0] ? buffer.length - 1 : buffer.length;
      skip(i, keep);
      flushGarbage(keep);
      rest = buffer.slice(keep);
      i = buffer.length;
      break;
    }
    skip(i, h);
    if (buffer.length - h < 4) {
      flushGarbage(h);
      rest = buffer.slice(h);
      break;
    }
    const len = buffer[h + 2]! | (buffer[h + 3]! << 8);
    const total = 4 + len;
    if (len < MIN_LEN) {
      refuse(reject('bad-length', 'LEN', `LEN ${len} is under ${MIN_LEN} (CMD, RESULT and SUM at least)`), buffer.slice(h, h + 4));
      skip(h, h + 2);
      i = h + 2;
      continue;
    }
    if (total > max) {
      refuse(reject('too-large', 'LEN', `LEN ${len} makes a ${total}-byte frame, over the ${max}-byte limit`), buffer.slice(h, h + 4));
      skip(h, h + 2);
      i = h + 2;
      continue;
    }
    if (buffer.length - h < total) {
      // Incomplete. A good frame further on proves this header false (noise, or a frame cut short).
      let later = -1;
      for (let j = nextHeader(buffer, h + 2); j >= 0; j = nextHeader(buffer, j + 2)) {
        if (validFrameAt(buffer, j, max)) {
          later = j;
          break;
        }
      }
      if (later < 0) {
        flushGarbage(h);
        rest = buffer.slice(h);
        break;
      }
      refuse(
        reject('truncated', 'LEN', `LEN ${len} promised ${total} bytes, but a complete frame began after ${later - h} (${hexExcerpt(buffer.subarray(h, later))})`),
        buffer.slice(h, later),
      );
      skip(h, later);
      i = later;
      continue;
    }
    const sum = buffer[h + total - 1]!;
    const computed = checksum(buffer, h + 2, h + total - 1);
    if (sum !== computed) {
      refuse(
        reject('bad-crc', 'SUM', `frame carries 0x${hex2(sum)}, the low 8 bits of LEN…DATA are 0x${hex2(computed)} (or LEN ${len} is wrong)`),
        buffer.slice(h, h + total),
      );
      skip(h, h + 2);
      i = h + 2;
      continue;
    }
    flushGarbage(h);
    frames.push(buffer.slice(h, h + total));
    i = h + total;
  }
  if (i >= buffer.length) flushGarbage(buffer.length - rest.length);
  return { frames, rest, garbage, rejected };
}
