/**
 * The columns of a household import and the headers committees write for them,
 * Chinese or English. Matching ignores case, spaces, full-width forms and a
 * parenthesised unit, so "面积（㎡）", "Area (m2)" and "area_m2" are one column.
 */
export const IMPORT_COLUMNS = {
  building: ['楼栋', '楼号', '栋', '楼', '幢', 'building'],
  unit: ['单元', '单元号', 'unit'],
  room: ['房号', '房间号', '室', '门牌号', 'room'],
  area_m2: ['面积', '建筑面积', '房屋面积', 'area_m2', 'area'],
  parking_spaces: ['车位数', '车位', '车位数量', 'parking_spaces'],
  name: ['姓名', '业主', '业主姓名', '户主', '住户', 'name'],
  phone: ['电话', '手机', '手机号', '联系电话', 'phone'],
  plates: ['车牌', '车牌号', 'plates', 'plate'],
  vehicle_class: ['车辆类型', '车辆类别', 'vehicle_class'],
  valid_until: ['有效期至', '有效期', '到期日', 'valid_until'],
  cards: ['卡号', '门禁卡', '门禁卡号', 'cards', 'card'],
  note: ['备注', 'note'],
} as const satisfies Record<string, readonly string[]>;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['building', 'unit', 'room'];

export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/[(（][^)）]*[)）]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const BY_ALIAS = new Map<string, ImportColumn>(
  (Object.entries(IMPORT_COLUMNS) as [ImportColumn, readonly string[]][]).flatMap(([col, aliases]) => aliases.map((a) => [headerKey(a), col] as const)),
);

export interface ColumnMap {
  /** Where each known column is, and its header as written (errors name it). */
  columns: Map<ImportColumn, { index: number; header: string }>;
  /** Cells in the header line. */
  width: number;
  /** Headers that match no column: kept out of the import, reported back. */
  ignored: string[];
  problems: { field: string | null; message: string }[];
}

export function mapHeader(cells: string[]): ColumnMap {
  const columns = new Map<ImportColumn, { index: number; header: string }>();
  const ignored: string[] = [];
  const problems: ColumnMap['problems'] = [];
  cells.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return;
    const col = BY_ALIAS.get(headerKey(header));
    if (!col) return void ignored.push(header);
    const seen = columns.get(col);
    if (seen) problems.push({ field: header, message: `means the same column as "${seen.header}" (${col}); keep one` });
    else columns.set(col, { index, header });
  });
  for (const col of REQUIRED_COLUMNS) {
    if (!columns.has(col)) problems.push({ field: col, message: `missing column ${col}: add a header ${IMPORT_COLUMNS[col].map((a) => `"${a}"`).join(' or ')}` });
  }
  return { columns, width: cells.length, ignored, problems };
}
