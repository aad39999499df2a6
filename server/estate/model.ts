import { z } from 'zod';
import { ID_PATTERN } from '../../devices/ids.js';
import type { CardPurpose, CardStatus, PlateColor, VehicleClass } from '../store/estate-model-types.js';

/**
 * The estate register's value types as zod schemas: the API bodies, the CSV
 * import and the docs all derive from these.
 */
export const VEHICLE_CLASSES = ['resident', 'monthly', 'internal', 'blacklist', 'emergency'] as const satisfies readonly VehicleClass[];
export const PLATE_COLORS = ['blue', 'yellow', 'green', 'white', 'black', 'unknown'] as const satisfies readonly PlateColor[];
export const CARD_STATUSES = ['active', 'frozen'] as const satisfies readonly CardStatus[];
export const CARD_PURPOSES = ['charger', 'elevator'] as const satisfies readonly CardPurpose[];

export const VehicleClassSchema = z.enum(VEHICLE_CLASSES);
export const PlateColorSchema = z.enum(PLATE_COLORS);
export const CardStatusSchema = z.enum(CARD_STATUSES);
export const CardPurposeSchema = z.enum(CARD_PURPOSES);

// Building and unit join with '-' into the household id, so they cannot contain one.
export const BuildingPart = z.string().regex(/^[A-Za-z0-9]{1,8}$/, 'letters or digits, at most 8 (e.g. 3 or A)');
export const UnitPart = BuildingPart;
export const RoomPart = z.string().regex(/^\d{1,6}$/, 'digits, at most 6 (e.g. 501)');
export const HouseholdId = z.string().regex(/^[A-Za-z0-9]{1,8}-[A-Za-z0-9]{1,8}-\d{1,6}$/, 'building-unit-room, e.g. 3-2-501');
export const householdIdOf = (h: { building: string; unit: string; room: string }) => `${h.building}-${h.unit}-${h.room}`;

export const AreaM2 = z.number().positive('more than 0 square metres').max(10_000, 'at most 10000 square metres');
export const ParkingSpaces = z.number().int('a whole number').min(0, 'at least 0').max(50, 'at most 50');
export const Note = z.string().max(500, 'at most 500 characters');
export const PersonName = z.string().trim().min(1, 'required').max(64, 'at most 64 characters');
// Mobile (13800138000), landline with area code (027-87654321), or with +86.
export const Phone = z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'digits, spaces or - (e.g. 13800138000 or 027-87654321)');
// Same rule as login accounts (server/http/routes/auth.ts).
export const Username = z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, 'lowercase letters, digits, _ . - (2 to 32)');
export const CardId = z.string().regex(ID_PATTERN, 'must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2025-12-31')
  .refine(isCalendarDate, 'not a calendar date');

export function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCFullYear() === +m[1]! && d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]!;
}

/**
 * The rules a vehicle must keep whatever changed it (create, patch, import).
 * Returns the field at fault and why, or undefined.
 */
export function vehicleProblem(v: { householdId: string | null; class: VehicleClass; validFrom: string | null; validUntil: string | null }):
  | { field: 'householdId' | 'validUntil'; message: string }
  | undefined {
  if (v.class === 'resident' && !v.householdId) return { field: 'householdId', message: 'a resident vehicle belongs to a household' };
  if (v.class === 'monthly' && !v.validUntil) return { field: 'validUntil', message: 'a monthly pass needs the date it runs until' };
  if (v.validFrom && v.validUntil && v.validFrom > v.validUntil) return { field: 'validUntil', message: `is before validFrom (${v.validFrom})` };
  return undefined;
}
