/**
 * Open accounts (公开账目): the money of the assets the households paid for.
 * Every figure is integer fen; times are ISO UTC; months are local (UTC+8).
 */
export const ASSET_KINDS = ['gate', 'shed', 'elevator', 'other'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const COST_CATEGORIES = ['electricity', 'maintenance', 'repair', 'inspection', 'other'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export interface Asset {
  estateId: string;
  id: string;
  name: string;
  kind: AssetKind;
  /** Gates, sheds and elevators whose income (and, for elevators, running costs and members' payments) is this asset's. */
  deviceIds: string[];
  createdBy: string;
  createdAt: string;
}

/** A half-open span [from, to) of ISO instants on local month boundaries; a missing end is open. */
export interface Period {
  from?: string;
  to?: string;
}

/** What an asset's fund is made of, summed in SQL over a period. */
export interface FundSums {
  contributionsFen: number;
  parkingFen: number;
  chargingFen: number;
  ridesFen: number;
  plansFen: number;
  costsFen: number;
}

/** Which asset's sums: its own rows, its devices' income, and the plan purchases if it is the one shed. */
export interface AssetScope {
  assetId: string;
  deviceIds: string[];
  plans: boolean;
}

/** A fee taken, before it is attributed to an asset; carries the raw plate or card, masked only when shown. */
export type IncomeFact = { at: string; amountFen: number; deviceId: string | null } & (
  | { source: 'parking'; plate: string }
  | { source: 'charging'; cardId: string | null; sessionId: string | null }
  | { source: 'ride'; elevator: string }
  | { source: 'plan'; planId: string | null }
);

export interface ContributionRow {
  at: string;
  householdId: string;
  /** 3-2-501, from the register; null if the household was deleted since. */
  label: string | null;
  /** The household's primary resident, in full: masked when shown. */
  name: string | null;
  amountFen: number;
  note: string | null;
  source: 'entered' | 'elevator-member';
}

export interface CostRow {
  at: string;
  category: CostCategory;
  amountFen: number;
  note: string | null;
  recordedBy: string;
  source: 'entered' | 'elevator-running-costs';
}

/** Estate-wide prepaid balances over a period, from the charging ledger. */
export interface PrepaidSums {
  openingFen: number;
  topupsFen: number;
  refundsFen: number;
  /** Charging fees, rides and plans: the moment a balance becomes income. */
  spentFen: number;
  /** The ledger's own total up to the period's end, summed independently of the flows. */
  closingFen: number;
}

export const fundOf = (s: FundSums) => s.contributionsFen + s.parkingFen + s.chargingFen + s.ridesFen + s.plansFen - s.costsFen;
export const incomeOf = (s: FundSums) => s.parkingFen + s.chargingFen + s.ridesFen + s.plansFen;
