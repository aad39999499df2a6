import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { byteLength, toBytes, utf8Strict } from '../bytes.js';
import { rejectHik, type HikRejection } from './reasons.js';

/**
 * XML from a camera, read safely. ISAPI documents are small, flat and never
 * carry a DTD, so anything that needs one is refused before a parser sees it:
 *
 * 1. a size cap on the bytes (`MAX_XML_BYTES`);
 * 2. strict UTF-8 (ISAPI's encoding; `<?xml … encoding="UTF-8"?>` in every vendor sample);
 * 3. one linear pre-scan that refuses `<!DOCTYPE`/`<!ENTITY`/any `<!…>` other than a
 *    comment or CDATA (so no billion laughs, no external entity, ever expanded or
 *    fetched), any entity reference other than the five XML ones and character
 *    references, nesting deeper than `MAX_XML_DEPTH`, more than `MAX_XML_ELEMENTS`
 *    elements, and a tag (with its attributes) longer than `MAX_TAG_CHARS`;
 * 4. fast-xml-parser's validator (well-formedness, with line and column), then its
 *    parser with entity processing off (we decode the five entities and character
 *    references ourselves) and its own nesting cap as a second guard.
 *
 * Every refusal is a rejection with a reason, never an exception.
 */

/** The full EventNotificationAlert_ANPR schema, every optional field filled, is ~12 KB; 64 KiB is generous. */
export const MAX_XML_BYTES = 64 * 1024;
/** The schema nests 7 deep (EventNotificationAlert › ANPR › vehicleInfo › carWindowInfo › carWindowStatusList › carWindowStatus › passengers). */
export const MAX_XML_DEPTH = 16;
/** The full schema has ~330 elements, 8 pictures included. */
export const MAX_XML_ELEMENTS = 2000;
/** A start tag with every attribute ISAPI uses (`version`, `xmlns`) is under 100 characters. */
export const MAX_TAG_CHARS = 1024;

export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  [key: string]: XmlValue;
}

export interface ParsedXml {
  /** The root element's local name (namespace prefix removed). */
  root: string;
  value: XmlValue;
  /** The document as text (support copies, dead-letter excerpts). */
  text: string;
}

const PREDEFINED = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const ENTITY_TEXT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function codePointOf(ref: string): number | undefined {
  const m = /^#(?:([0-9]{1,7})|x([0-9a-fA-F]{1,6}))$/.exec(ref);
  if (!m) return undefined;
  const cp = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
  // XML 1.0 §2.2 Char: no NUL, no surrogates, no U+FFFE/U+FFFF, nothing above U+10FFFF.
  const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
  return ok ? cp : undefined;
}

/** Every `&…;` between `from` and `to` is one of the five XML entities or a valid character reference. */
function checkReferences(text: string, from: number, to: number, field: string): HikRejection | undefined {
  let i = text.indexOf('&', from);
  while (i >= 0 && i < to) {
    const end = text.indexOf(';', i + 1);
    const name = end > i && end - i <= 12 && end <= to ? text.slice(i + 1, end) : undefined;
    if (name === undefined) return rejectHik('not-xml', field, `a bare "&" at character ${i} (write &amp;)`);
    if (!PREDEFINED.has(name) && codePointOf(name) === undefined) {
      return rejectHik('not-xml', field, `the entity &${name.replace(/[^\w#.-]/g, '?')}; is not defined (no DTD is accepted, so only &lt; &gt; &amp; &quot; &apos; and character references exist)`);
    }
    i = text.indexOf('&', end + 1);
  }
  return undefined;
}

