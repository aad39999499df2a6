/**
 * CSV as committees' spreadsheets write it: Excel in China saves GBK unless told
 * otherwise, "UTF-8 CSV" adds a BOM, "Unicode text" is UTF-16 with tabs. Pure.
 */

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le';

export interface CsvRecord {
  /** 1-based line in the file where the record starts (a quoted field may span lines). */
  line: number;
  cells: string[];
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

const GB_CHARSETS = new Set(['gbk', 'gb2312', 'gb18030', 'x-gbk', 'cp936']);

/**
 * Bytes → text. A declared GB charset wins; otherwise a BOM decides; otherwise
 * strict UTF-8, and bytes that are not valid UTF-8 are read as GB18030 (a
 * superset of GBK and GB2312). Chinese text in GBK is almost never valid UTF-8.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string): { text: string; encoding: CsvEncoding } {
  if (charset && GB_CHARSETS.has(charset.toLowerCase())) return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** Comma, or tab when the header line has tabs and no commas (Excel's "Unicode text"). */
export function sniffDelimiter(text: string): ',' | '\t' {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

/**
 * RFC 4180 with Excel's habits: quoted fields may hold the delimiter, doubled
 * quotes and line breaks; CRLF, LF and lone CR all end a line; a quote inside
 * an unquoted field is kept as text. Lines with no content (",,,") are skipped
 * but still counted, so line numbers match what the spreadsheet shows.
 */
export function parseCsv(text: string, delimiter: ',' | '\t' = sniffDelimiter(text)): CsvParse {
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let cellStarted = false; // something (even an empty quoted "") was read into this cell
  const endCell = () => {
    cells.push(cell);
    cell = '';
    cellStarted = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.some((c) => c.trim() !== '')) records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        cell += '\n';
        line++;
      } else cell += c;
    } else if (c === '"' && !cellStarted) {
      inQuotes = true;
      cellStarted = true;
    } else if (c === delimiter) {
      endCell();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += c;
      cellStarted = true;
    }
  }
  if (inQuotes) return { ok: false, line: recordLine, message: 'a quoted field is never closed: a " is missing' };
  if (cellStarted || cell !== '' || cells.length > 0) endRecord();
  return { ok: true, records };
}
