import { describe, expect, it } from 'vitest';
import { attribution, groupByAsset } from '../../server/accounts/attribution.js';
import { instantOf, localMonthOf, monthRange } from '../../server/accounts/months.js';
import { buildStatement, type StatementInput } from '../../server/accounts/statement.js';
import type { Asset, FundSums, IncomeFact } from '../../server/accounts/types.js';

const asset = (id: string, kind: Asset['kind'], deviceIds: string[]): Asset => ({ estateId: 'e', id, name: id, kind, deviceIds, createdBy: 'admin', createdAt: '2026-01-01T00:00:00.000Z' });
const NONE: FundSums = { contributionsFen: 0, parkingFen: 0, chargingFen: 0, ridesFen: 0, plansFen: 0, costsFen: 0 };
const GATE = asset('north-gate', 'gate', ['gate-n1']);

/*
 * March 2026, the north gate, by hand:
 *   opening: contributions ¥1000 + parking ¥50 − costs ¥200          =  85 000 fen
 *   contributions 30 050 (3-2-501 王小芳) + 20 000 (1-1-101 张伟)      =  50 050
 *   parking 600 (鄂A12345) + 1 250 (鄂B67890)                          =   1 850
 *   costs repair 12 000 + electricity 3 540                           =  15 540
 *   closing 85 000 + 50 050 + 1 850 − 15 540                          = 121 360
 *   prepaid: 13 200 + topups 2 000 − refunds 2 000 − spent 300        =  12 900
 */
function march(edit: (i: StatementInput) => void = () => {}): StatementInput {
  const before = { ...NONE, contributionsFen: 100_000, parkingFen: 5_000, costsFen: 20_000 };
  const during = { ...NONE, contributionsFen: 50_050, parkingFen: 1_850, costsFen: 15_540 };
  const input: StatementInput = {
    estateId: 'e',
    month: '2026-03',
    asset: GATE,
    before,
    during,
    upToEnd: { ...NONE, contributionsFen: 150_050, parkingFen: 6_850, costsFen: 35_540 },
    contributions: [
      { id: 'contrib-1', at: '2026-03-05T02:00:00.000Z', householdId: '1-1-101', label: '1-1-101', name: '张伟', amountFen: 20_000, note: null, source: 'entered', reverses: null, reversedBy: null },
      { id: 'contrib-2', at: '2026-03-02T02:00:00.000Z', householdId: '3-2-501', label: '3-2-501', name: '王小芳', amountFen: 30_050, note: '道闸集资', source: 'entered', reverses: null, reversedBy: null },
    ],
    income: [
      { source: 'parking', at: '2026-03-12T02:00:00.000Z', amountFen: 600, deviceId: 'gate-n1', plate: '鄂A12345' },
      { source: 'parking', at: '2026-03-20T02:00:00.000Z', amountFen: 1_250, deviceId: 'gate-n1', plate: '鄂B67890' },
    ],
    costs: [
      { id: 'cost-1', at: '2026-03-10T00:00:00.000Z', category: 'repair', amountFen: 12_000, note: '更换电机', recordedBy: 'admin', source: 'entered', reverses: null, reversedBy: null },
      { id: 'cost-2', at: '2026-03-28T00:00:00.000Z', category: 'electricity', amountFen: 3_540, note: null, recordedBy: 'admin', source: 'entered', reverses: null, reversedBy: null },
    ],
    estateIncome: { ledgerFen: 2_250, attributedFen: 1_850, unallocatedFen: 400 },
    prepaid: { openingFen: 13_200, topupsFen: 2_000, refundsFen: 2_000, spentFen: 300, closingFen: 12_900 },
    balances: { accountsFen: 12_900, ledgerFen: 12_900 },
    published: null,
  };
  edit(input);
  return input;
}

