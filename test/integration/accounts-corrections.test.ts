import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMinute, localMonthOf, monthRange } from '../../server/accounts/months.js';
import { C, local, P, Q, shiftMonth } from '../support/months.js';
import { passwordFor, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * Corrections and publishing (公示) over three local months: Q (two months ago),
 * P (last month, the one published) and C (this month, where reversals land
 * because they are dated when made). Every figure by hand, in fen:
 *
 * North gate                          P                           C
 *   contributions   50 000 + 50 000 (¥500.00 typed    reversal −50 000 + the right 5 000 = −45 000
 *                   for 1-1-101's ¥50.00) = 100 000
 *   costs           repair 12 000                     electricity 3 540; later the repair reversed: −12 000
 *   closing         88 000                            84 460 → 39 460 (−45 000) → 51 460 (+12 000)
 * Elevator 3-2: 3-2-301's paidFen and a running cost, both kept on the elevator's page.
 */
const E = 'estate-corrections';
const REASON = '多打了一个0，应为¥50.00';
const lastMinuteOfP = new Date(Date.parse(monthRange(P).to) - 60_000).toISOString();

let linli: TestLinli;
const api = (method: string, path: string, body?: unknown, token?: string) => linli.api<any>(method, `/api/estates/${E}${path}`, body, token);
const statement = async (asset: string, month: string) => {
  const r = await api('GET', `/accounts/assets/${asset}/statements/${month}`);
  expect(r.status).toBe(200);
  return r.body;
};
const csvBytes = async (asset: string, month: string) => {
  const res = await fetch(`${linli.url}/api/estates/${E}/accounts/assets/${asset}/statements/${month}?format=csv`, { headers: { authorization: `Bearer ${linli.token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};
const csvLines = async (asset: string, month: string) => (await csvBytes(asset, month)).toString('utf8').slice(1).split('\r\n');
const figures = (s: any) => ({ opening: s.openingFen, contributions: s.contributions.totalFen, costs: s.costs.totalFen, closing: s.closingFen, ok: s.reconciliation.ok });
const reverse = (asset: string, kind: 'contributions' | 'costs', lineId: string, reason: unknown = REASON, token?: string) => api('POST', `/accounts/assets/${asset}/${kind}/${encodeURIComponent(lineId)}/reverse`, { reason }, token);
const balance = async (asset: string) => (await api('GET', '/accounts/assets')).body.assets.find((a: any) => a.id === asset);

let wrongLine: string;
let reversal: { status: number; body: any };
let before: any;

beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  await registerDevice(linli, E, { id: 'lift-1', kind: 'elevator', lowestFloor: 1, highestFloor: 7, name: '3号楼2单元电梯' });
  for (const [building, unit, room] of [['3', '2', '501'], ['1', '1', '101'], ['3', '2', '301']]) expect((await api('POST', '/households', { building, unit, room })).status).toBe(201);
  await api('POST', '/residents', { householdId: '3-2-501', name: '王小芳', isPrimary: true });
  await api('POST', '/residents', { householdId: '1-1-101', name: '张伟' });
  for (const [id, name, kind, deviceIds] of [['north-gate', '北门道闸', 'gate', ['gate-n1']], ['lift-3-2', '3号楼2单元电梯', 'elevator', ['lift-1']]] as const)
    expect((await api('POST', '/accounts/assets', { id, name, kind, deviceIds })).status).toBe(201);

  const add = async (path: string, body: object) => {
    const r = await api('POST', `/accounts/assets/${path}`, body);
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  await add('north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03`, note: '道闸集资' });
  wrongLine = await add('north-gate/contributions', { householdId: '1-1-101', amountFen: 50_000, at: `${P}-05T10:00:00+08:00` });
  await add('north-gate/costs', { category: 'repair', amountFen: 12_000, at: `${P}-10`, note: '更换道闸电机' });
  await add('north-gate/costs', { category: 'electricity', amountFen: 3_540, at: `${C}-01` });
  expect((await api('POST', '/elevators/lift-1/members', { householdId: '3-2-301', paidFen: 2_800_000, joinedAt: `${P}-01T10:00:00+08:00` })).status).toBe(201);
  expect((await api('POST', '/elevators/lift-1/running-costs', { month: P, kind: 'electricity', fen: 8_650 })).status).toBe(201);

  // The committee finds the mistake this month: the wrong line reversed, the right figure entered as a new line.
  before = await statement('north-gate', C);
  reversal = await reverse('north-gate', 'contributions', wrongLine);
  await add('north-gate/contributions', { householdId: '1-1-101', amountFen: 5_000, at: `${C}-01`, note: `${P} 出资更正` });
  if (localMonthOf(new Date().toISOString()) !== C) throw new Error('the month turned while the test was setting up: run it again');
});
afterAll(async () => {
  await linli.stop();
});

describe('a reversal cancels a line in the month it is made', () => {
  it('¥500.00 reversed and ¥50.00 entered: this month’s contributions and closing move by exactly −45 000 fen', async () => {
    expect(reversal.status).toBe(201);
    expect(reversal.body).toEqual({ reversalId: expect.stringMatching(/^rev-/) });
    expect(figures(before)).toEqual({ opening: 88_000, contributions: 0, costs: 3_540, closing: 84_460, ok: true });
    const s = await statement('north-gate', C);
    expect(figures(s)).toEqual({ opening: 88_000, contributions: -45_000, costs: 3_540, closing: 39_460, ok: true });
    expect([s.contributions.totalFen - before.contributions.totalFen, s.closingFen - before.closingFen]).toEqual([-45_000, -45_000]);
    expect(s.contributions.lines.find((l: any) => l.source === 'reversal')).toEqual({
      id: reversal.body.reversalId,
      at: expect.any(String),
      household: '1-1-101',
      name: '张*',
      amountFen: -50_000,
      note: REASON,
      source: 'reversal',
      reverses: { id: wrongLine, at: local(P, '05', '10:00') },
      reversedBy: null,
    });
    expect(localMonthOf(s.contributions.lines.find((l: any) => l.source === 'reversal').at)).toBe(C);
    expect(s.reconciliation.checks.find((c: any) => c.name === 'contributions')).toEqual({ name: 'contributions', expectedFen: -45_000, actualFen: -45_000 });
  });

  it('last month keeps its figures; the reversed line says by what and when', async () => {
    const s = await statement('north-gate', P);
    expect(figures(s)).toEqual({ opening: 0, contributions: 100_000, costs: 12_000, closing: 88_000, ok: true });
    const line = s.contributions.lines.find((l: any) => l.id === wrongLine);
    expect(line).toMatchObject({ amountFen: 50_000, source: 'entered', reverses: null, reversedBy: { id: reversal.body.reversalId, at: expect.any(String) } });
  });

  it('the overview’s fund counts it: 100 000 − 50 000 + 5 000 contributed, 15 540 spent, 39 460 left', async () => {
    expect(await balance('north-gate')).toMatchObject({ contributedFen: 55_000, costsFen: 15_540, balanceFen: 39_460 });
  });

  it('the CSV shows the reversal as -500.00, naming the line it cancels', async () => {
    const c = await csvLines('north-gate', C);
    expect(c.some((l) => /,1-1-101,张\*,-500\.00,/.test(l) && l.endsWith(`冲销 ${P}-05 的记录：${REASON}`))).toBe(true);
    for (const line of ['捐资合计,,,-450.00', '期末余额,,,394.60']) expect(c).toContain(line);
    const p = await csvLines('north-gate', P);
    expect(p).toContain(`${P}-05 10:00,1-1-101,张*,500.00,已于 ${localMinute(new Date().toISOString()).slice(0, 10)} 冲销`);
  });

  it('a line is reversed once: 409 ALREADY_REVERSED, and nothing moves', async () => {
    const r = await reverse('north-gate', 'contributions', wrongLine, '再冲一次');
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'ALREADY_REVERSED', message: expect.stringContaining(reversal.body.reversalId) });
    expect((await statement('north-gate', C)).closingFen).toBe(39_460);
  });

  it('an unknown line, or one of another asset or kind, is a 404; a reason is 1–200 characters', async () => {
    expect((await reverse('north-gate', 'contributions', 'contrib-nope')).status).toBe(404);
    expect((await reverse('lift-3-2', 'contributions', wrongLine)).status).toBe(404);
    expect((await reverse('north-gate', 'costs', wrongLine)).status).toBe(404);
    for (const reason of ['', ' ', 'x'.repeat(201)]) {
      const r = await reverse('north-gate', 'costs', wrongLine, reason);
      expect([r.status, r.body.message.split(':')[0]]).toEqual([400, 'body.reason']);
    }
  });

  it('an elevator member’s payment and its running costs are changed where they are kept: 409 NOT_REVERSIBLE says so', async () => {
    const s = await statement('lift-3-2', P);
    const member = s.contributions.lines.find((l: any) => l.source === 'elevator-member');
    const running = s.costs.lines.find((l: any) => l.source === 'elevator-running-costs');
    expect([member.id, member.amountFen, running.amountFen]).toEqual(['member:lift-1:3-2-301', 2_800_000, 8_650]);
    const m = await reverse('lift-3-2', 'contributions', member.id);
    expect(m.status).toBe(409);
    expect(m.body).toMatchObject({ code: 'NOT_REVERSIBLE', message: expect.stringMatching(/^params\.lineId: .*elevator member's payment.*corrected there \(PATCH \/api\/estates\/:estateId\/elevators\/:elevatorId\/members\/:householdId\)/) });
    const r = await reverse('lift-3-2', 'costs', running.id);
    expect(r.body).toMatchObject({ code: 'NOT_REVERSIBLE', message: expect.stringMatching(/running cost.*taken back there \(DELETE \/api\/estates\/:estateId\/elevators\/:elevatorId\/running-costs\/:costId\)/) });
  });
});

describe('publishing (公示) locks a month', () => {
  let published: { status: number; body: any };
  beforeAll(async () => {
    published = await api('POST', `/accounts/assets/north-gate/statements/${P}/publish`);
  });

  it('records who, when, the closing and the SHA-256 of the CSV served for the month', async () => {
    expect(published.status).toBe(201);
    expect(published.body).toEqual({ publishedAt: expect.any(String), publishedBy: 'admin', closingFen: 88_000, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(createHash('sha256').update(await csvBytes('north-gate', P)).digest('hex')).toBe(published.body.digest);
    const s = await statement('north-gate', P);
    expect(s.published).toEqual({ at: published.body.publishedAt, by: 'admin', closingFen: 88_000, digest: published.body.digest });
    expect(s.reconciliation.checks.at(-1)).toEqual({ name: 'published.closing', expectedFen: 88_000, actualFen: 88_000 });
    expect(s.reconciliation.ok).toBe(true);
    expect((await statement('north-gate', C)).published).toBeNull();
  });

  it('a second time is 409 ALREADY_PUBLISHED; a month not over yet (this one, the next) is 409 MONTH_NOT_OVER', async () => {
    const again = await api('POST', `/accounts/assets/north-gate/statements/${P}/publish`);
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_PUBLISHED']);
    for (const month of [C, shiftMonth(C, 1)]) {
      const r = await api('POST', `/accounts/assets/north-gate/statements/${month}/publish`);
      expect([r.status, r.body.code]).toEqual([409, 'MONTH_NOT_OVER']);
      expect((await statement('north-gate', month)).published).toBeNull();
    }
  });

  it('a cost or contribution dated in it or before is 409 MONTH_PUBLISHED, and nothing is written', async () => {
    for (const [path, body] of [
      ['costs', { category: 'repair', amountFen: 800, at: `${P}-28` }],
      ['costs', { category: 'other', amountFen: 800, at: `${Q}-15` }],
      ['contributions', { householdId: '3-2-501', amountFen: 800, at: `${localMinute(lastMinuteOfP).replace(' ', 'T')}:00+08:00` }],
    ] as const) {
      const r = await api('POST', `/accounts/assets/north-gate/${path}`, body);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ code: 'MONTH_PUBLISHED', message: expect.stringMatching(new RegExp(`^body\\.at: the statement for ${P} is published.*enter it in the current month with a note of the month it belongs to`)) });
    }
    expect(figures(await statement('north-gate', P))).toEqual({ opening: 0, contributions: 100_000, costs: 12_000, closing: 88_000, ok: true });
    expect(await balance('north-gate')).toMatchObject({ contributedFen: 55_000, costsFen: 15_540, balanceFen: 39_460 });
    // Publishing is per asset: the elevator's last month is still open.
    expect((await api('POST', '/accounts/assets/lift-3-2/costs', { category: 'repair', amountFen: 800, at: `${P}-28` })).status).toBe(201);
  });

  it('a line of the published month can still be reversed: the reversal lands this month, the published CSV stays', async () => {
    const repair = (await statement('north-gate', P)).costs.lines.find((l: any) => l.category === 'repair');
    const r = await reverse('north-gate', 'costs', repair.id, '重复记账');
    expect(r.status).toBe(201);
    const c = await statement('north-gate', C);
    expect(figures(c)).toEqual({ opening: 88_000, contributions: -45_000, costs: -8_460, closing: 51_460, ok: true });
    expect(c.costs.lines.find((l: any) => l.source === 'reversal')).toMatchObject({ id: r.body.reversalId, category: 'repair', amountFen: -12_000, note: '重复记账', recordedBy: 'admin', reverses: { id: repair.id, at: repair.at } });
    const p = await statement('north-gate', P);
    expect(p.costs.lines[0].reversedBy).toEqual({ id: r.body.reversalId, at: expect.any(String) });
    expect([p.closingFen, p.reconciliation.ok]).toEqual([88_000, true]);
    expect(createHash('sha256').update(await csvBytes('north-gate', P)).digest('hex')).toBe(published.body.digest);
  });
});

describe('who may', () => {
  it('a resident gets 403 reversing or publishing', async () => {
    await linli.api('POST', '/api/users', { username: 'wang', password: passwordFor('wang'), role: 'resident', mustChangePassword: false });
    const token = (await linli.api<any>('POST', '/api/auth/login', { username: 'wang', password: passwordFor('wang') })).body.token;
    expect((await reverse('north-gate', 'contributions', wrongLine, '我来改', token)).status).toBe(403);
    expect((await api('POST', `/accounts/assets/north-gate/statements/${Q}/publish`, undefined, token)).status).toBe(403);
  });

  it('the audit list names each correction and publication, with its target', async () => {
    const items = (await api('GET', '/audit?action=accounts.assets')).body.items.map((i: any) => [i.action, i.target]);
    expect(items).toContainEqual(['accounts.assets.contributions.reverse', `north-gate/${wrongLine}`]);
    expect(items).toContainEqual(['accounts.assets.statements.publish', `north-gate/${P}`]);
    expect(items.filter(([a]: string[]) => a === 'accounts.assets.costs.reverse')).toHaveLength(1);
  });
});
