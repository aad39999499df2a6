import { z } from 'zod';
import { validatePlate } from '../parking/plates.js';
import type { ImportHousehold, VehicleClass } from '../store/estate-model-types.js';
import type { ColumnMap, ImportColumn } from './import-columns.js';
import { AreaM2, BuildingPart, CardId, IsoDate, Note, ParkingSpaces, PersonName, Phone, RoomPart, UnitPart, VehicleClassSchema } from './model.js';

/** One problem in an import: the file line (header is line 1) and the column as its header is written. */
export interface ImportError {
  line: number;
  /** null when no single column is at fault (e.g. an unclosed quote). */
  field: string | null;
  message: string;
}

export interface ImportRow {
  line: number;
  value: ImportHousehold;
}

// Cells are typed in spreadsheets by hand: full-width digits from a Chinese IME
// (５０１), unit words ("3号楼", "2单元", "501室", "85㎡"). NFKC folds the first,
// these strip the second.
const clean = (s: string) => s.normalize('NFKC').trim();
const strip = (suffix: RegExp) => (s: string) => clean(s).replace(suffix, '').trim();
const required = (what: string) => z.string().min(1, `empty: the ${what} is required`);
const list = (s: string) => [...new Set(clean(s).split(/[;；、,，\s]+/).filter(Boolean))];

/**
 * Plates are separated by ; 、 , or spaces, but people also write a space inside
 * one ("鄂A 12345"): a space-separated piece that does not start with a Chinese
 * character continues the plate before it.
 */
export function plateList(s: string): string[] {
  const plates: string[] = [];
  for (const part of clean(s).split(/[;；、,，]+/)) {
    part
      .split(/\s+/)
      .filter(Boolean)
      .forEach((piece, j) => {
        if (j > 0 && !/^[\u3400-\u9fff]/.test(piece)) plates[plates.length - 1] += piece;
        else plates.push(piece);
      });
  }
  return plates;
}

/** 2025-12-31, 2025/12/31, 2025.12.31, 2025年12月31日 → 2025-12-31; anything else is left for IsoDate to refuse. */
export function looseDate(s: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s;
}

const CLASS_WORDS: Record<string, VehicleClass> = {
  业主: 'resident', 住户: 'resident', 业主车: 'resident', 住户车: 'resident',
  月租: 'monthly', 月卡: 'monthly', 月租车: 'monthly', 月卡车: 'monthly',
  内部: 'internal', 内部车: 'internal', 公务: 'internal',
  黑名单: 'blacklist',
  应急: 'emergency', 紧急: 'emergency', 特种: 'emergency', 应急车: 'emergency', 特种车: 'emergency',
};

/** Each item of a list cell through `check`; a bad item is reported with its text. */
const listOf = <T>(check: (item: string) => { ok: true; value: T } | { ok: false; reason: string }, split = list) =>
  z.string().transform((s, ctx) => {
    const out: T[] = [];
    for (const item of split(s)) {
      const c = check(item);
      if (c.ok) out.push(c.value);
      else ctx.addIssue({ code: 'custom', message: `${item}: ${c.reason}` });
    }
    return [...new Set(out)];
  });

/** An empty cell is `empty`; anything else must pass `schema` (its first message is the error). */
const emptyOr = <T, E>(schema: z.ZodType<T, string>, empty: E) =>
  z.string().transform((s, ctx): T | E => {
    if (s === '') return empty;
    const r = schema.safeParse(s);
    if (r.success) return r.data;
    ctx.addIssue({ code: 'custom', message: r.error.issues[0]!.message });
    return z.NEVER;
  });

const firstMessage = (r: z.ZodSafeParseResult<unknown>) => (r.success ? '' : r.error.issues[0]!.message);
const plate = (raw: string) => {
  const c = validatePlate(raw);
  return c.ok ? { ok: true as const, value: c.plate } : { ok: false as const, reason: c.reason };
};
const cardId = (raw: string) => {
  const r = CardId.safeParse(raw);
  return r.success ? { ok: true as const, value: r.data } : { ok: false as const, reason: firstMessage(r) };
};
const Number_ = (example: string, pattern: RegExp) => z.string().regex(pattern, example).transform(Number);

