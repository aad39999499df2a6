import type { EstateCounts, EstateModelRepo, ImportCounts, ImportHousehold } from '../store/estate-model-types.js';
import { householdIdOf } from './model.js';

/**
 * Writes validated import rows through the register, as upserts: households by
 * id, residents by name within their household, vehicles by plate, cards by
 * card id. An import never deletes (removal is a deliberate act in the API).
 * Plates and cards of another household were refused before this runs. Call
 * inside `repo.atomically`.
 */
export function applyImport(repo: EstateModelRepo, estateId: string, rows: ImportHousehold[]): ImportCounts {
  const zero = (): EstateCounts => ({ households: 0, residents: 0, vehicles: 0, cards: 0 });
  const counts: ImportCounts = { created: zero(), updated: zero() };
  const tally = (kind: keyof EstateCounts, existed: boolean) => counts[existed ? 'updated' : 'created'][kind]++;
  for (const row of rows) {
    const h = row.household;
    const id = householdIdOf(h);
    const existing = repo.getHousehold(estateId, id);
    if (existing) repo.updateHousehold(estateId, id, { areaM2: h.areaM2, parkingSpaces: h.parkingSpaces, note: h.note });
    else repo.createHousehold(estateId, h);
    tally('households', !!existing);

    let residentId: string | undefined;
    if (row.resident) {
      const same = repo.residentByName(estateId, id, row.resident.name);
      if (same) repo.updateResident(estateId, same.id, { phone: row.resident.phone });
      residentId = same?.id ?? repo.createResident(estateId, { householdId: id, name: row.resident.name, phone: row.resident.phone ?? null }).id;
      tally('residents', !!same);
    }
    for (const v of row.vehicles) {
      const cur = repo.getVehicle(estateId, v.plate);
      if (cur) repo.updateVehicle(estateId, v.plate, { householdId: id, class: v.class, validUntil: v.validUntil });
      else repo.createVehicle(estateId, { plate: v.plate, householdId: id, class: v.class ?? 'resident', validUntil: v.validUntil ?? null });
      tally('vehicles', !!cur);
    }
    for (const cardId of row.cards) {
      const cur = repo.getCard(estateId, cardId);
      if (cur) repo.updateCard(estateId, cardId, { householdId: id, residentId: residentId ?? cur.residentId });
      else repo.createCard(estateId, { cardId, householdId: id, residentId: residentId ?? null });
      tally('cards', !!cur);
    }
  }
  return counts;
}
