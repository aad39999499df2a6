import { PERCENT_SCALE, type ElevatorCostSplit } from '../charter/elevator-cost-schema.js';
import { CHINA_OFFSET_MS, yuan } from '../parking/local-time.js';
import { ElevatorCostError, TIE_BREAK_TEXT, decimal, largestRemainder, scaled, shareTail } from './cost-alloc.js';
import { splitCost } from './cost-build.js';
import { weighHouseholds, weightScale, type CostHousehold } from './cost-weights.js';

/**
 * A household joining after the elevator was built (后加入住户补缴), per
 * `rule.lateJoiner`. Pure. The buy-in is:
 *
 * 1. the base share: the build split recomputed with the joiner among the members
 *    (same total, same subsidy), and the joiner's share of it — what they would
 *    have paid had they joined from the start;
 * 2. plus simple interest on it at `annualInterestPct` from completion: days are
 *    Beijing calendar days from the completion date to the join date (0 if the
 *    join is not after completion), interest = base × pct × days ÷ 365, rounded
 *    half up to a whole fen (in integers: no float on the way).
 *
 * `whatIf` shows what the join means for everyone else: the whole buy-in (base +
 * interest) is paid back to the existing members pro rata to their build weights,
 * by the largest-remainder method, so the refunds sum exactly to the buy-in.
 */

export interface BuyInInput {
  householdId: string;
  floor: number;
  areaM2?: number;
  /** The households already sharing the elevator. */
  members: CostHousehold[];
  /** The build cost (before subsidy) the members shared. */
  totalFen: number;
  rule: ElevatorCostSplit;
  completedAtMs: number;
  joinAtMs: number;
}

export interface BuyIn {
  householdId: string;
  baseShareFen: number;
  interestFen: number;
  totalFen: number;
  /** Beijing calendar days from completion to the join. */
  days: number;
  clause: string;
  formula: string;
  explain: string;
}

export interface MemberChange {
  householdId: string;
  floor: number;
  /** Their share of the build cost as split among the members before the join. */
  paidFen: number;
  /** Their part of the buy-in, paid back to them. */
  refundFen: number;
  /** paidFen − refundFen: what the elevator costs them after the join. */
  netFen: number;
  formula: string;
}

export interface WhatIf {
  buyIn: BuyIn;
  members: MemberChange[];
  refundTotalFen: number;
  clause: string;
  explain: string;
}

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 365n;

/** Days between the Beijing calendar dates of two instants (UTC+8, no DST: exact). */
export function beijingDaysBetween(fromMs: number, toMs: number): number {
  const day = (ms: number) => Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
  return Math.max(0, day(toMs) - day(fromMs));
}

/** Simple interest in fen, rounded half up: fen × pct% × days ÷ 365. */
export function simpleInterestFen(fen: number, annualPct: number, days: number): number {
  const num = BigInt(fen) * scaled(annualPct, PERCENT_SCALE) * BigInt(days);
  const den = BigInt(100 * PERCENT_SCALE) * DAYS_PER_YEAR;
  return Number((num * 2n + den) / (2n * den));
}

export function buyIn(input: BuyInInput): BuyIn {
  const { rule, householdId } = input;
  const lj = rule.lateJoiner;
  if (input.members.some((m) => m.householdId === householdId)) {
    throw new ElevatorCostError('already-member', `住户 ${householdId} 已在分摊名单中，无需补缴`, lj.clause);
  }
  if (!Number.isFinite(input.completedAtMs) || !Number.isFinite(input.joinAtMs)) {
    throw new ElevatorCostError('bad-input', '竣工时间和加入时间须为有效时间', lj.clause);
  }
  const joiner: CostHousehold = { householdId, floor: input.floor, areaM2: input.areaM2 };
  const all = splitCost({ totalFen: input.totalFen, households: [...input.members, joiner], rule });
  const share = all.shares.find((s) => s.householdId === householdId)!;
  const base = share.shareFen;
  const days = beijingDaysBetween(input.completedAtMs, input.joinAtMs);
  const interestFen = simpleInterestFen(base, lj.annualInterestPct, days);
  const totalFen = base + interestFen;
  const payers = all.shares.filter((s) => s.weight > 0).length;
  const formula =
    `${yuan(base)} + ${yuan(base)} × ${lj.annualInterestPct}% × ${days}天 ÷ 365 = ${yuan(base)} + ${yuan(interestFen)} = ${yuan(totalFen)}`;
  const explain =
    `住户 ${householdId}（${input.floor}层）后加入：按加入后的${all.shares.length}户重算造价分摊（${payers}户分摊，第${rule.clause}条），本户应摊${yuan(base)}` +
    `（${share.formula}）；另按第${lj.clause}条自竣工起${days}天、年利率${lj.annualInterestPct}%计单利${yuan(interestFen)}` +
    `（天数按北京时间日期计，÷365，四舍五入到分），合计补缴${yuan(totalFen)}。`;
  return { householdId, baseShareFen: base, interestFen, totalFen, days, clause: lj.clause, formula, explain };
}

export function whatIf(input: BuyInInput): WhatIf {
  const { rule } = input;
  const joined = buyIn(input);
  const before = splitCost({ totalFen: input.totalFen, households: input.members, rule });
  const weighted = weighHouseholds(input.members, rule);
  const alloc = largestRemainder(joined.totalFen, weighted);
  const sumText = decimal(alloc.sum, weightScale(rule));
  const members = weighted.map((w, i): MemberChange => {
    const paidFen = before.shares[i]!.shareFen;
    const refundFen = alloc.fen[i]!;
    return {
      householdId: w.householdId,
      floor: w.floor,
      paidFen,
      refundFen,
      netFen: paidFen - refundFen,
      formula: w.weight === 0n ? `${w.floor}层免缴，无退款 = ¥0` : `${yuan(joined.totalFen)} × ${w.weightText} ÷ ${sumText} ${shareTail(alloc, i)}`,
    };
  });
  const explain =
    `若住户 ${input.householdId}（${input.floor}层）加入，补缴${yuan(joined.totalFen)}（含利息${yuan(joined.interestFen)}），` +
    `按原有各户的分摊权重退还给原有住户（第${joined.clause}条）；${TIE_BREAK_TEXT}，退款合计正好${yuan(joined.totalFen)}。`;
  return { buyIn: joined, members, refundTotalFen: joined.totalFen, clause: joined.clause, explain };
}
