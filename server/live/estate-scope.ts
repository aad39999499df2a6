import type { Roster } from '../alerts/roster.js';
import type { Store } from '../store/index.js';

/**
 * Which estates a signed-in person's live feed covers: `'every'`, or a set of ids.
 *
 * Accounts are not stored with an estate. A person belongs to an estate by being
 * named in its duty roster (a volunteer, on a shift or a swap, on the committee) or
 * by a resident record of one of its households linked to their account. Someone
 * named nowhere sees every estate: the REST API lets every role read every estate
 * (`estate-guard.ts` only checks that the estate exists), and the first `admin` of
 * an install, who sets the estates up, is named nowhere.
 */
export type EstateScope = 'every' | ReadonlySet<string>;

export type ScopeStore = Pick<Store, 'estates' | 'roster' | 'estateModel'>;

export function estateScope(store: ScopeStore, username: string, boundTo: string | null = null): EstateScope {
  // An account that belongs to an estate (users.estate_id) sees that one, whatever rosters name it in.
  if (boundTo !== null) return new Set([boundTo]);
  const estates = new Set(store.estateModel.residentsOfUser(username).map((r) => r.estateId));
  for (const e of store.estates.listEstates()) if (namedIn(store.roster.roster(e.id), username)) estates.add(e.id);
  return estates.size > 0 ? estates : 'every';
}

export const covers = (scope: EstateScope, estateId: string): boolean => scope === 'every' || scope.has(estateId);

/** A stored roster was validated by `Roster` when the committee saved it; read as such, defaults possibly absent. */
function namedIn(stored: unknown, username: string): boolean {
  const r = stored as Partial<Roster> | undefined;
  if (!r) return false;
  return (
    (r.committee?.includes(username) ?? false) ||
    (r.volunteers?.some((v) => v.username === username) ?? false) ||
    (r.shifts?.some((s) => s.usernames.includes(username)) ?? false) ||
    (r.swaps?.some((s) => s.from === username || s.to === username) ?? false)
  );
}
