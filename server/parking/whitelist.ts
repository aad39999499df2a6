import type { ParkingSection } from '../charter/parking-schema.js';
import { deviceRefProblem, type ScopedDevice } from '../estate/estate-scope.js';
import { endOfLocalDate } from './local-time.js';
import type { RegisteredVehicle } from './facts.js';

/**
 * The plates a gate may let in by itself while it cannot reach the gateway:
 * only the classes the charter lets in unattended, and only while valid (a
 * monthly pass ending tomorrow is listed until it ends; the list is recompiled
 * and republished when it does).
 */
export function compileWhitelist(p: ParkingSection, vehicles: Iterable<RegisteredVehicle>, atMs: number): { offlineMode: 'whitelist' | 'closed'; plates: string[] } {
  if (p.offline.mode === 'closed') return { offlineMode: 'closed', plates: [] };
  const classes = new Set<string>(p.offline.classes);
  const plates: string[] = [];
  for (const v of vehicles) {
    if (!classes.has(v.vehicleClass)) continue;
    if (v.validFrom && Date.parse(`${v.validFrom}T00:00:00+08:00`) > atMs) continue;
    if (v.validUntil && endOfLocalDate(v.validUntil) <= atMs) continue;
    plates.push(v.plate);
  }
  return { offlineMode: 'whitelist', plates: plates.sort() };
}

export function sameWhitelist(a: { offlineMode: string; plates: string[] } | undefined, b: { offlineMode: string; plates: string[] }): boolean {
  return !!a && a.offlineMode === b.offlineMode && a.plates.length === b.plates.length && a.plates.every((p, i) => p === b.plates[i]);
}

/**
 * Which of the charter's gates an estate's whitelist is published to: never a
 * registered device of another estate (nor one that is not a gate), whatever a
 * stored charter says, so one estate's plates never become another's retained
 * config. A gate not installed yet keeps its compiled list for when it connects.
 */
export function whitelistGates(p: ParkingSection, estateId: string, device: (id: string) => ScopedDevice | undefined): { gates: string[]; refused: string[] } {
  const gates: string[] = [];
  const refused: string[] = [];
  for (const gateId of new Set(p.lots.flatMap((l) => l.gates))) {
    const problem = deviceRefProblem(device(gateId), estateId, 'gate');
    (problem === undefined || problem === 'unregistered' ? gates : refused).push(gateId);
  }
  return { gates, refused };
}
