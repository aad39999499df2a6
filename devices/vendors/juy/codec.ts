import type { z } from 'zod';
import { ChargerAlarm, ChargerTelemetry, PortRequest, PortStateEvent } from '../../charger/schemas.js';
import { Ack, Status } from '../../envelope.js';
import { toHex } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import {
  CARD_OPERATION,
  CMD,
  commandName,
  LOCAL_START_MODE,
  PROTOCOL_VERSION_FROM,
  START_RESULT,
  STOP_REASON,
  STOP_RESULT,
  type CommandName,
} from './commands.js';
import { hex2, parseFrame, Reader, type Addressing, type JuyFrame } from './frame.js';
import { frameMessageId } from './ids.js';
import { readPortStatus, type PortReading, type PortStateMessage } from './ports.js';
import { encodeEndAck, encodeHeartbeatReply, encodeImeiReportReply, encodeLocalStartAck } from './replies.js';
import { DecodeContext, type PendingCommand } from './schemas.js';
import { parseJuyTopic } from './topics.js';

/**
 * JUY-class shed controller frames (device → server) → contract `charger`
 * messages. Pure: bytes and what the transport knows in, messages (or a dead
 * letter) out; nothing here throws, reads a clock or does I/O.
 */

export type PortRequestMessage = z.infer<typeof PortRequest>;
export type AlarmMessage = z.infer<typeof ChargerAlarm>;
export type TelemetryMessage = z.infer<typeof ChargerTelemetry>;
export type AckMessage = z.infer<typeof Ack>;
export type StatusMessage = z.infer<typeof Status>;

/** A contract message and the channel it belongs on (`linli/v1/{estate}/{device}/{channel}`). */
export type JuyMessage =
  | { channel: 'event'; message: PortStateMessage | PortRequestMessage | AlarmMessage }
  | { channel: 'telemetry'; message: TelemetryMessage }
  | { channel: 'ack'; message: AckMessage }
  | { channel: 'status'; message: StatusMessage };

export interface LoginDetail {
  kind: 'login';
  imei: string;
  ports: number;
  hardware: string;
  firmware: string;
  /** The SIM's ICCID (物联网卡号). */
  ccid: string;
  /** 0–32 from an old firmware; absent when the byte is a protocol version. */
  signal?: number;
  /** ≥ 0x64: the device can take the IMEI format (login answer 0xF0). */
  protocolVersion?: number;
  imeiFormatCapable: boolean;
  loginReason: 'power-on' | 'restart' | `code-${number}`;
}

export interface HeartbeatDetail {
  kind: 'heartbeat';
  signal: number;
  boardTempC: number;
  /** Every port, as the device reports it; `diffPortStates(previous, ports, …)` makes the events. */
  ports: PortReading[];
}

export interface StartAnswerDetail {
  kind: 'start-answer';
  port: number;
  orderNo: number;
  startMode: number;
  result: number;
  ok: boolean;
  error?: string;
  /** The pending `start` this answers, when one matched. */
  cmdId?: string;
}

export interface StopAnswerDetail {
  kind: 'stop-answer';
  port: number;
  orderNo: number;
  result: number;
  ok: boolean;
  error?: string;
  cmdId?: string;
}

export interface EndDetail {
  kind: 'end';
  port: number;
  orderNo: number;
  durationS: number;
  energyWh: number;
  /** 使用金额 by the device's own tariff (0.01 元); Linli bills by its charter, this is for support. */
  deviceFeeFen: number;
  stopReason: { code: number; name: string };
  stopPowerW: number;
  cardId?: string;
  /** Per-gear time (s) and price (0.01 元), when the gear table fits the frame. */
  gears?: { seconds: number; priceFen: number }[];
}

export interface LocalStartDetail {
  kind: 'local-start';
  port: number;
  orderNo: number;
  mode: string;
  moneyFen: number;
  balanceFen: number;
  cardId?: string;
}

