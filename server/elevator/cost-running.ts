import type { ElevatorCostSplit } from '../charter/elevator-cost-schema.js';
import { yuan } from '../parking/local-time.js';
import { ElevatorCostError, TIE_BREAK_TEXT, assertFen, assertHouseholds, decimal, largestRemainder, shareTail } from './cost-alloc.js';
import { assertSomeonePays, weighHouseholds, weightScale, type CostHousehold, type WeightedHousehold } from './cost-weights.js';

/**
 * One month's running costs of an elevator (电费、维保、年检…) shared among the
 * households, as `rule.running` states. Pure. The month's items are added up and
 * the total is divided once, by the largest-remainder method, so the shares sum
 * exactly to the month's total. By `running.method`:
 * - 'same-as-build': the build split's weights (coefficient, × area if
 *   area-weighted); no subsidy, which is for the build cost only;
 * - 'equal': one equal part per household;
 * - 'by-rides': in proportion to the month's rides (`rides[householdId]`, missing
 *   = 0); a household that did not ride pays ¥0; no ride at all is an error
 *   ('no-rides': the counter must be checked before anyone is billed).
 * In every method a household on an exempt floor pays ¥0.
 */

export type RunningCostKind = 'electricity' | 'maintenance' | 'inspection' | 'other';

export interface RunningCostItem {
  kind: RunningCostKind;
  fen: number;
}

export interface RunningCostsInput {
  /** 'YYYY-MM', the month billed (Beijing time). */
  month: string;
  items: RunningCostItem[];
  households: CostHousehold[];
  /** Rides per householdId this month; used by 'by-rides'. */
  rides?: Record<string, number>;
  rule: ElevatorCostSplit;
}

export interface RunningShare {
  householdId: string;
  floor: number;
  /** Coefficient (× area), 1, or rides, by method; 0 when the household pays nothing. */
  weight: number;
  shareFen: number;
  formula: string;
}

export interface RunningSplit {
  month: string;
  method: ElevatorCostSplit['running']['method'];
  totalFen: number;
  /** The month's total per kind of cost, for the bill. */
  byKindFen: Record<RunningCostKind, number>;
  shares: RunningShare[];
  clause: string;
  explain: string;
}

const KIND_ZH: Record<RunningCostKind, string> = { electricity: '电费', maintenance: '维保费', inspection: '年检费', other: '其他' };
const METHOD_ZH = { 'same-as-build': '按造价分摊比例', equal: '每户均摊', 'by-rides': '按当月乘梯次数' } as const;

export function splitRunningCosts(input: RunningCostsInput): RunningSplit {
  const { month, items, households, rule } = input;
  const clause = rule.running.clause;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ElevatorCostError('bad-input', `月份须为 YYYY-MM，收到 ${month}`, clause);
  assertHouseholds(households);
  const byKindFen: Record<RunningCostKind, number> = { electricity: 0, maintenance: 0, inspection: 0, other: 0 };
  for (const it of items) {
    if (!(it.kind in KIND_ZH)) throw new ElevatorCostError('bad-input', `未知的费用类别 ${it.kind}：请用 electricity、maintenance、inspection 或 other`, clause);
    assertFen(it.fen, KIND_ZH[it.kind]);
    byKindFen[it.kind] += it.fen;
  }
  const totalFen = items.reduce((s, it) => s + it.fen, 0);
  const { rows, sumText, unit } = runningWeights(input);
  const alloc = largestRemainder(totalFen, rows);
  const shares = rows.map((w, i) => ({
    householdId: w.householdId,
    floor: w.floor,
    weight: w.weightNumber,
    shareFen: alloc.fen[i]!,
    formula: w.exempt
      ? `${w.floor}层免缴（第${rule.clause}条）= ¥0`
      : w.weight === 0n
        ? `${unit === '次' ? '本月未乘梯' : '权重为0'} = ¥0`
        : `${yuan(totalFen)}${rule.running.method === 'equal' ? '' : ` × ${w.weightText}`} ÷ ${sumText} ${shareTail(alloc, i)}`,
  }));
  const kinds = (Object.keys(byKindFen) as RunningCostKind[]).filter((k) => byKindFen[k] > 0);
  const explain =
    `${month}运行费用${yuan(totalFen)}（${kinds.map((k) => `${KIND_ZH[k]}${yuan(byKindFen[k])}`).join('、') || '无'}），` +
    `${METHOD_ZH[rule.running.method]}分摊（第${clause}条），免缴楼层不分摊；${TIE_BREAK_TEXT}。`;
  return { month, method: rule.running.method, totalFen, byKindFen, shares, clause, explain };
}

function runningWeights(input: RunningCostsInput): { rows: WeightedHousehold[]; sumText: string; unit: string } {
  const { households, rule } = input;
  const clause = rule.running.clause;
  if (rule.running.method === 'same-as-build') {
    const rows = weighHouseholds(households, rule);
    assertSomeonePays(rows, clause, '运行费用');
    return { rows, sumText: decimal(rows.reduce((s, r) => s + r.weight, 0n), weightScale(rule)), unit: '' };
  }
  const rides = input.rides ?? {};
  const byRides = rule.running.method === 'by-rides';
  const rows = households.map((h): WeightedHousehold => {
    const exempt = rule.exemptFloors.includes(h.floor);
    const n = exempt ? 0 : byRides ? (rides[h.householdId] ?? 0) : 1;
    if (!Number.isSafeInteger(n) || n < 0) throw new ElevatorCostError('bad-input', `住户 ${h.householdId} 的乘梯次数须为非负整数，收到 ${n}`, clause);
    return { householdId: h.householdId, floor: h.floor, coefficient: 0, exempt, weight: BigInt(n), weightText: `${n}次`, weightNumber: n };
  });
  if (byRides && rows.every((r) => r.exempt || r.weight === 0n) && rows.some((r) => !r.exempt)) {
    throw new ElevatorCostError('no-rides', `${input.month}没有任何需分摊住户的乘梯记录：请先核对梯控的乘梯计数，再出账单`, clause);
  }
  assertSomeonePays(rows, clause, '运行费用');
  const sum = rows.reduce((s, r) => s + r.weight, 0n);
  return { rows, sumText: byRides ? `${sum}次` : `${sum}户`, unit: byRides ? '次' : '户' };
}
