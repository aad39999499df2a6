import { yuan } from '../parking/local-time.js';

/**
 * The exact arithmetic under every elevator cost split: weights are integers (the
 * charter's decimals scaled up), products are BigInt, and money is integer fen
 * divided by the largest-remainder method so the parts add up to the whole.
 */

export type ElevatorCostErrorCode =
  | 'all-exempt'
  | 'missing-area'
  | 'no-coefficient'
  | 'subsidy-exceeds-total'
  | 'no-rides'
  | 'already-member'
  | 'bad-input';

/** A split that cannot be computed; the message says what to fix. */
export class ElevatorCostError extends Error {
  override name = 'ElevatorCostError';
  constructor(
    readonly code: ElevatorCostErrorCode,
    message: string,
    readonly clause?: string,
  ) {
    super(message);
  }
}

export interface AllocRow {
  householdId: string;
  floor: number;
  /** Exact integer weight (scaled); 0 takes no share. */
  weight: bigint;
}

export interface Allocation {
  fen: number[];
  /** Whether row i got one of the leftover fen. */
  extra: boolean[];
  /** Row i's exact share is (fen[i] − extra) + remainder[i] / sum fen. */
  remainder: bigint[];
  sum: bigint;
}

/**
 * Largest-remainder (Hamilton) method: every row first gets ⌊amount × w / Σw⌋ fen;
 * the fen left over (fewer than the rows) go one each to the largest remainders.
 * Ties, in order: the larger remainder; then the higher floor (it gains the most
 * from the elevator); then the smaller householdId (plain code-unit order, so the
 * result never depends on a locale). The fen always sum exactly to `amountFen`.
 */
export function largestRemainder(amountFen: number, rows: AllocRow[]): Allocation {
  const sum = rows.reduce((s, r) => s + r.weight, 0n);
  if (sum <= 0n) throw new Error('largestRemainder: no positive weight'); // callers reject this case first
  const amount = BigInt(amountFen);
  const base = rows.map((r) => (amount * r.weight) / sum);
  const remainder = rows.map((r) => (amount * r.weight) % sum);
  let left = Number(amount - base.reduce((s, b) => s + b, 0n));
  const order = rows.map((_, i) => i).sort((a, b) => byRemainderThenFloorThenId(rows, remainder, a, b));
  const extra = rows.map(() => false);
  for (const i of order) {
    if (left === 0) break;
    extra[i] = true;
    left--;
  }
  return { fen: base.map((b, i) => Number(b) + (extra[i] ? 1 : 0)), extra, remainder, sum };
}

function byRemainderThenFloorThenId(rows: AllocRow[], rem: bigint[], a: number, b: number): number {
  if (rem[a]! !== rem[b]!) return rem[a]! > rem[b]! ? -1 : 1;
  if (rows[a]!.floor !== rows[b]!.floor) return rows[b]!.floor - rows[a]!.floor;
  const ia = rows[a]!.householdId;
  const ib = rows[b]!.householdId;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** `x` (a decimal) as an integer count of 1/scale, e.g. 0.7 at 10 000 → 7000n. */
export function scaled(x: number, scale: number): bigint {
  return BigInt(Math.round(x * scale));
}

/** 7000n at 10 000 → "0.7"; 59_640_000n at 1 000 000 → "59.64". No float on the way. */
export function decimal(n: bigint, scale: bigint): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const whole = abs / scale;
  const digits = String(scale).length - 1;
  const frac = String(abs % scale).padStart(digits, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * The readable tail of one share's formula: "= ¥16333.33… → ¥16333.33", or with a
 * leftover fen "= ¥18666.66… → ¥18666.67（最大余数法进1分）", or "= ¥21000" when exact.
 */
export function shareTail(a: Allocation, i: number): string {
  const fen = a.fen[i]!;
  const floorFen = fen - (a.extra[i] ? 1 : 0);
  if (a.remainder[i] === 0n) return `= ${yuan(fen)}`;
  const exact = `= ${yuanFixed(floorFen)}…`;
  return a.extra[i] ? `${exact} → ${yuan(fen)}（最大余数法进1分）` : `${exact} → ${yuan(fen)}`;
}

/** Always two decimals, so a truncated value reads as truncated: ¥21000.00… */
function yuanFixed(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

export const TIE_BREAK_TEXT = '不足1分的余数按最大余数法分配：余数大者先得1分，余数相同时楼层高者先得，再按户号顺序';

export function assertFen(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new ElevatorCostError('bad-input', `${what}须为非负整数（分），收到 ${fen}`);
}

/** Household ids must be unique, floors integers: a split with a household twice would charge it twice. */
export function assertHouseholds(households: { householdId: string; floor: number }[]): void {
  const seen = new Set<string>();
  for (const h of households) {
    if (!Number.isInteger(h.floor)) throw new ElevatorCostError('bad-input', `住户 ${h.householdId} 的楼层须为整数，收到 ${h.floor}`);
    if (seen.has(h.householdId)) throw new ElevatorCostError('bad-input', `住户 ${h.householdId} 出现了两次，请去掉重复`);
    seen.add(h.householdId);
  }
}
