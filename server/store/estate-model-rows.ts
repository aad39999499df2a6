import type { Card, CardPurpose, Household, Resident, Vehicle } from './estate-model-types.js';

/** The register's four tables as SQLite returns them, and their mapping to the API's types. */
export interface HouseholdRow {
  estate_id: string;
  id: string;
  building: string;
  unit: string;
  room: string;
  area_m2: number | null;
  parking_spaces: number;
  note: string;
  created_at: string;
  updated_at: string;
}
export interface ResidentRow {
  estate_id: string;
  id: string;
  household_id: string;
  name: string;
  phone: string | null;
  username: string | null;
  is_primary: number;
  created_at: string;
  updated_at: string;
}
export interface VehicleRow {
  estate_id: string;
  plate: string;
  household_id: string | null;
  class: string;
  valid_from: string | null;
  valid_until: string | null;
  color: string | null;
  note: string;
  created_at: string;
  updated_at: string;
}
export interface CardRow {
  estate_id: string;
  card_id: string;
  household_id: string;
  resident_id: string | null;
  status: string;
  purposes: string;
  created_at: string;
  updated_at: string;
}

export const toHousehold = (r: HouseholdRow): Household => ({
  estateId: r.estate_id,
  id: r.id,
  building: r.building,
  unit: r.unit,
  room: r.room,
  areaM2: r.area_m2,
  parkingSpaces: r.parking_spaces,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export const toResident = (r: ResidentRow): Resident => ({
  estateId: r.estate_id,
  id: r.id,
  householdId: r.household_id,
  name: r.name,
  phone: r.phone,
  username: r.username,
  isPrimary: r.is_primary === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export const toVehicle = (r: VehicleRow): Vehicle => ({
  estateId: r.estate_id,
  plate: r.plate,
  householdId: r.household_id,
  class: r.class as Vehicle['class'],
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  color: r.color as Vehicle['color'],
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export const toCard = (r: CardRow): Card => ({
  estateId: r.estate_id,
  cardId: r.card_id,
  householdId: r.household_id,
  residentId: r.resident_id,
  status: r.status as Card['status'],
  purposes: JSON.parse(r.purposes) as CardPurpose[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