/** A row as cells (undefined = the file has no such column) → a household with its people, cars and cards. */
const RowSchema = z.object({
  building: z.string().transform(strip(/(号楼|栋|幢|座|楼)$/)).pipe(required('building').pipe(BuildingPart)),
  unit: z.string().transform(strip(/单元$/)).pipe(required('unit').pipe(UnitPart)),
  room: z.string().transform(strip(/(室|号)$/)).pipe(required('room number').pipe(RoomPart)),
  area_m2: z
    .string()
    .transform(strip(/(m2|平方米|平米|平)$/i))
    .pipe(emptyOr(Number_('a number of square metres, e.g. 85.5', /^\d+(\.\d+)?$/).pipe(AreaM2), null))
    .optional(),
  parking_spaces: z
    .string()
    .transform(clean)
    .pipe(emptyOr(Number_('a whole number of spaces, e.g. 1', /^\d+$/).pipe(ParkingSpaces), 0))
    .optional(),
  name: z.string().transform(clean).pipe(emptyOr(PersonName, undefined)).optional(),
  phone: z.string().transform(clean).pipe(emptyOr(Phone, null)).optional(),
  plates: listOf(plate, plateList).optional(),
  vehicle_class: z
    .string()
    .transform((s) => CLASS_WORDS[clean(s)] ?? (clean(s).toLowerCase() || 'resident'))
    .pipe(z.enum(VehicleClassSchema.options, `one of ${VehicleClassSchema.options.join(', ')} (or 业主, 月租, 内部, 黑名单, 应急)`))
    .optional(),
  valid_until: z.string().transform((s) => looseDate(clean(s))).pipe(emptyOr(IsoDate, null)).optional(),
  cards: listOf(cardId).optional(),
  note: z.string().transform(clean).pipe(Note).optional(),
});
type Row = z.infer<typeof RowSchema>;

/** Validates one data record; the cells are in file order, `columns` says which is which. */
export function validateRow(line: number, cells: string[], map: ColumnMap): { row?: ImportRow; errors: ImportError[] } {
  const header = (col: ImportColumn) => map.columns.get(col)?.header ?? col;
  const raw: Partial<Record<ImportColumn, string>> = {};
  for (const [col, { index }] of map.columns) raw[col] = cells[index] ?? '';
  const errors: ImportError[] = [];
  const extra = cells.slice(map.width).filter((c) => c.trim() !== '').length;
  if (extra > 0) errors.push({ line, field: null, message: `${cells.length} cells but the header has ${map.width}: is a comma missing its quotes?` });

  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) {
    // One message per column: the first thing wrong with it.
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const col = String(issue.path[0]) as ImportColumn;
      if (seen.has(col)) continue;
      seen.add(col);
      errors.push({ line, field: header(col), message: issue.message });
    }
    return { errors };
  }
  const r = parsed.data;
  const plates = r.plates ?? [];
  if (r.phone && !r.name) errors.push({ line, field: header('phone'), message: 'a phone number needs a name in the same row' });
  if (plates.length > 0 && r.vehicle_class === 'monthly' && !r.valid_until) {
    errors.push({ line, field: header(map.columns.has('valid_until') ? 'valid_until' : 'vehicle_class'), message: 'a monthly pass needs the date it runs until (valid_until)' });
  }
  if (errors.length > 0) return { errors };
  return { row: { line, value: toImport(r) }, errors };
}

function toImport(r: Row): ImportHousehold {
  return {
    household: { building: r.building, unit: r.unit, room: r.room, areaM2: r.area_m2, parkingSpaces: r.parking_spaces, note: r.note },
    resident: r.name ? { name: r.name, phone: r.phone } : undefined,
    vehicles: (r.plates ?? []).map((plate) => ({ plate, class: r.vehicle_class, validUntil: r.valid_until })),
    cards: r.cards ?? [],
  };
}
