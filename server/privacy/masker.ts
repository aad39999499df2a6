import { maskName } from '../accounts/mask.js';
import { isCardKey, isPlateKey, maskCard, maskKeysInJsonText, maskPhone, maskPlate, phoneEndAt, plateEndAt, PLATE_STARTS } from './patterns.js';

/**
 * The masking step itself: a deep copy of any JSON value in which personal data
 * is masked wherever it sits, whatever its key — so a field added tomorrow is
 * covered without anyone remembering it. Pure; the dictionary and what the
 * reader may see in full (their own household's data) come from the caller.
 *
 * In every string (keys included):
 *  (a) plate-shaped substrings (province + letter + 4–6, with · or a space, suffixes);
 *  (b) the estate's known personal values by value: registered plates, card ids,
 *      residents' phones and names — names inside free text too;
 *  (c) mainland mobile numbers;
 * and (d) any string under a card-ish key (cardId, cards…) or plate-ish key
 * (plate, plateRead…), registered or not, also inside JSON text (a raw payload).
 */

export type PersonalKind = 'plate' | 'card' | 'phone' | 'name';
export interface PersonalValue {
  value: string;
  kind: PersonalKind;
}

export interface Dictionary {
  readonly size: number;
  /** Per UTF-16 code unit: bit 1 a dictionary value starts with it, 2 a plate may, 4 a mobile number may. */
  readonly starts: Uint8Array;
  /** Every value looked for inside text, and per first code unit the lengths to try, longest first. */
  readonly values: ReadonlyMap<string, PersonalKind>;
  readonly lengths: ReadonlyMap<number, readonly number[]>;
  /** Values too short to look for inside text (a one-character name, a 3-character card id): masked when a whole string. */
  readonly whole: ReadonlyMap<string, PersonalKind>;
}

const DICT = 1;
const PLATE = 2;
const PHONE = 4;

const PATTERN_STARTS = (() => {
  const a = new Uint8Array(65536);
  for (const c of PLATE_STARTS) a[c.charCodeAt(0)] = PLATE;
  a[49] = PHONE; // '1'
  return a;
})();

/** Card ids and other ASCII tokens are matched as whole tokens only: C0001 is not inside C00012, p-C0001 or 2025-03-01. */
const isWordCode = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isJoiner = (code: number) => code === 46 || code === 45; // '.' and '-' join tokens (v1.2, p-1), but end a sentence
/** Whether the character at `at` continues an ASCII token (read towards `step`). */
function continuesToken(s: string, at: number, step: 1 | -1): boolean {
  const code = s.charCodeAt(at);
  if (isWordCode(code)) return true;
  return isJoiner(code) && isWordCode(s.charCodeAt(at + step));
}
/** Shortest value looked for inside text: shorter ones (a 1-character name) would mask ordinary words. */
const minInText = (v: PersonalValue) => (v.kind === 'name' ? 2 : 4);

export function buildDictionary(values: Iterable<PersonalValue>): Dictionary {
  const starts = PATTERN_STARTS.slice();
  const inText = new Map<string, PersonalKind>();
  const lengths = new Map<number, number[]>();
  const whole = new Map<string, PersonalKind>();
  for (const v of values) {
    const value = v.value.trim();
    if (!value) continue;
    if ([...value].length < minInText(v)) {
      if (!whole.has(value)) whole.set(value, v.kind);
      continue;
    }
    if (inText.has(value)) continue;
    inText.set(value, v.kind);
    const first = value.charCodeAt(0);
    starts[first]! |= DICT;
    const ls = lengths.get(first) ?? [];
    if (!ls.includes(value.length)) lengths.set(first, [...ls, value.length].sort((a, b) => b - a));
  }
  return { size: inText.size + whole.size, starts, values: inText, lengths, whole };
}

/** Patterns only: for readers of no estate (logs, anonymous callers). */
export const NO_DICTIONARY: Dictionary = buildDictionary([]);