describe('a monthly statement, by hand', () => {
  it('opening 85 000 + contributions 50 050 + income 1 850 − costs 15 540 = closing 121 360; every check passes', () => {
    const s = buildStatement(march());
    expect(s).toMatchObject({ month: '2026-03', from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', openingFen: 85_000, closingFen: 121_360 });
    expect(s.contributions.totalFen).toBe(50_050);
    expect(s.income).toMatchObject({ parkingFen: 1_850, chargingFen: 0, ridesFen: 0, totalFen: 1_850 });
    expect(s.costs.totalFen).toBe(15_540);
    expect(s.prepaid).toEqual({ openingFen: 13_200, topupsFen: 2_000, refundsFen: 2_000, spentFen: 300, closingFen: 12_900 });
    expect(s.reconciliation.ok).toBe(true);
    expect(s.reconciliation.checks.map((c) => c.name)).toEqual(['contributions', 'income.parking', 'income.charging', 'income.rides', 'costs', 'closing', 'income.estate', 'prepaid.closing', 'prepaid.balances']);
  });

  it('lines are in time order, with names and plates masked', () => {
    const s = buildStatement(march());
    expect(s.contributions.lines.map((l) => [l.household, l.name])).toEqual([['3-2-501', '王*芳'], ['1-1-101', '张*']]);
    expect(s.income.lines.map((l) => l.ref)).toEqual(['鄂A***45', '鄂B***90']);
    expect(JSON.stringify(s)).not.toMatch(/王小芳|鄂A12345|鄂B67890/);
  });

  it('a plan bought counts as charging income, its line saying plan', () => {
    const s = buildStatement(march((i) => {
      i.asset = asset('shed', 'shed', ['shed-1']);
      i.contributions = [];
      i.costs = [];
      i.income = [
        { source: 'charging', at: '2026-03-03T00:00:00.000Z', amountFen: 200, deviceId: 'shed-1', cardId: 'card-501-a', sessionId: 's1' },
        { source: 'plan', at: '2026-03-04T00:00:00.000Z', amountFen: 2_000, deviceId: null, planId: 'monthly' },
      ];
      i.before = NONE;
      i.during = { ...NONE, chargingFen: 200, plansFen: 2_000 };
      i.upToEnd = i.during;
    }));
    expect(s.income).toMatchObject({ chargingFen: 2_200, totalFen: 2_200 });
    expect(s.income.lines.map((l) => [l.source, l.ref])).toEqual([['charging', '***1-a'], ['plan', 'monthly']]);
    expect(s.closingFen).toBe(2_200);
    expect(s.reconciliation.ok).toBe(true);
  });

  it('a line the sums do not know about fails its check and the closing check, by its exact amount', () => {
    const s = buildStatement(march((i) => i.income.push({ source: 'parking', at: '2026-03-21T00:00:00.000Z', amountFen: 700, deviceId: 'gate-n1', plate: '鄂C11111' })));
    expect(s.reconciliation.ok).toBe(false);
    const failed = s.reconciliation.checks.filter((c) => c.expectedFen !== c.actualFen);
    expect(failed).toEqual([
      { name: 'income.parking', expectedFen: 1_850, actualFen: 2_550 },
      { name: 'closing', expectedFen: 121_360, actualFen: 122_060 },
    ]);
  });

  it('prepaid money moved by a kind the flows do not know (not topup, refund or spending) fails the prepaid check', () => {
    const s = buildStatement(march((i) => (i.prepaid.closingFen = 13_900)));
    expect(s.reconciliation.checks.find((c) => c.name === 'prepaid.closing')).toEqual({ name: 'prepaid.closing', expectedFen: 13_900, actualFen: 12_900 });
    expect(s.reconciliation.ok).toBe(false);
  });

  it('a negative fund (costs paid ahead of income) is carried as it is', () => {
    const s = buildStatement(march((i) => {
      i.before = { ...NONE, costsFen: 1_821 };
      i.contributions = [];
      i.income = [];
      i.costs = [];
      i.during = NONE;
      i.upToEnd = i.before;
    }));
    expect(s).toMatchObject({ openingFen: -1_821, closingFen: -1_821 });
    expect(s.reconciliation.ok).toBe(true);
  });
});

describe('attribution', () => {
  const fact = (f: Partial<IncomeFact> & Pick<IncomeFact, 'source'>): IncomeFact => ({ at: '2026-03-01T00:00:00.000Z', amountFen: 100, deviceId: null, ...f }) as IncomeFact;
  const park = fact({ source: 'parking', deviceId: 'gate-n1', plate: '鄂A12345' } as never);
  const parkElsewhere = fact({ source: 'parking', deviceId: 'gate-s1', plate: '鄂A12345' } as never);
  const charge = fact({ source: 'charging', deviceId: 'shed-1', cardId: 'c', sessionId: 's' } as never);
  const orphanCharge = fact({ source: 'charging', deviceId: null, cardId: null, sessionId: 'gone' } as never);
  const ride = fact({ source: 'ride', deviceId: 'lift-1', elevator: '3号楼电梯' } as never);
  const plan = fact({ source: 'plan', planId: 'monthly' } as never);

  it('each fee goes to the asset of its gate, shed or elevator; the rest is unallocated, none dropped', () => {
    const a = attribution([GATE, asset('shed', 'shed', ['shed-1']), asset('lift', 'elevator', ['lift-1'])]);
    const g = groupByAsset([park, parkElsewhere, charge, orphanCharge, ride, plan], a);
    expect(g.get('north-gate')).toEqual([park]);
    expect(g.get('shed')).toEqual([charge, plan]);
    expect(g.get('lift')).toEqual([ride]);
    expect(g.get(null)).toEqual([parkElsewhere, orphanCharge]);
  });

  it('a plan goes to the shed only when there is exactly one shed asset', () => {
    expect(attribution([GATE]).assetOf(plan)).toBeNull();
    expect(attribution([asset('s1', 'shed', []), asset('s2', 'shed', [])]).assetOf(plan)).toBeNull();
    const one = attribution([GATE, asset('s1', 'shed', ['shed-1'])]);
    expect(one.assetOf(plan)).toBe('s1');
    expect(one.scopeOf(asset('s1', 'shed', ['shed-1']))).toEqual({ assetId: 's1', deviceIds: ['shed-1'], plans: true });
    expect(one.scopeOf(GATE).plans).toBe(false);
  });
});

describe('local months', () => {
  it('a month runs from local midnight on the 1st (16:00 UTC the day before), December into January', () => {
    expect(monthRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(localMonthOf('2026-10-31T15:59:59.999Z')).toBe('2026-10');
    expect(localMonthOf('2026-10-31T16:00:00.000Z')).toBe('2026-11');
  });
  it('a date is its local midnight; a datetime keeps its instant', () => {
    expect(instantOf('2026-03-05')).toBe('2026-03-04T16:00:00.000Z');
    expect(instantOf('2026-03-05T10:30:00+08:00')).toBe('2026-03-05T02:30:00.000Z');
  });
});
