/**
 * Elevator cost split (加装电梯费用分摊，阶梯算法): one import for everything. Each
 * concept has its own file:
 * - cost-build.ts    `splitCost`: the build cost, after the subsidy, by floor coefficient (× area);
 * - cost-running.ts  `splitRunningCosts`: a month's electricity, maintenance, inspection…;
 * - cost-buy-in.ts   `buyIn`, `whatIf`: a late joiner's share plus interest, and the refunds to members;
 * - cost-weights.ts  the exact weights (coefficients to 0.0001, areas to 0.01 m²);
 * - cost-alloc.ts    largest-remainder allocation in integer fen, `ElevatorCostError`.
 * All pure: no clock, no I/O. Every split adds up to its total exactly, to the fen.
 */
export { splitCost, subsidyOf, type CostShare, type CostSplit, type SplitCostInput } from './cost-build.js';
export {
  splitRunningCosts,
  type RunningCostItem,
  type RunningCostKind,
  type RunningCostsInput,
  type RunningShare,
  type RunningSplit,
} from './cost-running.js';
export {
  buyIn,
  whatIf,
  beijingDaysBetween,
  simpleInterestFen,
  type BuyIn,
  type BuyInInput,
  type MemberChange,
  type WhatIf,
} from './cost-buy-in.js';
export { coefficientOf, type CostHousehold } from './cost-weights.js';
export { ElevatorCostError, largestRemainder, TIE_BREAK_TEXT, type ElevatorCostErrorCode } from './cost-alloc.js';
