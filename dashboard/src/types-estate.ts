/*
 * The estate register, charter and parking answers as the dashboard reads them.
 * Types only, taken from server/ through `import type` (erased by esbuild), so
 * the browser bundle carries none of the server's code.
 */
import type { CharterVersion } from '../../server/charter/schema.js';
import type { CharterChange } from '../../server/charter/diff.js';
import type { ManualOpen, ParkingDecisionRecord, Stay, UnmatchedExit, VisitorPass } from '../../server/parking/types.js';
import type { HouseholdSummary, Vehicle, VehicleClass } from '../../server/store/estate-model-types.js';

export type { CharterChange, CharterVersion, HouseholdSummary, ManualOpen, Stay, UnmatchedExit, Vehicle, VehicleClass, VisitorPass };
export type ParkingSection = CharterVersion['document']['parking'];
export type Decision = ParkingDecisionRecord;

/** `{items, total, limit, offset}` of the register's lists. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface LaneGate {
  gateId: string;
  online: boolean;
  whitelist: { version: number; reportedVersion: number | null; upToDate: boolean; plates: number } | null;
  lastIn: Decision | null;
  lastOut: Decision | null;
}

export interface LaneLot {
  id: string;
  name: string;
  capacity: number;
  occupied: number;
  free: number;
  gates: LaneGate[];
}

export interface Lanes {
  charterVersion: number | null;
  lots: LaneLot[];
}

/** `/live`: a gate decision as it happens (plates masked for roles that may not see them). */
export type DecisionPush = Decision & { type: 'parking.decision'; candidates?: UnmatchedExit['candidates'] };

export interface ImportCounts {
  households: number;
  residents: number;
  vehicles: number;
  cards: number;
}

export interface ImportOk {
  dryRun: boolean;
  encoding: string;
  ignoredColumns: string[];
  imported: ImportCounts;
  created: ImportCounts;
  updated: ImportCounts;
}

export interface ImportRowError {
  line: number;
  field: string | null;
  message: string;
}

export interface ImportFailed {
  code: 'IMPORT_INVALID';
  message: string;
  errorCount: number;
  errors: ImportRowError[];
}

export type NewPass = { plate: string; validFrom: string; validTo: string };
export type PassIssued = VisitorPass & { usedThisMonth: number; quota: number };
