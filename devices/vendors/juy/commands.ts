import type { PortState } from '../../charger/schemas.js';

/**
 * The command set (vendor "TCP 通信协议" V1.2 §2) and the code tables this codec
 * reads. Tables are data: a firmware that adds a code changes a line here.
 */

export const CMD = {
  login: 0x81,
  heartbeat: 0x82,
  remoteStart: 0x83,
  remoteStop: 0x84,
  end: 0x85,
  localStart: 0x86,
  cardAuth: 0x87,
  portData: 0x88,
  queryParams: 0x89,
  setParams: 0x8a,
  meter: 0x8b,
  changeServer: 0x8c,
  setTariff: 0x8d,
  queryTariff: 0x8e,
  portDataTou: 0x8f,
  imeiReport: 0xc0,
  upgrade: 0xf5,
} as const;

export type CommandName = keyof typeof CMD;

const NAMES = new Map<number, CommandName>(Object.entries(CMD).map(([k, v]) => [v, k as CommandName]));

export function commandName(code: number): CommandName | undefined {
  return NAMES.get(code);
}

/** Topic / id form of a command: two upper-case hex digits. */
export const cmdHex = (code: number) => code.toString(16).toUpperCase().padStart(2, '0');

// ── 0x82 port status → contract port state ─────────────────────────────────────────────────────────

/**
 * 0x82 port status byte: 0 idle, 1 in use, 2 fuse blown, 3 relay welded, 4 disabled.
 * JUY has no "plugged but not charging": after a session the port reports idle
 * whether or not the plug is still in, so idle is `available`.
 */
export const PORT_STATUS: Record<number, { state: PortState; reason?: string; name: string }> = {
  0: { state: 'available', name: 'idle' },
  1: { state: 'charging', name: 'in-use' },
  2: { state: 'fault', reason: 'fuse-blown', name: 'fuse-blown' },
  3: { state: 'fault', reason: 'relay-welded', name: 'relay-welded' },
  4: { state: 'disabled', name: 'disabled' },
};

// ── 0x85 stop reason → the port's state after the session, and an alarm where the device saw danger ──

export type AlarmKind = 'smoke' | 'overtemp' | 'overcurrent' | 'leakage' | 'power-loss';

export interface StopReasonEntry {
  /** Our name for the reason; also the `reason` of the `port.state` event. */
  name: string;
  /** The port's state once this session ended (contract `port.state`). */
  state: PortState;
  /** A danger the device detected: also raised as a contract `alarm` on that port. */
  alarm?: AlarmKind;
}

/**
 * 0x85 "停止原因" 0–9. The state is the contract's meaning of what follows the end:
 * - `full`: the battery was full (contract: "the device saw the current drop");
 * - `occupied`: the session ended on a limit or by hand, the plug still in
 *   (devices/charger/machine.ts: charging --stop--> occupied);
 * - `available`: no charger was detected, nothing is plugged in;
 * - `fault`: the device stopped the port for a danger; the alarm says which.
 */
export const STOP_REASON: Record<number, StopReasonEntry> = {
  0: { name: 'full', state: 'full' },
  1: { name: 'time-used', state: 'occupied' },
  2: { name: 'money-used', state: 'occupied' },
  3: { name: 'manual', state: 'occupied' },
  4: { name: 'energy-used', state: 'occupied' },
  5: { name: 'over-power', state: 'fault', alarm: 'overcurrent' },
  6: { name: 'no-charger', state: 'available' },
  7: { name: 'over-temp', state: 'fault', alarm: 'overtemp' },
  8: { name: 'smoke', state: 'fault', alarm: 'smoke' },
  9: { name: 'smart-stop', state: 'occupied' },
};

/** 0x83 "启动方式" (and the answer's echo). */
export const START_MODE = { scan: 1, card: 2, admin: 3 } as const;
export type StartMode = keyof typeof START_MODE;

/** 0x83 "充电方式": 1 until full, 2 by money (0.01 元), 3 by time (s), 4 by energy (0.01 kWh), 5 other. */
export const CHARGE_MODE = { full: 1, money: 2, time: 3, energy: 4, other: 5 } as const;
export type ChargeMode = keyof typeof CHARGE_MODE;

/** 0x83 answer "启动结果". */
export const START_RESULT: Record<number, { ok: boolean; error?: string }> = {
  0: { ok: true },
  1: { ok: false, error: 'port-busy' },
  2: { ok: false, error: 'port-fault' },
};

/** 0x84 answer "结果": an already idle port is stopped, which is what was asked. */
export const STOP_RESULT: Record<number, { ok: boolean; error?: string; note?: string }> = {
  0: { ok: true },
  1: { ok: true, note: 'the port was already idle' },
  2: { ok: false, error: 'order-mismatch' },
};

/** 0x86 "启动方式". */
export const LOCAL_START_MODE: Record<number, string> = { 1: 'offline-card', 2: 'coin', 3: 'free-button' };

/** 0x87 "操作指令". */
export const CARD_OPERATION: Record<number, 'query-balance' | 'start' | 'free-button'> = { 1: 'query-balance', 2: 'start', 3: 'free-button' };

/** 0x87 answer "认证结果". */
export const CARD_RESULT = {
  ok: 0,
  illegal: 1,
  frozen: 2,
  insufficient: 5,
  inUse: 6,
  daysLeft: 7,
} as const;

/**
 * A contract `deny` reason (the server's words, Chinese) → the 0x87 answer code the
 * board shows or speaks. First match wins; anything else is "illegal account",
 * the only general refusal the device has.
 */
export const DENY_RESULT: { match: RegExp; code: number }[] = [
  { match: /冻结|frozen/i, code: CARD_RESULT.frozen },
  { match: /余额不足|套餐|balance|plan/i, code: CARD_RESULT.insufficient },
  { match: /使用中|in use|busy/i, code: CARD_RESULT.inUse },
];

/** 0x81 "登陆结果". */
export const LOGIN_RESULT = { ok: 0x00, illegal: 0x01, okImeiFormat: 0xf0 } as const;
export type LoginResult = keyof typeof LOGIN_RESULT;

/** The login's signal byte is a protocol version from here on (the device can take the IMEI format). */
export const PROTOCOL_VERSION_FROM = 0x64;
