import type { AccountsRepo } from '../store/accounts-repo.js';
import { attribution, groupByAsset } from './attribution.js';
import { monthRange } from './months.js';
import { buildStatement } from './statement.js';
import { fundOf, incomeOf, type Asset } from './types.js';

const total = (xs: { amountFen: number }[]) => xs.reduce((t, x) => t + x.amountFen, 0);

/**
 * Every asset's fund over all time, the households' prepaid money (theirs, not
 * income), and the income no asset covers. A device belongs to one asset at
 * most and plans to one shed at most, so what the estate took in less what the
 * assets took in is exactly the unallocated part.
 */
export function accountsOverview(repo: AccountsRepo, estateId: string) {
  return repo.snapshot(() => {
    const assets = repo.assets(estateId);
    const attr = attribution(assets);
    const items = assets.map((a) => {
      const s = repo.fund(estateId, attr.scopeOf(a), {});
      return { id: a.id, name: a.name, kind: a.kind, deviceIds: a.deviceIds, contributedFen: s.contributionsFen, incomeFen: incomeOf(s), costsFen: s.costsFen, balanceFen: fundOf(s) };
    });
    const b = repo.balances(estateId);
    return {
      assets: items,
      prepaid: { households: b.households, totalFen: b.accountsFen },
      unallocatedIncomeFen: repo.estateIncomeFen(estateId, {}) - items.reduce((t, i) => t + i.incomeFen, 0),
    };
  });
}

/** One asset's statement for a local month: lines read and attributed, checked against the ledgers' sums. */
export function monthlyStatement(repo: AccountsRepo, estateId: string, asset: Asset, month: string) {
  return repo.snapshot(() => {
    const attr = attribution(repo.assets(estateId));
    const scope = attr.scopeOf(asset);
    const { from, to } = monthRange(month);
    const period = { from, to };
    const groups = groupByAsset(repo.incomeFacts(estateId, period), attr);
    const unallocatedFen = total(groups.get(null) ?? []);
    const attributedFen = [...groups].reduce((t, [id, facts]) => (id === null ? t : t + total(facts)), 0);
    return buildStatement({
      estateId,
      month,
      asset,
      before: repo.fund(estateId, scope, { to: from }),
      during: repo.fund(estateId, scope, period),
      upToEnd: repo.fund(estateId, scope, { to }),
      contributions: repo.contributions(estateId, scope, period),
      income: groups.get(asset.id) ?? [],
      costs: repo.costs(estateId, scope, period),
      estateIncome: { ledgerFen: repo.estateIncomeFen(estateId, period), attributedFen, unallocatedFen },
      prepaid: repo.prepaid(estateId, period),
      balances: repo.balances(estateId),
      published: repo.publication(estateId, asset.id, month),
    });
  });
}
