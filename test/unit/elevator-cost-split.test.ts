import { describe, it, expect } from 'vitest';
import { splitCost, subsidyOf, coefficientOf, ElevatorCostError, type CostHousehold } from '../../server/elevator/cost-split.js';
import { anElevatorCostSplit, sevenByTwo, sumFen } from '../support/elevator-cost.js';

const TOTAL = 35_000_000; // ¥350,000 for the unit's elevator

/*
 * The building of issue 5, per household (公约第6.3条): 7 floors × 2 households,
 * 1F and 2F exempt, 40 % subsidy, 3F 0.7 rising 0.1 a floor.
 *
 *   subsidy  = 35 000 000 × 40 % = 14 000 000 fen; to share 21 000 000 fen (¥210,000)
 *   Σweights = 2 × (0.7 + 0.8 + 0.9 + 1.0 + 1.1) = 9
 *
 *   house  floor  w    exact = 21 000 000 × w / 9     ⌊ ⌋        rem   +1?  share (fen)
 *   101/102  1    0    0                              0          0          0
 *   201/202  2    0    0                              0          0          0
 *   301/302  3   0.7   4 900 000/3 = 1 633 333.33…    1 633 333  1/3        1 633 333
 *   401/402  4   0.8   5 600 000/3 = 1 866 666.66…    1 866 666  2/3   +1   1 866 667
 *   501/502  5   0.9   2 100 000                      2 100 000  0          2 100 000
 *   601/602  6   1.0   7 000 000/3 = 2 333 333.33…    2 333 333  1/3        2 333 333
 *   701/702  7   1.1   7 700 000/3 = 2 566 666.66…    2 566 666  2/3   +1   2 566 667
 *
 *   Σ⌊ ⌋ = 2 × 10 499 998 = 20 999 996 → 4 fen left, to the four largest remainders
 *   (2/3: 401, 402, 701, 702). Σ shares = 21 000 000 exactly.
 */
// prettier-ignore
const PER_HOUSEHOLD: [id: string, floor: number, coefficient: number, shareFen: number][] = [
  ['101', 1, 0, 0],         ['102', 1, 0, 0],
  ['201', 2, 0, 0],         ['202', 2, 0, 0],
  ['301', 3, 0.7, 1633333], ['302', 3, 0.7, 1633333],
  ['401', 4, 0.8, 1866667], ['402', 4, 0.8, 1866667],
  ['501', 5, 0.9, 2100000], ['502', 5, 0.9, 2100000],
  ['601', 6, 1.0, 2333333], ['602', 6, 1.0, 2333333],
  ['701', 7, 1.1, 2566667], ['702', 7, 1.1, 2566667],
];

/*
 * The same building area-weighted: x01 85.2 m², x02 63.4 m², 702 71.8 m².
 *   weight = coefficient × area;  Σweights = 677.94 = 33897/50
 *   exact  = 21 000 000 × w / 677.94  (denominators 11299 = 33897/3)
 *
 *   house  w               exact                          ⌊ ⌋        rem/11299  +1?  share
 *   301    0.7×85.2=59.64  20 874 000 000/11299           1 847 420  1420            1 847 420
 *   302    0.7×63.4=44.38  15 533 000 000/11299           1 374 723  4823            1 374 723
 *   401    0.8×85.2=68.16  23 856 000 000/11299           2 111 337  3237            2 111 337
 *   402    0.8×63.4=50.72  17 752 000 000/11299           1 571 112  5512            1 571 112
 *   501    0.9×85.2=76.68  26 838 000 000/11299           2 375 254  5054            2 375 254
 *   502    0.9×63.4=57.06  19 971 000 000/11299           1 767 501  6201       +1   1 767 502
 *   601    1.0×85.2=85.2   29 820 000 000/11299           2 639 171  6871       +1   2 639 172
 *   602    1.0×63.4=63.4   22 190 000 000/11299           1 963 890  6890       +1   1 963 891
 *   701    1.1×85.2=93.72  32 802 000 000/11299           2 903 088  8688       +1   2 903 089
 *   702    1.1×71.8=78.98  27 643 000 000/11299           2 446 499  7799       +1   2 446 500
 *
 *   Σ⌊ ⌋ = 20 999 995 → 5 fen left, to 701, 702, 602, 601, 502. Σ = 21 000 000.
 */
