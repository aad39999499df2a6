/**
 * Match a camera's plate read against the plates registered in this estate.
 * Only registered plates are ever returned: an estate gate has no use for "the
 * nearest plate in China", only for "which of our cars is this".
 *
 * Score = similarity × (0.5 + 0.5 × confidence), rounded to 3 decimals, where
 *   similarity = max(0, 1 − d / 2) and d is a weighted edit distance (below).
 * So d = 0.2 (one known OCR confusion) is 0.9 and d = 1 (one arbitrary wrong
 * character) is 0.5: one unexplained character never opens at any sane
 * threshold, two confusions sit at 0.8. The camera's confidence can at most halve
 * the score: it is poorly calibrated across brands (many always say 0.9+), so it
 * tips borderline reads to the guard rather than deciding on its own.
 */
import { normalizePlate } from './plates.js';

export type Substitution = { at: number; read: string; registered: string };
export type PlateCandidate = { plate: string; score: number };
export type PlateMatch =
  | { kind: 'exact'; plate: string }
  | { kind: 'fuzzy'; plate: string; score: number; substitutions: Substitution[] }
  | { kind: 'none'; candidates: PlateCandidate[] };
export type MatchOptions = { threshold: number };

/** Characters LPR engines swap for each other. Serial groups are shapes that differ by a
 * corner or a stroke in the plate font: round 0 D Q (plus O, which cameras emit although
 * plates never use it), 8/B, 1/I, 2/Z, 5/S. Province pairs look near-identical at plate
 * resolution: 京/亰 (a variant glyph), 沪/泸 and 闽/闵 (one stroke apart), 冀/翼 and 晋/普
 * (same outline), 鄂/粤 (same top-heavy block; both real provinces, so keep it cheap but
 * not free). Kept short on purpose: every pair added makes two real plates closer. */
const CONFUSION_GROUPS: readonly string[] = ['0DQO', '8B', '1I', '2Z', '5S', '京亰', '沪泸', '闽闵', '冀翼', '晋普', '鄂粤'];
/** CANON[code] = one representative code per confusion group, identity elsewhere: one
 * typed-array read instead of a Map lookup in the DP's inner loop. */
const CANON = new Uint16Array(0x10000).map((_, i) => i);
for (const group of CONFUSION_GROUPS) for (const c of group) CANON[c.charCodeAt(0)] = group.charCodeAt(0);

export const COST = {
  confusion: 0.2,
  /** Two different province characters not in a look-alike pair: OCR gets the Chinese
   * character wrong far more often than the Latin serial, and the serial is what tells
   * cars apart inside one estate, so it is cheaper than a serial substitution. */
  province: 0.6,
  substitution: 1,
  /** A missed or extra character. */
  gap: 0.6,
  /** The read lost a character of an 8-character (new-energy) registered plate: many
   * cameras still run 7-character models and drop one, so this is the expected miss. */
  newEnergyMiss: 0.3,
} as const;
/** Distance at which similarity reaches 0: two arbitrary characters wrong is a different car. */
const ZERO_AT = 2;
/** Two registered plates scoring this close are a coin toss: let the guard pick. */
const AMBIGUITY_MARGIN = 0.05;
const TOP = 3;

function substitutionCost(a: number, b: number, atProvince: boolean): number {
  if (a === b) return 0;
  if (CANON[a] === CANON[b]) return COST.confusion;
  if (atProvince && a >= 0x3400 && b >= 0x3400) return COST.province;
  return COST.substitution;
}

/** Cost of the read skipping registered[j] (reg.length is the registered plate's length). */
function missCost(readLen: number, regLen: number): number {
  return regLen === 8 && readLen === 7 ? COST.newEnergyMiss : COST.gap;
}

// Two reusable DP rows (grown if a longer plate comes along); JS is single-threaded.
let prevRow = new Float64Array(16);
let curRow = new Float64Array(16);

/**
 * Weighted edit distance from read to reg, or Infinity as soon as it must exceed
 * `cutoff` (every path through a row costs at least that row's minimum).
 */
