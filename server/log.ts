import { pino, type Logger, type DestinationStream } from 'pino';
import { maskDeep, NO_DICTIONARY } from './privacy/masker.js';

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

/** The primitives live with the masker; these names are what the rest of the code imports. */
export { maskCard, maskPhone, maskPlate, maskPatternsInText } from './privacy/patterns.js';

/**
 * Deep copy of a log object (or any value) with plates, mobile numbers and card
 * ids masked wherever they sit: plate-shaped text anywhere, card-ish and
 * plate-ish keys. Log lines know no estate, so registered values are masked by
 * their shape only; answers to people go through server/privacy/masker.ts with
 * the estate's register as well.
 */
export function maskPersonal<T>(value: T): T {
  return maskDeep(value, NO_DICTIONARY);
}

export function createLogger(opts: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { app: 'linli' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: {
        // Plates, phones and card ids are masked wherever they sit in a log object. Logging is
        // off the per-message path, so the copy costs nothing that matters.
        log: (obj) => maskPersonal(obj),
      },
    },
    opts.destination,
  );
}
