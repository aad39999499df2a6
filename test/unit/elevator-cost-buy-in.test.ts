import { describe, it, expect } from 'vitest';
import { buyIn, whatIf, beijingDaysBetween, simpleInterestFen, ElevatorCostError, type BuyInInput } from '../../server/elevator/cost-split.js';
import { anElevatorCostSplit, sevenByTwo } from '../support/elevator-cost.js';

const bj = (s: string) => Date.parse(`${s.replace(' ', 'T')}:00+08:00`);
const TOTAL = 35_000_000;

/*
 * 302 (3F) stayed out; the other 13 households built the elevator for ¥350,000
 * (40 % subsidy → ¥210,000 to share), completed 2025-03-01. 302 joins 2025-09-01.
 *
 * Before the join, 9 payers, Σ = 0.7 + 2×(0.8 + 0.9 + 1.0 + 1.1) = 8.3:
 *   301 21 000 000×0.7/8.3 = 1 771 084.33 → 1 771 084
 *   4F  …×0.8/8.3 = 2 024 096.38 → 2 024 096      5F …×0.9/8.3 = 2 277 108.43 → 2 277 108
 *   6F  …×1.0/8.3 = 2 530 120.48 → 2 530 121 (+1) 7F …×1.1/8.3 = 2 783 132.53 → 2 783 133 (+1)
 *   (remainders 28, 32, 36, 40, 44 /83: the 4 fen left go to 7F and 6F). Σ = 21 000 000.
 *
 * Buy-in: the split recomputed with 302 is the 10-payer table of elevator-cost-split.test.ts,
 *   302's share 1 633 333. Days 2025-03-01 → 2025-09-01 = 184 (Beijing dates).
 *   Interest 1 633 333 × 4.35 % × 184 / 365 = 35 816.98 → 35 817 (half up). Total 1 669 150.
 *
 * whatIf: 1 669 150 back to the 9 members by weight, Σ = 8.3:
 *   house exact            ⌊ ⌋      rem/83 +1?  refund   net = paid − refund
 *   301   140 771.69       140 771  57     +1   140 772  1 630 312
 *   4F    160 881.93       160 881  77     +1   160 882  1 863 214
 *   5F    180 992.17       180 992  14          180 992  2 096 116
 *   6F    201 102.41       201 102  34          201 102  2 329 019
 *   7F    221 212.65       221 212  54     +1   221 213  2 561 920
 *   Σ⌊ ⌋ = 1 669 145, 5 fen left → 401, 402 (77), 301 (57), 701, 702 (54). Σ = 1 669 150.
 */
const members = sevenByTwo().filter((x) => x.householdId !== '302');
const JOIN: BuyInInput = {
  householdId: '302',
  floor: 3,
  members,
  totalFen: TOTAL,
  rule: anElevatorCostSplit(),
  completedAtMs: bj('2025-03-01 10:00'),
  joinAtMs: bj('2025-09-01 10:00'),
};

describe('buyIn', () => {
  it('is the share from the start plus simple interest', () => {
    expect(buyIn(JOIN)).toMatchObject({ householdId: '302', baseShareFen: 1_633_333, interestFen: 35_817, totalFen: 1_669_150, days: 184, clause: '6.5' });
  });

  it('publishes the arithmetic', () => {
    const b = buyIn(JOIN);
    expect(b.formula).toBe('¥16333.33 + ¥16333.33 × 4.35% × 184天 ÷ 365 = ¥16333.33 + ¥358.17 = ¥16691.50');
    expect(b.explain).toContain('按加入后的14户重算造价分摊（10户分摊，第6.3条）');
    expect(b.explain).toContain('四舍五入到分');
  });

  // prettier-ignore
  it.each([
    ['a 2F household joins: exempt, nothing to pay', { householdId: '203', floor: 2 }, 0, 0],
    ['joining before completion: no interest', { joinAtMs: bj('2025-02-20 10:00') }, 1_633_333, 0],
    ['a full year at 4.35 %', { joinAtMs: bj('2026-03-01 09:00') }, 1_633_333, 71_050],
    ['no interest agreed', { rule: anElevatorCostSplit((r) => (r.lateJoiner.annualInterestPct = 0)) }, 1_633_333, 0],
  ])('%s', (_name, edit, baseShareFen, interestFen) => {
    const b = buyIn({ ...JOIN, ...edit });
    expect(b).toMatchObject({ baseShareFen, interestFen, totalFen: baseShareFen + interestFen });
  });

  it('an area-weighted joiner pays their area-weighted share', () => {
    const rule = anElevatorCostSplit((r) => (r.method = 'area-weighted'));
    const b = buyIn({ ...JOIN, rule, areaM2: 63.4, members: sevenByTwo({ withArea: true }).filter((x) => x.householdId !== '302') });
    expect(b.baseShareFen).toBe(1_374_723); // the area-weighted table of elevator-cost-split.test.ts
  });

  // prettier-ignore
  it.each([
    ['already a member', { householdId: '301' }, 'already-member'],
    ['area-weighted, no area for the joiner', { rule: anElevatorCostSplit((r) => (r.method = 'area-weighted')), members: sevenByTwo({ withArea: true }).filter((x) => x.householdId !== '302') }, 'missing-area'],
    ['no completion date', { completedAtMs: Number.NaN }, 'bad-input'],
  ])('rejects: %s', (_name, edit, code) => {
    const run = () => buyIn({ ...JOIN, ...edit });
    expect(run).toThrow(ElevatorCostError);
    expect(run).toThrow(expect.objectContaining({ code }));
  });
});