/** One pass over the text: DTDs, limits, references. Linear in the text's length. */
function prescan(text: string, field: string): HikRejection | undefined {
  const n = text.length;
  let depth = 0;
  let elements = 0;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const bad = checkReferences(text, i, lt < 0 ? n : lt, field);
    if (bad) return bad;
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return rejectHik('truncated', field, `a comment opened at character ${lt} is never closed`);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return rejectHik('truncated', field, `a CDATA section opened at character ${lt} is never closed`);
      i = end + 3;
    } else if (text[lt + 1] === '!') {
      const what = text.slice(lt + 2, lt + 10).replace(/[^A-Za-z]/g, '');
      return rejectHik('xml-dtd', field, `<!${what || '…'} at character ${lt}: DTDs and entity declarations are refused (ISAPI never sends one), nothing was expanded or fetched`);
    } else if (text[lt + 1] === '?') {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return rejectHik('truncated', field, `a processing instruction at character ${lt} is never closed`);
      i = end + 2;
    } else {
      let j = lt + 1;
      let quote = '';
      for (; j < n; j++) {
        if (j - lt > MAX_TAG_CHARS) return rejectHik('xml-limit', field, `the tag at character ${lt} is longer than ${MAX_TAG_CHARS} characters (an attribute that size is not ISAPI)`);
        const c = text[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
        else if (c === '<') return rejectHik('not-xml', field, `"<" inside the tag at character ${lt}`);
      }
      if (j >= n) return rejectHik('truncated', field, `the tag at character ${lt} is never closed`);
      const inTag = checkReferences(text, lt, j, field);
      if (inTag) return inTag;
      if (text[lt + 1] === '/') depth--;
      else {
        if (++elements > MAX_XML_ELEMENTS) return rejectHik('xml-limit', field, `more than ${MAX_XML_ELEMENTS} elements`);
        if (text[j - 1] !== '/' && ++depth > MAX_XML_DEPTH) return rejectHik('xml-limit', field, `nested deeper than ${MAX_XML_DEPTH} levels (at character ${lt})`);
      }
      i = j + 1;
    }
  }
  return undefined;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  cdataPropName: false,
  maxNestedTags: MAX_XML_DEPTH + 1,
});

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g, (_, name: string) => ENTITY_TEXT[name] ?? String.fromCodePoint(codePointOf(name)!));
}

function decodeTree(v: unknown): XmlValue {
  if (typeof v === 'string') return decodeEntities(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(decodeTree);
  if (v && typeof v === 'object') {
    const out: XmlObject = {};
    for (const [k, child] of Object.entries(v)) out[k] = decodeTree(child);
    return out;
  }
  return '';
}

/** Bytes or text → one XML document, or why not. `field` names the document in rejections (e.g. the multipart part). */
export function parseXml(input: Uint8Array | string, field = ''): ParsedXml | HikRejection {
  const size = byteLength(input);
  if (size > MAX_XML_BYTES) return rejectHik('too-large', field, `${size} bytes of XML is over the ${MAX_XML_BYTES}-byte limit`);
  const decoded = typeof input === 'string' ? input : utf8Strict(toBytes(input), field);
  if (typeof decoded !== 'string') return { ...decoded, message: `${decoded.message}; ISAPI XML is UTF-8` };
  const text = decoded.replace(/^\uFEFF/, '');
  if (!text.trim()) return rejectHik('not-xml', field, 'empty');
  const refused = prescan(text, field);
  if (refused) return refused;
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return rejectHik('not-xml', field, `${msg.slice(0, 120)} (line ${line}, column ${col})`);
  }
  let tree: unknown;
  try {
    tree = parser.parse(text);
  } catch (err) {
    // fast-xml-parser throws on names like __proto__ or constructor, and on its nesting cap.
    return rejectHik('not-xml', field, (err as Error).message.slice(0, 120));
  }
  const roots = tree && typeof tree === 'object' ? Object.keys(tree) : [];
  if (roots.length !== 1) return rejectHik('not-xml', field, roots.length ? `${roots.length} root elements (${roots.slice(0, 3).join(', ')})` : 'no root element');
  const root = roots[0]!;
  const value = (tree as Record<string, unknown>)[root];
  if (Array.isArray(value)) return rejectHik('not-xml', field, `${value.length} root elements named ${root}`);
  return { root, value: decodeTree(value), text };
}

// ── reading a parsed document ─────────────────────────────────────────────────────────────────────

export function isObject(v: XmlValue | undefined): v is XmlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A child element (the first, when it repeats). */
export function child(v: XmlValue | undefined, key: string): XmlValue | undefined {
  if (!isObject(v)) return undefined;
  const c = v[key];
  return Array.isArray(c) ? c[0] : c;
}

/** Every child element of that name, as a list. */
export function children(v: XmlValue | undefined, key: string): XmlValue[] {
  if (!isObject(v)) return [];
  const c = v[key];
  return c === undefined ? [] : Array.isArray(c) ? c : [c];
}

/** A child's text, trimmed; undefined when absent or when it holds elements rather than text. */
export function text(v: XmlValue | undefined, key: string): string | undefined {
  const c = child(v, key);
  if (typeof c === 'string') return c;
  if (isObject(c) && typeof c['#text'] === 'string') return c['#text'];
  return undefined;
}
