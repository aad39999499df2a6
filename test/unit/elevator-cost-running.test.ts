import { describe, it, expect } from 'vitest';
import { splitRunningCosts, ElevatorCostError, type RunningCostItem } from '../../server/elevator/cost-split.js';
import { anElevatorCostSplit, sevenByTwo, sumFen } from '../support/elevator-cost.js';

// March: electricity ¥864.20, maintenance ¥500, annual inspection ¥120 = ¥1484.20.
const MARCH: RunningCostItem[] = [
  { kind: 'electricity', fen: 86_420 },
  { kind: 'maintenance', fen: 50_000 },
  { kind: 'inspection', fen: 12_000 },
];
const ODD: RunningCostItem[] = [...MARCH, { kind: 'other', fen: 3 }]; // 148 423 fen
// Rides this month: 402 was away; 101 and 201 rode (a parcel to the roof) but are exempt.
const RIDES: Record<string, number> = { 101: 3, 201: 5, 301: 40, 302: 35, 401: 52, 402: 0, 501: 61, 502: 58, 601: 70, 602: 66, 701: 83, 702: 79 };

/*
 * Hand-computed, floors 1–2 pay ¥0 in every method.
 *
 * same-as-build, 148 420 fen, Σ = 9 (no subsidy on running costs):
 *   3F 148420×0.7/9 = 11543.77… rem 7/9 +1 → 11544     4F 13192.88… rem 8/9 +1 → 13193
 *   5F 14842 exact                        → 14842     6F 16491.11… rem 1/9    → 16491
 *   7F 18140.22… rem 2/9                  → 18140
 *   Σ⌊ ⌋ = 148 416, 4 fen left → the 8/9s (401, 402) and 7/9s (301, 302). Σ = 148 420.
 *
 * equal, 148 423 fen among the 10 non-exempt households: 14 842.3 each, 3 fen left, every
 *   remainder 3/10 → higher floor first: 701, 702, then 601 (6F, smaller id than 602).
 *
 * by-rides, 148 420 fen, Σ rides of non-exempt = 544:
 *   house rides exact (×1/136)  ⌊ ⌋    rem/136 +1?  share
 *   301    40   1484200/136     10913    32          10913
 *   302    35   1298675/136      9549    11           9549
 *   401    52   1929460/136     14187    28          14187
 *   402     0   0                   0     0              0
 *   501    61   2263405/136     16642    93     +1   16643
 *   502    58   2152090/136     15824    26          15824
 *   601    70   2597350/136     19098    22          19098
 *   602    66   2448930/136     18006   114     +1   18007
 *   701    83   3079715/136     22644   131     +1   22645
 *   702    79   2931295/136     21553    87     +1   21554
 *   Σ⌊ ⌋ = 148 416, 4 fen left → the largest remainders 131 (701), 114 (602), 93 (501), 87 (702). Σ = 148 420.
 */
const ZEROES = { 101: 0, 102: 0, 201: 0, 202: 0 };
// prettier-ignore
const METHODS: [method: string, items: RunningCostItem[], totalFen: number, expected: Record<string, number>][] = [
  ['same-as-build', MARCH, 148_420, { ...ZEROES, 301: 11544, 302: 11544, 401: 13193, 402: 13193, 501: 14842, 502: 14842, 601: 16491, 602: 16491, 701: 18140, 702: 18140 }],
  ['equal', ODD, 148_423, { ...ZEROES, 301: 14842, 302: 14842, 401: 14842, 402: 14842, 501: 14842, 502: 14842, 601: 14843, 602: 14842, 701: 14843, 702: 14843 }],
  ['by-rides', MARCH, 148_420, { ...ZEROES, 301: 10913, 302: 9549, 401: 14187, 402: 0, 501: 16643, 502: 15824, 601: 19098, 602: 18007, 701: 22645, 702: 21554 }],
];