export interface CardAuthDetail {
  kind: 'card-auth';
  port: number;
  cardId: string;
  operation: 'query-balance' | 'start' | 'free-button' | `code-${number}`;
  /**
   * `start`/`free-button` became a `port.request`: the server answers with a
   * contract `start` (→ 0x83) or `deny` (→ 0x87 refusal). `query-balance` needs
   * `encodeCardAuthReply` with the household's balance.
   */
  answer: 'start-or-deny' | 'balance';
}

export interface PortDataDetail {
  kind: 'port-data';
  voltageV?: number;
  boardTempC?: number;
  ports: { port: number; gear: number; priceFen: number; powerW: number; durationS: number; moneyFen: number; energyWh: number; tempC: number }[];
}

export interface ImeiReportDetail {
  kind: 'imei-report';
  signal: number;
  imei: string;
}

export interface OtherDetail {
  kind: 'other';
  /** Answers to parameter, tariff, meter and upgrade commands: kept, not mapped. */
  data: string;
}

export type JuyDetail =
  | LoginDetail
  | HeartbeatDetail
  | StartAnswerDetail
  | StopAnswerDetail
  | EndDetail
  | LocalStartDetail
  | CardAuthDetail
  | PortDataDetail
  | ImeiReportDetail
  | OtherDetail;

export interface DecodedUplink {
  ok: true;
  command: number;
  name: CommandName;
  /** From the frame (IMEI format, and every login) or else the context. */
  imei?: string;
  addressing: Addressing;
  /** The envelope id of what this frame became; derived messages append `.p{port}`, `.ack`, `.alarm`. */
  id: string;
  ts: string;
  detail: JuyDetail;
  messages: JuyMessage[];
  /**
   * The answer the protocol requires when it needs no decision (heartbeat, end,
   * local start, IMEI report), in the frame's own format. Send it once the
   * messages are stored: an unanswered end is resent (10 s, 3 times).
   * Login and a balance query need a decision: `encodeLoginReply`, `encodeCardAuthReply`.
   */
  reply?: Uint8Array;
  warnings: string[];
  /** The frame in hex, kept beside the messages for support. */
  raw: string;
}

export type UplinkResult = DecodedUplink | VendorRejection;

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────

/** A contract message checked against its schema. Tagged: an `ack` message has an `ok` of its own. */
function contract<T extends z.ZodType>(schema: T, value: unknown, field: string): { ok: true; value: z.infer<T> } | VendorRejection {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  return reject('schema', [field, ...issue.path.map(String)].join('.'), issue.message);
}

const isRejection = (v: unknown): v is VendorRejection => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

/** The card's 32-bit number, in decimal, ten digits (as printed on ID/IC cards). */
export function cardIdOf(cardNo: number): string {
  return String(cardNo).padStart(10, '0');
}

/** Printable ASCII of a fixed field, trailing NULs and spaces dropped; other bytes become '?'. */
function text(bytes: Uint8Array, field: string, warnings: string[]): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20 || bytes[end - 1] === 0xff)) end--;
  let s = '';
  let odd = false;
  for (const b of bytes.subarray(0, end)) {
    if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else {
      s += '?';
      odd = true;
    }
  }
  if (odd) warnings.push(`${field}: bytes that are not printable ASCII shown as '?'`);
  return s;
}

/** Temperatures are a BYTE in the document; read as signed so a winter −5 °C is not 251 °C (a choice; see README). */
const tempOf = (b: number) => (b >= 0x80 ? b - 0x100 : b);

function needs(data: Uint8Array, n: number, what: string): VendorRejection | undefined {
  if (data.length < n) return reject('bad-length', 'DATA', `${what} needs ${n} bytes, the frame has ${data.length}`);
  return undefined;
}

function extra(data: Uint8Array, n: number, what: string, warnings: string[]): void {
  if (data.length > n) warnings.push(`DATA: ${data.length - n} bytes after ${what} (${n} bytes) not read`);
}

interface Ctx {
  receivedAt: string;
  receivedAtMs: number;
  imei?: string;
  energyUnitWh: 10 | 1;
  ports?: number;
  pending: PendingCommand[];
}

