import type { VendorReason, VendorRejection } from '../result.js';

/**
 * Reasons of this codec: the shared ones, and what only XML, multipart and an
 * HTTP challenge can get wrong. The gateway's dead-letter seam takes any string.
 */
export type HikReason =
  | VendorReason
  /** Not well-formed XML, an undefined entity, or not one root element. */
  | 'not-xml'
  /** A DOCTYPE or an entity declaration: what a billion-laughs or external-entity attack needs; ISAPI never sends one. */
  | 'xml-dtd'
  /** Nested too deep, too many elements, or one tag too long: refused before the parser sees it. */
  | 'xml-limit'
  /** A multipart body without its boundary, or whose parts cannot be told apart. */
  | 'bad-multipart'
  /** A `WWW-Authenticate` header we cannot answer (no Digest, no nonce, qop without auth, an unknown algorithm). */
  | 'bad-challenge';

export interface HikRejection extends Omit<VendorRejection, 'reason'> {
  reason: HikReason;
}

export function rejectHik(reason: HikReason, field: string, message: string): HikRejection {
  return { ok: false, reason, field, message: `${field || 'payload'}: ${message}` };
}

export function isHikRejection(value: unknown): value is HikRejection {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;
}
