/**
 * The words the charging rules and the charging service share. Pure types and
 * one label table; no I/O.
 */

/** Why a session ended. The monitor decides the first six; the service reports the rest. */
export type StopReason =
  | 'full'
  | 'unplugged'
  | 'max-time'
  | 'max-energy'
  | 'over-power'
  | 'over-temperature'
  | 'smoke'
  | 'resident-stop'
  | 'fault'
  | 'power-loss';

/** Short Chinese labels for a shed's display, a receipt or the dashboard. */
export const STOP_REASON_ZH: Record<StopReason, string> = {
  full: '已充满',
  unplugged: '已拔出',
  'max-time': '达到最长充电时间',
  'max-energy': '达到单次电量上限',
  'over-power': '功率超限',
  'over-temperature': '温度过高',
  smoke: '烟雾报警',
  'resident-stop': '用户结束充电',
  fault: '设备故障',
  'power-loss': '停电',
};

/** An access card as the estate register holds it. */
export interface ChargingCard {
  cardId: string;
  householdId: string;
  status: 'active' | 'frozen';
  purposes: string[];
}

/** A household's charging account: prepaid balance and the plan it bought, if any. */
export interface ChargingAccount {
  balanceFen: number;
  /** `validUntil` is ISO: a date (valid through that whole Beijing day) or a date-time. */
  plan?: { id: string; validUntil: string };
}

export type PaidBy = 'balance' | 'plan';

export type CardCheck =
  | { ok: true; clause: string; payment: PaidBy; explain: string }
  /** `reason` is short Chinese for the shed's display (≤ 20 characters). */
  | { ok: false; clause: string; reason: string; explain: string };

/** A port charging now in a shed, with its latest power. */
export interface ChargingPort {
  port: number;
  powerW: number;
}

export type StartDecision =
  | { action: 'start'; maxMinutes: number; maxWh?: number; clause: string; explain: string }
  | { action: 'queue' | 'deny'; clause: string; reason: string; explain: string };

/** One finished session, as the risk review reads it. */
export interface SessionSummary {
  port: number;
  cardId: string;
  startedAtMs: number;
  endedAtMs: number;
  stopReason: StopReason;
  startTempC: number;
  maxTempC: number;
  reachedFull: boolean;
}
