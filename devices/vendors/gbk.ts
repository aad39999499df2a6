import { reject, type VendorRejection } from './result.js';

/**
 * GBK (code page 936) both ways, with nothing but the platform's TextDecoder.
 *
 * Node with full ICU decodes the label 'gbk' with ICU's GBK converter (not
 * GB18030: four-byte sequences are refused). There is no GBK *encoder* in the
 * platform, so the table is derived once from that decoder over the two-byte
 * space (lead 0x81–0xFE, trail 0x40–0xFE without 0x7F, 23 940 codes, about 4 ms)
 * and cached. The repo's CSV import reads GBK through the GB18030 decoder the
 * same way (server/estate/csv.ts); test/support/gbk.ts builds its table alike.
 */

/** User-defined areas decode to the Private Use Area: no board has a glyph for them. */
const isPrivateUse = (cp: number) => cp >= 0xe000 && cp <= 0xf8ff;

/**
 * Characters Linli's own texts use that GBK lacks, and the GBK character a
 * driver reads the same: `yuan()` writes '¥' (U+00A5), GBK has only '￥'.
 */
const SUBSTITUTES: Record<string, string> = { '\u00a5': '\uffe5', '\u00a0': ' ' };

let table: Map<string, number> | undefined | null;

function gbkTable(): Map<string, number> | undefined {
  if (table !== undefined) return table ?? undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gbk');
  } catch {
    table = null; // a Node built with small-icu has no GBK: encoding is refused, never guessed
    return undefined;
  }
  const map = new Map<string, number>();
  const row = new Uint8Array(190 * 2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    let i = 0;
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      row[i++] = lead;
      row[i++] = trail;
    }
    const chars = [...decoder.decode(row)];
    // ICU gives one character per code in a row; if a platform does not, fall back to one code at a time.
    const perCode = chars.length === 190 ? chars : undefined;
    let n = 0;
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = perCode ? perCode[n]! : decoder.decode(new Uint8Array([lead, trail]));
      n++;
      const cp = ch.codePointAt(0)!;
      if ([...ch].length === 1 && ch !== '\ufffd' && !isPrivateUse(cp) && !map.has(ch)) map.set(ch, (lead << 8) | trail);
    }
  }
  map.set('\u20ac', 0x80); // CP936 puts the euro sign in one byte
  table = map;
  return map;
}

export interface GbkText {
  bytes: Uint8Array;
  /** Characters that are GBK but outside GB2312 (the boards' own documents say "ASCII and GB2312"). */
  outsideGb2312: string[];
}

/** True when a two-byte code lies in GB2312's rows (lead 0xA1–0xF7, trail 0xA1–0xFE). */
const inGb2312 = (code: number) => (code >> 8) >= 0xa1 && (code >> 8) <= 0xf7 && (code & 0xff) >= 0xa1;

/** Text → GBK bytes. A character GBK cannot hold is a rejection that names it, never a '?'. */
export function encodeGbk(text: string, field: string): GbkText | VendorRejection {
  const map = gbkTable();
  if (!map) return reject('gbk-unavailable', field, 'this Node has no GBK decoder (built without full ICU)');
  const out: number[] = [];
  const outside: string[] = [];
  for (const raw of text) {
    const ch = SUBSTITUTES[raw] ?? raw;
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out.push(cp);
      continue;
    }
    const code = map.get(ch);
    if (code === undefined) {
      return reject('unencodable', field, `"${raw}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) has no GBK code`);
    }
    if (code <= 0xff) out.push(code);
    else {
      out.push(code >> 8, code & 0xff);
      if (!inGb2312(code) && !outside.includes(ch)) outside.push(ch);
    }
  }
  return { bytes: Uint8Array.from(out), outsideGb2312: outside };
}

/**
 * GBK bytes → text, strictly: a lone lead byte, a GB18030 four-byte sequence, a
 * byte GBK does not define or a user-defined code is a rejection naming its offset.
 */
export function decodeGbk(bytes: Uint8Array, field: string): string | VendorRejection {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gbk', { fatal: true });
  } catch {
    return reject('gbk-unavailable', field, 'this Node has no GBK decoder (built without full ICU)');
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return reject('invalid-gbk', field, `bytes ${shortHex(bytes)} are not GBK text`);
  }
  let offset = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isPrivateUse(cp)) return reject('invalid-gbk', field, `byte ${offset}: a user-defined GBK code (no glyph on any board)`);
    offset += cp < 0x80 || cp === 0x20ac ? 1 : 2;
  }
  return text;
}

function shortHex(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > 16 ? `${hex} …` : hex;
}
