import type { z } from 'zod';
import { reject, type VendorRejection } from '../result.js';
import { CARD_RESULT, CMD, LOGIN_RESULT } from './commands.js';
import { buildFrame, Writer } from './frame.js';
import { CardAuthReplyOptions, Imei, LoginReplyOptions, PortOrderOptions } from './schemas.js';

/**
 * The server's answers to what a JUY device sends (vendor document §3). Each is
 * a whole frame, SUM included; `imei` puts the device's IMEI after RESULT (the
 * new format, TCP only), as the frame being answered had it.
 */

function options<T extends z.ZodType>(schema: T, value: unknown, field: string): z.infer<T> | VendorRejection {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return reject('schema', [field, ...issue.path.map(String)].filter(Boolean).join('.'), issue.message);
}

const isRejection = (v: unknown): v is VendorRejection => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

function addressed(imei: string | undefined): { imei?: string } {
  return imei === undefined ? {} : { imei };
}

/**
 * 0x81 answer: time (7 bytes BCD, "预留" — sent as zeros, as the vendor sample),
 * heartbeat interval, result. Never in the IMEI format: the device switches only
 * after reading this answer. The device must get an answer, or it keeps logging in
 * and does nothing else.
 */
export function encodeLoginReply(input: LoginReplyOptions): Uint8Array | VendorRejection {
  const o = options(LoginReplyOptions, input, 'login');
  if (isRejection(o)) return o;
  const data = new Writer().zeros(7).u8(o.heartbeatS ?? 0).u8(LOGIN_RESULT[o.result]).bytes();
  return buildFrame(CMD.login, data);
}

/**
 * Which login answer to give: `illegal` for a device not registered; the IMEI
 * format (0xF0) only over TCP and only to a device whose login says it can take
 * it (protocol version ≥ 0x64; an older one may read 0xF0 as a failure).
 */
export function loginReplyFor(
  login: { imeiFormatCapable: boolean },
  setting: { registered: boolean; transport: 'tcp' | 'mqtt'; heartbeatS?: number },
): LoginReplyOptions {
  const result = !setting.registered ? 'illegal' : setting.transport === 'tcp' && login.imeiFormatCapable ? 'okImeiFormat' : 'ok';
  return { result, ...(setting.heartbeatS !== undefined && { heartbeatS: setting.heartbeatS }) };
}

function oneReservedByte(command: number, imei: string | undefined, field: string): Uint8Array | VendorRejection {
  if (imei !== undefined && !Imei.safeParse(imei).success) return reject('schema', `${field}.imei`, 'must be 15 ASCII digits');
  return buildFrame(command, Uint8Array.of(0), addressed(imei));
}

/** 0x82 answer: one reserved byte. */
export function encodeHeartbeatReply(input: { imei?: string } = {}): Uint8Array | VendorRejection {
  return oneReservedByte(CMD.heartbeat, input.imei, 'heartbeat');
}

/** 0xC0 answer: one reserved byte. */
export function encodeImeiReportReply(input: { imei?: string } = {}): Uint8Array | VendorRejection {
  return oneReservedByte(CMD.imeiReport, input.imei, 'imeiReport');
}

/** Server queries with one reserved byte: port data (0x88), the parameter table (0x89), the peak-valley tariff (0x8E). */
export function encodeQuery(what: 'portData' | 'queryParams' | 'queryTariff', input: { imei?: string } = {}): Uint8Array | VendorRejection {
  return oneReservedByte(CMD[what], input.imei, what);
}

function portOrder(command: number, input: PortOrderOptions, field: string): Uint8Array | VendorRejection {
  const o = options(PortOrderOptions, input, field);
  if (isRejection(o)) return o;
  if (o.ports !== undefined && o.port > o.ports) return reject('schema', `${field}.port`, `port ${o.port}, but the shed is registered with ${o.ports}`);
  return buildFrame(command, new Writer().u8(o.port).u32(o.orderNo).bytes(), addressed(o.imei));
}

/** 0x85 answer (port, order): must reach the device within 10 s, or it resends the end (3 times) and then settles it itself. */
export function encodeEndAck(input: PortOrderOptions): Uint8Array | VendorRejection {
  return portOrder(CMD.end, input, 'end');
}

/** 0x86 answer (port, order): the same rule as the end. */
export function encodeLocalStartAck(input: PortOrderOptions): Uint8Array | VendorRejection {
  return portOrder(CMD.localStart, input, 'localStart');
}

/**
 * 0x87 answer: port, card, balance (0.01 元, or days for a monthly card), result
 * (0 passed, 1 illegal account, 2 frozen, 5 insufficient, 6 in use, 7 days left).
 * A swipe that asks to charge is answered by a 0x83 start when allowed (the
 * document: the platform then sends the start, not this answer) and by this
 * answer when refused; a balance query always by this answer.
 */
export function encodeCardAuthReply(allowed: boolean, input: CardAuthReplyOptions): Uint8Array | VendorRejection {
  const o = options(CardAuthReplyOptions, input, 'cardAuth');
  if (isRejection(o)) return o;
  if (o.ports !== undefined && o.port > o.ports) return reject('schema', 'cardAuth.port', `port ${o.port}, but the shed is registered with ${o.ports}`);
  const result = allowed ? CARD_RESULT.ok : (o.result ?? CARD_RESULT.illegal);
  const data = new Writer().u8(o.port).u32(Number(o.cardId)).u32(o.balanceFen).u8(result).bytes();
  return buildFrame(CMD.cardAuth, data, addressed(o.imei));
}
