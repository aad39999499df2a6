import type { Role } from '../store/index.js';

export const ROLES = ['committee', 'volunteer', 'guard', 'resident'] as const satisfies readonly Role[];

/** Role sets routes declare; named for who they serve. */
export const COMMITTEE: Role[] = ['committee'];
export const STAFF: Role[] = ['committee', 'volunteer', 'guard'];
export const MAINTAINERS: Role[] = ['committee', 'volunteer'];
export const OPERATORS: Role[] = ['committee', 'guard'];
export const EVERYONE: Role[] = [...ROLES];

/**
 * Who sees plates, card ids, residents' phones and names in full: the committee,
 * which keeps the register. Everyone else gets them masked in every answer and
 * live message (server/privacy/): a guard has the car in front of them and the
 * camera's picture, and 鄂A***45 tells reads apart; a resident sees their own
 * household's data in full, nothing of others.
 */
export function seesPersonalData(role: Role): boolean {
  return role === 'committee';
}

/**
 * Who may look a car or a card up by its plate or card id (`?plate=`, `?cardId=`,
 * `…/vehicles/:plate`, `…/cards/:cardId`): the committee, and the guard asking
 * "did this car come in?". The answer itself is still masked for the guard, and
 * the read is audited. A volunteer may not: the answer alone would say whether a
 * car or a card is registered here. Enforced for every route at once by
 * server/http/privacy.ts.
 */
export const LOOKS_UP_BY_PLATE: Role[] = ['committee', 'guard'];
