import { toBytes } from '../bytes.js';
import { md5Hex, sha256Hex } from './hash.js';
import { rejectHik, type HikRejection } from './reasons.js';

/**
 * HTTP Digest access authentication as ISAPI cameras ask for it (their 401
 * carries `WWW-Authenticate: Digest qop="auth", realm="IP Camera(…)", nonce=…`).
 * RFC 7616 (which obsoletes RFC 2617): MD5 and SHA-256, their `-sess` forms,
 * qop `auth`, `userhash`. Pure: the transport passes the challenge it received,
 * the credentials, the request line and a fresh cnonce, and gets the
 * `Authorization` header value. The password is used here and nowhere else;
 * no rejection message ever carries it.
 */

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** `auth` when the server offered it; absent for an RFC 2069 server that offers no qop. */
  qop?: 'auth';
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** RFC 7616 §3.3: the nonce expired, the credentials were right; retry with the new nonce without asking anyone. */
  stale: boolean;
  userhash: boolean;
}

const ALGORITHMS: Record<string, DigestAlgorithm> = { 'md5': 'MD5', 'md5-sess': 'MD5-sess', 'sha-256': 'SHA-256', 'sha-256-sess': 'SHA-256-sess' };
/** RFC 7616 §3.7: prefer the strongest algorithm offered. */
const PREFERENCE: DigestAlgorithm[] = ['SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'];
const MAX_HEADER_CHARS = 4096;
const FIELD = 'WWW-Authenticate';

interface RawChallenge {
  scheme: string;
  params: Map<string, string>;
}

/**
 * RFC 7235 §4.1: one header value may hold several challenges, each a scheme
 * token followed by comma-separated `name=token` or `name="quoted string"`.
 * One linear pass; no regular expression over the whole header.
 */
function tokenize(header: string): RawChallenge[] | HikRejection {
  const out: RawChallenge[] = [];
  let i = 0;
  const n = header.length;
  const isTokenChar = (c: string) => /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(c);
  const skipSpaceAndCommas = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && isTokenChar(header[i]!)) i++;
    return header.slice(start, i);
  };
  while (true) {
    skipSpaceAndCommas();
    if (i >= n) break;
    const word = token();
    if (!word) return rejectHik('bad-challenge', FIELD, `unexpected character at ${i}`);
    let j = i;
    while (j < n && (header[j] === ' ' || header[j] === '\t')) j++;
    if (header[j] === '=' && header[j + 1] === '=') {
      // a token68 with padding (Basic, Negotiate credentials-style challenges): not ours to read
      i = j;
      while (i < n && header[i] === '=') i++;
    } else if (header[j] === '=' && out.length > 0) {
      // name=value of the current challenge
      i = j + 1;
      while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
      let value = '';
      if (header[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = header[i]!;
          if (c === '\\' && i + 1 < n) {
            value += header[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            closed = true;
            break;
          } else {
            value += c;
            i++;
          }
        }
        if (!closed) return rejectHik('bad-challenge', `${FIELD}.${word}`, 'unterminated quoted string');
      } else {
        value = token();
      }
      const name = word.toLowerCase();
      if (out.at(-1)!.params.has(name)) return rejectHik('bad-challenge', `${FIELD}.${name}`, 'given twice in one challenge');
      out.at(-1)!.params.set(name, value);
    } else {
      if (header[j] === '=') return rejectHik('bad-challenge', FIELD, `a parameter (${word.slice(0, 32)}) before any scheme`);
      out.push({ scheme: word.toLowerCase(), params: new Map() });
      i = j;
    }
  }
  return out;
}

/** The Digest challenge we will answer, chosen from everything the server offered. */
export function parseDigestChallenge(header: string | readonly string[] | undefined): DigestChallenge | HikRejection {
  if (header === undefined || header.length === 0) return rejectHik('bad-challenge', FIELD, 'missing: the camera did not ask for Digest');
  const text = typeof header === 'string' ? header : header.join(', ');
  if (text.length > MAX_HEADER_CHARS) return rejectHik('bad-challenge', FIELD, `${text.length} characters is over the ${MAX_HEADER_CHARS}-character limit`);
  const all = tokenize(text);
  if (!Array.isArray(all)) return all;
  const schemes = all.map((c) => c.scheme);
  const digests = all.filter((c) => c.scheme === 'digest');
  if (digests.length === 0) return rejectHik('bad-challenge', FIELD, `no Digest challenge (offered: ${schemes.join(', ') || 'nothing'}); ISAPI calls are never sent with Basic`);
  const usable: DigestChallenge[] = [];
  let why = '';
  for (const d of digests) {
    const c = readDigest(d.params);
    if ('ok' in c) why = c.message;
    else usable.push(c);
  }
  if (usable.length === 0) return rejectHik('bad-challenge', FIELD, why.replace(/^WWW-Authenticate: /, ''));
  usable.sort((a, b) => PREFERENCE.indexOf(a.algorithm) - PREFERENCE.indexOf(b.algorithm));
  return usable[0]!;
}

