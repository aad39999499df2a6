import { maskName, publicRef } from './mask.js';
import { monthRange } from './months.js';
import { fundOf, type Asset, type ContributionRow, type CostRow, type FundSums, type IncomeFact, type PrepaidSums, type Publication } from './types.js';

/**
 * Everything a month's statement is built from. Lines are rows read one by one
 * and attributed here; sums are SQL totals read independently. The statement's
 * figures come from the lines, and the reconciliation compares them with the
 * sums: a line lost, doubled or misattributed shows up as a failed check.
 * A reversal is a line like any other, in the month it was made, with a
 * negative amount; the line it cancels stays where it was, marked reversedBy.
 */
export interface StatementInput {
  estateId: string;
  month: string;
  asset: Asset;
  /** The asset's fund in SQL sums: all time before the month, over the month, all time up to its end. */
  before: FundSums;
  during: FundSums;
  upToEnd: FundSums;
  contributions: ContributionRow[];
  income: IncomeFact[];
  costs: CostRow[];
  /** Every fee the estate took in the month (SQL), and the same fees as attributed here to assets or to nobody. */
  estateIncome: { ledgerFen: number; attributedFen: number; unallocatedFen: number };
  prepaid: PrepaidSums;
  /** Now: the sum of the households' balances, and the sum of every ledger line ever. */
  balances: { accountsFen: number; ledgerFen: number };
  /** The month as put on the notice board, if it was. */
  published: Publication | null;
}

export interface Check {
  name: string;
  expectedFen: number;
  actualFen: number;
}

const sum = (xs: { amountFen: number }[]) => xs.reduce((t, x) => t + x.amountFen, 0);
const byAt = <T extends { at: string }>(xs: T[]) => [...xs].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

export function buildStatement(i: StatementInput) {
  const { from, to } = monthRange(i.month);
  const links = (l: ContributionRow | CostRow) => ({ reverses: l.reverses, reversedBy: l.reversedBy });
  const contributions = byAt(i.contributions).map((c) => ({ id: c.id, at: c.at, household: c.label ?? c.householdId, name: maskName(c.name), amountFen: c.amountFen, note: c.note, source: c.source, ...links(c) }));
  const income = byAt(i.income).map((f) => ({ at: f.at, source: f.source, ref: publicRef(f), amountFen: f.amountFen }));
  const costs = byAt(i.costs).map((c) => ({ id: c.id, at: c.at, category: c.category, amountFen: c.amountFen, note: c.note, recordedBy: c.recordedBy, source: c.source, ...links(c) }));
  const parkingFen = sum(income.filter((l) => l.source === 'parking'));
  // A plan is prepaid charging: it reads as charging income, its own lines say 'plan'.
  const chargingFen = sum(income.filter((l) => l.source === 'charging' || l.source === 'plan'));
  const ridesFen = sum(income.filter((l) => l.source === 'ride'));
  const incomeFen = parkingFen + chargingFen + ridesFen;
  const openingFen = fundOf(i.before);
  const contributedFen = sum(contributions);
  const costsFen = sum(costs);
  const closingFen = openingFen + contributedFen + incomeFen - costsFen;
  const p = i.prepaid;
  const prepaidClosingFen = p.openingFen + p.topupsFen - p.refundsFen - p.spentFen;
  const checks: Check[] = [
    { name: 'contributions', expectedFen: i.during.contributionsFen, actualFen: contributedFen },
    { name: 'income.parking', expectedFen: i.during.parkingFen, actualFen: parkingFen },
    { name: 'income.charging', expectedFen: i.during.chargingFen + i.during.plansFen, actualFen: chargingFen },
    { name: 'income.rides', expectedFen: i.during.ridesFen, actualFen: ridesFen },
    { name: 'costs', expectedFen: i.during.costsFen, actualFen: costsFen },
    // opening + the month's lines must land on the fund as summed from the beginning to the month's end.
    { name: 'closing', expectedFen: fundOf(i.upToEnd), actualFen: closingFen },
    // Nothing the estate took in is dropped: it is some asset's, or shown as unallocated.
    { name: 'income.estate', expectedFen: i.estateIncome.ledgerFen, actualFen: i.estateIncome.attributedFen + i.estateIncome.unallocatedFen },
    { name: 'prepaid.closing', expectedFen: p.closingFen, actualFen: prepaidClosingFen },
    { name: 'prepaid.balances', expectedFen: i.balances.accountsFen, actualFen: i.balances.ledgerFen },
  ];
  /*
   * Nothing dated in a published month can be added (entered lines are refused, reversals are dated
   * when made), so the closing recomputed now differs from the one on the notice board only when the
   * asset's scope changed under it: a device moved to or from the asset (its history moves with it), a
   * second shed asset taking the plans, or money kept on another page dated back into the month (an
   * elevator member's joinedAt, an elevator's running costs for the month), which this lock cannot reach.
   */
  if (i.published) checks.push({ name: 'published.closing', expectedFen: i.published.closingFen, actualFen: closingFen });
  return {
    estateId: i.estateId,
    month: i.month,
    from,
    to,
    asset: { id: i.asset.id, name: i.asset.name, kind: i.asset.kind },
    openingFen,
    contributions: { totalFen: contributedFen, lines: contributions },
    income: { parkingFen, chargingFen, ridesFen, totalFen: incomeFen, lines: income },
    costs: { totalFen: costsFen, lines: costs },
    closingFen,
    prepaid: { openingFen: p.openingFen, topupsFen: p.topupsFen, refundsFen: p.refundsFen, spentFen: p.spentFen, closingFen: prepaidClosingFen },
    reconciliation: { ok: checks.every((c) => c.expectedFen === c.actualFen), checks },
    published: i.published,
  };
}

export type Statement = ReturnType<typeof buildStatement>;
