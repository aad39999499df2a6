import { z } from 'zod';
import { ChargerDenyCmd, ChargerStartCmd, ChargerStopCmd } from '../../charger/schemas.js';
import { reject, type VendorRejection } from '../result.js';
import { CARD_RESULT, CHARGE_MODE, CMD, DENY_RESULT, START_MODE, type ChargeMode, type StartMode } from './commands.js';
import { buildFrame, Writer } from './frame.js';
import { orderNoFor } from './ids.js';
import { encodeCardAuthReply } from './replies.js';
import { DenyOptions, Imei, OrderNo, StartOptions, StopOptions, type PendingCommand } from './schemas.js';

/**
 * Contract `charger` commands → JUY frames (server → device). Pure. Each answer
 * says what to wait for: a 0x83/0x84 is answered by the device (decodeUplink
 * turns the answer into the contract `ack` when given `pending`); a refusal
 * (0x87 answer) is not, so the transport acks `deny` once it has written it.
 */

export interface EncodedCommand {
  ok: true;
  bytes: Uint8Array;
  command: number;
  port: number;
  orderNo?: number;
  /** Put this in the context's `pending` until the device answers; absent when the device never answers. */
  pending?: PendingCommand;
  warnings: string[];
}

function firstIssue(error: z.ZodError, root: string): VendorRejection {
  const issue = error.issues[0]!;
  return reject('schema', [root, ...issue.path.map(String)].filter(Boolean).join('.'), issue.message);
}

const isRejection = (v: unknown): v is VendorRejection => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

// ── 0x83 as the vendor lays it out ─────────────────────────────────────────────────────────────────

export const RemoteStart = z.object({
  port: z.number().int().min(1).max(255),
  orderNo: OrderNo,
  startMode: z.enum(Object.keys(START_MODE) as [StartMode, ...StartMode[]]),
  cardNo: z.number().int().min(0).max(0xffffffff).default(0),
  chargeMode: z.enum(Object.keys(CHARGE_MODE) as [ChargeMode, ...ChargeMode[]]),
  /** 充电参数: seconds (time), 0.01 元 (money), energy units (energy). */
  param: z.number().int().min(0).max(0xffffffff),
  /** 可用金额, 0.01 元. */
  balanceFen: z.number().int().min(0).max(0xffffffff).default(0),
  imei: Imei.optional(),
});
export type RemoteStart = z.input<typeof RemoteStart>;

/** 0x83 from its fields: port, order, start mode, card, charge mode, parameter, balance (4 bytes each but port and modes). */
export function encodeRemoteStart(input: RemoteStart): Uint8Array | VendorRejection {
  const p = RemoteStart.safeParse(input);
  if (!p.success) return firstIssue(p.error, 'start');
  const s = p.data;
  const data = new Writer()
    .u8(s.port)
    .u32(s.orderNo)
    .u8(START_MODE[s.startMode])
    .u32(s.cardNo)
    .u8(CHARGE_MODE[s.chargeMode])
    .u32(s.param)
    .u32(s.balanceFen)
    .bytes();
  return buildFrame(CMD.remoteStart, data, s.imei === undefined ? {} : { imei: s.imei });
}

// ── contract commands ──────────────────────────────────────────────────────────────────────────────

function portAllowed(port: number, ports: number | undefined, field: string): VendorRejection | undefined {
  return ports !== undefined && port > ports ? reject('schema', field, `port ${port}, but the shed is registered with ${ports}`) : undefined;
}

/**
 * Contract `start` → 0x83. By energy (charge mode 4, in the device's energy unit,
 * rounded up) when `maxWh` is given, else by time (mode 3, `maxMinutes` × 60 s).
 * JUY takes one limit: with `maxWh` the time limit stays the server's to enforce.
 */
