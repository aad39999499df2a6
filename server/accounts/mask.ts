import { maskCard, maskPlate } from '../privacy/patterns.js';
import type { IncomeFact } from './types.js';

/**
 * 王小芳 → 王*芳, 王芳 → 王*, 欧阳小芳 → 欧**芳: the notice board shows who paid
 * without naming anyone a passer-by could look up. The room number beside it is
 * what neighbours recognise.
 */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const chars = [...name.trim()]; // by code point: a rare character outside the BMP is one character
  if (chars.length <= 1) return chars.length ? '*' : null;
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars.at(-1);
}

/** What a statement line says about a fee: a masked plate or card, never the full one; an elevator by its name. */
export function publicRef(f: IncomeFact): string {
  switch (f.source) {
    case 'parking':
      return maskPlate(f.plate);
    case 'charging':
      return f.cardId ? maskCard(f.cardId) : (f.sessionId ?? '');
    case 'ride':
      return f.elevator;
    case 'plan':
      return f.planId ?? '';
  }
}
