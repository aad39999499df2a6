import type { ParkingSection } from '../charter/parking-schema.js';
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