export function plateDistance(read: string, reg: string, cutoff = Infinity): number {
  const n = read.length;
  const m = reg.length;
  if (Math.abs(n - m) > 1) return Infinity;
  if (m + 1 > prevRow.length) [prevRow, curRow] = [new Float64Array(m + 1), new Float64Array(m + 1)];
  const miss = missCost(n, m);
  prevRow[0] = 0;
  for (let j = 1; j <= m; j++) prevRow[j] = (prevRow[j - 1] ?? 0) + miss;
  for (let i = 1; i <= n; i++) {
    curRow[0] = (prevRow[0] ?? 0) + COST.gap;
    let rowMin = curRow[0] ?? 0;
    const a = read.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const sub = (prevRow[j - 1] ?? 0) + substitutionCost(a, reg.charCodeAt(j - 1), i === 1 && j === 1);
      const extra = (prevRow[j] ?? 0) + COST.gap;
      const skipped = (curRow[j - 1] ?? 0) + miss;
      const v = Math.min(sub, extra, skipped);
      curRow[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cutoff) return Infinity;
    [prevRow, curRow] = [curRow, prevRow];
  }
  const d = prevRow[m] ?? Infinity;
  return d > cutoff ? Infinity : d;
}

function similarityOf(distance: number): number {
  return Math.max(0, 1 - distance / ZERO_AT);
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Similarity 0..1 of a read to a candidate plate, without the camera's confidence;
 * used to rank candidates (e.g. the guard's "unmatched exit" queue). Not symmetric
 * on purpose: a read missing a new-energy character is cheaper than one inventing it.
 */
export function plateSimilarity(read: string, candidate: string): number {
  const a = normalizePlate(read);
  const b = normalizePlate(candidate);
  if (a === '' || b === '') return 0;
  return round3(similarityOf(plateDistance(a, b, ZERO_AT)));
}

/**
 * Cheap lower bound on plateDistance, to skip most of an estate without the DP.
 * Compare the two plates as bags of confusion groups: every character of one with
 * no partner in the other needs a gap (≥ 0.3) or half a non-confusion substitution
 * (≥ 0.6 / 2), whatever the alignment. BAG holds the read's counts during a rank().
 */
const BAG = new Int16Array(0x10000);
const PER_UNPAIRED = Math.min(COST.newEnergyMiss, COST.gap, COST.province / 2, COST.substitution / 2);
/** Longer reads cannot be plates (the longest, 应急, is 9) and could overflow BAG's counts. */
const MAX_READ = 16;

function fillBag(plate: string, delta: 1 | -1): void {
  for (let k = 0; k < plate.length; k++) {
    const c = CANON[plate.charCodeAt(k)] ?? 0;
    BAG[c] = (BAG[c] ?? 0) + delta;
  }
}

function bagLowerBound(read: string, reg: string): number {
  let paired = 0;
  for (let k = 0; k < reg.length; k++) {
    const c = CANON[reg.charCodeAt(k)] ?? 0;
    if ((BAG[c] ?? 0) > 0) paired++;
    BAG[c] = (BAG[c] ?? 0) - 1;
  }
  fillBag(reg, 1);
  return PER_UNPAIRED * (read.length + reg.length - 2 * paired);
}

type Ranked = { plate: string; distance: number };

/** Keep the TOP nearest plates, nearest first; on a tie the plate seen first stays ahead. */
function insertRanked(top: Ranked[], entry: Ranked): void {
  if (top.some((t) => t.plate === entry.plate)) return;
  let i = top.length;
  while (i > 0 && (top[i - 1]?.distance ?? 0) > entry.distance) i--;
  if (i >= TOP) return;
  top.splice(i, 0, entry);
  if (top.length > TOP) top.pop();
}

/** One pass over the registered plates; an exact hit short-circuits. */
function rank(read: string, registered: Iterable<string>): { exact?: string; top: Ranked[] } {
  fillBag(read, 1);
  try {
    const top: Ranked[] = [];
    for (const raw of registered) {
      const reg = normalizePlate(raw);
      if (Math.abs(reg.length - read.length) > 1) continue;
      if (reg === read) return { exact: reg, top };
      // Anything at or beyond ZERO_AT scores 0, and once the list is full a newcomer
      // must beat the worst kept (ties keep the earlier plate).
      const cutoff = top.length === TOP ? Math.min(top[TOP - 1]?.distance ?? ZERO_AT, ZERO_AT) : ZERO_AT;
      if (bagLowerBound(read, reg) >= cutoff) continue;
      const d = plateDistance(read, reg, cutoff);
      if (d < cutoff) insertRanked(top, { plate: reg, distance: d });
    }
    return { top };
  } finally {
    fillBag(read, -1);
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/**
 * Match a read against the estate's registered plates. An exact hit is 'exact'
 * whatever the confidence: a misread landing exactly on another registered plate is
 * far rarer than a low-confidence correct read. Otherwise the best plate is 'fuzzy'
 * if its score reaches `threshold` and no other plate is within AMBIGUITY_MARGIN of it;
 * else 'none' with up to 3 candidates (score > 0, best first) for the guard.
 */
export function matchPlate(
  read: string,
  confidence: number,
  registered: Iterable<string> | ReadonlySet<string>,
  opts: MatchOptions,
): PlateMatch {
  const plate = normalizePlate(read);
  if (plate === '' || plate.length > MAX_READ) return { kind: 'none', candidates: [] };
  if ('has' in registered && typeof registered.has === 'function' && registered.has(plate)) {
    return { kind: 'exact', plate };
  }
  const { exact, top } = rank(plate, registered);
  if (exact !== undefined) return { kind: 'exact', plate: exact };
  const weight = 0.5 + 0.5 * clamp01(confidence);
  const candidates = top.map((t) => ({ plate: t.plate, score: round3(similarityOf(t.distance) * weight) }));
  const [best, second] = candidates;
  const threshold = clamp01(opts.threshold);
  const clear = second === undefined || (best?.score ?? 0) - second.score >= AMBIGUITY_MARGIN;
  if (best && best.score > 0 && best.score >= threshold && clear) {
    return { kind: 'fuzzy', plate: best.plate, score: best.score, substitutions: explain(plate, best.plate) };
  }
  return { kind: 'none', candidates: candidates.filter((c) => c.score > 0) };
}

/**
 * The edits that turn `read` into `reg` along a cheapest path, for the guard's
 * screen and the audit log. `at` is the index in the registered plate; a missed
 * character has read '', an extra one has registered ''.
 */
export function explain(read: string, reg: string): Substitution[] {
  const n = read.length;
  const m = reg.length;
  const miss = missCost(n, m);
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) continue;
      const sub = i > 0 && j > 0 ? at(i - 1, j - 1) + subCostAt(read, reg, i, j) : Infinity;
      const extra = i > 0 ? at(i - 1, j) + COST.gap : Infinity;
      const skipped = j > 0 ? at(i, j - 1) + miss : Infinity;
      (d[i] as number[])[j] = Math.min(sub, extra, skipped);
    }
  }
  return backtrack(read, reg, at, miss);
}

function subCostAt(read: string, reg: string, i: number, j: number): number {
  return substitutionCost(read.charCodeAt(i - 1), reg.charCodeAt(j - 1), i === 1 && j === 1);
}

function backtrack(read: string, reg: string, at: (i: number, j: number) => number, miss: number): Substitution[] {
  const out: Substitution[] = [];
  let i = read.length;
  let j = reg.length;
  const near = (x: number, y: number): boolean => Math.abs(x - y) < 1e-9;
  while (i > 0 || j > 0) {
    const here = at(i, j);
    if (i > 0 && j > 0 && near(here, at(i - 1, j - 1) + subCostAt(read, reg, i, j))) {
      if (read[i - 1] !== reg[j - 1]) out.push({ at: j - 1, read: read[i - 1] ?? '', registered: reg[j - 1] ?? '' });
      i--;
      j--;
    } else if (j > 0 && near(here, at(i, j - 1) + miss)) {
      out.push({ at: j - 1, read: '', registered: reg[j - 1] ?? '' });
      j--;
    } else {
      out.push({ at: j, read: read[i - 1] ?? '', registered: '' });
      i--;
    }
  }
  return out.reverse();
}
