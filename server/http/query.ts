import { z } from 'zod';
import { HouseholdId } from '../estate/model.js';
import { normalizePlate } from '../parking/plates.js';

/*
 * Query filters in one shape, so odd input is a 400 naming the field
 * (`querystring.plate: …`) before it reaches a normaliser or the SQL.
 * An empty filter (`?plate=`) is refused rather than read as "everything":
 * a client that meant no filter leaves it out, as the dashboard does.
 */

const EMPTY = 'empty: leave the filter out to list everything';

/** A free-text filter: at least one character, at most `max`. */
export const TextFilter = (max: number) => z.string().min(1, EMPTY).max(max);

/** What is left of a plate once normalised: digits, capitals and CJK, as every stored plate is. */
const PLATE_CHARS = /^[0-9A-Z\u3400-\u9fff]+$/;

/**
 * A plate, or a part of one for a `contains` search, in any form people type
 * (`鄂a·12345`, full-width): normalised here, so the handler and the SQL get
 * `鄂A12345`. Separators alone (`_`, `-`, `·`) normalise to nothing and are refused.
 */
export const PlateFilter = z
  .string()
  .max(24)
  .transform((s) => normalizePlate(s))
  .pipe(z.string().min(1, `${EMPTY} (separators alone are not a plate)`).regex(PLATE_CHARS, 'a plate or part of one: a province character, letters and digits, e.g. 鄂A12345 or A123'));

/** A household id (`3-2-501`) in a filter. */
export const HouseholdFilter = HouseholdId;
