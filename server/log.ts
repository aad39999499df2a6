import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Plates, card ids and secrets are personal or secret data: they never reach a
 * log line in full. Paths cover where they appear in our log objects.
 */
const REDACT_PATHS = [
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
  'req.headers.authorization',
  'headers.authorization',
];

const PLATE_KEYS = new Set(['plate', 'cardId']);

/** 鄂A12345 → 鄂A***45: enough for a volunteer to tell reads apart, not enough to identify a car. */
export function maskPlate(plate: string): string {
  if (plate.length <= 4) return '*'.repeat(plate.length);
  return plate.slice(0, 2) + '***' + plate.slice(-2);
}

/** A Chinese plate inside free text (province character, letter, 5–6 more): 鄂A12345, 鄂AD12345. */
const PLATE_IN_TEXT = /[\u4e00-\u9fa5][A-Z][A-Z0-9·]{4,6}[A-Z0-9\u4e00-\u9fa5]?/g;

/** Masks plates in text that is not (or not valid) JSON, e.g. a rejected payload's excerpt. */
export function maskPlatesInText(text: string): string {
  return text.replace(PLATE_IN_TEXT, (p) => maskPlate(p));
}

/** Card ids: keep the last 3 characters. */
export function maskCard(cardId: string): string {
  return cardId.length <= 3 ? '***' : '***' + cardId.slice(-3);
}

/** Deep copy of a payload with plates and card ids masked; used for logs and public views. */
export function maskPersonal<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskPersonal) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (PLATE_KEYS.has(k) && typeof v === 'string') out[k] = k === 'plate' ? maskPlate(v) : maskCard(v);
      else if (k === 'plates' && Array.isArray(v)) out[k] = v.map((p) => (typeof p === 'string' ? maskPlate(p) : p));
      else out[k] = maskPersonal(v);
    }
    return out as T;
  }
  return value;
}

export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'linli' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        // Plates and card ids are masked wherever they sit in a log object. Logging is
        // off the per-message path, so the copy costs nothing that matters.
        log: (obj) => maskPersonal(obj),
      },
    },
    opts.destination,
  );
}
