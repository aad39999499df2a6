import type { ParkingSection } from '../charter/parking-schema.js';
import type { GateAction, VehicleClass, VisitorPass } from './types.js';

export type Lot = ParkingSection['lots'][number];

/** A vehicle in the estate register. */
export interface RegisteredVehicle {
  plate: string;
  vehicleClass: 'resident' | 'monthly' | 'internal' | 'blacklist' | 'emergency';
  householdId?: string;
  validFrom?: string;
  validUntil?: string;
}

/** Everything a gate decision may look at; the pipeline gathers it, the rules only read it. */
export interface GateFacts {
  atMs: number;
  plateRead: string;
  confidence: number;
  charterVersion: number;
  parking: ParkingSection;
  lot: Lot;
  vehicle(plate: string): RegisteredVehicle | undefined;
  registeredPlates: ReadonlySet<string>;
  occupancy: { total: number; visitors: number };
  /** Cars of this household inside now that hold one of its spaces (not overflow). */
  groupInside(householdId: string): number;
  householdSpaces(householdId: string): number;
  activePass(plate: string): VisitorPass | undefined;
  arrearsFen(plate: string): number;
}

/** A decision, the clause that made it, and what the gate says. `explain` is one sentence a resident understands. */
export interface GateDecision {
  action: GateAction;
  clause: string;
  vehicleClass?: VehicleClass;
  plate?: string;
  display: string;
  voice?: string;
  explain: string;
  /** The stay is billed by the temporary tariff. */
  billable: boolean;
  overflow?: boolean;
  householdId?: string;
  candidates?: { plate: string; score: number }[];
}
