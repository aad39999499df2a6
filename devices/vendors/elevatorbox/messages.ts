import { z } from 'zod';
import { ElevatorTelemetry } from '../../elevator/schemas.js';
import { Timestamp } from '../../envelope.js';
import { byteLength, utf8Strict } from '../bytes.js';
import { encodeFrame, MAX_FRAME_BYTES, rejectBox, type BoxRejection } from './frame.js';
import { normalizeFaultCode } from './faults.js';

/**
 * The JSON inside one `#10#…#13#` frame (elevatorcloud protocol, "数据格式"):
 *
 * server → box: `need_login` (on connect; answer: login), `ping` (answer: ping),
 *   `kick {code}` (1: the same id logged in elsewhere, 2: illegal data), and the
 *   answers `login {res_id}` (0 registered, 1 no such device, 2 unknown error) and `cping`.
 * box → server: `login {eid}`, `cping` (its own heartbeat, answered with `cping`),
 *   `ping` (the answer to ours), `info {data}` (status and the current fault set).
 */

export type Telemetry = z.infer<typeof ElevatorTelemetry>;

/** The box's id: "mx12345678" in the document, "mx_" + the modem's IMEI on one firmware. Bounded so ids built from it stay contract ids (≤ 64). */
export const Eid = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'must be 1–32 of A-Z a-z 0-9 _ . - (a box id)');

const flag = z.union([z.literal(0), z.literal(1)]);

/** `info.data` fields we read, as the document gives them; anything else a box adds is ignored. */
const InfoStatus = z.looseObject({
  /** 0 停留, 1 上行, 2 下行. */
  direction: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** 具体楼层. */
  floor: z.number().int(),
  /** 0 关门, 1 开门, 2 关门中, 3 开门中. */
  door: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  /** 平层: 0 非平层, 1 平层 (the document; see `InfoContext.flatValue`). */
  inposition: flag.optional(),
});
const InfoFlags = z.looseObject({ haspeople: flag.optional(), reparing: flag.optional(), inmaintenance: flag.optional() });

export type DoorState = 'closed' | 'open' | 'closing' | 'opening';
const DOORS: DoorState[] = ['closed', 'open', 'closing', 'opening'];
const DIRECTIONS = ['idle', 'up', 'down'] as const;

/** A box never sends more than its 27 codes; a long array is not a fault set. */
export const MAX_FAULT_CODES = 64;

export interface DecodedInfo {
  /** Undefined when the status fields are missing or out of range (`telemetryRejection` says which); the fault set still counts. */
  telemetry?: Telemetry;
  telemetryRejection?: BoxRejection;
  /** The box's codes, normalised ("7", "F9999"); undefined when the frame carries no usable set (then nothing may be cleared). */
  faultCodes?: string[];
  door?: DoorState;
  /** haspeople, reparing (检修), inmaintenance (维保): no contract field yet. */
  occupied?: boolean;
  inspection?: boolean;
  maintenance?: boolean;
  warnings: string[];
}

export type BoxMessage =
  | { type: 'login'; eid: string }
  | { type: 'cping' }
  | { type: 'ping' }
  | ({ type: 'info' } & DecodedInfo);

export type DecodeResult = { ok: true; message: BoxMessage; raw: unknown } | BoxRejection;

export interface InfoContext {
  /** The id the box logged in with; info frames carry none. */
  eid?: string;
  /** ISO 8601: when the frame was received (the frames carry no time). */
  receivedAt: string;
  /** The `inposition` value that means "level with a landing": 1 in the document (default); 0 on firmware that sends its raw sensor enum. */
  flatValue?: 0 | 1;
}

