import { createHash } from 'node:crypto';
import type { AccountsRepo } from '../store/accounts-repo.js';
import { statementCsv } from './csv.js';
import { monthRange } from './months.js';
import { monthlyStatement } from './report.js';
import type { Asset, Publication } from './types.js';

/** Hex SHA-256 of text as UTF-8: the bytes the CSV is served as. */
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * 公示: a month's statement put on the notice board, recorded with who put it
 * there, when, its closing balance and the SHA-256 of its CSV. The CSV itself
 * is kept and served for the month from then on, byte for byte, so a copy
 * anyone holds can be checked against the digest (a CSV made again later
 * would differ: its prepaid check reads today's balances); the JSON statement
 * is still recomputed and says whether it lands on the published closing.
 * Only a month that is over (local time) can be published: its lines are all in.
 * Nor one whose checks fail: a statement that does not reconcile to the ledgers
 * must not go on the notice board (the failing checks are returned, to fix first).
 * One write transaction, so two people pressing 公示 at once publish once.
 */
export function publishMonth(
  repo: AccountsRepo,
  estateId: string,
  asset: Asset,
  month: string,
  p: { estateName: string; by: string; at: string },
): Publication | 'not-over' | 'exists' | { failing: string[] } {
  if (monthRange(month).to > p.at) return 'not-over';
  return repo.atomically(() => {
    if (repo.publication(estateId, asset.id, month)) return 'exists';
    const s = monthlyStatement(repo, estateId, asset, month);
    if (!s.reconciliation.ok) return { failing: s.reconciliation.checks.filter((c) => c.expectedFen !== c.actualFen).map((c) => c.name) };
    const csv = statementCsv(s, p.estateName);
    const published = { at: p.at, by: p.by, closingFen: s.closingFen, digest: sha256(csv) };
    repo.addPublication({ estateId, assetId: asset.id, month, ...published, csv });
    return published;
  });
}
