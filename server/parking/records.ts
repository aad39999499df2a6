import { randomUUID } from 'node:crypto';
import type { ParkingRepo } from '../store/parking-repo.js';
import type { ExitDecision } from './exit-rules.js';
import type { GateDecision } from './facts.js';
import type { Stay } from './types.js';

/** Where a decision was made: which gate, lane, lot, when, under which charter version. */
export interface Lane {
  estateId: string;
  gateId: string;
  direction: 'in' | 'out';
  lotId: string;
  cameraId?: string;
  charterVersion: number;
  at: string;
}

const newId = (prefix: string) => `${prefix}-${randomUUID()}`;

/** An open entry: the car is inside from now (or from the gate's own time, for offline passages). */
export function recordEntry(repo: ParkingRepo, lane: Lane, d: GateDecision, source: Stay['entrySource']): Stay | undefined {
  if (d.action !== 'open' || !d.plate) return undefined;
  const previous = repo.findOpenStay(lane.estateId, d.plate);
  // A car already "inside" entering again: its exit was missed. Close that stay unbilled rather than keep two.
  if (previous) repo.updateStay(previous.id, { exitAt: lane.at, exitSource: 'superseded' });
  const stay: Stay = {
    id: newId('stay'),
    estateId: lane.estateId,
    lotId: lane.lotId,
    plate: d.plate,
    vehicleClass: d.vehicleClass ?? 'temporary',
    householdId: d.householdId,
    overflow: d.overflow ?? false,
    entryAt: lane.at,
    entryGate: lane.gateId,
    entrySource: source,
    billingFrom: d.billable ? lane.at : undefined,
    payment: 'none',
    charterVersion: lane.charterVersion,
  };
  repo.openStay(stay);
  return stay;
}

/**
 * An exit decision: close the stay when the arm lifts; when it stays down for
 * payment, note the gate the car waits at and the fee it was shown.
 */
export function recordExit(repo: ParkingRepo, lane: Lane, d: ExitDecision, groupBillingStops: boolean, source: Stay['exitSource'] = 'camera'): Stay | undefined {
  const stay = d.stay ?? (d.unmatched && d.action !== 'guard' ? unmatchedStay(repo, lane, d) : undefined);
  if (!stay) return undefined;
  const fee = d.feeFen ?? 0;
  if (d.action === 'open') {
    repo.updateStay(stay.id, {
      exitAt: lane.at,
      exitGate: lane.gateId,
      exitSource: source,
      feeFen: fee,
      feeClause: fee > 0 ? d.clause : undefined,
      feeExplain: d.feeExplain,
      payment: fee > 0 ? 'owed' : 'none',
    });
    if (groupBillingStops) stopOverflowBilling(repo, lane, stay);
  } else if (d.action === 'deny') {
    repo.updateStay(stay.id, { exitGate: lane.gateId, feeFen: fee, feeClause: d.clause, feeExplain: d.feeExplain });
  }
  return repo.getStay(stay.id);
}

/** 一位多车: when a car holding one of the household's spaces leaves, an overflow car inside stops being billed. */
function stopOverflowBilling(repo: ParkingRepo, lane: Lane, left: Stay): void {
  if (left.overflow || !left.householdId) return;
  const overflow = repo.openGroupStays(lane.estateId, left.householdId).find((s) => s.overflow && !s.billingTo);
  if (overflow) repo.updateStay(overflow.id, { billingTo: lane.at });
}

function unmatchedStay(repo: ParkingRepo, lane: Lane, d: ExitDecision): Stay {
  const stay: Stay = {
    id: newId('stay'),
    estateId: lane.estateId,
    lotId: lane.lotId,
    plate: d.plate ?? '',
    vehicleClass: 'temporary',
    overflow: false,
    entryAt: lane.at,
    entrySource: 'unknown',
    payment: 'none',
    charterVersion: lane.charterVersion,
  };
  repo.openStay(stay);
  return stay;
}

export function newDecisionId(): string {
  return newId('dec');
}