function checkPort(port: number, ctx: Ctx, field = 'DATA.port'): VendorRejection | undefined {
  if (port < 1 || port > 64) return reject('schema', field, `port ${port} is outside 1–64`);
  if (ctx.ports !== undefined && port > ctx.ports) return reject('schema', field, `port ${port}, but the shed is registered with ${ctx.ports}`);
  return undefined;
}

// ── the entry points ───────────────────────────────────────────────────────────────────────────────

/**
 * One frame from a JUY device (an MQTT payload, or one of `splitFrames`' frames)
 * → the contract messages it means, or a dead letter naming the field.
 */
export function decodeUplink(bytes: Uint8Array, context: DecodeContext): UplinkResult {
  const parsedCtx = DecodeContext.safeParse(context);
  if (!parsedCtx.success) {
    const issue = parsedCtx.error.issues[0]!;
    return reject('schema', ['context', ...issue.path.map(String)].join('.'), issue.message);
  }
  const c = parsedCtx.data;
  const ctx: Ctx = {
    receivedAt: c.receivedAt,
    receivedAtMs: Date.parse(c.receivedAt),
    ...(c.imei !== undefined && { imei: c.imei }),
    energyUnitWh: c.energyUnitWh,
    ...(c.ports !== undefined && { ports: c.ports }),
    pending: c.pending,
  };
  // A login carries the IMEI as its first field in every format.
  const frame = parseFrame(bytes, { addressing: bytes[4] === CMD.login ? 'imei' : c.addressing });
  if (isRejection(frame)) return frame;
  if (frame.imei !== undefined && ctx.imei !== undefined && frame.imei !== ctx.imei) {
    return reject('schema', 'IMEI', `the frame is from ${frame.imei}, this connection is ${ctx.imei}`);
  }
  const name = commandName(frame.command);
  if (!name) return reject('unknown-command', 'CMD', `0x${hex2(frame.command)} is not a JUY command (V1.2: 0x81–0x8F, 0xC0, 0xF5)`);
  const warnings: string[] = [];
  const body = decodeBody(frame, ctx, warnings);
  if (isRejection(body)) return body;
  const imei = frame.imei ?? ctx.imei;
  return {
    ok: true,
    command: frame.command,
    name,
    ...(imei !== undefined && { imei }),
    addressing: frame.addressing,
    id: body.id,
    ts: ctx.receivedAt,
    detail: body.detail,
    messages: body.messages,
    ...(body.reply && { reply: body.reply }),
    warnings,
    raw: toHex(frame.bytes),
  };
}

/** An MQTT message: the topic names the device and the command; the payload is the frame. */
export function decodeMqtt(topic: string, payload: Uint8Array, context: Omit<DecodeContext, 'imei'>): UplinkResult {
  const t = parseJuyTopic(topic);
  if ('ok' in t) return t;
  if (t.direction !== 'up') return reject('unknown-message', 'topic', 'a server → device topic (S2D) is not an uplink');
  if (payload.length >= 5 && payload[0] === 0x5a && payload[1] === 0xa5 && payload[4] !== t.command) {
    return reject('schema', 'topic.CMD', `the topic says 0x${hex2(t.command)}, the frame's CMD is 0x${hex2(payload[4]!)}`);
  }
  return decodeUplink(payload, { ...context, imei: t.imei });
}

interface Body {
  id: string;
  detail: JuyDetail;
  messages: JuyMessage[];
  reply?: Uint8Array;
}

function decodeBody(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  switch (frame.command) {
    case CMD.login:
      return login(frame, ctx, warnings);
    case CMD.heartbeat:
      return heartbeat(frame, ctx, warnings);
    case CMD.remoteStart:
      return startAnswer(frame, ctx, warnings);
    case CMD.remoteStop:
      return stopAnswer(frame, ctx, warnings);
    case CMD.end:
      return end(frame, ctx, warnings);
    case CMD.localStart:
      return localStart(frame, ctx, warnings);
    case CMD.cardAuth:
      return cardAuth(frame, ctx, warnings);
    case CMD.portData:
      return portData(frame, ctx, warnings);
    case CMD.imeiReport:
      return imeiReport(frame, ctx, warnings);
    default:
      if (frame.command === CMD.portDataTou) warnings.push('0x8F (peak-valley port data) is not read: Linli never enables peak-valley billing (0x8D)');
      return {
        id: frameMessageId(frame, ctx.receivedAtMs),
        detail: { kind: 'other', data: toHex(frame.data) },
        messages: [],
      };
  }
}

