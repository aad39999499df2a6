import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { passwordFor, startTestLinli, type TestLinli } from '../support/linli.js';

const E = 'estate-visit';
let linli: TestLinli;
let resident: string;
const H = 3_600_000;
const window = (fromH: number, toH: number) => ({ validFrom: new Date(Date.now() + fromH * H).toISOString(), validTo: new Date(Date.now() + toH * H).toISOString() });

beforeAll(async () => {
  linli = await startTestLinli();
  await linli.api('POST', '/api/estates', { id: E, name: '访客测试' });
  await linli.api('POST', `/api/estates/${E}/charter/versions`, aCharterVersion((p) => (p.classes.visitor = { clause: '2.6', monthlyQuotaPerHousehold: 2, maxPassHours: 12 })));
  await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501' });
  await linli.api('POST', '/api/users', { username: 'wang', password: passwordFor('wang'), role: 'resident', mustChangePassword: false });
  await linli.api('POST', `/api/estates/${E}/residents`, { householdId: '3-2-501', name: '王阿姨', username: 'wang' });
  resident = (await linli.api('POST', '/api/auth/login', { username: 'wang', password: passwordFor('wang') })).body.token;
});
afterAll(() => linli.stop());

describe('visitor passes', () => {
  it('a resident registers a visitor for a window, within the household’s monthly quota', async () => {
    const first = await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '湘a 88888', ...window(0, 3) }, resident);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ householdId: '3-2-501', plate: '湘A88888', usedThisMonth: 1, quota: 2, issuedBy: 'wang' });
    expect((await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '粤B12345', ...window(1, 2) }, resident)).status).toBe(201);
    const third = await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '京N99999', ...window(1, 2) }, resident);
    expect(third.status).toBe(400);
    expect(third.body.message).toContain('本月访客通行证已用完');
    const mine = await linli.api('GET', `/api/estates/${E}/visitor-passes`, undefined, resident);
    expect(mine.body.items.map((p: any) => p.plate).sort()).toEqual(['湘A88888', '粤B12345']);
  });

  it('a resident finds the household their account is linked to', async () => {
    const mine = await linli.api('GET', '/api/me/households', undefined, resident);
    expect(mine.body.items).toEqual([expect.objectContaining({ estateId: E, householdId: '3-2-501', isPrimary: true })]);
  });

  it('refuses a window longer than the charter allows, or a bad plate, naming the field', async () => {
    const long = await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '湘A11111', ...window(0, 13) }, resident);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^body\.validTo: .*12 hours/);
    const bad = await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: 'ABC', ...window(0, 1) }, resident);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^body\.plate/);
  });

  it('a resident cannot issue for another household, and a guard cannot issue at all', async () => {
    await linli.api('POST', `/api/estates/${E}/households`, { building: '1', unit: '1', room: '101' });
    const other = await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '湘A22222', householdId: '1-1-101', ...window(0, 1) }, resident);
    expect(other.status).toBe(403);
    await linli.api('POST', '/api/users', { username: 'guard9', password: passwordFor('guard9'), role: 'guard', mustChangePassword: false });
    const guard = (await linli.api('POST', '/api/auth/login', { username: 'guard9', password: passwordFor('guard9') })).body.token;
    expect((await linli.api('POST', `/api/estates/${E}/visitor-passes`, { plate: '湘A22222', ...window(0, 1) }, guard)).status).toBe(403);
  });

  it('a cancelled pass stops opening the gate', async () => {
    const mine = await linli.api('GET', `/api/estates/${E}/visitor-passes`, undefined, resident);
    const pass = mine.body.items.find((p: any) => p.plate === '湘A88888'); // valid from now for 3 hours
    const nowIso = () => new Date().toISOString();
    expect(linli.store.parking.activePass(E, '湘A88888', nowIso())?.id).toBe(pass.id);
    expect((await linli.api('DELETE', `/api/estates/${E}/visitor-passes/${pass.id}`, undefined, resident)).status).toBe(200);
    expect((await linli.api('DELETE', `/api/estates/${E}/visitor-passes/${pass.id}`, undefined, resident)).status).toBe(400);
    expect(linli.store.parking.activePass(E, '湘A88888', nowIso())).toBeUndefined();
  });
});
