import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P } from '../support/months.js';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * A statement that does not reconcile must not go on the notice board. Here a
 * household's balance was edited by hand in the database (it no longer equals
 * the sum of its ledger lines): 公示 is refused, naming the failing check, until
 * the balance is put back.
 */
const E = 'estate-publish-guard';
let linli: TestLinli;
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
  expect((await api('POST', '/households', { building: '3', unit: '2', room: '501' })).status).toBe(201);
  expect((await api('POST', '/accounts/assets', { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'] })).status).toBe(201);
  expect((await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03` })).status).toBe(201);
  expect((await api('POST', '/charging/accounts/3-2-501/topup', { amountFen: 2_000 })).status).toBe(200);
});
afterAll(async () => {
  await linli?.stop();
});

describe('公示 of a statement that does not reconcile', () => {
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
});