function login(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 55, 'a login (ports, hardware 16, software 16, CCID 20, signal, reason)');
  if (short) return short;
  extra(d, 55, 'the login fields', warnings);
  const r = new Reader(d);
  const ports = r.u8();
  if (ports < 1 || ports > 64) return reject('schema', 'DATA.ports', `${ports} ports; a shed has 1–64`);
  if (ctx.ports !== undefined && ports !== ctx.ports) warnings.push(`DATA.ports: the device has ${ports} ports, the shed is registered with ${ctx.ports}`);
  const hardware = text(r.bytesOf(16), 'DATA.hardware', warnings);
  const firmware = text(r.bytesOf(16), 'DATA.software', warnings);
  const ccid = text(r.bytesOf(20), 'DATA.ccid', warnings);
  const sig = r.u8();
  const why = r.u8();
  const id = frameMessageId(frame, ctx.receivedAtMs);
  const status = contract(Status, { id, ts: ctx.receivedAt, online: true, ...(firmware && { fw: firmware.slice(0, 32) }) }, 'status');
  if (!status.ok) return status;
  return {
    id,
    detail: {
      kind: 'login',
      imei: frame.imei!,
      ports,
      hardware,
      firmware,
      ccid,
      ...(sig >= PROTOCOL_VERSION_FROM ? { protocolVersion: sig } : { signal: sig }),
      imeiFormatCapable: sig >= PROTOCOL_VERSION_FROM,
      loginReason: why === 0 ? 'power-on' : why === 1 ? 'restart' : `code-${why}`,
    },
    messages: [{ channel: 'status', message: status.value }],
  };
}

function heartbeat(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 3, 'a heartbeat (signal, temperature, port count)');
  if (short) return short;
  const count = d[2]!;
  if (count < 1 || count > 64) return reject('schema', 'DATA.ports', `${count} ports; a shed has 1–64`);
  if (d.length < 3 + count) return reject('bad-length', 'DATA', `${count} ports need ${3 + count} bytes, the frame has ${d.length}`);
  extra(d, 3 + count, 'the port states', warnings);
  if (ctx.ports !== undefined && count !== ctx.ports) warnings.push(`DATA.ports: the device reports ${count} ports, the shed is registered with ${ctx.ports}`);
  const ports: PortReading[] = [];
  for (let i = 0; i < count; i++) {
    const p = readPortStatus(i + 1, d[3 + i]!);
    if (p.state === undefined) warnings.push(`DATA.status[${i + 1}]: status 0x${hex2(p.code)} is not one the document lists (0–4); no event for that port`);
    ports.push(p);
  }
  const reply = encodeHeartbeatReply({ ...(frame.imei !== undefined && { imei: frame.imei }) });
  return {
    id: frameMessageId(frame, ctx.receivedAtMs),
    detail: { kind: 'heartbeat', signal: d[0]!, boardTempC: tempOf(d[1]!), ports },
    messages: [],
    ...(reply instanceof Uint8Array && { reply }),
  };
}

function ackFor(id: string, ctx: Ctx, cmdId: string, ok: boolean, error: string | undefined): JuyMessage | VendorRejection {
  const ack = contract(Ack, { id: `${id}.ack`, ts: ctx.receivedAt, type: 'ack', cmdId, ok, ...(error !== undefined && { error }) }, 'ack');
  return ack.ok ? { channel: 'ack', message: ack.value } : ack;
}