/** One frame's JSON (what `splitFrames` returns) → a box message, or a dead letter. */
export function decodeBoxFrame(payload: Uint8Array | string, ctx: InfoContext): DecodeResult {
  const json = parseJson(payload);
  if ('ok' in json) return json;
  const top = json.value;
  const type = top.type;
  if (type === 'login') {
    const eid = Eid.safeParse(top.eid);
    if (!eid.success) return rejectBox('schema', 'eid', top.eid === undefined ? 'required: the login names no box' : eid.error.issues[0]!.message);
    return { ok: true, message: { type: 'login', eid: eid.data }, raw: top };
  }
  if (type === 'cping' || type === 'ping') return { ok: true, message: { type }, raw: top };
  if (type === 'info') {
    const info = decodeInfo(top.data, ctx);
    return 'ok' in info ? info : { ok: true, message: { type: 'info', ...info }, raw: top };
  }
  const shown = typeof type === 'string' ? `"${type.replace(/[^\w.-]/g, '?').slice(0, 32)}"` : String(type).slice(0, 16);
  return rejectBox('unknown-message', 'type', `${shown} is not a message a box sends (login, cping, ping, info)`);
}

/** `info.data` → contract telemetry, the fault set and the flags the contract has no field for. */
export function decodeInfo(data: unknown, ctx: InfoContext): DecodedInfo | BoxRejection {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return rejectBox('schema', 'data', 'must be an object');
  if (!ctx.eid || !Eid.safeParse(ctx.eid).success) return rejectBox('schema', 'eid', 'an info frame before a login: no box id to name it by');
  if (!Timestamp.safeParse(ctx.receivedAt).success) return rejectBox('schema', 'receivedAt', 'not an ISO 8601 time with a zone');
  const d = data as Record<string, unknown>;
  const warnings: string[] = [];
  const out: DecodedInfo = { warnings };

  const flags = InfoFlags.safeParse(d);
  const f = flags.success ? flags.data : {};
  if (!flags.success) warnings.push(`data.${flags.error.issues[0]!.path.join('.')}: ${flags.error.issues[0]!.message}; flags ignored`);
  if (f.haspeople !== undefined) out.occupied = f.haspeople === 1;
  if (f.reparing !== undefined) out.inspection = f.reparing === 1;
  if (f.inmaintenance !== undefined) out.maintenance = f.inmaintenance === 1;

  const status = InfoStatus.safeParse(d);
  if (!status.success) {
    const issue = status.error.issues[0]!;
    out.telemetryRejection = rejectBox('schema', ['data', ...issue.path.map(String)].join('.'), issue.message);
  } else {
    const s = status.data;
    out.door = DOORS[s.door];
    const telemetry = ElevatorTelemetry.safeParse({
      id: `${ctx.eid}.i${Date.parse(ctx.receivedAt)}`,
      ts: ctx.receivedAt,
      type: 'telemetry',
      floor: s.floor,
      direction: DIRECTIONS[s.direction],
      // Closing and opening are not shut: the door-lock circuit is open until the door is closed.
      doorOpen: s.door !== 0,
      // The frame has no "running": the box's direction is 停留 whenever the car is not moving (both firmwares set it from the levelling sensors).
      running: s.direction !== 0,
      ...(s.inposition !== undefined ? { inDoorZone: s.inposition === (ctx.flatValue ?? 1) } : {}),
    });
    if (telemetry.success) out.telemetry = telemetry.data;
    else {
      const issue = telemetry.error.issues[0]!;
      out.telemetryRejection = rejectBox('schema', `data.${issue.path.join('.')}`, issue.message);
    }
  }

  const faults = readFaultSet(d.fault, warnings);
  if (faults) out.faultCodes = faults;
  return out;
}

/**
 * `fault`: an array of codes (the document's form, `[1,2,3]`), or an object of
 * "Y"/"N" flags (the Shanghai platform's form, `{"F9999":"Y"}`). A code that is
 * not a code is a warning and left out; the rest of the set still counts.
 */
function readFaultSet(raw: unknown, warnings: string[]): string[] | undefined {
  if (raw === undefined) {
    warnings.push('data.fault: absent; the fault set is unknown, nothing raised or cleared');
    return undefined;
  }
  let entries: unknown[];
  if (Array.isArray(raw)) entries = raw;
  else if (raw !== null && typeof raw === 'object') {
    entries = [];
    for (const [k, v] of Object.entries(raw)) {
      if (v === 'Y' || v === 'y' || v === 1 || v === true) entries.push(k);
      else if (!(v === 'N' || v === 'n' || v === 0 || v === false)) warnings.push(`data.fault.${k.slice(0, 16)}: ${JSON.stringify(v)?.slice(0, 16)} is neither Y nor N`);
    }
  } else {
    warnings.push('data.fault: neither an array of codes nor an object of flags; the fault set is unknown');
    return undefined;
  }
  if (entries.length > MAX_FAULT_CODES) {
    warnings.push(`data.fault: ${entries.length} codes, over ${MAX_FAULT_CODES}; the fault set is unknown`);
    return undefined;
  }
  const codes: string[] = [];
  entries.forEach((e, i) => {
    const code = normalizeFaultCode(e);
    if (code === undefined) warnings.push(`data.fault.${i}: ${JSON.stringify(e)?.slice(0, 24)} is not a fault code`);
    else if (!codes.includes(code)) codes.push(code);
  });
  return codes;
}

