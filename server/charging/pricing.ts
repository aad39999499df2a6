import type { ChargingPricing } from '../charter/charging-schema.js';
import { yuan } from '../parking/local-time.js';
import type { PaidBy } from './types.js';

/**
 * The fee for one charging session (充电费). Pure: no clock, no I/O. Every fee
 * cites `pricing.clause`. How a session is priced:
 *
 * 1. Minutes are whole minutes (the seconds of a started minute are dropped, so a
 *    session that fails at once costs no time). Times out of order count as zero.
 * 2. Charging time runs from the start to the earliest of: the unplug the monitor
 *    saw (`unpluggedAtMs`), full (`fullAtMs`: the charger stops drawing, so the time
 *    after it is occupancy, never charging time too), and the end (`endedAtMs`).
 * 3. By `mode`:
 *    - 'time': every started `unitMinutes` of charging time costs
 *      `perHourFen × unitMinutes / 60`, the total rounded up to a whole fen;
 *    - 'energy': `energyWh / 1000 × perKwhFen`, rounded up to a whole fen;
 *    - 'tier': as 'time' at the `perHourFen` of the tier the session's HIGHEST
 *      power (`maxPowerW`) falls in (`≤ upToW`, the lowest tier that fits; above
 *      every tier, the top tier) — a strong charger cannot hide in a low tier by
 *      tapering off at the end.
 * 4. `startFeeFen`, when set, once per session.
 * 5. Occupancy, when set and the session reached full: from `fullAtMs + graceMinutes`
 *    to the moment the port was freed (`unpluggedAtMs` if after full, else
 *    `endedAtMs`), every started `unitMinutes` at `perHourFen × unitMinutes / 60`.
 *    So for a session stopped as full, pass as `endedAtMs` the moment the plug came
 *    out (the port went `available`).
 * 6. Paid by a plan with `planCoversCharging`: the start fee and the charging lines
 *    stay on the bill at ¥0 ('套餐已含'); only occupancy is paid. Without
 *    `planCoversCharging` a plan holder pays like anyone else.
 * The total is the sum of the lines, always.
 */

export type ChargeLineKind = 'start' | 'time' | 'energy' | 'tier' | 'occupancy';

export interface ChargeLine {
  kind: ChargeLineKind;
  fen: number;
  /** Short Chinese: what this line charges for. */
  note: string;
}

export interface ChargeFee {
  totalFen: number;
  lines: ChargeLine[];
  clause: string;
  /** One plain Chinese sentence for the resident. */
  explain: string;
  /** Whole minutes billed as charging time. */
  chargingMinutes: number;
}

export interface ChargeFeeInput {
  pricing: ChargingPricing;
  startedAtMs: number;
  endedAtMs: number;
  energyWh: number;
  maxPowerW: number;
  fullAtMs?: number;
  unpluggedAtMs?: number;
  paidBy: PaidBy;
}

const MS_PER_MIN = 60_000;
/** Float products like 0.35 × 1000 land a hair above an integer; don't round that up a whole fen. */
const FEN_EPSILON = 1e-9;

const wholeMinutes = (fromMs: number, toMs: number) => Math.max(0, Math.floor((toMs - fromMs) / MS_PER_MIN));