function matchPending(ctx: Ctx, command: 'start' | 'stop', port: number, orderNo: number, warnings: string[]): string | undefined {
  const p = ctx.pending.find((x) => x.command === command && x.port === port && x.orderNo === orderNo);
  if (!p) warnings.push(`no pending ${command} for port ${port} order ${orderNo}: answer kept, no ack made`);
  return p?.cmdId;
}

function startAnswer(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 7, 'a start answer (port, order, start mode, result)');
  if (short) return short;
  extra(d, 7, 'the start answer', warnings);
  const r = new Reader(d);
  const port = r.u8();
  const orderNo = r.u32();
  const startMode = r.u8();
  const result = r.u8();
  const bad = checkPort(port, ctx);
  if (bad) return bad;
  const meaning = START_RESULT[result] ?? { ok: false, error: `start-result-${result}` };
  const id = frameMessageId(frame, ctx.receivedAtMs, port, orderNo);
  const cmdId = matchPending(ctx, 'start', port, orderNo, warnings);
  const messages: JuyMessage[] = [];
  if (cmdId) {
    const ack = ackFor(id, ctx, cmdId, meaning.ok, meaning.error);
    if ('reason' in ack) return ack;
    messages.push(ack);
  }
  return {
    id,
    detail: { kind: 'start-answer', port, orderNo, startMode, result, ok: meaning.ok, ...(meaning.error && { error: meaning.error }), ...(cmdId && { cmdId }) },
    messages,
  };
}

function stopAnswer(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 6, 'a stop answer (port, order, result)');
  if (short) return short;
  extra(d, 6, 'the stop answer', warnings);
  const r = new Reader(d);
  const port = r.u8();
  const orderNo = r.u32();
  const result = r.u8();
  const bad = checkPort(port, ctx);
  if (bad) return bad;
  const meaning = STOP_RESULT[result] ?? { ok: false, error: `stop-result-${result}` };
  if (meaning.note) warnings.push(`stop answer ${result}: ${meaning.note}`);
  const id = frameMessageId(frame, ctx.receivedAtMs, port, orderNo);
  const cmdId = matchPending(ctx, 'stop', port, orderNo, warnings);
  const messages: JuyMessage[] = [];
  if (cmdId) {
    const ack = ackFor(id, ctx, cmdId, meaning.ok, meaning.error);
    if ('reason' in ack) return ack;
    messages.push(ack);
  }
  return {
    id,
    detail: { kind: 'stop-answer', port, orderNo, result, ok: meaning.ok, ...(meaning.error && { error: meaning.error }), ...(cmdId && { cmdId }) },
    messages,
  };
}

/** Fixed part of 0x85: port 1, order 4, time 4, energy 4, money 4, reason 1, power 2, card 4. */
const END_FIXED = 24;
const END_RESERVED = 8;

function end(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, END_FIXED, 'an end report (port, order, time, energy, money, reason, power, card)');
  if (short) return short;
  const r = new Reader(d);
  const port = r.u8();
  const orderNo = r.u32();
  const durationS = r.u32();
  const energy = r.u32();
  const money = r.u32();
  const reasonCode = r.u8();
  const stopPowerW = r.u16();
  const cardNo = r.u32();
  const bad = checkPort(port, ctx);
  if (bad) return bad;
  const gears = readGears(d, warnings);
  const known = STOP_REASON[reasonCode];
  if (!known) warnings.push(`DATA.stopReason: ${reasonCode} is not one the document lists (0–9); the port is taken as occupied`);
  const reason = known ?? { name: `stop-${reasonCode}`, state: 'occupied' as const };
  const id = frameMessageId(frame, ctx.receivedAtMs, port, orderNo);
  const messages: JuyMessage[] = [];
  // The device ended the charge itself: `ended` says so, with its per-order meter (from 0), so the session ends now.
  const ended = { energyWh: energy * ctx.energyUnitWh, seconds: durationS };
  const state = contract(PortStateEvent, { id: `${id}.p${port}`, ts: ctx.receivedAt, type: 'port.state', port, state: reason.state, reason: reason.name, ended }, 'port.state');
  if (!state.ok) return state;
  messages.push({ channel: 'event', message: state.value });
  if (known?.alarm) {
    const alarm = contract(
      ChargerAlarm,
      { id: `${id}.alarm`, ts: ctx.receivedAt, type: 'alarm', kind: known.alarm, port, active: true, ...(known.alarm === 'overcurrent' && { value: stopPowerW }) },
      'alarm',
    );
    if (!alarm.ok) return alarm;
    messages.push({ channel: 'event', message: alarm.value });
  }
  const reply = encodeEndAck({ port, orderNo, ...(frame.imei !== undefined && { imei: frame.imei }) });
  return {
    id,
    detail: {
      kind: 'end',
      port,
      orderNo,
      durationS,
      energyWh: energy * ctx.energyUnitWh,
      deviceFeeFen: money,
      stopReason: { code: reasonCode, name: reason.name },
      stopPowerW,
      ...(cardNo !== 0 && { cardId: cardIdOf(cardNo) }),
      ...(gears && { gears }),
    },
    messages,
    ...(reply instanceof Uint8Array && { reply }),
  };
}

