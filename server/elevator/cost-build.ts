import { PERCENT_SCALE, type ElevatorCostSplit } from '../charter/elevator-cost-schema.js';
import { yuan } from '../parking/local-time.js';
import {
  ElevatorCostError,
  TIE_BREAK_TEXT,
  assertFen,
  assertHouseholds,
  decimal,
  largestRemainder,
  scaled,
  shareTail,
} from './cost-alloc.js';
import { assertSomeonePays, weighHouseholds, weightScale, type CostHousehold } from './cost-weights.js';

/**
 * Each household's share of an elevator's build cost (加装电梯造价分摊，阶梯算法),
 * as charter clause `rule.clause` states it. Pure: no clock, no I/O. How:
 *
 * 1. The subsidy (when the charter has one and `subsidy` is not false) comes off
 *    the total first: a percent is rounded half up to a whole fen; an amount is
 *    taken as is and may not exceed the total.
 * 2. Each household's weight is its floor's coefficient — the `byFloor` entry if
 *    the charter writes one, else `start + step × (floor − fromFloor)` — times its
 *    floor area (to 0.01 m²) when `method` is 'area-weighted'. Exempt floors weigh
 *    0 and pay ¥0. All of it in integers: coefficients to 0.0001, areas to 0.01 m².
 * 3. The amount to share is divided in proportion to the weights by the
 *    largest-remainder method (see `largestRemainder`), so the shares add up to
 *    `toShareFen` exactly, to the fen.
 * Errors (`ElevatorCostError`): every household exempt ('all-exempt'), a needed
 * floor area missing ('missing-area'), a floor without a coefficient
 * ('no-coefficient'), a subsidy above the total, duplicate households.
 */

export interface CostShare {
  householdId: string;
  floor: number;
  /** The floor's coefficient; 0 on an exempt floor. */
  coefficient: number;
  /** Coefficient, × area (m²) when area-weighted; 0 when exempt. */
  weight: number;
  shareFen: number;
  /** The arithmetic as published: "(¥350000 − 补贴¥140000) × 0.7 ÷ 9 = ¥16333.33… → ¥16333.33". */
  formula: string;
}

export interface CostSplit {
  totalFen: number;
  subsidyFen: number;
  toShareFen: number;
  shares: CostShare[];
  clause: string;
  /** One plain Chinese paragraph for the notice board. */
  explain: string;
}

export interface SplitCostInput {
  totalFen: number;
  households: CostHousehold[];
  rule: ElevatorCostSplit;
  /** Take the charter's subsidy off the total (the build cost). Default true. */
  subsidy?: boolean;
}

export function splitCost(input: SplitCostInput): CostSplit {
  const { totalFen, households, rule } = input;
  assertFen(totalFen, '总造价');
  assertHouseholds(households);
  const subsidyFen = input.subsidy === false ? 0 : subsidyOf(totalFen, rule);
  const toShareFen = totalFen - subsidyFen;
  const weighted = weighHouseholds(households, rule);
  assertSomeonePays(weighted, rule.clause);
  const alloc = largestRemainder(toShareFen, weighted);
  const sumText = decimal(alloc.sum, weightScale(rule));
  const baseText = subsidyFen > 0 ? `(${yuan(totalFen)} − 补贴${yuan(subsidyFen)})` : yuan(totalFen);
  const shares = weighted.map((w, i) => ({
    householdId: w.householdId,
    floor: w.floor,
    coefficient: w.coefficient,
    weight: w.weightNumber,
    shareFen: alloc.fen[i]!,
    formula:
      w.weight === 0n
        ? `${w.floor}层${w.exempt ? '免缴' : '系数为0'}（第${rule.clause}条）= ¥0`
        : `${baseText} × ${w.weightText} ÷ ${sumText} ${shareTail(alloc, i)}`,
  }));
  const explain = explainSplit({ totalFen, subsidyFen, toShareFen, rule, payers: weighted.filter((w) => w.weight > 0n).length, sumText });
  return { totalFen, subsidyFen, toShareFen, shares, clause: rule.clause, explain };
}

/** The subsidy in fen: a percent of the total rounded half up, or the amount as written. */
export function subsidyOf(totalFen: number, rule: ElevatorCostSplit): number {
  const s = rule.subsidy;
  if (!s) return 0;
  if (s.kind === 'percent') {
    const den = BigInt(100 * PERCENT_SCALE);
    return Number((BigInt(totalFen) * scaled(s.percent, PERCENT_SCALE) * 2n + den) / (2n * den));
  }
  if (s.fen > totalFen) {
    throw new ElevatorCostError(
      'subsidy-exceeds-total',
      `补贴${yuan(s.fen)}超过总造价${yuan(totalFen)}：请核对公约第${rule.clause}条的补贴金额或造价`,
      rule.clause,
    );
  }
  return s.fen;
}

function explainSplit(p: { totalFen: number; subsidyFen: number; toShareFen: number; rule: ElevatorCostSplit; payers: number; sumText: string }): string {
  const { rule } = p;
  const subsidy =
    p.subsidyFen === 0
      ? ''
      : `，扣除补贴${rule.subsidy?.kind === 'percent' ? `${rule.subsidy.percent}%即` : ''}${yuan(p.subsidyFen)}后余${yuan(p.toShareFen)}`;
  const by = rule.method === 'area-weighted' ? '楼层系数×建筑面积' : '楼层系数';
  const exempt = rule.exemptFloors.length ? `；${[...rule.exemptFloors].sort((a, b) => a - b).join('、')}层免缴` : '';
  return (
    `总造价${yuan(p.totalFen)}${subsidy}，由${p.payers}户按${by}分摊（第${rule.clause}条），权重合计${p.sumText}` +
    `${exempt}；${TIE_BREAK_TEXT}，各户合计正好${yuan(p.toShareFen)}。`
  );
}
