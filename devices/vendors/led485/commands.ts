import { decodeGbk } from '../gbk.js';
import { toHex } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { hex2 } from './frame.js';

/**
 * The board's instruction set (protocol document §2.3, table "指令集"). Names
 * are ours; the codes are the document's. Only the ones Linli sends, and the
 * replies to them, have their DATA read field by field; the others decode to
 * their raw bytes so a dead letter still says what came.
 */
export const COMMANDS = {
  0x00: 'connect',
  0x02: 'change-password',
  0x05: 'sync-time',
  0x07: 'set-address',
  0x0a: 'set-baud-rate',
  0x0c: 'set-brightness',
  0x0d: 'set-volume',
  0x0f: 'set-relay',
  0x1a: 'set-rs485-mode',
  0x1e: 'factory-reset',
  0x30: 'play-voice',
  0x31: 'stop-voice',
  0x62: 'temporary-text',
  0x67: 'advert-text',
  0x68: 'show-advert',
  0x6e: 'multi-line-with-voice-v1', // withdrawn in the document's V2.0, replaced by 0x6F
  0x6f: 'multi-line-with-voice',
  0xd3: 'offline-temporary-car',
  0xd4: 'get-gps',
  0xd5: 'get-input-event',
  0xd8: 'set-fill-light',
  0xe1: 'pay-qr-screen',
  0xe3: 'free-spaces-screen',
  0xe5: 'pay-qr-screen-drawn',
} as const satisfies Record<number, string>;

export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];

export function commandName(code: number): CommandName | undefined {
  return (COMMANDS as Record<number, CommandName>)[code];
}

/** 0x30 OPT (document: "OPT 取值含义"). */
export const VOICE_OPTIONS = ['enqueue', 'enqueue-and-play', 'clear-and-play'] as const;
export type VoiceOption = (typeof VOICE_OPTIONS)[number];

/** 0x30: TEXT is at most 254 bytes (DL = 1 + text). */
export const MAX_VOICE_BYTES = 254;
/** 0x62: DL = 19 + text, so a line's text is at most 236 bytes in one packet. */
export const TEXT_HEADER_BYTES = 19;

export type FrameBody =
  | { kind: 'voice'; option: VoiceOption; text: string }
  | {
      kind: 'temporary-text';
      window: number;
      enter: number;
      speed: number;
      screenTime: number;
      stay: number;
      reserved: [number, number];
      font: number;
      repeat: number;
      color: [number, number, number, number];
      text: string;
    }
  /** 0x00 / 0x02: the board's password. Its length only: a dead letter must not keep it. */
  | { kind: 'password'; length: number }
  | {
      kind: 'sync-time';
      year: number;
      month: number;
      day: number;
      weekday: number;
      hour: number;
      minute: number;
      second: number;
      /** W: 1 = Sunday, 2–7 = Monday–Saturday. False when W is not that date's weekday. */
      weekdayMatchesDate: boolean;
    }
  | { kind: 'empty' }
  | { kind: 'ack'; succeeded: boolean; code: number }
  | { kind: 'connect-reply'; passed: boolean; hardware: string; software: string; protocol: string }
  | { kind: 'raw'; hex: string };

/** W as the document numbers weekdays: 1 = Sunday … 7 = Saturday. */
export function boardWeekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** DATA of a frame the host sends to the board. */
export function decodeRequestBody(command: number, data: Uint8Array): FrameBody | VendorRejection {
  const needs = (n: number): VendorRejection | undefined =>
    data.length === n ? undefined : reject('bad-length', 'DL', `0x${hex2(command)} carries ${n} data bytes, this frame ${data.length}`);
  switch (command) {
    case 0x00:
    case 0x02:
      if (data.length < 6 || data.length > 32) return reject('schema', 'PWD', `a password is 6–32 bytes, this one ${data.length}`);
      return { kind: 'password', length: data.length };
    case 0x05:
      return needs(8) ?? decodeTime(data);
    case 0x30:
      return decodeVoice(data);
    case 0x31:
    case 0x1e:
    case 0xd4:
      return needs(0) ?? { kind: 'empty' };
    case 0x62:
      return decodeTemporaryText(data);
    default:
      return { kind: 'raw', hex: toHex(data) };
  }
}

