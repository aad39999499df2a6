/*
 * 公开账目 as the dashboard reads it (server/http/routes/accounts.ts). Types
 * only, from server/ through `import type` (erased by esbuild).
 */
import type { accountsOverview } from '../../server/accounts/report.js';
import type { Statement } from '../../server/accounts/statement.js';
import type { AssetKind, CostCategory } from '../../server/accounts/types.js';

export type { AssetKind, CostCategory, Statement };

/** GET …/accounts/assets: every asset's fund over all time, the prepaid money held, income no asset covers. */
export type Overview = ReturnType<typeof accountsOverview>;
export type AssetFund = Overview['assets'][number];

/** GET …/accounts/prepaid: households with a balance, names masked. */
export interface Prepaid {
  totalFen: number;
  households: { householdId: string; label: string; name: string | null; balanceFen: number }[];
}

export interface NewAsset {
  id?: string;
  name: string;
  kind: AssetKind;
  deviceIds: string[];
}

/** `at`: a local date 'YYYY-MM-DD' (the receipt's day) or an ISO time with offset. */
export interface NewContribution {
  householdId: string;
  amountFen: number;
  at: string;
  note?: string;
}

/** POST …/statements/:month/publish: the month as put on the notice board; digest is the SHA-256 of its CSV. */
export interface Published {
  publishedAt: string;
  publishedBy: string;
  closingFen: number;
  digest: string;
}

export interface NewCost {
  category: CostCategory;
  amountFen: number;
  at: string;
  note?: string;
}
