import { randomBytes } from 'node:crypto';
import type { Db } from './sqlite.js';
import { likeLiteral } from './like.js';
import { toCard, toHousehold, toResident, toVehicle, type CardRow, type HouseholdRow, type ResidentRow, type VehicleRow } from './estate-model-rows.js';
import type { Card, CardPurpose, EstateCounts, EstateModelRepo, HouseholdSummary, Paged, Resident, Vehicle } from './estate-model-types.js';

/** A card with no purposes given opens both: most estates issue one card per household for everything. */
const DEFAULT_PURPOSES: CardPurpose[] = ['charger', 'elevator'];


/** A patch without its undefined keys: undefined means "keep", null means "clear". */
const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const newResidentId = () => 'r-' + randomBytes(6).toString('hex');
const now = () => new Date().toISOString();

/** `AND col = ?` for each filter that is set; values in the same order. */
function filters(pairs: [sql: string, value: unknown][]): { sql: string; values: unknown[] } {
  const set = pairs.filter(([, v]) => v !== undefined);
  return { sql: set.map(([s]) => ` AND ${s}`).join(''), values: set.map(([, v]) => v) };
}

export function createEstateModelRepo(db: Db): EstateModelRepo {
  const s = {
    getHousehold: db.prepare('SELECT * FROM households WHERE estate_id = ? AND id = ?'),
    insertHousehold: db.prepare(
      `INSERT INTO households (estate_id, id, building, unit, room, area_m2, parking_spaces, note, created_at, updated_at)
       VALUES (@estateId, @id, @building, @unit, @room, @areaM2, @parkingSpaces, @note, @at, @at)`,
    ),
    updateHousehold: db.prepare(
      'UPDATE households SET area_m2 = @areaM2, parking_spaces = @parkingSpaces, note = @note, updated_at = @at WHERE estate_id = @estateId AND id = @id',
    ),
    deleteHousehold: db.prepare('DELETE FROM households WHERE estate_id = ? AND id = ?'),
    getResident: db.prepare('SELECT * FROM residents WHERE estate_id = ? AND id = ?'),
    residentByName: db.prepare('SELECT * FROM residents WHERE estate_id = ? AND household_id = ? AND name = ? ORDER BY created_at LIMIT 1'),
    hasPrimary: db.prepare('SELECT 1 FROM residents WHERE estate_id = ? AND household_id = ? AND is_primary = 1'),
    clearPrimary: db.prepare('UPDATE residents SET is_primary = 0 WHERE estate_id = ? AND household_id = ? AND is_primary = 1 AND id <> ?'),
    insertResident: db.prepare(
      `INSERT INTO residents (estate_id, id, household_id, name, phone, username, is_primary, created_at, updated_at)
       VALUES (@estateId, @id, @householdId, @name, @phone, @username, @isPrimary, @at, @at)`,
    ),
    updateResident: db.prepare(
      `UPDATE residents SET household_id = @householdId, name = @name, phone = @phone, username = @username, is_primary = @isPrimary, updated_at = @at
       WHERE estate_id = @estateId AND id = @id`,
    ),
    deleteResident: db.prepare('DELETE FROM residents WHERE estate_id = ? AND id = ?'),
    unassignCards: db.prepare('UPDATE cards SET resident_id = NULL, updated_at = ? WHERE estate_id = ? AND resident_id = ?'),
    residentsOfUser: db.prepare('SELECT * FROM residents WHERE username = ? ORDER BY estate_id, household_id'),
    getVehicle: db.prepare('SELECT * FROM vehicles WHERE estate_id = ? AND plate = ?'),
    insertVehicle: db.prepare(
      `INSERT INTO vehicles (estate_id, plate, household_id, class, valid_from, valid_until, color, note, created_at, updated_at)
       VALUES (@estateId, @plate, @householdId, @class, @validFrom, @validUntil, @color, @note, @at, @at)`,
    ),
    updateVehicle: db.prepare(
      `UPDATE vehicles SET household_id = @householdId, class = @class, valid_from = @validFrom, valid_until = @validUntil, color = @color, note = @note, updated_at = @at
       WHERE estate_id = @estateId AND plate = @plate`,
    ),
    deleteVehicle: db.prepare('DELETE FROM vehicles WHERE estate_id = ? AND plate = ?'),
    getCard: db.prepare('SELECT * FROM cards WHERE estate_id = ? AND card_id = ?'),
    insertCard: db.prepare(
      `INSERT INTO cards (estate_id, card_id, household_id, resident_id, status, purposes, created_at, updated_at)
       VALUES (@estateId, @cardId, @householdId, @residentId, @status, @purposes, @at, @at)`,
    ),
    updateCard: db.prepare(
      `UPDATE cards SET household_id = @householdId, resident_id = @residentId, status = @status, purposes = @purposes, updated_at = @at
       WHERE estate_id = @estateId AND card_id = @cardId`,
    ),
    deleteCard: db.prepare('DELETE FROM cards WHERE estate_id = ? AND card_id = ?'),
    dependents: db.prepare(
      `SELECT (SELECT COUNT(*) FROM residents WHERE estate_id = @e AND household_id = @h) AS residents,
              (SELECT COUNT(*) FROM vehicles WHERE estate_id = @e AND household_id = @h) AS vehicles,
              (SELECT COUNT(*) FROM cards WHERE estate_id = @e AND household_id = @h) AS cards`,
    ),
    counts: db.prepare(
      `SELECT (SELECT COUNT(*) FROM households WHERE estate_id = @e) AS households,
              (SELECT COUNT(*) FROM residents WHERE estate_id = @e) AS residents,
              (SELECT COUNT(*) FROM vehicles WHERE estate_id = @e) AS vehicles,
              (SELECT COUNT(*) FROM cards WHERE estate_id = @e) AS cards`,
    ),
    cascade: [
      db.prepare('DELETE FROM cards WHERE estate_id = ? AND household_id = ?'),
      db.prepare('DELETE FROM vehicles WHERE estate_id = ? AND household_id = ?'),
      db.prepare('DELETE FROM residents WHERE estate_id = ? AND household_id = ?'),
    ],
  };

  /** A page of a table: filters, a total and an order that reads naturally. */
  function page<R, T>(table: string, order: string, q: { estateId: string; limit: number; offset: number }, where: [string, unknown][], map: (r: R) => T, select = '*'): Paged<T> {
    const f = filters(where);
    const total = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE estate_id = ?${f.sql}`).get(q.estateId, ...f.values) as { n: number }).n;
    const rows = db.prepare(`SELECT ${select} FROM ${table} WHERE estate_id = ?${f.sql} ORDER BY ${order} LIMIT ? OFFSET ?`).all(q.estateId, ...f.values, q.limit, q.offset) as R[];
    return { items: rows.map(map), total };
  }
  // Digit-only parts sort as numbers (3-2-501 before 10-1-101), and before lettered ones (A-1-101).
  const householdOrder = "building GLOB '*[^0-9]*', length(building), building, unit GLOB '*[^0-9]*', length(unit), unit, length(room), room";

  const repo: EstateModelRepo = {
    listHouseholds(q) {
      const select = `*,
        (SELECT COUNT(*) FROM residents r WHERE r.estate_id = households.estate_id AND r.household_id = households.id) AS resident_count,
        (SELECT COUNT(*) FROM cards c WHERE c.estate_id = households.estate_id AND c.household_id = households.id) AS card_count,
        (SELECT group_concat(plate, ',') FROM vehicles v WHERE v.estate_id = households.estate_id AND v.household_id = households.id) AS plates`;
      type Row = HouseholdRow & { resident_count: number; card_count: number; plates: string | null };
      return page<Row, HouseholdSummary>('households', householdOrder, q, [['building = ?', q.building], ['unit = ?', q.unit]], (r) => ({
        ...toHousehold(r),
        residentCount: r.resident_count,
        cardCount: r.card_count,
        plates: r.plates ? r.plates.split(',').sort() : [],
      }), select);
    },
    getHousehold(estateId, id) {
      const r = s.getHousehold.get(estateId, id) as HouseholdRow | undefined;
      return r && toHousehold(r);
    },
    createHousehold(estateId, h) {
      const id = `${h.building}-${h.unit}-${h.room}`;
      if (s.getHousehold.get(estateId, id)) return 'exists';
      s.insertHousehold.run({ estateId, id, building: h.building, unit: h.unit, room: h.room, areaM2: h.areaM2 ?? null, parkingSpaces: h.parkingSpaces ?? 0, note: h.note ?? '', at: now() });
      return repo.getHousehold(estateId, id)!;
    },
    updateHousehold(estateId, id, patch) {
      const cur = repo.getHousehold(estateId, id);
      if (!cur) return undefined;
      s.updateHousehold.run({ ...cur, ...defined(patch), estateId, id, at: now() });
      return repo.getHousehold(estateId, id);
    },
    dependents: (estateId, householdId) => s.dependents.get({ e: estateId, h: householdId }) as ReturnType<EstateModelRepo['dependents']>,
    deleteHousehold: db.transaction((estateId: string, id: string, cascade: boolean) => {
      if (cascade) for (const st of s.cascade) st.run(estateId, id);
      return s.deleteHousehold.run(estateId, id).changes > 0;
    }),

    listResidents(q) {
      return page<ResidentRow, Resident>(
        'residents',
        'household_id, is_primary DESC, created_at, id',
        q,
        [['household_id = ?', q.householdId], ['username = ?', q.username], ["name LIKE '%' || ? || '%' ESCAPE '\\'", q.name === undefined ? undefined : likeLiteral(q.name)]],
        toResident,
      );
    },
    getResident(estateId, id) {
      const r = s.getResident.get(estateId, id) as ResidentRow | undefined;
      return r && toResident(r);
    },
    createResident: db.transaction((estateId: string, r: Parameters<EstateModelRepo['createResident']>[1]) => {
      const id = newResidentId();
      const isPrimary = r.isPrimary ?? !s.hasPrimary.get(estateId, r.householdId);
      if (isPrimary) s.clearPrimary.run(estateId, r.householdId, id);
      s.insertResident.run({ estateId, id, householdId: r.householdId, name: r.name, phone: r.phone ?? null, username: r.username ?? null, isPrimary: isPrimary ? 1 : 0, at: now() });
      return repo.getResident(estateId, id)!;
    }),
    updateResident: db.transaction((estateId: string, id: string, patch: Parameters<EstateModelRepo['updateResident']>[2]) => {
      const cur = repo.getResident(estateId, id);
      if (!cur) return undefined;
      const next = { ...cur, ...defined(patch) };
      if (next.isPrimary) s.clearPrimary.run(estateId, next.householdId, id);
      s.updateResident.run({ ...next, estateId, id, isPrimary: next.isPrimary ? 1 : 0, at: now() });
      return repo.getResident(estateId, id);
    }),
    deleteResident: db.transaction((estateId: string, id: string) => {
      s.unassignCards.run(now(), estateId, id);
      return s.deleteResident.run(estateId, id).changes > 0;
    }),
    residentByName(estateId, householdId, name) {
      const r = s.residentByName.get(estateId, householdId, name) as ResidentRow | undefined;
      return r && toResident(r);
    },
    residentsOfUser: (username) => (s.residentsOfUser.all(username) as ResidentRow[]).map(toResident),

    listVehicles(q) {
      return page<VehicleRow, Vehicle>(
        'vehicles',
        'plate',
        q,
        [['household_id = ?', q.householdId], ['class = ?', q.class], ["plate LIKE '%' || ? || '%' ESCAPE '\\'", q.plate === undefined ? undefined : likeLiteral(q.plate)]],
        toVehicle,
      );
    },
    getVehicle(estateId, plate) {
      const r = s.getVehicle.get(estateId, plate) as VehicleRow | undefined;
      return r && toVehicle(r);
    },
    createVehicle(estateId, v) {
      if (s.getVehicle.get(estateId, v.plate)) return 'exists';
      s.insertVehicle.run({ estateId, plate: v.plate, householdId: v.householdId ?? null, class: v.class, validFrom: v.validFrom ?? null, validUntil: v.validUntil ?? null, color: v.color ?? null, note: v.note ?? '', at: now() });
      return repo.getVehicle(estateId, v.plate)!;
    },
    updateVehicle(estateId, plate, patch) {
      const cur = repo.getVehicle(estateId, plate);
      if (!cur) return undefined;
      s.updateVehicle.run({ ...cur, ...defined(patch), estateId, plate, at: now() });
      return repo.getVehicle(estateId, plate);
    },
    deleteVehicle: (estateId, plate) => s.deleteVehicle.run(estateId, plate).changes > 0,

    listCards(q) {
      return page<CardRow, Card>(
        'cards',
        'card_id',
        q,
        [
          ['household_id = ?', q.householdId],
          ['resident_id = ?', q.residentId],
          ['status = ?', q.status],
          ['EXISTS (SELECT 1 FROM json_each(cards.purposes) WHERE value = ?)', q.purpose],
        ],
        toCard,
      );
    },
    getCard(estateId, cardId) {
      const r = s.getCard.get(estateId, cardId) as CardRow | undefined;
      return r && toCard(r);
    },
    createCard(estateId, c) {
      if (s.getCard.get(estateId, c.cardId)) return 'exists';
      s.insertCard.run({ estateId, cardId: c.cardId, householdId: c.householdId, residentId: c.residentId ?? null, status: c.status ?? 'active', purposes: JSON.stringify(c.purposes ?? DEFAULT_PURPOSES), at: now() });
      return repo.getCard(estateId, c.cardId)!;
    },
    updateCard(estateId, cardId, patch) {
      const cur = repo.getCard(estateId, cardId);
      if (!cur) return undefined;
      const next = { ...cur, ...defined(patch) };
      s.updateCard.run({ ...next, estateId, cardId, purposes: JSON.stringify(next.purposes), at: now() });
      return repo.getCard(estateId, cardId);
    },
    deleteCard: (estateId, cardId) => s.deleteCard.run(estateId, cardId).changes > 0,

    counts: (estateId) => s.counts.get({ e: estateId }) as EstateCounts,
    atomically: <T>(fn: () => T): T => db.transaction(fn)(),
  };
  return repo;
}
