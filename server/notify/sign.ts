import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot, 安全设置 → 加签 (open.dingtalk.com/document/group/custom-robot-access):
 * string to sign = timestamp (ms) + "\n" + secret; HmacSHA256 keyed with the secret,
 * Base64, then URL-encoded (UTF-8). DingTalk refuses a timestamp more than 1 hour off.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(mac);
}

/** The webhook URL with `&timestamp=…&sign=…` appended, as DingTalk expects them. */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sep = url.includes('?') ? '&' : '?';
  return `${url}${sep}timestamp=${timestampMs}&sign=${dingtalkSign(secret, timestampMs)}`;
}

export const SIGNATURE_HEADER = 'X-Linli-Signature';
/** Milliseconds since the epoch, like DingTalk's timestamp. */
export const TIMESTAMP_HEADER = 'X-Linli-Timestamp';

/**
 * Plain JSON: `sha256=` + hex HMAC-SHA256, keyed with the channel secret, of
 * `<timestamp>.<exact bytes of the body>` — the timestamp is the
 * X-Linli-Timestamp header, so a receiver that refuses old timestamps (say,
 * more than 5 minutes off) also refuses a captured request played again.
 */
export function jsonSignature(secret: string, timestampMs: number, rawBody: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestampMs}.${rawBody}`, 'utf8').digest('hex');
}

/** Path segments that look like tokens (hooks with the key in the path). */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

/**
 * A webhook URL is a credential (anyone holding a WeCom `key` can post to the
 * group). For logs and errors: every query value and token-like path segment
 * becomes `***`; the host and parameter names stay so a person can tell channels apart.
 */
export function maskUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '[invalid url]';
  }
  u.username = '';
  u.password = '';
  u.pathname = u.pathname
    .split('/')
    .map((s) => (TOKEN_SEGMENT.test(s) ? '***' : s))
    .join('/');
  for (const k of new Set(u.searchParams.keys())) u.searchParams.set(k, '***');
  u.hash = '';
  return u.toString();
}

/** Replaces each URL (and anything else secret) inside free text, e.g. an error message. */
export function scrub(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(s.startsWith('http') ? maskUrl(s) : '***');
  return out;
}
