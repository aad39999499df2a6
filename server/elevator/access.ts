import type { ElevatorAccess } from '../charter/elevator-access-schema.js';
import { CHINA_OFFSET_MS, yuan } from '../parking/local-time.js';

/**
 * card.swipe → grant the floors this card may choose, or deny with the reason. Pure.
 * A retrofitted elevator (加装电梯) belongs to the households that paid for it; the
 * charter's elevator section says who else may ride. Checks run in order and the
 * first that decides answers:
 *
 * 1. the card is registered to a household (卡未登记), active (卡已冻结) and carries the
 *    'elevator' purpose (此卡未开通电梯) — `access.clause`;
 * 2. a member (contributed, or bought in later) rides to its own floor and the ground
 *    floors, or to every floor with `memberFloors: 'all'` — `access.clause`;
 * 3. a medical or temporary pass still valid at `atMs` — `passes.clause`. Its `floors`
 *    (or, without them, the household's own floor) plus the ground floors: a pass that
 *    cannot bring its holder back down is no use. `passes.maxDays` is checked when a
 *    pass is issued, not here: a pass in the register is honoured until it ends;
 * 4. pay-per-ride, when the charter offers it, if the balance covers one ride —
 *    `payPerRide.clause`, with `chargeFen` for the caller to take;
 * 5. otherwise deny: an expired pass says so (通行证已过期) rather than a balance the
 *    holder never meant to use; then 余额不足 where pay-per-ride exists; else 非出资住户.
 *
 * Floors are clipped to the elevator's range; there is no floor 0 in Chinese numbering
 * (B1 is -1), so 'all' skips it unless the building's range ends at 0.
 */

export const ELEVATOR_PURPOSE = 'elevator';

export interface RideInput {
  access: ElevatorAccess;
  elevator: { elevatorId: string; lowestFloor: number; highestFloor: number };
  card?: { cardId: string; householdId: string; status: 'active' | 'frozen'; purposes: string[] };
  /** The card's household, with its floor in this building; absent when it does not live here. */
  household?: { id: string; floor: number };
  /** The household contributed to this elevator, or bought in. */
  member: boolean;
  pass?: { kind: 'medical' | 'temporary'; floors?: number[]; validUntilMs: number };
  balanceFen?: number;
  atMs: number;
}

export type RideDecision =
  | { action: 'grant'; floors: number[]; ttlS: number; clause: string; chargeFen?: number; explain: string }
  /** `reason` is for the car's display: at most 16 Chinese characters. */
  | { action: 'deny'; reason: string; clause: string; explain: string };

type Card = NonNullable<RideInput['card']>;
type Rule = (i: RideInput, card: Card) => RideDecision | undefined;

const PASS_ZH = { medical: '医疗通行证', temporary: '临时通行证' } as const;

const deny = (clause: string, reason: string, explain: string): RideDecision => ({ action: 'deny', clause, reason, explain });

function within(i: RideInput, floor: number): boolean {
  return floor >= i.elevator.lowestFloor && floor <= i.elevator.highestFloor;
}

function sorted(floors: number[]): number[] {
  return [...new Set(floors)].sort((a, b) => a - b);
}

function groundAnd(i: RideInput, more: number[]): number[] {
  return sorted([...i.access.groundFloors, ...more].filter((f) => within(i, f)));
}

function ownAndGround(i: RideInput): number[] {
  return groundAnd(i, i.household ? [i.household.floor] : []);
}

function everyFloor(i: RideInput): number[] {
  const { lowestFloor: lo, highestFloor: hi } = i.elevator;
  const all: number[] = [];
  for (let f = lo; f <= hi; f++) if (f !== 0 || lo === 0 || hi === 0) all.push(f);
  return all;
}

function floorsNote(i: RideInput): string {
  const h = i.household;
  if (!h) return '（本户不在此楼，仅首层）';
  return within(i, h.floor) ? '' : `（本户登记在${h.floor}层，超出本梯${i.elevator.lowestFloor}–${i.elevator.highestFloor}层）`;
}

