import { z } from 'zod';
import { Id } from '../../devices/ids.js';
import {
  AreaM2,
  BuildingPart,
  CardId,
  CardPurposeSchema,
  CardStatusSchema,
  HouseholdId,
  IsoDate,
  Note,
  ParkingSpaces,
  PersonName,
  Phone,
  PlateColorSchema,
  RoomPart,
  UnitPart,
  Username,
  VehicleClassSchema,
} from './model.js';
import { PlateFilter, TextFilter } from '../http/query.js';

/** Request and answer schemas of the estate register API (server/http/routes/estate-model.ts). */

export const EstateParams = z.object({ estateId: Id });
export const HouseholdParams = EstateParams.extend({ householdId: HouseholdId });
export const ResidentParams = EstateParams.extend({ residentId: z.string().min(1).max(64) });
// Plates arrive URL-encoded and in any form people type; the handler normalises them.
export const VehicleParams = EstateParams.extend({ plate: z.string().min(1).max(24) });
export const CardParams = EstateParams.extend({ cardId: CardId });

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const Flag = z.enum(['true', 'false']).optional();

export const HouseholdQuery = Paging.extend({ building: BuildingPart.optional(), unit: UnitPart.optional() });
export const ResidentQuery = Paging.extend({ householdId: HouseholdId.optional(), username: Username.optional(), name: TextFilter(64).optional() });
export const VehicleQuery = Paging.extend({ householdId: HouseholdId.optional(), class: VehicleClassSchema.optional(), plate: PlateFilter.optional() });
export const CardQuery = Paging.extend({
  householdId: HouseholdId.optional(),
  residentId: z.string().max(64).optional(),
  status: CardStatusSchema.optional(),
  purpose: CardPurposeSchema.optional(),
});
export const DeleteQuery = z.object({ cascade: Flag });
export const ImportQuery = z.object({ dryRun: Flag });

export const HouseholdCreate = z.strictObject({
  building: BuildingPart,
  unit: UnitPart,
  room: RoomPart,
  areaM2: AreaM2.nullable().optional(),
  parkingSpaces: ParkingSpaces.optional(),
  note: Note.optional(),
});
export const HouseholdPatch = HouseholdCreate.pick({ areaM2: true, parkingSpaces: true, note: true });

export const ResidentCreate = z.strictObject({
  householdId: HouseholdId,
  name: PersonName,
  phone: Phone.nullable().optional(),
  username: Username.nullable().optional(),
  isPrimary: z.boolean().optional(),
});
export const ResidentPatch = ResidentCreate.omit({ householdId: true }).partial();

export const VehicleCreate = z.strictObject({
  plate: z.string().min(1).max(24),
  householdId: HouseholdId.nullable().optional(),
  class: VehicleClassSchema.default('resident'),
  validFrom: IsoDate.nullable().optional(),
  validUntil: IsoDate.nullable().optional(),
  color: PlateColorSchema.nullable().optional(),
  note: Note.optional(),
});
export const VehiclePatch = z.strictObject({
  householdId: HouseholdId.nullable().optional(),
  class: VehicleClassSchema.optional(),
  validFrom: IsoDate.nullable().optional(),
  validUntil: IsoDate.nullable().optional(),
  color: PlateColorSchema.nullable().optional(),
  note: Note.optional(),
});

export const CardCreate = z.strictObject({
  cardId: CardId,
  householdId: HouseholdId,
  residentId: z.string().max(64).nullable().optional(),
  status: CardStatusSchema.optional(),
  purposes: z.array(CardPurposeSchema).max(2).optional(),
});
export const CardPatch = CardCreate.omit({ cardId: true }).partial();

const Stamps = { createdAt: z.string(), updatedAt: z.string() };
export const HouseholdOut = z.object({
  estateId: z.string(),
  id: z.string(),
  building: z.string(),
  unit: z.string(),
  room: z.string(),
  areaM2: z.number().nullable(),
  parkingSpaces: z.number(),
  note: z.string(),
  ...Stamps,
});
export const ResidentOut = z.object({
  estateId: z.string(),
  id: z.string(),
  householdId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  username: z.string().nullable(),
  isPrimary: z.boolean(),
  ...Stamps,
});
export const VehicleOut = z.object({
  estateId: z.string(),
  plate: z.string().describe('masked (鄂A***45) for roles that need not see plates'),
  householdId: z.string().nullable(),
  class: VehicleClassSchema,
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  color: PlateColorSchema.nullable(),
  note: z.string(),
  ...Stamps,
});
export const CardOut = z.object({
  estateId: z.string(),
  cardId: z.string().describe('masked (***123) for roles that need not see card ids'),
  householdId: z.string(),
  residentId: z.string().nullable(),
  status: CardStatusSchema,
  purposes: z.array(CardPurposeSchema),
  ...Stamps,
});
export const HouseholdSummaryOut = HouseholdOut.extend({ residentCount: z.number(), cardCount: z.number(), plates: z.array(z.string()) });
export const HouseholdDetailOut = HouseholdOut.extend({ residents: z.array(ResidentOut), vehicles: z.array(VehicleOut), cards: z.array(CardOut) });

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

const Counts = z.object({ households: z.number(), residents: z.number(), vehicles: z.number(), cards: z.number() });
export const ImportOk = z.object({
  dryRun: z.boolean(),
  encoding: z.string(),
  ignoredColumns: z.array(z.string()),
  imported: Counts.describe('rows written (created + updated)'),
  created: Counts,
  updated: Counts,
});
export const ImportFailed = z.object({
  code: z.literal('IMPORT_INVALID'),
  message: z.string(),
  imported: z.literal(0),
  errorCount: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string().nullable(), message: z.string() })),
  encoding: z.string(),
  ignoredColumns: z.array(z.string()),
});
