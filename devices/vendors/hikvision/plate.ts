import type { z } from 'zod';
import type { PlateColor } from '../../camera/schemas.js';
import { rejectHik, type HikRejection } from './reasons.js';

/**
 * The plate text and colour of an ISAPI ANPR result. The Chinese schema of
 * `EventNotificationAlert` says of `licensePlate`: `noPlate` = a car without a
 * plate was seen, `unknown` = the plate was not read, and a Chinese plate comes
 * with its colour in front ("蓝浙AX2P12"); the Device Network SDK's `sLicense`
 * does the same and writes "无车牌" when there is none. The contract wants the
 * plate as read, without the colour, and "" when there is none.
 */

export type Color = z.infer<typeof PlateColor>;

export type PlateStatus = 'read' | 'no-plate' | 'unrecognised';

export interface CleanPlate {
  plate: string;
  status: PlateStatus;
  /** The colour word the camera put in front of the plate, if any. */
  prefixColor?: Color;
  prefixNewEnergy?: boolean;
}

/** Longest first: 黄绿 must not be read as 黄 followed by a plate starting 绿. */
const COLOR_PREFIXES: [string, Color, boolean][] = [
  ['渐变绿', 'green', true],
  ['黄绿', 'green', true],
  ['蓝', 'blue', false],
  ['黄', 'yellow', false],
  ['白', 'white', false],
  ['黑', 'black', false],
  ['绿', 'green', false],
];
/** A Chinese plate starts with its province (or 使/领/学/警…) character, or WJ for the armed police. */
const PLATE_START = /^(?:[\u4e00-\u9fff]|WJ)/;
const MAX_PLATE_CHARS = 10;

export function cleanPlate(raw: string, field: string): CleanPlate | HikRejection {
  let s = raw.trim();
  if (s.includes('加密')) return rejectHik('schema', field, 'the camera encrypts plates ("加密"); switch plate encryption off on the camera');
  let prefixColor: Color | undefined;
  let prefixNewEnergy: boolean | undefined;
  for (const [word, color, newEnergy] of COLOR_PREFIXES) {
    // 黑A12345 is a Heilongjiang plate, not a black one: strip only when a plate start follows.
    if (s.startsWith(word) && PLATE_START.test(s.slice(word.length))) {
      s = s.slice(word.length);
      prefixColor = color;
      prefixNewEnergy = newEnergy;
      break;
    }
  }
  const marker = s.toLowerCase();
  const status: PlateStatus | undefined =
    s === '' || marker === 'noplate' || s.startsWith('无') ? 'no-plate' : marker === 'unknown' ? 'unrecognised' : undefined;
  if (status) return { plate: '', status };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f<>"]/.test(s)) return rejectHik('schema', field, 'control characters or markup in the plate');
  if ([...s].length > MAX_PLATE_CHARS) return rejectHik('schema', field, `"${s.slice(0, 16)}" is longer than a plate (${MAX_PLATE_CHARS} characters)`);
  return { plate: s, status: 'read', ...(prefixColor ? { prefixColor, prefixNewEnergy } : {}) };
}

/**
 * `plateColor` (schema enum: black, blue, golden, orange, red, yellow, white,
 * unknown, other, newEnergyYellowGreen, civilAviationBlack, civilAviationGreen,
 * green, mixedColor, newEnergyGreen, brown) → the contract's six colours.
 * Yellow-green (large new-energy vehicles) has no contract colour: green, and
 * `newEnergy` says the rest, as the 臻识 codec does for its colour 6.
 */
const COLORS: Record<string, [Color, boolean]> = {
  blue: ['blue', false],
  yellow: ['yellow', false],
  white: ['white', false],
  black: ['black', false],
  green: ['green', false],
  newenergygreen: ['green', true],
  newenergyyellowgreen: ['green', true],
  civilaviationblack: ['black', false],
  civilaviationgreen: ['green', false],
  golden: ['unknown', false],
  orange: ['unknown', false],
  red: ['unknown', false],
  brown: ['unknown', false],
  mixedcolor: ['unknown', false],
  other: ['unknown', false],
  unknown: ['unknown', false],
};

export function mapColor(plateColor: string | undefined, clean: CleanPlate, warnings: string[]): { color: Color; newEnergy: boolean } {
  const known = plateColor === undefined ? undefined : COLORS[plateColor.toLowerCase()];
  if (plateColor !== undefined && !known) warnings.push(`plateColor "${plateColor.slice(0, 32)}" is not in the ISAPI enum: unknown`);
  const [color, newEnergy] = known ?? ['unknown', false];
  // The colour word in front of the plate is the camera's own reading too: it fills in an absent or unknown plateColor.
  if (color === 'unknown' && clean.prefixColor) return { color: clean.prefixColor, newEnergy: newEnergy || !!clean.prefixNewEnergy };
  if (clean.prefixColor && clean.prefixColor !== color) warnings.push(`plateColor ${plateColor} and the plate's colour word (${clean.prefixColor}) disagree; plateColor is used`);
  return { color, newEnergy: newEnergy || !!clean.prefixNewEnergy };
}
