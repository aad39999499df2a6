import type { EstateCounts, EstateModelRepo, ImportCounts } from '../store/estate-model-types.js';
import { decodeCsv, parseCsv, type CsvEncoding } from './csv.js';
import { mapHeader, type ColumnMap } from './import-columns.js';
import { validateRow, type ImportError, type ImportRow } from './import-rows.js';
import { applyImport } from './import-apply.js';
import { householdIdOf } from './model.js';

export type { ImportError };

/** Enough to fix a spreadsheet in one pass without an answer the size of the file. */
export const MAX_REPORTED_ERRORS = 1000;

export interface ReadImport {
  encoding: CsvEncoding;
  rows: ImportRow[];
  errors: ImportError[];
  ignoredColumns: string[];
  columns: ColumnMap | undefined;
}

/** Bytes → validated rows and every error in the file itself (format, cells, duplicates between rows). Pure. */
export function readImport(bytes: Uint8Array, charset?: string): ReadImport {
  const { text, encoding } = decodeCsv(bytes, charset);
  const parsed = parseCsv(text);
  const fail = (e: ImportError): ReadImport => ({ encoding, rows: [], errors: [e], ignoredColumns: [], columns: undefined });
  if (!parsed.ok) return fail({ line: parsed.line, field: null, message: parsed.message });
  const [head, ...data] = parsed.records;
  if (!head) return fail({ line: 1, field: null, message: 'the file is empty: the first line must be the header' });
  const columns = mapHeader(head.cells);
  const errors: ImportError[] = columns.problems.map((p) => ({ line: head.line, ...p }));
  if (errors.length > 0) return { encoding, rows: [], errors, ignoredColumns: columns.ignored, columns: undefined };
  if (data.length === 0) return fail({ line: head.line + 1, field: null, message: 'no household rows under the header' });

  const rows: ImportRow[] = [];
  for (const record of data) {
    const r = validateRow(record.line, record.cells, columns);
    errors.push(...r.errors);
    if (r.row) rows.push(r.row);
  }
  errors.push(...duplicatesBetweenRows(rows, columns));
  return { encoding, rows, errors, ignoredColumns: columns.ignored, columns };
}

/** A household, plate or card may appear on one row only; the later rows are the errors. */
function duplicatesBetweenRows(rows: ImportRow[], columns: ColumnMap): ImportError[] {
  const header = (col: 'room' | 'plates' | 'cards') => columns.columns.get(col)?.header ?? col;
  const seen = { room: new Map<string, number>(), plates: new Map<string, number>(), cards: new Map<string, number>() };
  const errors: ImportError[] = [];
  const check = (col: keyof typeof seen, key: string, line: number, what: string) => {
    const first = seen[col].get(key);
    if (first === undefined) return void seen[col].set(key, line);
    errors.push({ line, field: header(col), message: `${what} is also on line ${first}` });
  };
  for (const { line, value } of rows) {
    const id = householdIdOf(value.household);
    check('room', id, line, `household ${id}`);
    for (const v of value.vehicles) check('plates', v.plate, line, v.plate);
    for (const c of value.cards) check('cards', c, line, `card ${c}`);
  }
  return errors;
}

/** A plate or card already registered to another household (or to none) is not moved by an import. */
function conflictsWithRegister(repo: EstateModelRepo, estateId: string, rows: ImportRow[], columns: ColumnMap): ImportError[] {
  const header = (col: 'plates' | 'cards') => columns.columns.get(col)?.header ?? col;
  const errors: ImportError[] = [];
  for (const { line, value } of rows) {
    const id = householdIdOf(value.household);
    for (const { plate } of value.vehicles) {
      const v = repo.getVehicle(estateId, plate);
      if (!v || v.householdId === id) continue;
      const owner = v.householdId ? `household ${v.householdId}` : `the estate as a ${v.class} vehicle`;
      errors.push({ line, field: header('plates'), message: `${plate} is already registered to ${owner}; change it there first` });
    }
    for (const cardId of value.cards) {
      const c = repo.getCard(estateId, cardId);
      if (c && c.householdId !== id) errors.push({ line, field: header('cards'), message: `card ${cardId} already belongs to household ${c.householdId}; change it there first` });
    }
  }
  return errors;
}

export type ImportOutcome =
  | { ok: true; dryRun: boolean; encoding: CsvEncoding; ignoredColumns: string[]; imported: EstateCounts } & ImportCounts
  | { ok: false; encoding: CsvEncoding; ignoredColumns: string[]; errors: ImportError[]; errorCount: number };

class DryRun {
  constructor(readonly counts: ImportCounts) {}
}

/**
 * All or nothing: every error in the file and against the register is found
 * first; if there is one, nothing is written. Otherwise one transaction upserts
 * every row. A dry run writes in the same transaction and rolls it back, so its
 * counts are exactly what the real import would do.
 */
export function importHouseholds(repo: EstateModelRepo, estateId: string, bytes: Uint8Array, opts: { dryRun: boolean; charset?: string }): ImportOutcome {
  const read = readImport(bytes, opts.charset);
  const base = { encoding: read.encoding, ignoredColumns: read.ignoredColumns };
  const failed = (errors: ImportError[]) => ({
    ...base,
    ok: false as const,
    errors: [...errors].sort((a, b) => a.line - b.line).slice(0, MAX_REPORTED_ERRORS),
    errorCount: errors.length,
  });
  const columns = read.columns;
  if (!columns) return failed(read.errors);
  let counts: ImportCounts;
  try {
    const result = repo.atomically(() => {
      // Checked even when the file has errors of its own: one answer lists everything to fix.
      const errors = [...read.errors, ...conflictsWithRegister(repo, estateId, read.rows, columns)];
      if (errors.length > 0) return errors;
      const written = applyImport(repo, estateId, read.rows.map((r) => r.value));
      if (opts.dryRun) throw new DryRun(written);
      return written;
    });
    if (Array.isArray(result)) return failed(result);
    counts = result;
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
    counts = err.counts;
  }
  const sum = (k: keyof EstateCounts) => counts.created[k] + counts.updated[k];
  return {
    ...base,
    ok: true,
    dryRun: opts.dryRun,
    imported: { households: sum('households'), residents: sum('residents'), vehicles: sum('vehicles'), cards: sum('cards') },
    ...counts,
  };
}