export function encodeStart(command: unknown, input: StartOptions = {}): EncodedCommand | VendorRejection {
  const c = ChargerStartCmd.safeParse(command);
  if (!c.success) return firstIssue(c.error, '');
  const o = StartOptions.safeParse(input);
  if (!o.success) return firstIssue(o.error, 'options');
  const cmd = c.data;
  const opt = o.data;
  const bad = portAllowed(cmd.port, opt.ports, 'port');
  if (bad) return bad;
  const warnings: string[] = [];
  let chargeMode: ChargeMode;
  let param: number;
  if (cmd.maxWh !== undefined) {
    if (cmd.maxWh <= 0) return reject('unencodable', 'maxWh', 'a start by energy needs more than 0 Wh');
    chargeMode = 'energy';
    param = Math.ceil(cmd.maxWh / opt.energyUnitWh);
    if (param * opt.energyUnitWh !== cmd.maxWh) warnings.push(`maxWh ${cmd.maxWh} rounded up to ${param * opt.energyUnitWh} Wh (the device counts ${opt.energyUnitWh} Wh steps)`);
  } else {
    chargeMode = 'time';
    param = cmd.maxMinutes * 60;
  }
  if (param > 0xffffffff) return reject('unencodable', cmd.maxWh !== undefined ? 'maxWh' : 'maxMinutes', 'over the 32-bit parameter of a 0x83');
  const orderNo = opt.orderNo ?? orderNoFor(cmd.sessionId);
  const cardNo = opt.cardId !== undefined ? Number(opt.cardId) : 0;
  const startMode: StartMode = opt.startMode ?? (cardNo ? 'card' : 'scan');
  const bytes = encodeRemoteStart({
    port: cmd.port,
    orderNo,
    startMode,
    cardNo,
    chargeMode,
    param,
    balanceFen: opt.balanceFen,
    ...(opt.imei !== undefined && { imei: opt.imei }),
  });
  if (isRejection(bytes)) return bytes;
  return {
    ok: true,
    bytes,
    command: CMD.remoteStart,
    port: cmd.port,
    orderNo,
    pending: { cmdId: cmd.cmdId, command: 'start', port: cmd.port, orderNo },
    warnings,
  };
}

/**
 * Contract `stop` → 0x84 (port, order). The contract stop carries no session, and
 * the device answers 02 "order mismatch" to a stop for another order, so the
 * transport gives the order running on the port (or the session id it started).
 */
export function encodeStop(command: unknown, input: StopOptions = {}): EncodedCommand | VendorRejection {
  const c = ChargerStopCmd.safeParse(command);
  if (!c.success) return firstIssue(c.error, '');
  const o = StopOptions.safeParse(input);
  if (!o.success) return firstIssue(o.error, 'options');
  const cmd = c.data;
  const opt = o.data;
  const bad = portAllowed(cmd.port, opt.ports, 'port');
  if (bad) return bad;
  const orderNo = opt.orderNo ?? (opt.sessionId !== undefined ? orderNoFor(opt.sessionId) : undefined);
  if (orderNo === undefined) {
    return reject('schema', 'options.orderNo', `the order running on port ${cmd.port} is needed (a JUY board refuses a stop for another order)`);
  }
  const bytes = buildFrame(CMD.remoteStop, new Writer().u8(cmd.port).u32(orderNo).bytes(), opt.imei === undefined ? {} : { imei: opt.imei });
  if (isRejection(bytes)) return bytes;
  return {
    ok: true,
    bytes,
    command: CMD.remoteStop,
    port: cmd.port,
    orderNo,
    pending: { cmdId: cmd.cmdId, command: 'stop', port: cmd.port, orderNo },
    warnings: [],
  };
}

/** The 0x87 refusal code a contract `deny` reason becomes (commands.ts `DENY_RESULT`). */
export function denyResultFor(reason: string): number {
  return DENY_RESULT.find((d) => d.match.test(reason))?.code ?? CARD_RESULT.illegal;
}

/**
 * Contract `deny` → the 0x87 answer with a refusal. The contract deny names no
 * card; the transport passes the card of the swipe it answers. The device sends
 * nothing back.
 */
export function encodeDeny(command: unknown, input: DenyOptions): EncodedCommand | VendorRejection {
  const c = ChargerDenyCmd.safeParse(command);
  if (!c.success) return firstIssue(c.error, '');
  const o = DenyOptions.safeParse(input);
  if (!o.success) return firstIssue(o.error, 'options');
  const cmd = c.data;
  const opt = o.data;
  const bad = portAllowed(cmd.port, opt.ports, 'port');
  if (bad) return bad;
  const bytes = encodeCardAuthReply(false, {
    port: cmd.port,
    cardId: opt.cardId,
    balanceFen: opt.balanceFen,
    result: opt.result ?? denyResultFor(cmd.reason),
    ...(opt.imei !== undefined && { imei: opt.imei }),
  });
  if (isRejection(bytes)) return bytes;
  return { ok: true, bytes, command: CMD.cardAuth, port: cmd.port, warnings: [] };
}

export interface CommandOptions {
  start?: StartOptions;
  stop?: StopOptions;
  deny?: DenyOptions;
}

/** Any contract charger command by its `type`. */
export function encodeCommand(command: unknown, options: CommandOptions = {}): EncodedCommand | VendorRejection {
  const type = (command as { type?: unknown } | null)?.type;
  if (type === 'start') return encodeStart(command, options.start);
  if (type === 'stop') return encodeStop(command, options.stop);
  if (type === 'deny') {
    if (!options.deny) return reject('schema', 'options.deny.cardId', 'the card of the swipe being refused is needed');
    return encodeDeny(command, options.deny);
  }
  return reject('unknown-message', 'type', `"${String(type).slice(0, 20)}" is not a charger command (start, stop, deny)`);
}
