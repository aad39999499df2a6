import { describe, it, expect } from 'vitest';
import { checkCard } from '../../server/charging/card-check.js';
import type { ChargingAccount, ChargingCard } from '../../server/charging/types.js';
import { aChargingSection, beijing } from '../support/charging.js';

const card = (edit: Partial<ChargingCard> = {}): ChargingCard => ({ cardId: 'C001', householdId: '3-2-501', status: 'active', purposes: ['charger', 'elevator'], ...edit });
const balance = (fen: number, plan?: ChargingAccount['plan']): ChargingAccount => ({ balanceFen: fen, ...(plan && { plan }) });
const AT = beijing('D5 20:00'); // 2025-03-05 20:00
const VALID = { id: 'monthly', validUntil: '2025-03-31' };
const EXPIRED = { id: 'monthly', validUntil: '2025-03-04' };

const balanceOnly = aChargingSection((c) => (c.access.payment = 'balance'));
const planOnly = aChargingSection((c) => (c.access.payment = 'plan'));
const either = aChargingSection(); // 'balance-or-plan', min ¥1

type Expected = { ok: true; clause: string; payment: 'balance' | 'plan' } | { ok: false; clause: string; reason: string };
type Row = [name: string, c: ChargingCard | undefined, a: ChargingAccount | undefined, charging: typeof either, expected: Expected, explainHas?: string];

// prettier-ignore
const ROWS: Row[] = [
  ['unregistered card', undefined, balance(5000), either, { ok: false, clause: '5.1', reason: '卡未登记' }, '没有登记'],
  ['card with no household', card({ householdId: '' }), balance(5000), either, { ok: false, clause: '5.1', reason: '卡未登记' }],
  ['frozen card, balance or not', card({ status: 'frozen' }), balance(5000), either, { ok: false, clause: '5.1', reason: '卡已冻结' }, '冻结'],
  ['card for the elevator only', card({ purposes: ['elevator'] }), balance(5000), either, { ok: false, clause: '5.1', reason: '此卡未开通充电' }],
  ['no account at all', card(), undefined, balanceOnly, { ok: false, clause: '5.1', reason: '余额不足 ¥0' }],
  ['balance below the minimum', card(), balance(50), balanceOnly, { ok: false, clause: '5.1', reason: '余额不足 ¥0.50' }, '¥1'],
  ['balance exactly the minimum', card(), balance(100), balanceOnly, { ok: true, clause: '5.1', payment: 'balance' }, '¥1'],
  ['balance mode ignores a valid plan', card(), balance(0, VALID), balanceOnly, { ok: false, clause: '5.1', reason: '余额不足 ¥0' }],
  ['plan valid', card(), balance(0, VALID), planOnly, { ok: true, clause: '5.1.1', payment: 'plan' }, '包月充电'],
  ['plan valid through its last day', card(), balance(0, { id: 'monthly', validUntil: '2025-03-05' }), planOnly, { ok: true, clause: '5.1.1', payment: 'plan' }],
  ['plan with a date-time end, passed', card(), balance(0, { id: 'monthly', validUntil: '2025-03-05T19:59:59+08:00' }), planOnly, { ok: false, clause: '5.1', reason: '套餐已过期' }],
  ['plan expired', card(), balance(5000, EXPIRED), planOnly, { ok: false, clause: '5.1', reason: '套餐已过期' }, '2025-03-04'],
  ['plan mode, no plan, rich balance', card(), balance(5000), planOnly, { ok: false, clause: '5.1', reason: '无有效套餐' }],
  ['plan no longer offered is honoured', card(), balance(0, { id: 'old-2024', validUntil: '2025-12-31' }), planOnly, { ok: true, clause: '5.1', payment: 'plan' }],
  ['either: a valid plan comes first', card(), balance(5000, VALID), either, { ok: true, clause: '5.1.1', payment: 'plan' }],
  ['either: expired plan, balance pays', card(), balance(500, EXPIRED), either, { ok: true, clause: '5.1', payment: 'balance' }],
  ['either: no plan, balance pays', card(), balance(100), either, { ok: true, clause: '5.1', payment: 'balance' }],
  ['either: expired plan, no money', card(), balance(20, EXPIRED), either, { ok: false, clause: '5.1', reason: '余额不足 ¥0.20' }, '到期'],
];

describe('checkCard', () => {
  it.each(ROWS)('%s', (_name, c, account, charging, expected, explainHas) => {
    const r = checkCard({ card: c, account, charging, atMs: AT });
    expect(r).toMatchObject(expected);
    expect(r.explain).toContain(`第${expected.clause}条`);
    if (explainHas) expect(r.explain).toContain(explainHas);
    if (!r.ok) expect([...r.reason].length).toBeLessThanOrEqual(20);
  });
});
