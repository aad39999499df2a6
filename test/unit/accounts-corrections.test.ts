import { describe, expect, it } from 'vitest';
import { statementCsv } from '../../server/accounts/csv.js';
import { buildStatement, type StatementInput } from '../../server/accounts/statement.js';
import type { Asset, FundSums } from '../../server/accounts/types.js';

const NONE: FundSums = { contributionsFen: 0, parkingFen: 0, chargingFen: 0, ridesFen: 0, plansFen: 0, costsFen: 0 };
const GATE: Asset = { estateId: 'e', id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'], createdBy: 'admin', createdAt: '' };
const WRONG = { id: 'contrib-wrong', at: '2026-10-05T02:00:00.000Z' };
const REV_COST = { id: 'rev-2', at: '2026-11-20T04:00:00.000Z' };

/*
 * November 2026, the north gate, by hand. October closed at 100 000 − 12 000 = 88 000,
 * with 1-1-101's ¥50.00 typed as ¥500.00 (50 000) on 10-05. In November:
 *   reversal of that line, 11-03 09:00 local        −50 000
 *   the right figure, 11-03 10:00 local              +5 000   → contributions −45 000
 *   electricity 3 540 (11-01), entered against the wrong asset, reversed on 11-20 → costs 0
 *   closing 88 000 − 45 000 − 0 = 43 000
 */
function november(edit: (i: StatementInput) => void = () => {}): StatementInput {
  const input: StatementInput = {
    estateId: 'e',
    month: '2026-11',
    asset: GATE,
    before: { ...NONE, contributionsFen: 100_000, costsFen: 12_000 },
    during: { ...NONE, contributionsFen: -45_000, costsFen: 0 },
    upToEnd: { ...NONE, contributionsFen: 55_000, costsFen: 12_000 },
    contributions: [
      { id: 'contrib-right', at: '2026-11-03T02:00:00.000Z', householdId: '1-1-101', label: '1-1-101', name: '张伟', amountFen: 5_000, note: '2026-10 出资更正', source: 'entered', reverses: null, reversedBy: null },
      { id: 'rev-1', at: '2026-11-03T01:00:00.000Z', householdId: '1-1-101', label: '1-1-101', name: '张伟', amountFen: -50_000, note: '多打了一个0', source: 'reversal', reverses: WRONG, reversedBy: null },
    ],
    income: [],
    costs: [
      { id: 'cost-1', at: '2026-10-31T16:00:00.000Z', category: 'electricity', amountFen: 3_540, note: null, recordedBy: 'admin', source: 'entered', reverses: null, reversedBy: REV_COST },
      { id: 'rev-2', at: REV_COST.at, category: 'electricity', amountFen: -3_540, note: '电费记错资产', recordedBy: 'li', source: 'reversal', reverses: { id: 'cost-1', at: '2026-10-31T16:00:00.000Z' }, reversedBy: null },
    ],
    estateIncome: { ledgerFen: 0, attributedFen: 0, unallocatedFen: 0 },
    prepaid: { openingFen: 0, topupsFen: 0, refundsFen: 0, spentFen: 0, closingFen: 0 },
    balances: { accountsFen: 0, ledgerFen: 0 },
    published: null,
  };
  edit(input);
  return input;
}

describe('reversals in a statement', () => {
  it('count in the month they were made: contributions −45 000, costs 0, closing 88 000 − 45 000 = 43 000, reconciled', () => {
    const s = buildStatement(november());
    expect([s.openingFen, s.contributions.totalFen, s.costs.totalFen, s.closingFen]).toEqual([88_000, -45_000, 0, 43_000]);
    expect(s.reconciliation.ok).toBe(true);
  });

  it('a reversal line is negative, masked like any other, and names the line it cancels; lines stay in time order', () => {
    const s = buildStatement(november());
    expect(s.contributions.lines).toEqual([
      { id: 'rev-1', at: '2026-11-03T01:00:00.000Z', household: '1-1-101', name: '张*', amountFen: -50_000, note: '多打了一个0', source: 'reversal', reverses: WRONG, reversedBy: null },
      { id: 'contrib-right', at: '2026-11-03T02:00:00.000Z', household: '1-1-101', name: '张*', amountFen: 5_000, note: '2026-10 出资更正', source: 'entered', reverses: null, reversedBy: null },
    ]);
    expect(s.costs.lines.map((l) => [l.id, l.amountFen, l.reverses?.id ?? null, l.reversedBy?.id ?? null])).toEqual([
      ['cost-1', 3_540, null, 'rev-2'],
      ['rev-2', -3_540, 'cost-1', null],
    ]);
  });

  it('a reversal the SQL sums miss fails the contributions and closing checks by its amount', () => {
    const s = buildStatement(november((i) => ((i.during.contributionsFen = 5_000), (i.upToEnd.contributionsFen = 105_000))));
    expect(s.reconciliation.checks.filter((c) => c.expectedFen !== c.actualFen)).toEqual([
      { name: 'contributions', expectedFen: 5_000, actualFen: -45_000 },
      { name: 'closing', expectedFen: 93_000, actualFen: 43_000 },
    ]);
  });
});

describe('a published month', () => {
  const published = { at: '2026-12-01T02:00:00.000Z', by: 'admin', closingFen: 43_000, digest: 'ab'.repeat(32) };

  it('carries its publication and a last check against the published closing', () => {
    const s = buildStatement(november((i) => (i.published = published)));
    expect(s.published).toEqual(published);
    expect(s.reconciliation.checks.at(-1)).toEqual({ name: 'published.closing', expectedFen: 43_000, actualFen: 43_000 });
    expect(s.reconciliation.ok).toBe(true);
  });

  it('fails that check when the recomputed closing moved off the published one', () => {
    const s = buildStatement(november((i) => (i.published = { ...published, closingFen: 44_000 })));
    expect(s.reconciliation.checks.at(-1)).toEqual({ name: 'published.closing', expectedFen: 44_000, actualFen: 43_000 });
    expect(s.reconciliation.ok).toBe(false);
  });

  it('an unpublished month has no such check', () => {
    const s = buildStatement(november());
    expect(s.published).toBeNull();
    expect(s.reconciliation.checks.map((c) => c.name)).not.toContain('published.closing');
  });
});

describe('reversals in the CSV', () => {
  const lines = statementCsv(buildStatement(november()), '幸福里小区').slice(1).split('\r\n');

  it('shows a reversal as a negative amount naming the day of the line it cancels, and the reversed line as cancelled', () => {
    expect(lines).toContain('2026-11-03 09:00,1-1-101,张*,-500.00,冲销 2026-10-05 的记录：多打了一个0');
    expect(lines).toContain('2026-11-01 00:00,电费,admin,35.40,已于 2026-11-20 冲销');
    expect(lines).toContain('2026-11-20 12:00,电费,li,-35.40,冲销 2026-11-01 的记录：电费记错资产');
  });

  it('totals include them: contributions -450.00, costs 0.00, closing 430.00', () => {
    for (const line of ['捐资合计,,,-450.00', '支出合计,,,0.00', '期末余额,,,430.00']) expect(lines).toContain(line);
  });
});
