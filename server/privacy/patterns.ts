import { PROVINCE_CHARS } from '../parking/plates.js';

/**
 * What personal data looks like, whoever registered it: plates, mainland mobile
 * numbers, card ids under a card-ish key. Pure; used for every answer to a role
 * that may not see personal data (server/privacy/masker.ts) and for log lines.
 */

/** 鄂A12345 → 鄂A***45: enough to tell reads apart, not enough to identify a car. */
export function maskPlate(plate: string): string {
  if (plate.length <= 4) return '*'.repeat(plate.length);
  return plate.slice(0, 2) + '***' + plate.slice(-2);
}

/** Card ids: keep the last 3 characters. */
export function maskCard(cardId: string): string {
  return cardId.length <= 3 ? '***' : '***' + cardId.slice(-3);
}

/** 13812345678 → 138****5678 (what Chinese apps print); any other number keeps its last 4 digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return digits.length <= 4 ? '****' : '****' + digits.slice(-4);
}

// After the province character: the authority letter, an optional separator (people
// and cameras write 鄂A·12345, 鄂A 12345), 4–6 serial characters (8-character
// new-energy plates have 6), and the suffixes GA 36-2018 issues. Half- and full-width.
const PLATE_REST = /[A-Za-zＡ-Ｚａ-ｚ][·•・･‧.\- ]?[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]{4,6}(?:应急|[挂学警港澳领试超])?/y;
const ARMED_POLICE = new RegExp(`WJ[${[...PROVINCE_CHARS].join('')}]?[A-Z0-9]{4,5}`, 'y');
const EMBASSY = /使\d{6}/y;

/** Characters a plate-shaped substring can start with. */
export const PLATE_STARTS: ReadonlySet<string> = new Set([...PROVINCE_CHARS, 'W', '使']);

/** The end (exclusive) of a plate-shaped substring starting at `i`, or -1. */
export function plateEndAt(s: string, i: number): number {
  const c = s[i];
  const re = c === 'W' ? ARMED_POLICE : c === '使' ? EMBASSY : PLATE_REST;
  re.lastIndex = re === PLATE_REST ? i + 1 : i;
  return re.test(s) ? re.lastIndex : -1;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The end of a mainland mobile number starting at `i` (1[3-9] and 9 digits, as
 * written: 13812345678, 138-1234-5678, 138 1234 5678), not inside a longer run
 * of digits; or -1.
 */
export function phoneEndAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 49 || (i > 0 && isDigit(s.charCodeAt(i - 1)))) return -1;
  const second = s.charCodeAt(i + 1);
  if (second < 51 || second > 57) return -1; // 3–9
  let j = i + 2;
  let digits = 2;
  while (digits < 11 && j < s.length) {
    const code = s.charCodeAt(j);
    if (isDigit(code)) digits++;
    else if ((code !== 45 && code !== 32) || (digits !== 3 && digits !== 7)) break; // '-' or ' ' after 138 and 1234 only
    j++;
  }
  if (digits !== 11 || isDigit(s.charCodeAt(j))) return -1;
  return j;
}

/** Keys whose string values are card ids, whatever they hold: cardId, cards, swipeCardId (not discard). */
export const isCardKey = (key: string) => /(?:^card|Card)(?:Ids?|s)?$|^card_ids?$/.test(key);
/** Keys whose string values are plates: plate, plates, plateRead, rawPlate (not template). */
export const isPlateKey = (key: string) => /(?:^plate|Plate)(?:Read|s)?$/.test(key);

/**
 * Plates and mobile numbers masked in any text, e.g. a log line or a rejected
 * payload's excerpt; card ids too where the text is JSON (`"cardId":"…"`).
 */
export function maskPatternsInText(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const end = PLATE_STARTS.has(text[i]!) ? plateEndAt(text, i) : phoneEndAt(text, i);
    if (end < 0) continue;
    const found = text.slice(i, end);
    out += text.slice(last, i) + (PLATE_STARTS.has(text[i]!) ? maskPlate(found) : maskPhone(found));
    last = end;
    i = end - 1;
  }
  return maskKeysInJsonText(last === 0 ? text : out + text.slice(last), () => false);
}

const JSON_PAIR = /"([A-Za-z_]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** In text that holds JSON (a device's raw payload), values under card-ish and plate-ish keys, masked. */
export function maskKeysInJsonText(text: string, allowed: (value: string) => boolean): string {
  if (!text.includes('"')) return text;
  return text.replace(JSON_PAIR, (pair, key: string, value: string) => {
    if (isCardKey(key) && value && !allowed(value)) return `"${key}":"${maskCard(value)}"`;
    if (isPlateKey(key) && value.length > 4 && !allowed(value)) return `"${key}":"${maskPlate(value)}"`;
    return pair;
  });
}