describe('splitRunningCosts', () => {
  it.each(METHODS)('%s: every share, summing exactly', (method, items, totalFen, expected) => {
    const rule = anElevatorCostSplit((r) => (r.running.method = method));
    const split = splitRunningCosts({ month: '2025-03', items, households: sevenByTwo(), rides: RIDES, rule });
    expect(Object.fromEntries(split.shares.map((s) => [s.householdId, s.shareFen]))).toEqual(expected);
    expect(split).toMatchObject({ month: '2025-03', method, totalFen, clause: '6.4' });
    expect(sumFen(split.shares)).toBe(totalFen);
  });

  it('adds the items up by kind for the bill', () => {
    const split = splitRunningCosts({ month: '2025-03', items: [...ODD, { kind: 'electricity', fen: 1_000 }], households: sevenByTwo(), rule: anElevatorCostSplit() });
    expect(split.byKindFen).toEqual({ electricity: 87_420, maintenance: 50_000, inspection: 12_000, other: 3 });
    expect(split.explain).toContain('2025-03运行费用¥1494.23（电费¥874.20、维保费¥500、年检费¥120、其他¥0.03）');
  });

  it.each([
    ['same-as-build', '301', '¥1484.20 × 0.7 ÷ 9 = ¥115.43… → ¥115.44（最大余数法进1分）'],
    ['equal', '501', '¥1484.20 ÷ 10户 = ¥148.42'],
    ['by-rides', '701', '¥1484.20 × 83次 ÷ 544次 = ¥226.44… → ¥226.45（最大余数法进1分）'],
    ['by-rides', '402', '本月未乘梯 = ¥0'],
    ['by-rides', '101', '1层免缴（第6.3条）= ¥0'],
  ])('%s: the formula of %s', (method, id, formula) => {
    const rule = anElevatorCostSplit((r) => (r.running.method = method));
    const split = splitRunningCosts({ month: '2025-03', items: MARCH, households: sevenByTwo(), rides: RIDES, rule });
    expect(split.shares.find((s) => s.householdId === id)!.formula).toBe(formula);
  });

  it('same-as-build follows an area-weighted build split, without the subsidy', () => {
    const rule = anElevatorCostSplit((r) => ((r.method = 'area-weighted'), (r.running.method = 'same-as-build')));
    const split = splitRunningCosts({ month: '2025-03', items: MARCH, households: sevenByTwo({ withArea: true }), rule });
    // 148 420 × w ÷ 677.94: 301 13 056.86 → 13 057, 601 18 652.66 → 18 653, 701 20 517.93 → 20 518,
    // 702 17 290.93 → 17 291 (the 4 largest remainders take the 4 fen left); the rest round down.
    const shares = Object.fromEntries(split.shares.map((s) => [s.householdId, s.shareFen]));
    expect(shares).toEqual({ ...ZEROES, 301: 13057, 302: 9716, 401: 14922, 402: 11104, 501: 16787, 502: 12492, 601: 18653, 602: 13880, 701: 20518, 702: 17291 });
    expect(sumFen(split.shares)).toBe(148_420);
  });

  it('a month with no costs bills nobody', () => {
    const split = splitRunningCosts({ month: '2025-04', items: [], households: sevenByTwo(), rule: anElevatorCostSplit() });
    expect(split.totalFen).toBe(0);
    expect(split.shares.every((s) => s.shareFen === 0)).toBe(true);
  });
});

const low = sevenByTwo().filter((x) => x.floor <= 2);
// prettier-ignore
const ERRORS: [name: string, method: string, input: Record<string, unknown>, code: string][] = [
  ['no rides at all', 'by-rides', { rides: {} }, 'no-rides'],
  ['only exempt households rode', 'by-rides', { rides: { 101: 9 } }, 'no-rides'],
  ['negative rides', 'by-rides', { rides: { 301: -1 } }, 'bad-input'],
  ['everyone exempt, equal', 'equal', { households: low }, 'all-exempt'],
  ['everyone exempt, as build', 'same-as-build', { households: low }, 'all-exempt'],
  ['a bad month', 'equal', { month: '2025-13' }, 'bad-input'],
  ['a cost in yuan', 'equal', { items: [{ kind: 'electricity', fen: 864.2 }] }, 'bad-input'],
  ['an unknown kind of cost', 'equal', { items: [{ kind: 'cleaning', fen: 100 }] }, 'bad-input'],
];

describe('splitRunningCosts errors', () => {
  it.each(ERRORS)('%s', (_name, method, input, code) => {
    const rule = anElevatorCostSplit((r) => (r.running.method = method));
    const run = () => splitRunningCosts({ month: '2025-03', items: MARCH, households: sevenByTwo(), rule, ...input });
    expect(run).toThrow(ElevatorCostError);
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});