/** A grant, or a deny when nothing is left to choose (the charter's ground floors lie outside this lift's range). */
function grant(i: RideInput, clause: string, floors: number[], explain: string, chargeFen?: number): RideDecision {
  if (floors.length === 0) return deny(clause, '无可选楼层 请联系业委会', `${explain}，但在本梯${i.elevator.lowestFloor}–${i.elevator.highestFloor}层内没有可选楼层`);
  return { action: 'grant', floors, ttlS: i.access.grantTtlS, clause, ...(chargeFen !== undefined && { chargeFen }), explain: `${explain}：可选${floors.join('、')}层` };
}

const member: Rule = (i, card) => {
  if (!i.member) return undefined;
  const c = i.access.clause;
  if (i.access.memberFloors === 'all') return grant(i, c, everyFloor(i), `住户${card.householdId}是本梯出资住户，按公约第${c}条可到所有楼层`);
  return grant(i, c, ownAndGround(i), `住户${card.householdId}是本梯出资住户，按公约第${c}条可到本户楼层和首层${floorsNote(i)}`);
};

const validPass: Rule = (i, card) => {
  const p = i.pass;
  if (!p || p.validUntilMs <= i.atMs) return undefined;
  const c = i.access.passes.clause;
  const floors = p.floors ? groundAnd(i, p.floors) : ownAndGround(i);
  return grant(i, c, floors, `卡${card.cardId}持有${PASS_ZH[p.kind]}（有效至${beijingTime(p.validUntilMs)}），按公约第${c}条乘梯`);
};

const payPerRide: Rule = (i, card) => {
  const p = i.access.payPerRide;
  const balance = i.balanceFen ?? 0;
  if (!p || balance < p.priceFen) return undefined;
  const floors = p.floors === 'any' ? everyFloor(i) : ownAndGround(i);
  return grant(i, p.clause, floors, `住户${card.householdId}未出资加装本梯，按公约第${p.clause}条按次付费${yuan(p.priceFen)}（余额${yuan(balance)}）`, p.priceFen);
};

const expiredPass: Rule = (i, card) => {
  const p = i.pass;
  if (!p) return undefined; // a valid one was granted above
  const c = i.access.passes.clause;
  const pay = i.access.payPerRide ? `，余额${yuan(i.balanceFen ?? 0)}不够按次付费${yuan(i.access.payPerRide.priceFen)}` : '';
  return deny(c, '通行证已过期', `卡${card.cardId}的${PASS_ZH[p.kind]}已于${beijingTime(p.validUntilMs)}到期（公约第${c}条）${pay}，请找业委会续办`);
};

const notMember: Rule = (i, card) => {
  const p = i.access.payPerRide;
  const balance = i.balanceFen ?? 0;
  if (p) return deny(p.clause, `余额不足 ${yuan(balance)}`, `住户${card.householdId}未出资加装本梯，按公约第${p.clause}条每次乘梯${yuan(p.priceFen)}，余额${yuan(balance)}不足，请充值`);
  const c = i.access.clause;
  return deny(c, '非出资住户 请联系业委会', `住户${card.householdId}未出资加装本梯，公约第${c}条只允许出资住户乘梯；补缴分摊费用加入后即可乘梯，请联系业委会`);
};

const RULES: Rule[] = [member, validPass, payPerRide, expiredPass, notMember];

function checkCard(i: RideInput): RideDecision | Card {
  const c = i.access.clause;
  const card = i.card;
  if (!card || !card.householdId) return deny(c, '卡未登记', `这张卡没有登记到任何住户，按公约第${c}条不能乘梯，请到业委会登记`);
  if (card.status === 'frozen') return deny(c, '卡已冻结', `卡${card.cardId}已冻结（如挂失），按公约第${c}条不能乘梯`);
  if (!card.purposes.includes(ELEVATOR_PURPOSE)) return deny(c, '此卡未开通电梯', `卡${card.cardId}没有开通电梯用途，按公约第${c}条不能乘梯`);
  return card;
}

export function decideRide(input: RideInput): RideDecision {
  const checked = checkCard(input);
  if ('action' in checked) return checked;
  for (const rule of RULES) {
    const d = rule(input, checked);
    if (d) return d;
  }
  throw new Error('notMember decides every card');
}

/** '2026-11-21 18:00' in Beijing time, for an explain. */
function beijingTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
