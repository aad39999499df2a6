import type { Rng } from './random.js';

/** Letters on Chinese plates: I and O are never used (they read as 1 and 0). */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';

export type PlateColor = 'blue' | 'yellow' | 'green' | 'white' | 'black' | 'unknown';

/** 鄂A·12345 style: province, city letter, five of letters and digits (mostly digits). */
export function ordinaryPlate(rng: Rng, prefix = '鄂A'): string {
  let tail = '';
  const letters = rng.chance(0.4) ? rng.int(1, 2) : 0;
  for (let i = 0; i < 5; i++) tail += i < letters ? rng.pick([...LETTERS]) : rng.pick([...DIGITS]);
  return prefix + shuffleKeepFirst(rng, tail);
}

/** New-energy (green) plates: D for pure electric, F for plug-in hybrid, then five digits. */
export function newEnergyPlate(rng: Rng, prefix = '鄂A'): string {
  let digits = '';
  for (let i = 0; i < 5; i++) digits += rng.pick([...DIGITS]);
  return `${prefix}${rng.chance(0.8) ? 'D' : 'F'}${digits}`;
}

/** A resident's or visitor's car: about a third of new cars in Wuhan are new-energy. */
export function randomPlate(rng: Rng, prefix = '鄂A'): string {
  return rng.chance(0.3) ? newEnergyPlate(rng, prefix) : ordinaryPlate(rng, prefix);
}

/** Visitors are mostly local; some come from the neighbouring provinces. */
export function visitorPrefix(rng: Rng): string {
  if (rng.chance(0.75)) return rng.pick(['鄂A', '鄂A', '鄂A', '鄂K', '鄂F']);
  return rng.pick(['湘A', '豫A', '赣A', '皖A', '渝A']);
}

/** A police car's plate (white, ending in 警): the charter's emergency class lets it in whatever the register says. */
export function policePlate(rng: Rng, prefix = '鄂A'): string {
  let digits = '';
  for (let i = 0; i < 4; i++) digits += rng.pick([...DIGITS]);
  return `${prefix}${digits}警`;
}

export function plateColor(plate: string, large = false): PlateColor {
  if (plate === '') return 'unknown';
  if (plate.endsWith('警') || plate.endsWith('应急')) return 'white';
  if (plate.length === 8) return 'green';
  return large ? 'yellow' : 'blue';
}

/**
 * A plausible misread: one character swapped for a look-alike (8↔B, 0↔D, 2↔Z, 5↔S),
 * or a 1 read as I, which no plate has (the server then cannot take it for a plate).
 */
export function misread(rng: Rng, plate: string): string {
  const lookAlike: Record<string, string> = { '8': 'B', B: '8', '0': 'D', D: '0', '2': 'Z', Z: '2', '5': 'S', S: '5', '1': 'I' };
  const chars = [...plate];
  const spots = chars.map((c, i) => (i >= 2 && lookAlike[c] ? i : -1)).filter((i) => i >= 0);
  if (spots.length === 0) return plate;
  const at = rng.pick(spots);
  chars[at] = lookAlike[chars[at]!]!;
  return chars.join('');
}

function shuffleKeepFirst(rng: Rng, s: string): string {
  // Letters sit anywhere in the tail, but keep a digit-heavy look.
  const chars = [...s];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
