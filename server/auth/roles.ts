import type { Role } from '../store/index.js';

export const ROLES = ['committee', 'volunteer', 'guard', 'resident'] as const satisfies readonly Role[];

/** Role sets routes declare; named for who they serve. */
export const COMMITTEE: Role[] = ['committee'];
export const STAFF: Role[] = ['committee', 'volunteer', 'guard'];
export const MAINTAINERS: Role[] = ['committee', 'volunteer'];
export const OPERATORS: Role[] = ['committee', 'guard'];
export const EVERYONE: Role[] = [...ROLES];

/** Who may see full plates and card ids (guards match plates at the gate; the committee keeps the register). */
export function seesPersonalData(role: Role): boolean {
  return role === 'committee' || role === 'guard';
}
