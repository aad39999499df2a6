import type { ChargingSection } from '../charter/charging-schema.js';
import { endOfLocalDate, yuan } from '../parking/local-time.js';
import type { CardCheck, ChargingAccount, ChargingCard } from './types.js';

/**
 * May this card charge, and who pays? Pure. Checks run in this order and the
 * first failure answers, citing `access.clause` (a valid plan cites its own clause):
 *
 * 1. the card is registered to a household (卡未登记);
 * 2. it is active, not frozen — a lost card is frozen (卡已冻结);
 * 3. it carries the 'charger' purpose (未开通充电);
 * 4. payment, by `access.payment`:
 *    - 'plan': the household's plan is valid at `atMs` (套餐已过期 / 无有效套餐);
 *    - 'balance': balance ≥ `minBalanceFen` (余额不足);
 *    - 'balance-or-plan': a valid plan is used first, else the balance as above.
 * A plan bought under an earlier charter version (its id no longer offered) is
 * still honoured until it runs out: the household paid for it.
 */

export const CHARGER_PURPOSE = 'charger';

export interface CardCheckInput {
  card?: ChargingCard;
  account?: ChargingAccount;
  charging: ChargingSection;
  atMs: number;
}

type PlanState = { state: 'none' } | { state: 'valid' | 'expired'; id: string; until: string; clause?: string; name?: string };

/** A date-only `validUntil` (2026-12-31) covers that whole Beijing day. */
function planEndMs(validUntil: string): number {
  return /^\d{4}-\d\d-\d\d$/.test(validUntil) ? endOfLocalDate(validUntil) : Date.parse(validUntil);
}

function planState(input: CardCheckInput): PlanState {
  const plan = input.account?.plan;
  if (!plan) return { state: 'none' };
  const offered = input.charging.access.plans.find((p) => p.id === plan.id);
  const until = plan.validUntil.slice(0, 16).replace('T', ' ');
  const state = input.atMs < planEndMs(plan.validUntil) ? 'valid' : 'expired';
  return { state, id: plan.id, until, clause: offered?.clause, name: offered?.name };
}

function refuse(clause: string, reason: string, explain: string): CardCheck {
  return { ok: false, clause, reason, explain };
}

function checkRegistration(input: CardCheckInput): CardCheck | undefined {
  const clause = input.charging.access.clause;
  const c = input.card;
  if (!c || !c.householdId) return refuse(clause, '卡未登记', `这张卡没有登记到任何住户，按公约第${clause}条不能充电，请到物业/业委会登记`);
  if (c.status === 'frozen') return refuse(clause, '卡已冻结', `卡${c.cardId}已冻结（如挂失），按公约第${clause}条不能充电`);
  if (!c.purposes.includes(CHARGER_PURPOSE)) return refuse(clause, '此卡未开通充电', `卡${c.cardId}没有开通充电用途，按公约第${clause}条不能充电`);
  return undefined;
}

function byPlan(input: CardCheckInput, plan: PlanState): CardCheck {
  const a = input.charging.access;
  if (plan.state === 'valid') {
    const clause = plan.clause ?? a.clause;
    return { ok: true, clause, payment: 'plan', explain: `住户${input.card!.householdId}的充电套餐${plan.name ?? plan.id}有效至${plan.until}，按公约第${clause}条充电` };
  }
  if (plan.state === 'expired') return refuse(a.clause, '套餐已过期', `住户${input.card!.householdId}的充电套餐已于${plan.until}到期，按公约第${a.clause}条续费后才能充电`);
  return refuse(a.clause, '无有效套餐', `住户${input.card!.householdId}没有充电套餐，按公约第${a.clause}条须购买套餐后充电`);
}

function byBalance(input: CardCheckInput, plan: PlanState): CardCheck {
  const a = input.charging.access;
  const balance = input.account?.balanceFen ?? 0;
  const hh = input.card!.householdId;
  if (balance >= a.minBalanceFen) {
    return { ok: true, clause: a.clause, payment: 'balance', explain: `住户${hh}余额${yuan(balance)}，按公约第${a.clause}条从余额按次扣费` };
  }
  const planNote = plan.state === 'expired' ? `，充电套餐已于${plan.until}到期` : '';
  return refuse(a.clause, `余额不足 ${yuan(balance)}`, `住户${hh}余额${yuan(balance)}，低于公约第${a.clause}条要求的${yuan(a.minBalanceFen)}${planNote}，请充值后再充电`);
}

export function checkCard(input: CardCheckInput): CardCheck {
  const refused = checkRegistration(input);
  if (refused) return refused;
  const plan = planState(input);
  switch (input.charging.access.payment) {
    case 'plan':
      return byPlan(input, plan);
    case 'balance':
      return byBalance(input, { state: 'none' });
    case 'balance-or-plan':
      return plan.state === 'valid' ? byPlan(input, plan) : byBalance(input, plan);
  }
}