/** Started units of `unitMinutes` at `perHourFen`, rounded up to a whole fen. */
function perStartedUnit(minutes: number, unitMinutes: number, perHourFen: number): { fen: number; units: number } {
  const units = Math.ceil(minutes / unitMinutes);
  return { units, fen: Math.ceil((units * unitMinutes * perHourFen) / 60 - FEN_EPSILON) };
}

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}分钟` : m === 0 ? `${h}小时` : `${h}小时${m}分钟`;
}

const started = (unitMinutes: number) => (unitMinutes === 60 ? '不足一小时按一小时计' : `不足${unitMinutes}分钟按${unitMinutes}分钟计`);
const rate = (perHourFen: number, unitMinutes: number) => (unitMinutes === 60 ? `每小时${yuan(perHourFen)}` : `每${unitMinutes}分钟${yuan((perHourFen * unitMinutes) / 60)}`);

function chargingLine(p: ChargingPricing, minutes: number, energyWh: number, maxPowerW: number): ChargeLine {
  switch (p.mode) {
    case 'time': {
      const { fen } = perStartedUnit(minutes, p.unitMinutes, p.perHourFen);
      return { kind: 'time', fen, note: `计时${duration(minutes)}（${rate(p.perHourFen, p.unitMinutes)}，${started(p.unitMinutes)}）` };
    }
    case 'energy': {
      const fen = Math.max(0, Math.ceil((energyWh * p.perKwhFen) / 1000 - FEN_EPSILON));
      return { kind: 'energy', fen, note: `电量${(energyWh / 1000).toFixed(3)}度（每度${yuan(p.perKwhFen)}）` };
    }
    case 'tier': {
      const tier = p.tiers.find((t) => maxPowerW <= t.upToW) ?? p.tiers[p.tiers.length - 1]!;
      const { fen } = perStartedUnit(minutes, p.unitMinutes, tier.perHourFen);
      return { kind: 'tier', fen, note: `计时${duration(minutes)}，最高功率${Math.round(maxPowerW)}W按${tier.upToW}W以下档（${rate(tier.perHourFen, p.unitMinutes)}，${started(p.unitMinutes)}）` };
    }
  }
}

function occupancyLine(p: ChargingPricing, i: ChargeFeeInput): ChargeLine | undefined {
  const o = p.occupancy;
  if (!o || i.fullAtMs === undefined) return undefined;
  const freedAt = i.unpluggedAtMs !== undefined && i.unpluggedAtMs > i.fullAtMs ? Math.min(i.unpluggedAtMs, i.endedAtMs) : i.endedAtMs;
  const minutes = wholeMinutes(i.fullAtMs + o.graceMinutes * MS_PER_MIN, freedAt);
  if (minutes === 0) return undefined;
  const { fen } = perStartedUnit(minutes, o.unitMinutes, o.perHourFen);
  return { kind: 'occupancy', fen, note: `充满后占位超出免费${o.graceMinutes}分钟共${duration(minutes)}（${rate(o.perHourFen, o.unitMinutes)}，${started(o.unitMinutes)}）` };
}

export function computeChargeFee(i: ChargeFeeInput): ChargeFee {
  const p = i.pricing;
  const chargeEnd = Math.min(i.endedAtMs, i.unpluggedAtMs ?? Infinity, i.fullAtMs ?? Infinity);
  const minutes = wholeMinutes(i.startedAtMs, chargeEnd);
  const covered = i.paidBy === 'plan' && p.planCoversCharging;
  const cover = (l: ChargeLine): ChargeLine => (covered ? { ...l, fen: 0, note: `${l.note}（套餐已含）` } : l);
  const lines: ChargeLine[] = [];
  if (p.startFeeFen !== undefined) lines.push(cover({ kind: 'start', fen: p.startFeeFen, note: '启动费' }));
  lines.push(cover(chargingLine(p, minutes, i.energyWh, i.maxPowerW)));
  const occupancy = occupancyLine(p, i);
  if (occupancy) lines.push(occupancy);
  const totalFen = lines.reduce((sum, l) => sum + l.fen, 0);
  const paid = lines.filter((l) => l.fen > 0).map((l) => `${l.note}${yuan(l.fen)}`);
  const parts = [covered ? '套餐已含充电费' : '', ...paid].filter(Boolean).join('，');
  const explain = `本次充电${duration(minutes)}${parts ? `：${parts}` : ''}，合计${yuan(totalFen)}（公约第${p.clause}条）`;
  return { totalFen, lines, clause: p.clause, explain, chargingMinutes: minutes };
}
