/*
 * The published statement's CSV (server/accounts/csv.ts) read back for the
 * screen. Pure: no DOM, so the unit tests run it in Node.
 */

/**
 * RFC 4180: cells split at commas, rows at CRLF (or a bare LF or CR); a quoted
 * cell may hold commas, line breaks and "" for a quote. A leading BOM (which
 * the statement carries for Excel) is not part of the first cell.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  // The last row, when the text does not end with a line break.
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** A money cell as the statement writes it, in yuan: 386.00, -500.00. */
export const isAmount = (cell: string) => /^-?\d+\.\d{2}$/.test(cell);

export interface Section {
  title?: string;
  head?: string[];
  rows: string[][];
}

/**
 * The statement's blocks, as the paper shows them. Blocks are separated by
 * blank rows; one opening with a row of words only (捐资/集资; 对账,全部一致)
 * is a section under that heading, and within it a row of words only before
 * the figures is its column heads. A lone figure row (期初余额,,,0.00) is a
 * block without a heading.
 */
export function sections(rows: string[][]): Section[] {
  const words = (r: string[]) => !r.some(isAmount);
  const out: Section[] = [];
  let block: string[][] = [];
  for (const r of [...rows, []]) {
    if (r.some(Boolean)) {
      block.push(r);
      continue;
    }
    const [first, ...rest] = block;
    block = [];
    if (!first) continue;
    const title = words(first) ? first.filter(Boolean).join(' · ') : undefined;
    const body = title === undefined ? [first, ...rest] : rest;
    const head = body.length > 1 && words(body[0]!) ? body[0] : undefined;
    out.push({ title, head, rows: head ? body.slice(1) : body });
  }
  return out;
}
