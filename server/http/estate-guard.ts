import type { Estate, Store } from '../store/index.js';
import { notFound } from './errors.js';

/** The estate a route is about, or a 404 that names it. */
export function requireEstate(store: Pick<Store, 'estates'>, estateId: string): Estate {
  const e = store.estates.getEstate(estateId);
  if (!e) throw notFound(`estate ${estateId}`);
  return e;
}