// prettier-ignore
const DAYS: [name: string, from: number, to: number, days: number][] = [
  ['six months', bj('2025-03-01 10:00'), bj('2025-09-01 10:00'), 184],
  ['just past Beijing midnight is the next day', bj('2025-03-01 23:30'), bj('2025-03-02 00:10'), 1],
  ['the same Beijing date', bj('2025-03-01 00:10'), bj('2025-03-01 23:50'), 0],
  ['UTC dates differ, Beijing dates do not', Date.parse('2025-03-01T16:30:00Z'), Date.parse('2025-03-02T15:59:00Z'), 0],
  ['a year', bj('2025-03-01 10:00'), bj('2026-03-01 10:00'), 365],
  ['a leap year', bj('2024-01-01 10:00'), bj('2025-01-01 10:00'), 366],
  ['backwards counts as none', bj('2025-03-05 10:00'), bj('2025-03-01 10:00'), 0],
];

// prettier-ignore
const INTEREST: [name: string, fen: number, pct: number, days: number, interestFen: number][] = [
  ['exactly half a fen rounds up', 18_250, 1, 1, 1],           // 18250 × 1 % ÷ 365 = 0.5
  ['just under half rounds down', 18_249, 1, 1, 0],
  ['the walk-up joiner', 1_633_333, 4.35, 184, 35_817],         // 35 816.98
  ['a year is the rate', 1_000_000, 4.35, 365, 43_500],
  ['two years, still simple', 1_000_000, 4.35, 730, 87_000],
  ['no days', 1_000_000, 4.35, 0, 0],
  ['no rate', 1_000_000, 0, 100, 0],
];

describe('interest', () => {
  it.each(DAYS)('days: %s', (_name, from, to, days) => expect(beijingDaysBetween(from, to)).toBe(days));
  it.each(INTEREST)('fen: %s', (_name, fen, pct, days, interestFen) => expect(simpleInterestFen(fen, pct, days)).toBe(interestFen));
});

// prettier-ignore
const CHANGES: [id: string, paidFen: number, refundFen: number, netFen: number][] = [
  ['101', 0, 0, 0], ['102', 0, 0, 0], ['201', 0, 0, 0], ['202', 0, 0, 0],
  ['301', 1_771_084, 140_772, 1_630_312],
  ['401', 2_024_096, 160_882, 1_863_214], ['402', 2_024_096, 160_882, 1_863_214],
  ['501', 2_277_108, 180_992, 2_096_116], ['502', 2_277_108, 180_992, 2_096_116],
  ['601', 2_530_121, 201_102, 2_329_019], ['602', 2_530_121, 201_102, 2_329_019],
  ['701', 2_783_133, 221_213, 2_561_920], ['702', 2_783_133, 221_213, 2_561_920],
];

describe('whatIf: 302 joins', () => {
  const w = whatIf(JOIN);
  const byId = new Map(w.members.map((m) => [m.householdId, m]));

  it.each(CHANGES)('%s paid %i, gets back %i, nets %i', (id, paidFen, refundFen, netFen) => {
    expect(byId.get(id)).toMatchObject({ paidFen, refundFen, netFen });
  });

  it('refunds sum exactly to the buy-in, and the building still pays exactly its share', () => {
    const sum = (k: 'paidFen' | 'refundFen' | 'netFen') => w.members.reduce((s, m) => s + m[k], 0);
    expect(w.refundTotalFen).toBe(1_669_150);
    expect(sum('refundFen')).toBe(1_669_150);
    expect(sum('paidFen')).toBe(21_000_000);
    expect(sum('netFen') + w.buyIn.totalFen).toBe(21_000_000);
  });

  it('publishes each refund', () => {
    expect(byId.get('301')!.formula).toBe('¥16691.50 × 0.7 ÷ 8.3 = ¥1407.71… → ¥1407.72（最大余数法进1分）');
    expect(byId.get('101')!.formula).toBe('1层免缴，无退款 = ¥0');
    expect(w.explain).toContain('退款合计正好¥16691.50');
  });

  it.each([1, 7, 99, 12_345_679])('refunds sum exactly, area-weighted, for a build cost of %i fen', (totalFen) => {
    const rule = anElevatorCostSplit((r) => (r.method = 'area-weighted'));
    const all = sevenByTwo({ withArea: true });
    const r = whatIf({ ...JOIN, rule, totalFen, areaM2: 63.4, members: all.filter((x) => x.householdId !== '302') });
    expect(r.members.reduce((s, m) => s + m.refundFen, 0)).toBe(r.buyIn.totalFen);
  });
});
