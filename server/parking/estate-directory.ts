import type { EstateModelRepo } from '../store/estate-model-types.js';
import type { DirectorySource } from './directory.js';
import type { RegisteredVehicle } from './facts.js';

/** The estate register (households, vehicles) as parking reads it. */
export function estateDirectorySource(model: EstateModelRepo): DirectorySource {
  return {
    listVehicles(estateId) {
      const out: RegisteredVehicle[] = [];
      const PAGE = 5000;
      for (let offset = 0; ; offset += PAGE) {
        const page = model.listVehicles({ estateId, limit: PAGE, offset });
        for (const v of page.items) {
          out.push({ plate: v.plate, vehicleClass: v.class, householdId: v.householdId ?? undefined, validFrom: v.validFrom ?? undefined, validUntil: v.validUntil ?? undefined });
        }
        if (page.items.length < PAGE) return out;
      }
    },
    householdSpaces: (estateId, householdId) => model.getHousehold(estateId, householdId)?.parkingSpaces,
    householdsOfUser: (estateId, username) => [...new Set(model.residentsOfUser(username).filter((r) => r.estateId === estateId).map((r) => r.householdId))],
  };
}
