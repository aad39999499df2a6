/** Parking facts as the domain and the store share them. Money in integer fen; times ISO UTC. */
export type VehicleClass = 'resident' | 'monthly' | 'internal' | 'blacklist' | 'emergency' | 'visitor' | 'window' | 'temporary';
export type GateAction = 'open' | 'deny' | 'guard';
export type PaymentState = 'none' | 'owed' | 'paid' | 'waived';
export type StaySource = 'camera' | 'manual' | 'offline-whitelist' | 'guard-match' | 'superseded' | 'unknown';

export interface ParkingDecisionRecord {
  id: string;
  estateId: string;
  gateId: string;
  cameraId?: string;
  direction: 'in' | 'out';
  readMsgId?: string;
  plateRead: string;
  plate?: string;
  vehicleClass?: VehicleClass;
  action: GateAction;
  clause: string;
  charterVersion?: number;
  display: string;
  explain: string;
  feeFen?: number;
  stayId?: string;
  cmdId?: string;
  at: string;
  latencyMs?: number;
}

export interface Stay {
  id: string;
  estateId: string;
  lotId: string;
  plate: string;
  vehicleClass: VehicleClass;
  householdId?: string;
  overflow: boolean;
  entryAt: string;
  entryGate?: string;
  entrySource: StaySource;
  exitAt?: string;
  exitGate?: string;
  exitSource?: StaySource;
  billingFrom?: string;
  billingTo?: string;
  feeFen?: number;
  feeClause?: string;
  feeExplain?: string;
  payment: PaymentState;
  paymentBy?: string;
  paymentAt?: string;
  charterVersion?: number;
}

export interface VisitorPass {
  id: string;
  estateId: string;
  householdId: string;
  plate: string;
  validFrom: string;
  validTo: string;
  issuedBy: string;
  createdAt: string;
  cancelledAt?: string;
}

export interface UnmatchedExit {
  id: string;
  estateId: string;
  gateId: string;
  plateRead: string;
  at: string;
  candidates: { plate: string; stayId: string; entryAt: string; score: number }[];
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: string;
  stayId?: string;
}

export interface ManualOpen {
  id: string;
  estateId: string;
  gateId: string;
  direction: 'in' | 'out';
  plate?: string;
  reason: string;
  byUser: string;
  at: string;
  cmdId?: string;
}

export interface GateConfigRecord {
  gateId: string;
  estateId: string;
  version: number;
  config: { version: number; offlineMode: 'whitelist' | 'closed'; plates: string[] };
  publishedAt: string;
  reportedVersion?: number;
  reportedAt?: string;
}