/**
 * 0x85 after the fixed part: gear count N, 2N time and 2N price words, 8 reserved.
 * The table lists times then prices; the document's worked example pairs them
 * (time, price, time, price), which is how it is read here. Read only when the
 * count fits the frame exactly; otherwise left out with a warning (the vendor's
 * sample does not fit: VERIFIED.md, README).
 */
function readGears(d: Uint8Array, warnings: string[]): { seconds: number; priceFen: number }[] | undefined {
  if (d.length === END_FIXED) {
    warnings.push('DATA: no gear table (the frame ends after the card number)');
    return undefined;
  }
  const n = d[END_FIXED]!;
  const expected = END_FIXED + 1 + 4 * n + END_RESERVED;
  if (d.length !== expected) {
    warnings.push(`DATA.gears: ${n} gears and ${END_RESERVED} reserved bytes make ${expected} data bytes, the frame has ${d.length}: gears not read`);
    return undefined;
  }
  const r = new Reader(d.subarray(END_FIXED + 1));
  const gears: { seconds: number; priceFen: number }[] = [];
  for (let i = 0; i < n; i++) gears.push({ seconds: r.u16(), priceFen: r.u16() });
  return gears;
}

function localStart(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 18, 'a local start (port, order, mode, money, balance, card)');
  if (short) return short;
  extra(d, 18, 'the local start', warnings);
  const r = new Reader(d);
  const port = r.u8();
  const orderNo = r.u32();
  const modeCode = r.u8();
  const moneyFen = r.u32();
  const balanceFen = r.u32();
  const cardNo = r.u32();
  const bad = checkPort(port, ctx);
  if (bad) return bad;
  const mode = LOCAL_START_MODE[modeCode] ?? `mode-${modeCode}`;
  const id = frameMessageId(frame, ctx.receivedAtMs, port, orderNo);
  const state = contract(PortStateEvent, { id: `${id}.p${port}`, ts: ctx.receivedAt, type: 'port.state', port, state: 'charging', reason: `local-${mode}` }, 'port.state');
  if (!state.ok) return state;
  const reply = encodeLocalStartAck({ port, orderNo, ...(frame.imei !== undefined && { imei: frame.imei }) });
  return {
    id,
    detail: { kind: 'local-start', port, orderNo, mode, moneyFen, balanceFen, ...(cardNo !== 0 && { cardId: cardIdOf(cardNo) }) },
    messages: [{ channel: 'event', message: state.value }],
    ...(reply instanceof Uint8Array && { reply }),
  };
}

