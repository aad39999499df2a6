import { z } from 'zod';
import { Floor } from '../../devices/index.js';
import { Clause } from './parking-schema.js';

/**
 * How a retrofitted elevator's cost is shared (加装电梯费用分摊，阶梯算法), as the
 * charter states it: a coefficient per floor, the floors that pay nothing, per
 * household or weighted by floor area, a subsidy taken off the build cost first,
 * how the monthly running costs are shared, and what a household joining later
 * pays. `server/elevator/cost-*.ts` compute it in integer fen and publish the
 * arithmetic; every split adds up to the total exactly.
 *
 * Decimals are kept exact by fixing their precision here: coefficients to 0.0001,
 * percents to 0.01 %. (Floor areas are read to 0.01 m², as on a 房产证.)
 */

/** Coefficients are read to 4 decimals, percents to 2, so the split can be computed in integers. */
export const COEFFICIENT_SCALE = 10_000;
export const PERCENT_SCALE = 100;

const hasDecimals = (max: number) => (x: number) => Math.abs(x * 10 ** max - Math.round(x * 10 ** max)) < 1e-6;

const Coefficient = z
  .number()
  .min(0)
  .max(100)
  .refine(hasDecimals(4), 'at most 4 decimals, e.g. 0.7 or 1.125')
  .describe('楼层系数，如 0.7；0 即该层不分摊 (floor coefficient; 0 pays nothing)');
const Percent = (what: string) =>
  z.number().min(0).max(100).refine(hasDecimals(2), 'at most 2 decimals, e.g. 40 or 4.35').describe(what);
const Fen = z.number().int().min(0);

export const CoefficientRule = z
  .object({
    fromFloor: Floor.describe('从哪一层起按规则计系数，如 3 (first floor the rule covers)'),
    start: Coefficient.describe('起始层系数，如 0.7 (coefficient of fromFloor)'),
    step: z
      .number()
      .min(-10)
      .max(10)
      .refine(hasDecimals(4), 'at most 4 decimals, e.g. 0.1')
      .describe('每高一层增加，如 0.1 (added per floor above fromFloor)'),
  })
  .describe('阶梯系数：第 n 层系数 = start + step × (n − fromFloor)，n ≥ fromFloor (stepped coefficients)');
export type CoefficientRule = z.infer<typeof CoefficientRule>;

export const FloorCoefficients = z
  .object({
    byFloor: z
      .record(z.string().regex(/^-?\d{1,2}$/, 'a floor number like "7"'), Coefficient)
      .optional()
      .describe('逐层写明的系数，如 {"3": 0.7}；写明的优先于阶梯规则 (explicit per floor; wins over the rule)'),
    rule: CoefficientRule.optional(),
  })
  .refine((c) => c.byFloor !== undefined || c.rule !== undefined, { message: 'give byFloor, rule, or both' })
  .describe('楼层系数 (floor coefficients)');
export type FloorCoefficients = z.infer<typeof FloorCoefficients>;

export const Subsidy = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('percent'),
      percent: Percent('补贴比例（%），按造价计算、四舍五入到分，如 40 (percent of the build cost, rounded half up to a fen)'),
    }),
    z.object({ kind: z.literal('amount'), fen: Fen.describe('补贴金额（分）(subsidy in fen)') }),
  ])
  .describe('政府补贴，先从造价中扣除再分摊 (taken off the build cost before it is split)');
export type Subsidy = z.infer<typeof Subsidy>;

export const RunningCostSplit = z
  .object({
    clause: Clause.describe('运行费用分摊条款 (running costs)'),
    method: z
      .enum(['same-as-build', 'equal', 'by-rides'])
      .default('same-as-build')
      .describe('电费、维保、年检等：按造价同样比例、每户均摊、或按当月乘梯次数；免缴楼层均不分摊 (as the build cost, equally, or by rides; exempt floors pay none)'),
  })
  .describe('每月运行费用分摊 (monthly running costs)');
export type RunningCostSplit = z.infer<typeof RunningCostSplit>;

export const LateJoiner = z
  .object({
    clause: Clause.describe('后加入住户补缴条款 (late joiners)'),
    annualInterestPct: Percent('年利率（%，单利），如 4.35 (simple annual interest)'),
    from: z.literal('completion').default('completion').describe('利息自电梯竣工之日起算 (interest runs from completion)'),
  })
  .describe('后加入住户：补缴其从一开始就参与时应分摊的份额，加约定利息 (their share as if in from the start, plus interest)');
export type LateJoiner = z.infer<typeof LateJoiner>;

export const ElevatorCostSplit = z
  .object({
    clause: Clause.describe('造价分摊条款，每笔分摊引用它 (clause every build share cites), e.g. 6.3'),
    method: z
      .enum(['per-household', 'area-weighted'])
      .describe('per-household: 权重 = 楼层系数; area-weighted: 权重 = 楼层系数 × 建筑面积 (weight = coefficient, or × floor area)'),
    coefficients: FloorCoefficients,
    exemptFloors: z.array(Floor).default([]).describe('免缴楼层，如 [1, 2] (floors that pay nothing)'),
    subsidy: Subsidy.optional(),
    running: RunningCostSplit,
    lateJoiner: LateJoiner,
  })
  .describe('加装电梯费用分摊（阶梯算法）(elevator cost split)');
export type ElevatorCostSplit = z.infer<typeof ElevatorCostSplit>;
/** What a charter file may leave out (the defaults fill it in). */
export type ElevatorCostSplitInput = z.input<typeof ElevatorCostSplit>;