// prettier-ignore
const AREA_WEIGHTED: [id: string, weight: number, shareFen: number][] = [
  ['101', 0, 0], ['102', 0, 0], ['201', 0, 0], ['202', 0, 0],
  ['301', 59.64, 1847420], ['302', 44.38, 1374723],
  ['401', 68.16, 2111337], ['402', 50.72, 1571112],
  ['501', 76.68, 2375254], ['502', 57.06, 1767502],
  ['601', 85.2, 2639172],  ['602', 63.4, 1963891],
  ['701', 93.72, 2903089], ['702', 78.98, 2446500],
];

describe('splitCost: the 7 × 2 walk-up, per household', () => {
  const split = splitCost({ totalFen: TOTAL, households: sevenByTwo(), rule: anElevatorCostSplit() });
  const byId = new Map(split.shares.map((s) => [s.householdId, s]));

  it('takes the 40 % subsidy off first and sums exactly to the rest', () => {
    expect(split).toMatchObject({ totalFen: TOTAL, subsidyFen: 14_000_000, toShareFen: 21_000_000, clause: '6.3' });
    expect(sumFen(split.shares)).toBe(21_000_000);
  });

  it.each(PER_HOUSEHOLD)('%s (%iF, coefficient %d) pays %i fen', (id, floor, coefficient, shareFen) => {
    expect(byId.get(id)).toMatchObject({ floor, coefficient, weight: coefficient, shareFen });
  });

  it.each([
    ['101', '1层免缴（第6.3条）= ¥0'],
    ['301', '(¥350000 − 补贴¥140000) × 0.7 ÷ 9 = ¥16333.33… → ¥16333.33'],
    ['401', '(¥350000 − 补贴¥140000) × 0.8 ÷ 9 = ¥18666.66… → ¥18666.67（最大余数法进1分）'],
    ['501', '(¥350000 − 补贴¥140000) × 0.9 ÷ 9 = ¥21000'],
  ])('publishes the arithmetic of %s', (id, formula) => {
    expect(byId.get(id)!.formula).toBe(formula);
  });

  it('explains the split in one paragraph', () => {
    expect(split.explain).toContain('扣除补贴40%即¥140000后余¥210000');
    expect(split.explain).toContain('由10户按楼层系数分摊（第6.3条）');
    expect(split.explain).toContain('1、2层免缴');
    expect(split.explain).toContain('余数相同时楼层高者先得');
  });
});

describe('splitCost: the same walk-up, area-weighted', () => {
  const split = splitCost({ totalFen: TOTAL, households: sevenByTwo({ withArea: true }), rule: anElevatorCostSplit((r) => (r.method = 'area-weighted')) });
  const byId = new Map(split.shares.map((s) => [s.householdId, s]));

  it('sums exactly to the amount to share', () => expect(sumFen(split.shares)).toBe(21_000_000));

  it.each(AREA_WEIGHTED)('%s (weight %d) pays %i fen', (id, weight, shareFen) => {
    expect(byId.get(id)!.weight).toBeCloseTo(weight, 9);
    expect(byId.get(id)!.shareFen).toBe(shareFen);
  });

  it('shows coefficient × area in the formula', () => {
    expect(byId.get('702')!.formula).toBe('(¥350000 − 补贴¥140000) × 1.1×71.8㎡ ÷ 677.94 = ¥24464.99… → ¥24465（最大余数法进1分）');
  });
});

const h = (householdId: string, floor: number): CostHousehold => ({ householdId, floor });
const flat = (byFloor: Record<string, number>) =>
  anElevatorCostSplit((r) => {
    r.coefficients = { byFloor };
    r.exemptFloors = [];
    delete r.subsidy;
  });