/** DATA of a frame the board sends back: one ACK byte for most commands, the versions for 0x00. */
export function decodeReplyBody(command: number, data: Uint8Array): FrameBody | VendorRejection {
  if (command === 0x00 && data.length === 10) {
    const version = (b: Uint8Array) =>
      Array.from(b, (x) => (x >= 0x30 && x <= 0x39 ? String.fromCharCode(x) : String(x))).join('.');
    return {
      kind: 'connect-reply',
      passed: data[0] === 0,
      hardware: version(data.subarray(1, 4)),
      software: version(data.subarray(4, 7)),
      protocol: version(data.subarray(7, 10)),
    };
  }
  if (data.length === 1) return { kind: 'ack', succeeded: data[0] === 0, code: data[0]! };
  return { kind: 'raw', hex: toHex(data) };
}

function decodeVoice(data: Uint8Array): FrameBody | VendorRejection {
  if (data.length < 2) return reject('truncated', 'TEXT', 'a 0x30 frame needs OPT and at least one byte of text');
  const option = VOICE_OPTIONS[data[0]!];
  if (!option) return reject('schema', 'OPT', `0x${hex2(data[0]!)} is not an OPT the document defines (0x00–0x02)`);
  const text = decodeGbk(data.subarray(1), 'TEXT');
  return typeof text === 'string' ? { kind: 'voice', option, text } : text;
}

function decodeTemporaryText(data: Uint8Array): FrameBody | VendorRejection {
  if (data.length < TEXT_HEADER_BYTES) {
    return reject('truncated', 'DATA', `a 0x62 frame needs ${TEXT_HEADER_BYTES} bytes before its text, this one has ${data.length}`);
  }
  const d = (i: number) => data[i]!;
  // TL is one byte followed by a reserved 0 (older copies of the document: TL[2], little-endian).
  const tl = d(17) | (d(18) << 8);
  if (tl !== data.length - TEXT_HEADER_BYTES) {
    return reject('bad-length', 'TL', `TL says ${tl} text bytes, DL leaves ${data.length - TEXT_HEADER_BYTES}`);
  }
  const text = decodeGbk(data.subarray(TEXT_HEADER_BYTES), 'TEXT');
  if (typeof text !== 'string') return text;
  return {
    kind: 'temporary-text',
    window: d(0),
    enter: d(1),
    speed: d(2),
    screenTime: d(3),
    stay: d(4),
    reserved: [d(5), d(6)],
    font: d(7),
    repeat: d(8),
    color: [d(9), d(10), d(11), d(12)],
    text,
  };
}

function decodeTime(data: Uint8Array): FrameBody | VendorRejection {
  const [year, month, day, weekday, hour, minute, second] = [
    data[0]! | (data[1]! << 8),
    data[2]!,
    data[3]!,
    data[4]!,
    data[5]!,
    data[6]!,
    data[7]!,
  ] as const;
  const bad = (field: string, range: string) => reject('schema', field, `out of the document's range ${range}`);
  if (year < 1970 || year > 2099) return bad('Y', '1970–2099');
  if (month < 1 || month > 12) return bad('M', '1–12');
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return bad('D', `1–${daysInMonth}`);
  if (weekday < 1 || weekday > 7) return bad('W', '1–7');
  if (hour > 23) return bad('H', '0–23');
  if (minute > 59) return bad('N', '0–59');
  if (second > 59) return bad('S', '0–59');
  const weekdayMatchesDate = boardWeekday(year, month, day) === weekday;
  return { kind: 'sync-time', year, month, day, weekday, hour, minute, second, weekdayMatchesDate };
}