function parseJson(payload: Uint8Array | string): { value: Record<string, unknown> } | BoxRejection {
  const size = byteLength(payload);
  if (size > MAX_FRAME_BYTES) return rejectBox('too-large', '', `${size} bytes is over the ${MAX_FRAME_BYTES}-byte frame limit`);
  const text = typeof payload === 'string' ? payload : utf8Strict(payload, '');
  if (typeof text !== 'string') return text;
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return rejectBox('not-json', '', `not JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return rejectBox('not-object', '', 'must be one JSON object');
  return { value: json as Record<string, unknown> };
}

// ── what the server sends (exact bytes: one firmware matches them with strstr) ──────────────────────

/** Sent on connect; the box must log in, or the server drops it. */
export const encodeNeedLogin = () => encodeFrame({ type: 'need_login' });
/** 0 registered, 1 no such device, 2 unknown error; the firmware retries after 10 s unless 0. */
export const encodeLoginReply = (resId: 0 | 1 | 2) => encodeFrame({ type: 'login', res_id: resId });
/** The server's heartbeat when the box has been quiet; the box answers `ping`. */
export const encodePing = () => encodeFrame({ type: 'ping' });
/** The answer to the box's `cping`. */
export const encodeCping = () => encodeFrame({ type: 'cping' });
/** Before closing: 1 the same id logged in elsewhere, 2 illegal data. */
export const encodeKick = (code: 1 | 2) => encodeFrame({ type: 'kick', code });

export type ServerMessage =
  | { type: 'need_login' }
  | { type: 'login'; resId: number }
  | { type: 'ping' }
  | { type: 'cping' }
  | { type: 'kick'; code: number };

/** What a box (or a simulator) reads from the server. */
export function decodeServerFrame(payload: Uint8Array | string): { ok: true; message: ServerMessage } | BoxRejection {
  const json = parseJson(payload);
  if ('ok' in json) return json;
  const t = json.value;
  if (t.type === 'need_login' || t.type === 'ping' || t.type === 'cping') return { ok: true, message: { type: t.type } };
  if (t.type === 'login' && Number.isInteger(t.res_id)) return { ok: true, message: { type: 'login', resId: t.res_id as number } };
  if (t.type === 'kick' && Number.isInteger(t.code)) return { ok: true, message: { type: 'kick', code: t.code as number } };
  return rejectBox('unknown-message', 'type', 'not a message the server sends');
}

// ── what a box sends (simulators, tests) ─────────────────────────────────────────────────────────────

export const encodeLogin = (eid: string) => encodeFrame({ type: 'login', eid });
export const encodeBoxCping = () => encodeFrame({ type: 'cping' });
export const encodeBoxPing = () => encodeFrame({ type: 'ping' });

export interface InfoInput {
  floor: number;
  direction: Telemetry['direction'];
  door: DoorState;
  inDoorZone: boolean;
  occupied?: boolean;
  inspection?: boolean;
  maintenance?: boolean;
  faults: readonly (number | string)[];
}

/** An `info` frame in the document's field order. */
export function encodeInfo(i: InfoInput): Uint8Array {
  return encodeFrame({
    type: 'info',
    data: {
      direction: DIRECTIONS.indexOf(i.direction),
      inposition: i.inDoorZone ? 1 : 0,
      floor: i.floor,
      door: DOORS.indexOf(i.door),
      haspeople: i.occupied ? 1 : 0,
      reparing: i.inspection ? 1 : 0,
      inmaintenance: i.maintenance ? 1 : 0,
      fault: [...i.faults],
    },
  });
}
