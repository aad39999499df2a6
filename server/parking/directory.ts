import type { RegisteredVehicle } from './facts.js';

/**
 * What parking needs from the estate register. Plates are read on every camera
 * read, so the register is cached per estate for a few seconds: a vehicle added
 * by the committee takes effect within that time, and a read costs no query.
 */
export interface ParkingDirectory {
  vehicles(estateId: string): ReadonlyMap<string, RegisteredVehicle>;
  /** The registered plates, for fuzzy matching: built once per cache refresh, not per read. */
  plates(estateId: string): ReadonlySet<string>;
  householdSpaces(estateId: string, householdId: string): number;
  /** Households a logged-in resident belongs to (by their username). */
  householdsOfUser(estateId: string, username: string): string[];
  /** Forget cached data for an estate (after an import or an edit). */
  invalidate(estateId: string): void;
}

export interface DirectorySource {
  listVehicles(estateId: string): RegisteredVehicle[];
  householdSpaces(estateId: string, householdId: string): number | undefined;
  householdsOfUser(estateId: string, username: string): string[];
}

export function cachedDirectory(source: DirectorySource, opts: { ttlMs: number; now: () => number }): ParkingDirectory {
  const cache = new Map<string, { at: number; vehicles: Map<string, RegisteredVehicle>; plates: Set<string>; spaces: Map<string, number> }>();
  const entry = (estateId: string) => {
    const hit = cache.get(estateId);
    if (hit && opts.now() - hit.at < opts.ttlMs) return hit;
    const vehicles = new Map(source.listVehicles(estateId).map((v) => [v.plate, v]));
    const fresh = { at: opts.now(), vehicles, plates: new Set(vehicles.keys()), spaces: new Map<string, number>() };
    cache.set(estateId, fresh);
    return fresh;
  };
  return {
    vehicles: (estateId) => entry(estateId).vehicles,
    plates: (estateId) => entry(estateId).plates,
    householdSpaces(estateId, householdId) {
      const e = entry(estateId);
      let n = e.spaces.get(householdId);
      if (n === undefined) e.spaces.set(householdId, (n = source.householdSpaces(estateId, householdId) ?? 0));
      return n;
    },
    householdsOfUser: (estateId, username) => source.householdsOfUser(estateId, username),
    invalidate: (estateId) => void cache.delete(estateId),
  };
}
