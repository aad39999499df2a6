import { reject, hexExcerpt, type VendorRejection } from '../result.js';
import { crc16Modbus } from './crc.js';

/**
 * The board's packet: DA + VR + PN[2] + CMD + DL + DATA + CRC[2] (board protocol
 * document §2.1). VR 100 (0x64) has a one-byte DL and at most 255 data bytes —
 * every frame in the fixtures and the document's examples. VR 200 (0xC8) has a
 * two-byte DL; its byte order is not stated, little-endian is assumed like PN
 * and CRC, and we only ever decode it.
 */
export const VERSION_100 = 0x64;
export const VERSION_200 = 0xc8;
/** PN for a packet that is the whole message (anything under 255 bytes). */
export const LAST_PACKET = 0xffff;
export const MAX_DATA_BYTES = 255;
/** The longest frame we build is 263 bytes; anything over this is refused before it is read. */
export const MAX_FRAME_BYTES = 1024;

export interface RawFrame {
  /** DA: the board's address on the RS-485 bus (0 unless changed with 0x07). */
  address: number;
  version: number;
  /** PN: 0xFFFF for a single packet. */
  packet: number;
  command: number;
  data: Uint8Array;
  crc: number;
}

export function buildFrame(command: number, data: Uint8Array, address = 0): Uint8Array | VendorRejection {
  if (data.length > MAX_DATA_BYTES) {
    return reject('too-long', 'DATA', `${data.length} bytes is over the ${MAX_DATA_BYTES} a VR 100 packet carries`);
  }
  const frame = new Uint8Array(6 + data.length + 2);
  frame.set([address & 0xff, VERSION_100, LAST_PACKET & 0xff, LAST_PACKET >> 8, command & 0xff, data.length]);
  frame.set(data, 6);
  const crc = crc16Modbus(frame, 6 + data.length);
  frame[6 + data.length] = crc & 0xff; // CRC low byte first (document §2.2)
  frame[7 + data.length] = crc >> 8;
  return frame;
}

/** Header, length and CRC. What the DATA means is read by the command's decoder. */
export function parseFrame(bytes: Uint8Array): RawFrame | VendorRejection {
  if (bytes.length > MAX_FRAME_BYTES) {
    return reject('too-large', '', `${bytes.length} bytes is over the ${MAX_FRAME_BYTES}-byte limit for one board frame`);
  }
  if (bytes.length < 6) return reject('truncated', '', `${bytes.length} bytes, shorter than a header (${hexExcerpt(bytes)})`);
  const version = bytes[1]!;
  let header: number;
  let dl: number;
  if (version === VERSION_100) {
    header = 6;
    dl = bytes[5]!;
  } else if (version === VERSION_200) {
    if (bytes.length < 7) return reject('truncated', '', `${bytes.length} bytes, shorter than a VR 200 header`);
    header = 7;
    dl = bytes[5]! | (bytes[6]! << 8);
  } else {
    return reject('unknown-version', 'VR', `0x${hex2(version)} is neither protocol 100 (0x64) nor 200 (0xC8)`);
  }
  const expected = header + dl + 2;
  if (bytes.length < expected) {
    return reject('truncated', 'DL', `DL says ${dl} data bytes, so ${expected} in all, but the frame has ${bytes.length}`);
  }
  if (bytes.length > expected) {
    return reject('bad-length', 'DL', `DL says ${dl} data bytes, so ${expected} in all, but the frame has ${bytes.length}`);
  }
  const crc = bytes[expected - 2]! | (bytes[expected - 1]! << 8);
  const computed = crc16Modbus(bytes, expected - 2);
  if (crc !== computed) {
    return reject('bad-crc', 'CRC', `frame carries 0x${hex4(crc)} (low byte first), CRC-16/MODBUS of DA…DATA is 0x${hex4(computed)}`);
  }
  return {
    address: bytes[0]!,
    version,
    packet: bytes[2]! | (bytes[3]! << 8),
    command: bytes[4]!,
    data: bytes.slice(header, header + dl),
    crc,
  };
}

export const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
export const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
