/** Elevator facts shared by the service and the store. Times ISO UTC, money integer fen. */
export interface ElevatorMember {
  estateId: string;
  elevatorId: string;
  householdId: string;
  kind: 'founding' | 'buy-in';
  joinedAt: string;
  paidFen: number;
}

export interface ElevatorPass {
  id: string;
  estateId: string;
  cardId: string;
  kind: 'medical' | 'temporary';
  floors?: number[];
  validUntil: string;
  note?: string;
  issuedBy: string;
  createdAt: string;
  cancelledAt?: string;
}

export interface Ride {
  id: string;
  estateId: string;
  elevatorId: string;
  cardId?: string;
  householdId?: string;
  fromFloor: number;
  toFloor: number;
  at: string;
  chargeFen: number;
}

export interface ElevatorLiveState {
  elevatorId: string;
  estateId: string;
  floor?: number;
  direction?: string;
  doorOpen?: boolean;
  running?: boolean;
  loadPct?: number;
  runs: number;
  doorCycles: number;
  runSeconds: number;
  updatedAt: string;
}

export interface MaintenanceRecord {
  id: string;
  estateId: string;
  elevatorId: string;
  doneBy: string;
  doneAt: string;
  what: string;
  nextDue: string;
  recordedBy: string;
  recordedAt: string;
}

export interface RunningCost {
  id: string;
  estateId: string;
  elevatorId: string;
  month: string;
  kind: 'electricity' | 'maintenance' | 'inspection' | 'other';
  fen: number;
  note?: string;
  recordedBy: string;
  recordedAt: string;
}
