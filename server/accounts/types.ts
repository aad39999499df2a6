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

/**
 * Another line a line is tied to by a correction: on a reversal, the line it
 * cancels; on a reversed line, the reversal that cancelled it.
 */
export interface LineRef {
  id: string;
  at: string;
}

/** The lines the committee enters, and which a reversal can cancel. */
export const REVERSIBLE = ['contribution', 'cost'] as const;
export type ReversibleKind = (typeof REVERSIBLE)[number];

export interface ContributionRow {
  /** contrib-…, or for an elevator member's payment member:<elevator>:<household> (kept with the elevator, not reversible here). */
  id: string;
  at: string;
  householdId: string;
  /** 3-2-501, from the register; null if the household was deleted since. */
  label: string | null;
  /** The household's primary resident, in full: masked when shown. */
  name: string | null;
  /** Negative for a reversal. */
  amountFen: number;
  /** A reversal's reason. */
  note: string | null;
  source: 'entered' | 'elevator-member' | 'reversal';
  reverses: LineRef | null;
  reversedBy: LineRef | null;
}

export interface CostRow {
  /** cost-…, or the elevator_running_costs row's own id (kept with the elevator, not reversible here). */
  id: string;
  at: string;
  category: CostCategory;
  /** Negative for a reversal: it lowers the month's costs. */
  amountFen: number;
  /** A reversal's reason. */
  note: string | null;
  recordedBy: string;
  source: 'entered' | 'elevator-running-costs' | 'reversal';
  reverses: LineRef | null;
  reversedBy: LineRef | null;
}

/** A month's statement as it was put on the notice board (公示). */
export interface Publication {
  at: string;
  by: string;
  closingFen: number;
  /** SHA-256 of the CSV bytes published, in hex. */
  digest: string;
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

/** What the committee enters, as the repository writes it. */
export interface NewContribution {
  id: string;
  estateId: string;
  assetId: string;
  householdId: string;
  amountFen: number;
  at: string;
  note?: string;
  recordedBy: string;
  recordedAt: string;
}
export interface NewCost {
  id: string;
  estateId: string;
  assetId: string;
  category: CostCategory;
  amountFen: number;
  at: string;
  note?: string;
  recordedBy: string;
  recordedAt: string;
}
export interface NewReversal {
  id: string;
  estateId: string;
  assetId: string;
  kind: ReversibleKind;
  lineId: string;
  reason: string;
  at: string;
  recordedBy: string;
}
export interface NewPublication extends Publication {
  estateId: string;
  assetId: string;
  month: string;
  /** The CSV published, kept so it can be served again byte for byte. */
  csv: string;
}

/** A month on the notice board, as listed: what the paper copy by the door says at its foot. */
export interface PublishedMonth {
  assetId: string;
  assetName: string;
  assetKind: AssetKind;
  month: string;
  publishedAt: string;
  /** A username: the committee sees it, residents do not. */
  publishedBy: string;
  closingFen: number;
  digest: string;
}