// Tie-break: larger remainder, then higher floor, then smaller householdId.
// prettier-ignore
const TIES: [name: string, households: CostHousehold[], byFloor: Record<string, number>, totalFen: number, expected: number[]][] = [
  ['¥1 in three equal parts: the higher floor, then the smaller id', [h('301', 3), h('501', 5), h('502', 5)], { 3: 1, 5: 1 }, 100, [33, 34, 33]],
  ['¥2 in three equal parts: both 5F households', [h('301', 3), h('501', 5), h('502', 5)], { 3: 1, 5: 1 }, 200, [66, 67, 67]],
  ['order of input does not matter', [h('502', 5), h('301', 3), h('501', 5)], { 3: 1, 5: 1 }, 100, [33, 33, 34]],
  ['a larger remainder beats a higher floor', [h('301', 3), h('501', 5)], { 3: 2, 5: 1 }, 100, [67, 33]],
  ['same floor, same weight: smaller id first', [h('602', 6), h('601', 6), h('603', 6)], { 6: 1 }, 1, [0, 1, 0]],
  ['one fen among seven', [h('101', 1), h('201', 2), h('301', 3), h('401', 4), h('501', 5), h('601', 6), h('701', 7)], { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1 }, 1, [0, 0, 0, 0, 0, 0, 1]],
  ['nothing to share', [h('301', 3), h('501', 5)], { 3: 1, 5: 1 }, 0, [0, 0]],
];

describe('splitCost: largest remainder ties', () => {
  it.each(TIES)('%s', (_name, households, byFloor, totalFen, expected) => {
    const split = splitCost({ totalFen, households, rule: flat(byFloor) });
    expect(split.shares.map((s) => s.shareFen)).toEqual(expected);
    expect(sumFen(split.shares)).toBe(totalFen);
  });
});

// prettier-ignore
const SUBSIDIES: [name: string, subsidy: Record<string, unknown> | undefined, totalFen: number, subsidyFen: number][] = [
  ['40 % of ¥350,000', { kind: 'percent', percent: 40 }, 35_000_000, 14_000_000],
  ['40 % of 35 000 001 fen = …000.4, down', { kind: 'percent', percent: 40 }, 35_000_001, 14_000_000],
  ['12.5 % of 4 fen = 0.5, half up', { kind: 'percent', percent: 12.5 }, 4, 1],
  ['33.33 % of ¥100', { kind: 'percent', percent: 33.33 }, 10_000, 3_333],
  ['a fixed ¥100,000', { kind: 'amount', fen: 10_000_000 }, 35_000_000, 10_000_000],
  ['the whole cost', { kind: 'amount', fen: 35_000_000 }, 35_000_000, 35_000_000],
  ['none in the charter', undefined, 35_000_000, 0],
];

describe('subsidy', () => {
  it.each(SUBSIDIES)('%s', (_name, subsidy, totalFen, subsidyFen) => {
    const rule = anElevatorCostSplit((r) => (subsidy ? (r.subsidy = subsidy) : delete r.subsidy));
    expect(subsidyOf(totalFen, rule)).toBe(subsidyFen);
    const split = splitCost({ totalFen, households: sevenByTwo(), rule });
    expect(split.toShareFen).toBe(totalFen - subsidyFen);
    expect(sumFen(split.shares)).toBe(totalFen - subsidyFen);
  });

  it('is not applied when the caller says so', () => {
    const split = splitCost({ totalFen: TOTAL, households: sevenByTwo(), rule: anElevatorCostSplit(), subsidy: false });
    expect(split).toMatchObject({ subsidyFen: 0, toShareFen: TOTAL });
    expect(split.shares[0]!.formula).toBe('1层免缴（第6.3条）= ¥0');
    expect(split.shares.find((s) => s.householdId === '501')!.formula).toBe('¥350000 × 0.9 ÷ 9 = ¥35000');
  });
});

// prettier-ignore
const COEFFICIENTS: [name: string, coefficients: Record<string, unknown>, floor: number, expected: bigint | undefined][] = [
  ['the rule at its first floor', { rule: { fromFloor: 3, start: 0.7, step: 0.1 } }, 3, 7000n],
  ['the rule four floors up, no float drift', { rule: { fromFloor: 3, start: 0.7, step: 0.1 } }, 7, 11000n],
  ['below the rule: none', { rule: { fromFloor: 3, start: 0.7, step: 0.1 } }, 2, undefined],
  ['byFloor wins over the rule', { byFloor: { 7: 1.25 }, rule: { fromFloor: 3, start: 0.7, step: 0.1 } }, 7, 12500n],
  ['byFloor below the rule', { byFloor: { 2: 0.3 }, rule: { fromFloor: 3, start: 0.7, step: 0.1 } }, 2, 3000n],
  ['byFloor only, a floor it lacks', { byFloor: { 3: 1 } }, 4, undefined],
  ['four decimals', { byFloor: { 5: 1.0625 } }, 5, 10625n],
];

