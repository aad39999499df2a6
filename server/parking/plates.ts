/**
 * Chinese licence plates: normalise what a camera read, and say whether it is a
 * plate format that GA 36-2018 issues. Pure; never throws.
 *
 * Colour is deliberately not an input: cameras misjudge it at night and under
 * sodium lamps, and large new-energy plates are yellow-green, so a camera may say
 * `yellow` or `green` for the same plate. The characters decide validity.
 */

export type PlateKind = 'standard' | 'new-energy' | 'police' | 'emergency' | 'other-special';
export type PlateCheck = { ok: true; plate: string; kind: PlateKind } | { ok: false; reason: string };

/** The 31 mainland province-level abbreviations that start a civil plate. */
export const PROVINCE_CHARS: ReadonlySet<string> = new Set('京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼');

// Separators people and cameras put inside plates ("鄂A·12345", "鄂A-12345");
// the dot comes in several code points depending on the font and the IME.
const STRIP = new Set(['·', '•', '-', '・', '･', '‧', '.', '_', '\u200b', '\ufeff']);
// Already normalised: digits, upper-case letters and CJK only (the common case, so skip the loop).
const CLEAN = /^[0-9A-Z\u3400-\u9fff]*$/;

/** Upper-case, full-width → half-width, strip spaces, '·', '-', '•'; never throws. */
export function normalizePlate(raw: string): string {
  const text = typeof raw === 'string' ? raw : String(raw ?? '');
  if (CLEAN.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    // U+FF01..FF5E mirror ASCII 0x21..0x7E; a Chinese IME types "鄂Ａ１２３４５".
    const half = code >= 0xff01 && code <= 0xff5e ? String.fromCodePoint(code - 0xfee0) : ch;
    if (STRIP.has(half) || /\s/u.test(half)) continue;
    out += half.toUpperCase();
  }
  return out;
}

const P = `[${[...PROVINCE_CHARS].join('')}]`;
// Issuing-authority letter and serial characters: I and O are never issued
// because they read as 1 and 0.
const L = '[A-HJ-NP-Z]';
const S = '[A-HJ-NP-Z0-9]';

type PlateFormat = { name: string; kind: PlateKind; re: RegExp };

/** Formats as data, most common first. */
const FORMATS: readonly PlateFormat[] = [
  { name: 'standard', kind: 'standard', re: new RegExp(`^${P}${L}${S}{5}$`) },
  // GA 36-2018 small new-energy: D (electric) or F (other) then a letter or digit, then 4 digits.
  // Cities that ran out (Shenzhen, Shanghai…) added A/B/C/E (electric) and G/H/J/K (other) in 2022.
  { name: 'new-energy small', kind: 'new-energy', re: new RegExp(`^${P}${L}[A-HJK]${S}\\d{4}$`) },
  // Large new-energy: 5 digits, then D or F last.
  { name: 'new-energy large', kind: 'new-energy', re: new RegExp(`^${P}${L}\\d{5}[DF]$`) },
  // Police: 4 serial characters then 警; some police authorities use the letter O.
  { name: 'police', kind: 'police', re: new RegExp(`^${P}[A-Z]${S}{4}警$`) },
  // Fire and emergency-management rescue vehicles: serial then 应急.
  { name: 'emergency', kind: 'emergency', re: new RegExp(`^${P}${L}${S}{4,5}应急$`) },
  // Coach (学), trailer (挂), consulate (领), test (试), oversize (超).
  { name: 'suffixed', kind: 'other-special', re: new RegExp(`^${P}${L}${S}{4}[学挂领试超]$`) },
  { name: 'hong kong / macau', kind: 'other-special', re: new RegExp(`^粤Z${S}{4}[港澳]$`) },
  { name: 'embassy', kind: 'other-special', re: /^(使\d{6}|\d{6}使)$/ },
  { name: 'armed police', kind: 'other-special', re: new RegExp(`^WJ${P}?${S}{4,5}$`) },
];

/** Normalises then validates; reason is a short English phrase naming what is wrong (e.g. "unknown province character 'X'"). */
export function validatePlate(raw: string): PlateCheck {
  const plate = normalizePlate(raw);
  const format = FORMATS.find((f) => f.re.test(plate));
  if (format) return { ok: true, plate, kind: format.kind };
  return { ok: false, reason: diagnose(plate) };
}

/** The first thing wrong with a plate that matched no format, in reading order. */
function diagnose(plate: string): string {
  const chars = [...plate];
  const [first, second] = chars;
  if (first === undefined) return 'empty plate';
  if (!PROVINCE_CHARS.has(first)) {
    return /[\u3400-\u9fff]/.test(first)
      ? `unknown province character '${first}'`
      : `missing province character (starts with '${first}')`;
  }
  if (second === undefined) return 'too short: 1 character, expected 7 or 8';
  if (!/^[A-Z]$/.test(second) || second === 'I' || second === 'O') {
    return `issuing-authority letter expected at position 2, got '${second}'`;
  }
  return diagnoseSerial(chars) ?? diagnoseLength(chars);
}

function diagnoseSerial(chars: readonly string[]): string | undefined {
  for (let i = 2; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c === 'I' || c === 'O') return `letter '${c}' is not used on plates (position ${i + 1})`;
    if (!/^[A-Z0-9]$/.test(c) && !isKnownSuffix(chars, i)) {
      return `unexpected character '${c}' at position ${i + 1}`;
    }
  }
  return undefined;
}

const SUFFIXES = ['警', '应急', '学', '挂', '领', '试', '超', '港', '澳'];

function isKnownSuffix(chars: readonly string[], i: number): boolean {
  return SUFFIXES.includes(chars.slice(i).join(''));
}

function diagnoseLength(chars: readonly string[]): string {
  const n = chars.length;
  const suffix = SUFFIXES.find((s) => chars.join('').endsWith(s));
  if (suffix === '港' || suffix === '澳') return `'${suffix}' plates are issued only as 粤Z + 4 characters`;
  if (suffix) {
    const want = suffix === '应急' ? '4 or 5' : '4';
    return `'${suffix}' plate needs ${want} serial characters after the letter, got ${n - 2 - suffix.length}`;
  }
  if (n < 7) return `too short: ${n} characters, expected 7 or 8`;
  if (n > 8 && /^[A-Z0-9]$/.test(chars[n - 1] ?? '')) return `too long: ${n} characters, expected 7 or 8`;
  if (n === 8) return "8-character plate must be new-energy: D or F as 3rd or last character";
  return 'not a recognised plate format';
}