function cardAuth(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 6, 'a card check (port, card, operation)');
  if (short) return short;
  extra(d, 6, 'the card check', warnings);
  const r = new Reader(d);
  const port = r.u8();
  const cardNo = r.u32();
  const op = r.u8();
  const bad = checkPort(port, ctx);
  if (bad) return bad;
  const operation = CARD_OPERATION[op] ?? (`code-${op}` as const);
  const cardId = cardIdOf(cardNo);
  const id = frameMessageId(frame, ctx.receivedAtMs);
  const messages: JuyMessage[] = [];
  const wantsCharge = operation === 'start' || operation === 'free-button';
  if (wantsCharge && cardNo === 0) warnings.push(`card check on port ${port} with card number 0: no port.request`);
  else if (wantsCharge) {
    const req = contract(PortRequest, { id, ts: ctx.receivedAt, type: 'port.request', port, cardId }, 'port.request');
    if (!req.ok) return req;
    messages.push({ channel: 'event', message: req.value });
  } else if (operation !== 'query-balance') warnings.push(`DATA.operation: ${op} is not one the document lists (1–3); no port.request`);
  return {
    id,
    detail: { kind: 'card-auth', port, cardId, operation, answer: wantsCharge ? 'start-or-deny' : 'balance' },
    messages,
  };
}

/** 0x88 answer: count, voltage (0.1 V), board temperature, then 17 bytes a port. */
const PORT_ENTRY = 17;

function portData(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const id = frameMessageId(frame, ctx.receivedAtMs);
  const short = needs(d, 1, 'port data (count)');
  if (short) return short;
  const count = d[0]!;
  if (count === 0 && d.length < 4) return { id, detail: { kind: 'port-data', ports: [] }, messages: [] };
  if (count > 64) return reject('schema', 'DATA.count', `${count} ports; a shed has 1–64`);
  const n = 4 + PORT_ENTRY * count;
  if (d.length < n) return reject('bad-length', 'DATA', `${count} ports need ${n} bytes, the frame has ${d.length}`);
  extra(d, n, 'the port entries', warnings);
  const r = new Reader(d);
  r.u8();
  const voltageV = r.u16() / 10;
  const boardTempC = tempOf(r.u8());
  const ports: PortDataDetail['ports'] = [];
  for (let i = 0; i < count; i++) {
    const port = r.u8();
    const bad = checkPort(port, ctx, `DATA.ports[${i}].port`);
    if (bad) return bad;
    const entry = {
      port,
      gear: r.u8(),
      priceFen: r.u16(),
      powerW: r.u16(),
      durationS: r.u32(),
      moneyFen: r.u16(),
      energyWh: r.u32() * ctx.energyUnitWh,
      tempC: tempOf(r.u8()),
    };
    if (ports.some((p) => p.port === port)) {
      warnings.push(`DATA.ports[${i}]: port ${port} twice; the first kept`);
      continue;
    }
    ports.push(entry);
  }
  const messages: JuyMessage[] = [];
  if (ports.length) {
    const telemetry = contract(
      ChargerTelemetry,
      { id, ts: ctx.receivedAt, type: 'telemetry', ports: ports.map((p) => ({ port: p.port, powerW: p.powerW, energyWh: p.energyWh, tempC: p.tempC })) },
      'telemetry',
    );
    if (!telemetry.ok) return telemetry;
    messages.push({ channel: 'telemetry', message: telemetry.value });
  }
  return { id, detail: { kind: 'port-data', voltageV, boardTempC, ports }, messages };
}

function imeiReport(frame: JuyFrame, ctx: Ctx, warnings: string[]): Body | VendorRejection {
  const d = frame.data;
  const short = needs(d, 16, 'an IMEI report (signal, IMEI)');
  if (short) return short;
  extra(d, 26, 'the IMEI report', warnings);
  const imei = String.fromCharCode(...d.subarray(1, 16));
  if (!/^\d{15}$/.test(imei)) return reject('schema', 'DATA.imei', 'must be 15 ASCII digits');
  if (ctx.imei !== undefined && imei !== ctx.imei) return reject('schema', 'DATA.imei', `the device says it is ${imei}, this connection is ${ctx.imei}`);
  const reply = encodeImeiReportReply({ ...(frame.imei !== undefined && { imei: frame.imei }) });
  return {
    id: frameMessageId(frame, ctx.receivedAtMs),
    detail: { kind: 'imei-report', signal: d[0]!, imei },
    messages: [],
    ...(reply instanceof Uint8Array && { reply }),
  };
}