const MASK: Record<PersonalKind, (v: string) => string> = {
  plate: maskPlate,
  card: maskCard,
  phone: maskPhone,
  name: (v) => maskName(v) ?? '*',
};

/** What the reader may see in full (their own household's values); `() => false` for no one. */
export type Allowed = (value: string) => boolean;
const NOBODY: Allowed = () => false;

/** The longest dictionary value starting at `i` that stands as a whole token there: [end, kind], or undefined. */
function dictionaryAt(s: string, i: number, dict: Dictionary): [number, PersonalKind] | undefined {
  if (isWordCode(s.charCodeAt(i)) && i > 0 && continuesToken(s, i - 1, -1)) return undefined;
  for (const len of dict.lengths.get(s.charCodeAt(i)) ?? []) {
    const end = i + len;
    if (end > s.length) continue;
    const kind = dict.values.get(s.slice(i, end));
    if (!kind) continue;
    if (end < s.length && isWordCode(s.charCodeAt(end - 1)) && continuesToken(s, end, 1)) continue;
    return [end, kind];
  }
  return undefined;
}

/** One string with its personal data masked (the same string when there is none). */
export function maskString(s: string, dict: Dictionary, allowed: Allowed = NOBODY): string {
  const w = dict.whole.get(s);
  if (w) return allowed(s) ? s : MASK[w](s);
  const starts = dict.starts;
  let out: string | undefined;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const f = starts[s.charCodeAt(i)]!;
    if (f === 0) continue;
    let end = -1;
    let kind: PersonalKind = 'plate';
    if (f & DICT) {
      const hit = dictionaryAt(s, i, dict);
      if (hit) [end, kind] = hit;
    }
    if (end < 0 && f & PLATE) end = plateEndAt(s, i);
    if (end < 0 && f & PHONE && (end = phoneEndAt(s, i)) > 0) kind = 'phone';
    if (end < 0) continue;
    const found = s.slice(i, end);
    if (!allowed(found)) {
      out = (out ?? '') + s.slice(last, i) + MASK[kind](found);
      last = end;
    }
    i = end - 1;
  }
  const masked = out === undefined ? s : out + s.slice(last);
  return masked.includes('"') ? maskKeysInJsonText(masked, allowed) : masked;
}

function maskUnderKey(s: string, key: string | undefined, dict: Dictionary, allowed: Allowed): string {
  if (key !== undefined && s) {
    if (isCardKey(key)) return allowed(s) ? s : maskCard(s);
    if (isPlateKey(key) && s.length > 4 && !allowed(s)) return maskPlate(s);
  }
  return maskString(s, dict, allowed);
}

/**
 * A copy of a JSON value with personal data masked; parts with nothing to mask
 * are shared, not copied (most of an answer), and the input is never changed
 * (it may be a cache's object). Keys of arrays of strings apply to each string.
 */
export function maskDeep<T>(value: T, dict: Dictionary, allowed: Allowed = NOBODY, key?: string): T {
  if (typeof value === 'string') return maskUnderKey(value, key, dict, allowed) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const m = maskDeep(value[i], dict, allowed, key);
      if (m !== value[i]) (copy ??= value.slice())[i] = m;
    }
    return (copy ?? value) as T;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return maskDeep(withJson.toJSON(), dict, allowed, key) as T;
  const keys = Object.keys(value);
  let copy: Record<string, unknown> | undefined;
  for (let n = 0; n < keys.length; n++) {
    const k = keys[n]!;
    const v = (value as Record<string, unknown>)[k];
    const mv = maskDeep(v, dict, allowed, k);
    const mk = maskString(k, dict, allowed);
    if (copy === undefined && (mv !== v || mk !== k)) {
      copy = {};
      for (let p = 0; p < n; p++) copy[keys[p]!] = (value as Record<string, unknown>)[keys[p]!];
    }
    if (copy !== undefined) copy[mk] = mv;
  }
  return (copy ?? value) as T;
}