function readDigest(p: Map<string, string>): DigestChallenge | HikRejection {
  const realm = p.get('realm');
  const nonce = p.get('nonce');
  if (realm === undefined) return rejectHik('bad-challenge', `${FIELD}.realm`, 'required');
  if (!nonce) return rejectHik('bad-challenge', `${FIELD}.nonce`, 'required');
  const algorithmText = p.get('algorithm') ?? 'MD5';
  const algorithm = ALGORITHMS[algorithmText.toLowerCase()];
  if (!algorithm) return rejectHik('bad-challenge', `${FIELD}.algorithm`, `"${algorithmText.slice(0, 32)}" is not MD5 or SHA-256 (or their -sess forms)`);
  const qopText = p.get('qop');
  let qop: 'auth' | undefined;
  if (qopText !== undefined) {
    const offered = qopText.split(',').map((q) => q.trim().toLowerCase());
    if (!offered.includes('auth')) return rejectHik('bad-challenge', `${FIELD}.qop`, `offers ${offered.join(', ')} but not auth (auth-int is not supported)`);
    qop = 'auth';
  }
  const opaque = p.get('opaque');
  return {
    realm,
    nonce,
    ...(qop ? { qop } : {}),
    ...(opaque !== undefined ? { opaque } : {}),
    algorithm,
    stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    userhash: (p.get('userhash') ?? '').toLowerCase() === 'true',
  };
}

export interface DigestRequest {
  challenge: DigestChallenge;
  username: string;
  password: string;
  /** The request method, e.g. `PUT`. */
  method: string;
  /** The request-target as sent on the request line: path and query (`/ISAPI/…?format=json`). */
  uri: string;
  /** A fresh client nonce per request (injected so tests can fix it). */
  cnonce: string;
  /** How many times this nonce has been used, counting this request (1 for the first). */
  nc: number;
}

const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The `Authorization` header value for one request, RFC 7616 §3.4. */
export function digestAuthorization(r: DigestRequest): string | HikRejection {
  const { challenge: c } = r;
  if (!/^[A-Z][A-Z-]{0,15}$/.test(r.method)) return rejectHik('unencodable', 'method', 'must be an upper-case HTTP method');
  // eslint-disable-next-line no-control-regex
  if (!r.uri.startsWith('/') || /[\s"\x00-\x1f\x7f]/.test(r.uri) || r.uri.length > 2048) return rejectHik('unencodable', 'uri', 'must be an absolute path without spaces, quotes or control characters');
  if (!/^[\x21\x23-\x5b\x5d-\x7e]{8,128}$/.test(r.cnonce)) return rejectHik('unencodable', 'cnonce', 'must be 8–128 printable ASCII characters without quotes or backslashes');
  if (!Number.isInteger(r.nc) || r.nc < 1 || r.nc > 0xffffffff) return rejectHik('unencodable', 'nc', 'must be an integer from 1 to 0xffffffff');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(r.username)) return rejectHik('unencodable', 'username', 'has control characters');
  const H = c.algorithm.startsWith('SHA-256') ? (s: string) => sha256Hex(toBytes(s)) : (s: string) => md5Hex(toBytes(s));
  const nc = r.nc.toString(16).padStart(8, '0');
  let ha1 = H(`${r.username}:${c.realm}:${r.password}`);
  if (c.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${c.nonce}:${r.cnonce}`);
  const ha2 = H(`${r.method}:${r.uri}`);
  const response = c.qop ? H(`${ha1}:${c.nonce}:${nc}:${r.cnonce}:${c.qop}:${ha2}`) : H(`${ha1}:${c.nonce}:${ha2}`);
  const username = c.userhash ? H(`${r.username}:${c.realm}`) : r.username;
  const parts = [
    `username=${quote(username)}`,
    `realm=${quote(c.realm)}`,
    `uri=${quote(r.uri)}`,
    `algorithm=${c.algorithm}`,
    `nonce=${quote(c.nonce)}`,
    ...(c.qop ? [`nc=${nc}`, `cnonce=${quote(r.cnonce)}`, `qop=${c.qop}`] : []),
    `response=${quote(response)}`,
    ...(c.opaque !== undefined ? [`opaque=${quote(c.opaque)}`] : []),
    ...(c.userhash ? ['userhash=true'] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}