describe('coefficientOf', () => {
  it.each(COEFFICIENTS)('%s', (_name, coefficients, floor, expected) => {
    expect(coefficientOf(floor, anElevatorCostSplit((r) => (r.coefficients = coefficients)).coefficients)).toBe(expected);
  });

  it('byFloor overrides the rule in the split', () => {
    const split = splitCost({ totalFen: 900, households: sevenByTwo(), rule: anElevatorCostSplit((r) => (r.coefficients.byFloor = { 7: 1.6 })) });
    expect(split.shares.find((s) => s.householdId === '702')).toMatchObject({ coefficient: 1.6, shareFen: 86 }); // (900 − 40 %) × 1.6 ÷ Σ10 = 86.4; the 4 fen left go to 3F (.8) and 5F (.6)
    expect(sumFen(split.shares)).toBe(540);
  });
});

const onlyLow = [h('101', 1), h('102', 1), h('201', 2)];
const missingArea = sevenByTwo({ withArea: true }).map((x) => (x.householdId === '501' ? h('501', 5) : x));
// prettier-ignore
const ERRORS: [name: string, totalFen: number, households: CostHousehold[], edit: (r: Record<string, any>) => void, code: string, says: string][] = [
  ['every household exempt', TOTAL, onlyLow, () => {}, 'all-exempt', '无人分摊'],
  ['no households at all', TOTAL, [], () => {}, 'all-exempt', '无人分摊'],
  ['a needed area is missing', TOTAL, missingArea, (r) => (r.method = 'area-weighted'), 'missing-area', '501（5层）的建筑面积'],
  ['a zero area', TOTAL, [{ householdId: '301', floor: 3, areaM2: 0 }], (r) => (r.method = 'area-weighted'), 'missing-area', '301'],
  ['a floor with no coefficient', TOTAL, sevenByTwo(), (r) => (r.exemptFloors = [1]), 'no-coefficient', '没有给出2层的系数'],
  ['a rule stepping below zero', TOTAL, sevenByTwo(), (r) => (r.coefficients.rule = { fromFloor: 3, start: 0.2, step: -0.1 }), 'no-coefficient', '6层'],
  ['a subsidy above the cost', 1_000, sevenByTwo(), (r) => (r.subsidy = { kind: 'amount', fen: 1_001 }), 'subsidy-exceeds-total', '超过总造价'],
  ['a household twice', TOTAL, [h('301', 3), h('301', 3)], () => {}, 'bad-input', '出现了两次'],
  ['a negative total', -1, sevenByTwo(), () => {}, 'bad-input', '非负整数'],
  ['a total in yuan with cents', 350_000.5, sevenByTwo(), () => {}, 'bad-input', '非负整数'],
];

describe('splitCost errors', () => {
  it.each(ERRORS)('%s', (_name, totalFen, households, edit, code, says) => {
    const rule = anElevatorCostSplit(edit);
    const run = () => splitCost({ totalFen, households, rule });
    expect(run).toThrow(ElevatorCostError);
    expect(run).toThrow(expect.objectContaining({ code, message: expect.stringContaining(says) }));
  });

  it('does not need the area of an exempt household', () => {
    const households = sevenByTwo({ withArea: true }).map((x) => (x.floor <= 2 ? h(x.householdId, x.floor) : x));
    const split = splitCost({ totalFen: TOTAL, households, rule: anElevatorCostSplit((r) => (r.method = 'area-weighted')) });
    expect(sumFen(split.shares)).toBe(21_000_000);
  });
});

// Sums are exact for any amount: awkward totals on both methods.
const AMOUNTS = [1, 7, 99, 1_000_003, 35_000_000, 123_456_789, 9_999_999_999];
describe('splitCost sums exactly', () => {
  it.each(AMOUNTS.flatMap((fen) => [['per-household', fen] as const, ['area-weighted', fen] as const]))('%s, %i fen', (method, totalFen) => {
    const rule = anElevatorCostSplit((r) => ((r.method = method), delete r.subsidy));
    const split = splitCost({ totalFen, households: sevenByTwo({ withArea: true }), rule });
    expect(sumFen(split.shares)).toBe(totalFen);
    expect(split.shares.every((s) => Number.isInteger(s.shareFen) && s.shareFen >= 0)).toBe(true);
  });
});
