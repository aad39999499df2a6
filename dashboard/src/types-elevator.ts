/*
 * The elevators' answers and live pushes as the dashboard reads them. Types
 * only, from server/ through `import type` (erased by esbuild).
 */
import type { Alert, Severity } from '../../server/alerts/types.js';
import type { CostShare, CostSplit } from '../../server/elevator/cost-build.js';
import type { RunningShare, RunningSplit } from '../../server/elevator/cost-running.js';
import type { ElevatorLiveState, MaintenanceRecord, RunningCost } from '../../server/elevator/records.js';

export type { Alert, CostShare, CostSplit, ElevatorLiveState, MaintenanceRecord, RunningCost, RunningShare, RunningSplit, Severity };
export type RunningCostKind = RunningCost['kind'];

/** When the last service was, when the next is due, and whether that has passed (none on record is overdue). */
export interface MaintenanceStatus {
  last: MaintenanceRecord | null;
  nextDue: string | null;
  overdue: boolean;
  intervalDays: number;
}

/** One item of GET /api/estates/:e/elevators (server/http/routes/elevators.ts). */
export interface Lift {
  id: string;
  name: string | null;
  props: { lowestFloor?: number; highestFloor?: number; [k: string]: unknown };
  online: boolean;
  /** Null until the elevator's first telemetry. */
  state: ElevatorLiveState | null;
  openFaults: Alert[];
  maintenance: MaintenanceStatus;
}

/** …/rides?from&to: counts by the floor ridden to and by Beijing hour. */
export interface Rides {
  total: number;
  byFloor: Record<string, number>;
  byHour: number[];
}

export interface RunningCosts {
  items: RunningCost[];
  /** Null when the month has no costs yet. */
  split: RunningSplit | null;
}

/** What the elevator service and the alerts push on `/live` (server/elevator/service.ts, server/alerts/alerts.ts). */
export type ElevatorPush =
  | { type: 'elevator.state'; kind: 'elevator'; estateId: string; deviceId: string; state: ElevatorLiveState }
  | { type: 'elevator.access'; kind: 'elevator'; estateId: string; deviceId: string; cardId: string; action: 'grant' | 'deny'; floors?: number[]; clause: string; explain: string; chargeFen?: number }
  | ({ type: 'alert.closed' } & Alert);
