import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C, local, P } from '../support/months.js';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * What the notice board shows must hold. A statement that does not reconcile
 * must not go on it: here a household's balance was edited by hand in the
 * database (it no longer equals the sum of its ledger lines), so 公示 is
 * refused, naming the failing check, until the balance is put back. And once a
 * month is published, the elevator page cannot add a running cost or a member
 * dated in it either: those records are the elevator fund's costs and
 * contributions.
 */
const E = 'estate-publish-guard';
let linli: TestLinli;
/** The elevator's running costs entered last month (P) and this month (C). */
const costIds: { P?: string; C?: string } = {};
const api = <T = any>(method: string, path: string, body?: unknown) => linli.api<T>(method, `/api/estates/${E}${path}`, body);
const handEdit = (deltaFen: number) => {
  const db = new Database(join(linli.dataDir, 'linli.sqlite'));
  try {
    db.prepare('UPDATE charging_accounts SET balance_fen = balance_fen + ? WHERE estate_id = ? AND household_id = ?').run(deltaFen, E, '3-2-501');
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate' });
  await registerDevice(linli, E, { id: 'lift-3-2', kind: 'elevator', lowestFloor: 1, highestFloor: 7 });
  expect((await api('POST', '/households', { building: '3', unit: '2', room: '501' })).status).toBe(201);
  expect((await api('POST', '/accounts/assets', { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'] })).status).toBe(201);
  expect((await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03` })).status).toBe(201);
  expect((await api('POST', '/charging/accounts/3-2-501/topup', { amountFen: 2_000 })).status).toBe(200);
});
afterAll(async () => {
  await linli?.stop();
});

describe('what 公示 guards', () => {
  it('is refused with the failing check named, and goes through once the ledgers agree again', async () => {
    handEdit(+100);
    const refused = await api<{ code: string; message: string }>('POST', `/accounts/assets/north-gate/statements/${P}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('NOT_RECONCILED');
    expect(refused.body.message).toContain('prepaid.balances');
    expect((await api<{ items: unknown[] }>('GET', '/notice-board')).body.items).toEqual([]);

    handEdit(-100);
    const published = await api<{ closingFen: number }>('POST', `/accounts/assets/north-gate/statements/${P}/publish`);
    expect(published.status).toBe(201);
    expect(published.body.closingFen).toBe(50_000);
  });

  it('reaches the elevator page: once the elevator fund’s month is published, its running costs and members dated in it are refused', async () => {
    expect((await api('POST', '/accounts/assets', { id: 'lift-3-2', name: '3栋2单元电梯', kind: 'elevator', deviceIds: ['lift-3-2'] })).status).toBe(201);
    const pCost = await api<{ id: string }>('POST', '/elevators/lift-3-2/running-costs', { month: P, kind: 'electricity', fen: 8_000 });
    expect(pCost.status).toBe(201);
    costIds.P = pCost.body.id;
    expect((await api('POST', `/accounts/assets/lift-3-2/statements/${P}/publish`)).status).toBe(201);

    const cost = await api<{ code: string; message: string }>('POST', '/elevators/lift-3-2/running-costs', { month: P, kind: 'maintenance', fen: 5_000 });
    expect(cost.status).toBe(409);
    expect(cost.body).toMatchObject({ code: 'MONTH_PUBLISHED', message: expect.stringMatching(/^body\.month: /) });
    const member = await api<{ code: string; message: string }>('POST', '/elevators/lift-3-2/members', { householdId: '3-2-501', paidFen: 30_000, joinedAt: local(P, '20', '10:00') });
    expect(member.status).toBe(409);
    expect(member.body).toMatchObject({ code: 'MONTH_PUBLISHED', message: expect.stringMatching(/^body\.joinedAt: /) });
    // Nothing changed what the notice board shows; this month still takes both.
    const statement = (await api<{ costs: { totalFen: number }; contributions: { totalFen: number }; reconciliation: { ok: boolean } }>('GET', `/accounts/assets/lift-3-2/statements/${P}`)).body;
    expect(statement).toMatchObject({ costs: { totalFen: 8_000 }, contributions: { totalFen: 0 }, reconciliation: { ok: true } });
    const cCost = await api<{ id: string }>('POST', '/elevators/lift-3-2/running-costs', { month: C, kind: 'maintenance', fen: 5_000 });
    expect(cCost.status).toBe(201);
    costIds.C = cCost.body.id;
    expect((await api('POST', '/elevators/lift-3-2/members', { householdId: '3-2-501', paidFen: 30_000 })).status).toBe(201);
  });

  it('lets the elevator page correct what is not yet published, and only that', async () => {
    const statement = async (month: string) => (await api<{ costs: { totalFen: number }; contributions: { totalFen: number }; reconciliation: { ok: boolean } }>('GET', `/accounts/assets/lift-3-2/statements/${month}`)).body;
    // Last month is on the notice board: its running cost stays.
    const published = await api<{ code: string; message: string }>('DELETE', `/elevators/lift-3-2/running-costs/${costIds.P}`);
    expect(published.status).toBe(409);
    expect(published.body).toMatchObject({ code: 'MONTH_PUBLISHED', message: expect.stringMatching(/^params\.costId: /) });
    // This month: the 5,000 cost typed by mistake is taken back, the 30,000 share corrected to 20,000.
    expect((await api('DELETE', `/elevators/lift-3-2/running-costs/${costIds.C}`)).status).toBe(200);
    expect((await api('PATCH', '/elevators/lift-3-2/members/3-2-501', { paidFen: 20_000 })).body).toMatchObject({ householdId: '3-2-501', paidFen: 20_000 });
    expect(await statement(C)).toMatchObject({ costs: { totalFen: 0 }, contributions: { totalFen: 20_000 }, reconciliation: { ok: true } });
    expect(await statement(P)).toMatchObject({ costs: { totalFen: 8_000 }, reconciliation: { ok: true } });
    expect((await api('DELETE', '/elevators/lift-3-2/running-costs/rc-unknown')).status).toBe(404);
    expect((await api('PATCH', '/elevators/lift-3-2/members/9-9-909', { paidFen: 1 })).status).toBe(404);
  });
});
