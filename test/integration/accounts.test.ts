import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMonthOf, monthRange } from '../../server/accounts/months.js';
import type { ChargingSession } from '../../server/charging/records.js';
import { endSession } from '../../server/charging/session-end.js';
import type { Stay } from '../../server/parking/types.js';
import { aChargingSection } from '../support/charging.js';
import { C, local, P, Q, shiftMonth } from '../support/months.js';
import { passwordFor, registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * Open accounts over three local months: Q (two months ago), P (last month) and C
 * (this month, because a refund is recorded at the real time). Fees, balances and
 * member payments go through the repos and routes that write them in production;
 * each figure below is computed by hand.
 *
 * North gate (gate-n1)                    P                       C
 *   opening                               0                  68 360
 *   contributions        50 000 + 30 050 = 80 050           10 000
 *   parking     600 + 1 250 + 2 000 (23:30 on P's last day) = 3 850     900 (00:10 on C-01) + 700 (paid now) = 1 600
 *   costs               12 000 + 3 540 = 15 540              5 000
 *   closing                              68 360             74 960
 * Shed 3 (shed-1; the only shed, so plans are its income)
 *   opening 0; contributions 20 000; charging 200 + 300 + plan 2 000 = 2 500; costs 4 321 → 18 179
 *   C: charging 100 → 18 279
 * Elevator 3-2 (lift-1; members' paidFen are its contributions, its running costs its costs)
 *   opening: 3-2-301 paid 2 800 000 in Q
 *   P: members 3 000 000 + 3 500 000 = 6 500 000; rides 3 × 100; running costs 8 650 + 30 000 → 9 261 650
 *   C: rides 2 × 100; running costs 7 000 → 9 254 850
 * Unallocated: 400 paid at gate-s1, which no asset covers.
 * Prepaid, estate-wide
 *   P: opening 1 000 (Q top-up) + top-ups 10 000 + 5 000 − spent (500 + 2 000 + 300) = 13 200
 *   C: 13 200 + top-up 2 000 − refund 2 000 − spent (100 + 200) = 12 900
 *   balances now: 3-2-301 1 000, 3-2-501 10 900, 3-2-601 1 000
 */
const E = 'estate-accounts';
const MIN = 60_000;

let linli: TestLinli;
const api = (method: string, path: string, body?: unknown, token?: string) => linli.api(method, `/api/estates/${E}${path}`, body, token);
const statement = async (asset: string, month: string) => {
  const r = await api('GET', `/accounts/assets/${asset}/statements/${month}`);
  expect(r.status).toBe(200);
  return r.body;
};

let n = 0;
/** Entry, exit at a gate owing a fee, then the fee paid (or not): the parking repo's own steps. */
function stay(plate: string, gate: string, feeFen: number, paidAt: string | null, payment: 'paid' | 'owed' | 'waived' = 'paid'): Stay {
  const { parking } = linli.store;
  const exitAt = new Date(Date.parse(paidAt ?? local(P, '15', '12:00')) - 5 * MIN).toISOString();
  const s: Stay = { id: `stay-acc-${++n}`, estateId: E, lotId: 'lot-main', plate, vehicleClass: 'temporary', overflow: false, entryAt: new Date(Date.parse(exitAt) - 90 * MIN).toISOString(), entryGate: gate, entrySource: 'camera', payment: 'none' };
  parking.openStay(s);
  parking.updateStay(s.id, { exitAt, exitGate: gate, exitSource: 'camera', feeFen, payment: 'owed' });
  if (payment !== 'owed') parking.setPayment(s.id, payment, 'guard-1:cash', paidAt ?? exitAt);
  return parking.getStay(s.id)!;
}
/** A session at shed-1 ended by the charging service's own code: ¥1 per started hour, from 3-2-501's balance. */
function charge(startedAt: string, minutes: number) {
  const s: ChargingSession = { id: `chg-acc-${++n}`, estateId: E, shedId: 'shed-1', port: 1, cardId: 'card-501-a', householdId: '3-2-501', payment: 'balance', status: 'charging', requestedAt: startedAt, startedAt, maxMinutes: 480, energyWh: 0, maxPowerW: 0 };
  linli.store.charging.insertSession(s);
  return endSession(linli.store.charging, aChargingSection(), s, { atMs: Date.parse(startedAt) + minutes * MIN, reason: 'full', clause: '5.5', explain: '已充满', totals: { energyWh: 300, maxPowerW: 180 } });
}
/** A paid ride as the elevator service debits it: the ledger note is the elevator. */
const ride = (at: string) => linli.store.charging.move({ estateId: E, householdId: '3-2-501', kind: 'ride', amountFen: -100, note: 'lift-1', at });
const topup = (householdId: string, amountFen: number, at: string) => linli.store.charging.move({ estateId: E, householdId, kind: 'topup', amountFen, by: 'admin', at });
let refund: { status: number; body: any };
let paidNow: { status: number; body: any };

beforeAll(async () => {
  linli = await startTestLinli();
  for (const d of [
    { id: 'gate-n1', kind: 'gate', name: '北门道闸' },
    { id: 'gate-s1', kind: 'gate', name: '南门道闸' },
    { id: 'shed-1', kind: 'charger', ports: 10, name: '3号楼充电棚' },
    { id: 'lift-1', kind: 'elevator', lowestFloor: 1, highestFloor: 7, name: '3号楼2单元电梯' },
  ])
    await registerDevice(linli, E, d);
  await registerDevice(linli, 'estate-elsewhere', { id: 'gate-x', kind: 'gate' });
  for (const [building, unit, room] of [['3', '2', '301'], ['3', '2', '501'], ['3', '2', '601'], ['1', '1', '101']]) expect((await api('POST', '/households', { building, unit, room })).status).toBe(201);
  await api('POST', '/residents', { householdId: '3-2-501', name: '王小芳', isPrimary: true });
  await api('POST', '/residents', { householdId: '3-2-601', name: '李明' });
  await api('POST', '/residents', { householdId: '1-1-101', name: '张伟' });
  await api('POST', '/cards', { cardId: 'card-501-a', householdId: '3-2-501', purposes: ['charger', 'elevator'] });

  for (const [id, name, kind, deviceIds] of [['north-gate', '北门道闸', 'gate', ['gate-n1']], ['shed-3', '3号楼充电棚', 'shed', ['shed-1']], ['lift-3-2', '3号楼2单元电梯', 'elevator', ['lift-1']]] as const) {
    const r = await api('POST', '/accounts/assets', { id, name, kind, deviceIds });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id, name, kind, deviceIds, contributedFen: 0, incomeFen: 0, costsFen: 0, balanceFen: 0 });
  }

  // Q: the first elevator member (joinedAt as typed, with +08:00) and a top-up.
  expect((await api('POST', '/elevators/lift-1/members', { householdId: '3-2-301', paidFen: 2_800_000, joinedAt: `${Q}-15T10:00:00+08:00` })).status).toBe(201);
  topup('3-2-301', 1_000, local(Q, '20', '09:00'));

  // P
  expect((await api('POST', '/elevators/lift-1/members', { householdId: '3-2-501', paidFen: 3_000_000, joinedAt: `${P}-01T10:00:00+08:00` })).status).toBe(201);
  expect((await api('POST', '/elevators/lift-1/members', { householdId: '3-2-601', paidFen: 3_500_000, joinedAt: local(P, '02', '10:00'), kind: 'buy-in' })).status).toBe(201);
  for (const [asset, body] of [
    ['north-gate', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03`, note: '道闸集资' }],
    ['north-gate', { householdId: '1-1-101', amountFen: 30_050, at: `${P}-05T10:00:00+08:00` }],
    ['shed-3', { householdId: '3-2-501', amountFen: 20_000, at: `${P}-06` }],
  ] as const)
    expect((await api('POST', `/accounts/assets/${asset}/contributions`, body)).status).toBe(201);
  for (const [asset, body] of [
    ['north-gate', { category: 'repair', amountFen: 12_000, at: `${P}-10`, note: '更换道闸电机' }],
    ['north-gate', { category: 'electricity', amountFen: 3_540, at: `${P}-28` }],
    ['shed-3', { category: 'electricity', amountFen: 4_321, at: `${P}-25` }],
  ] as const)
    expect((await api('POST', `/accounts/assets/${asset}/costs`, body)).status).toBe(201);
  for (const [kind, fen] of [['electricity', 8_650], ['maintenance', 30_000]] as const) expect((await api('POST', '/elevators/lift-1/running-costs', { month: P, kind, fen })).status).toBe(201);
  topup('3-2-501', 10_000, local(P, '01', '09:00'));
  topup('3-2-601', 5_000, local(P, '01', '09:30'));
  stay('鄂A12345', 'gate-n1', 600, local(P, '12', '10:00'));
  stay('鄂B67890', 'gate-n1', 1_250, local(P, '20', '10:00'));
  stay('鄂C24680', 'gate-n1', 2_000, new Date(Date.parse(monthRange(P).to) - 30 * MIN).toISOString()); // 23:30 on P's last day
  stay('鄂D13579', 'gate-n1', 800, null, 'owed'); // left owing: not income until paid
  stay('鄂E11223', 'gate-n1', 500, local(P, '16', '10:00'), 'waived');
  stay('鄂F99887', 'gate-s1', 400, local(P, '18', '10:00')); // no asset covers gate-s1
  expect(charge(local(P, '08', '20:00'), 66).feeFen).toBe(200);
  expect(charge(local(P, '09', '20:00'), 150).feeFen).toBe(300);
  linli.store.charging.setPlan({ estateId: E, householdId: '3-2-601', planId: 'monthly', validUntil: local(C, '11', '00:00'), priceFen: 2_000, by: 'admin', at: local(P, '11', '12:00') });
  for (const hm of ['08:00', '08:10', '08:20']) ride(local(P, '13', hm));

  // C: a fee paid and a refund at the real time, first, so the month they land in is checked.
  const owed = stay('鄂G55555', 'gate-n1', 700, null, 'owed');
  paidNow = await api('POST', `/parking/stays/${owed.id}/pay`, { method: 'cash' });
  refund = await api('POST', '/accounts/refunds', { householdId: '3-2-601', amountFen: 2_000, note: '搬家退款' });
  const refundLine = linli.store.charging.ledger(E, '3-2-601').find((l) => l.kind === 'refund')!;
  if (localMonthOf(refundLine.at as string) !== C || localMonthOf(paidNow.body.stay.paymentAt) !== C) throw new Error('the month turned while the test was setting up: run it again');
  stay('鄂A12345', 'gate-n1', 900, new Date(Date.parse(monthRange(C).from) + 10 * MIN).toISOString()); // 00:10 on C-01
  topup('3-2-501', 2_000, local(C, '01', '09:00'));
  expect(charge(local(C, '02', '20:00'), 30).feeFen).toBe(100);
  for (const hm of ['08:00', '18:00']) ride(local(C, '02', hm));
  expect((await api('POST', '/accounts/assets/north-gate/costs', { category: 'maintenance', amountFen: 5_000, at: `${C}-03` })).status).toBe(201);
  expect((await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '1-1-101', amountFen: 10_000, at: `${C}-04T09:00:00+08:00` })).status).toBe(201);
  expect((await api('POST', '/elevators/lift-1/running-costs', { month: C, kind: 'electricity', fen: 7_000 })).status).toBe(201);
});
afterAll(async () => {
  await linli.stop();
});

const figures = (s: any) => ({ opening: s.openingFen, contributions: s.contributions.totalFen, parking: s.income.parkingFen, charging: s.income.chargingFen, rides: s.income.ridesFen, income: s.income.totalFen, costs: s.costs.totalFen, closing: s.closingFen });

describe('monthly statements reconcile to the ledgers', () => {
  it('the north gate, last month: 0 + 80 050 + 3 850 − 15 540 = 68 360, the 23:30 fee on the last day included', async () => {
    const s = await statement('north-gate', P);
    expect(s).toMatchObject({ estateId: E, month: P, ...monthRange(P), asset: { id: 'north-gate', name: '北门道闸', kind: 'gate' } });
    expect(figures(s)).toEqual({ opening: 0, contributions: 80_050, parking: 3_850, charging: 0, rides: 0, income: 3_850, costs: 15_540, closing: 68_360 });
    expect(s.contributions.lines).toEqual([
      { id: expect.stringMatching(/^contrib-/), at: local(P, '03', '00:00'), household: '3-2-501', name: '王*芳', amountFen: 50_000, note: '道闸集资', source: 'entered', reverses: null, reversedBy: null },
      { id: expect.stringMatching(/^contrib-/), at: local(P, '05', '10:00'), household: '1-1-101', name: '张*', amountFen: 30_050, note: null, source: 'entered', reverses: null, reversedBy: null },
    ]);
    expect(s.income.lines.map((l: any) => [l.source, l.ref, l.amountFen])).toEqual([['parking', '鄂A***45', 600], ['parking', '鄂B***90', 1_250], ['parking', '鄂C***80', 2_000]]);
    expect(s.costs.lines.map((l: any) => [l.category, l.amountFen, l.note, l.recordedBy])).toEqual([['repair', 12_000, '更换道闸电机', 'admin'], ['electricity', 3_540, null, 'admin']]);
    expect(s.reconciliation.ok).toBe(true);
    expect(s.reconciliation.checks.find((c: any) => c.name === 'income.estate')).toEqual({ name: 'income.estate', expectedFen: 7_050, actualFen: 7_050 });
    expect(JSON.stringify(s)).not.toMatch(/鄂[A-G]\d{5}|王小芳|张伟/);
  });

  it('the north gate, this month: opening 68 360 (last month’s closing) + 10 000 + 1 600 − 5 000 = 74 960', async () => {
    const s = await statement('north-gate', C);
    expect(figures(s)).toEqual({ opening: 68_360, contributions: 10_000, parking: 1_600, charging: 0, rides: 0, income: 1_600, costs: 5_000, closing: 74_960 });
    expect(s.income.lines.map((l: any) => [l.ref, l.amountFen])).toEqual([['鄂A***45', 900], ['鄂G***55', 700]]);
    expect(s.costs.lines[0]).toMatchObject({ at: local(C, '03', '00:00'), category: 'maintenance', amountFen: 5_000 });
    expect(s.reconciliation.ok).toBe(true);
  });

  it('the shed: charging 500 and the plan 2 000 are its income; 18 179 carries into this month, + 100 = 18 279', async () => {
    const p = await statement('shed-3', P);
    expect(figures(p)).toEqual({ opening: 0, contributions: 20_000, parking: 0, charging: 2_500, rides: 0, income: 2_500, costs: 4_321, closing: 18_179 });
    expect(p.income.lines.map((l: any) => [l.source, l.ref, l.amountFen])).toEqual([['charging', '***1-a', 200], ['charging', '***1-a', 300], ['plan', 'monthly', 2_000]]);
    const c = await statement('shed-3', C);
    expect(figures(c)).toEqual({ opening: 18_179, contributions: 0, parking: 0, charging: 100, rides: 0, income: 100, costs: 0, closing: 18_279 });
    expect([p.reconciliation.ok, c.reconciliation.ok]).toEqual([true, true]);
  });

  it('the elevator: members’ payments are its contributions, running costs its costs, rides its income', async () => {
    const p = await statement('lift-3-2', P);
    expect(figures(p)).toEqual({ opening: 2_800_000, contributions: 6_500_000, parking: 0, charging: 0, rides: 300, income: 300, costs: 38_650, closing: 9_261_650 });
    expect(p.contributions.lines.map((l: any) => [l.at, l.household, l.name, l.amountFen, l.source])).toEqual([
      [local(P, '01', '10:00'), '3-2-501', '王*芳', 3_000_000, 'elevator-member'],
      [local(P, '02', '10:00'), '3-2-601', '李*', 3_500_000, 'elevator-member'],
    ]);
    expect(p.income.lines.map((l: any) => l.ref)).toEqual(['3号楼2单元电梯', '3号楼2单元电梯', '3号楼2单元电梯']);
    expect(p.costs.lines.map((l: any) => [l.at, l.category, l.amountFen, l.source])).toEqual([
      [monthRange(P).from, 'electricity', 8_650, 'elevator-running-costs'],
      [monthRange(P).from, 'maintenance', 30_000, 'elevator-running-costs'],
    ]);
    const c = await statement('lift-3-2', C);
    expect(figures(c)).toEqual({ opening: 9_261_650, contributions: 0, parking: 0, charging: 0, rides: 200, income: 200, costs: 7_000, closing: 9_254_850 });
    expect([p.reconciliation.ok, c.reconciliation.ok]).toEqual([true, true]);
  });

  it('prepaid balances are held for households, not income: 1 000 + 15 000 − 0 − 2 800 = 13 200, then + 2 000 − 2 000 − 300 = 12 900', async () => {
    const p = (await statement('north-gate', P)).prepaid;
    expect(p).toEqual({ openingFen: 1_000, topupsFen: 15_000, refundsFen: 0, spentFen: 2_800, closingFen: 13_200 });
    const c = await statement('north-gate', C);
    expect(c.prepaid).toEqual({ openingFen: 13_200, topupsFen: 2_000, refundsFen: 2_000, spentFen: 300, closingFen: 12_900 });
    expect(c.reconciliation.checks.filter((x: any) => x.name.startsWith('prepaid.'))).toEqual([
      { name: 'prepaid.closing', expectedFen: 12_900, actualFen: 12_900 },
      { name: 'prepaid.balances', expectedFen: 12_900, actualFen: 12_900 },
    ]);
  });

  it('a month with nothing in it still balances: two months ahead opens and closes at this month’s closing', async () => {
    const s = await statement('north-gate', shiftMonth(C, 2));
    expect(figures(s)).toEqual({ opening: 74_960, contributions: 0, parking: 0, charging: 0, rides: 0, income: 0, costs: 0, closing: 74_960 });
    expect(s.reconciliation.ok).toBe(true);
  });
});

describe('the assets overview and prepaid balances', () => {
  it('all-time funds equal this month’s closings; the 400 at an uncovered gate is unallocated, not dropped', async () => {
    const r = await api('GET', '/accounts/assets');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      assets: [
        { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'], contributedFen: 90_050, incomeFen: 5_450, costsFen: 20_540, balanceFen: 74_960 },
        { id: 'shed-3', name: '3号楼充电棚', kind: 'shed', deviceIds: ['shed-1'], contributedFen: 20_000, incomeFen: 2_600, costsFen: 4_321, balanceFen: 18_279 },
        { id: 'lift-3-2', name: '3号楼2单元电梯', kind: 'elevator', deviceIds: ['lift-1'], contributedFen: 9_300_000, incomeFen: 500, costsFen: 45_650, balanceFen: 9_254_850 },
      ],
      prepaid: { households: 3, totalFen: 12_900 },
      unallocatedIncomeFen: 400,
    });
  });

  it('lists each household’s refundable balance with its room and a masked name', async () => {
    const r = await api('GET', '/accounts/prepaid');
    expect(r.body).toEqual({
      totalFen: 12_900,
      households: [
        { householdId: '3-2-301', label: '3-2-301', name: null, balanceFen: 1_000 },
        { householdId: '3-2-501', label: '3-2-501', name: '王*芳', balanceFen: 10_900 },
        { householdId: '3-2-601', label: '3-2-601', name: '李*', balanceFen: 1_000 },
      ],
    });
  });
});

describe('refunds', () => {
  it('a refund is a negative refund line in the charging ledger, written with the balance', async () => {
    expect(paidNow.status).toBe(200);
    expect(refund.status).toBe(201);
    expect(refund.body).toEqual({ refundId: expect.stringMatching(/^led-/), balanceFen: 1_000 });
    const account = (await api('GET', '/charging/accounts/3-2-601')).body;
    expect(account.balanceFen).toBe(1_000);
    expect(account.ledger.find((l: any) => l.id === refund.body.refundId)).toMatchObject({ kind: 'refund', amountFen: -2_000, byUser: 'admin', note: '搬家退款' });
  });

  it('more than the balance is refused with 409 naming amountFen, and nothing moves', async () => {
    const r = await api('POST', '/accounts/refunds', { householdId: '3-2-601', amountFen: 1_001 });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'OVER_BALANCE', message: expect.stringMatching(/^body\.amountFen: 1001 fen is more than the balance of 1000 fen/) });
    expect((await api('GET', '/charging/accounts/3-2-601')).body.balanceFen).toBe(1_000);
    expect((await api('POST', '/accounts/refunds', { householdId: '1-1-101', amountFen: 1 })).status).toBe(409); // no balance at all
  });
});

describe('the statement as CSV for the notice board', () => {
  it('is UTF-8 with a BOM, Chinese sections, yuan from fen, and masked plates and names only', async () => {
    const res = await fetch(`${linli.url}/api/estates/${E}/accounts/assets/north-gate/statements/${P}?format=csv`, { headers: { authorization: `Bearer ${linli.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`公开账目-北门道闸-${P}.csv`)}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe(`公开账目,测试小区 ${E},北门道闸（道闸）,${P}`);
    for (const line of ['期初余额,,,0.00', `${P}-03 00:00,3-2-501,王*芳,500.00,道闸集资`, '捐资合计,,,800.50', '停车费合计,,,38.50', '收入合计,,,38.50', '支出合计,,,155.40', '期末余额,,,683.60', '期末,,,132.00'])
      expect(lines).toContain(line);
    expect(lines.some((l) => l.includes('鄂A***45') && l.endsWith(',6.00'))).toBe(true);
    const text = bytes.toString('utf8');
    expect(text).not.toMatch(/鄂A12345|鄂B67890|鄂C24680|王小芳|张伟/);
    for (const section of ['捐资/集资', '收入', '支出', '预存余额']) expect(lines.some((l) => l.startsWith(section))).toBe(true);
  });
});

describe('who may, and what is refused', () => {
  it('a bad month is a 400 naming params.month', async () => {
    for (const month of ['2026-13', '2026-3', 'last']) {
      const r = await api('GET', `/accounts/assets/north-gate/statements/${month}`);
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/^params\.month/);
    }
  });

  it('a resident gets 403 on every accounts route', async () => {
    await linli.api('POST', '/api/users', { username: 'wang', password: passwordFor('wang'), role: 'resident', mustChangePassword: false });
    const token = (await linli.api('POST', '/api/auth/login', { username: 'wang', password: passwordFor('wang') })).body.token;
    expect((await api('GET', '/accounts/assets', undefined, token)).status).toBe(403);
    expect((await api('GET', `/accounts/assets/north-gate/statements/${P}`, undefined, token)).status).toBe(403);
    expect((await api('GET', '/accounts/prepaid', undefined, token)).status).toBe(403);
    expect((await api('POST', '/accounts/refunds', { householdId: '3-2-501', amountFen: 100 }, token)).status).toBe(403);
  });

  it('an asset: a device of another estate is a 400 naming deviceIds; a taken id or device is a 409', async () => {
    const other = await api('POST', '/accounts/assets', { name: '外来', kind: 'gate', deviceIds: ['gate-x'] });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/^body\.deviceIds: gate-x/);
    expect((await api('POST', '/accounts/assets', { id: 'north-gate', name: '重复', kind: 'gate', deviceIds: [] })).status).toBe(409);
    const taken = await api('POST', '/accounts/assets', { name: '两个资产', kind: 'other', deviceIds: ['gate-n1'] });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'DEVICE_IN_OTHER_ASSET', message: expect.stringMatching(/^body\.deviceIds: gate-n1 already belongs to asset north-gate/) });
  });

  it('an elevator member’s payment cannot be entered twice as a contribution', async () => {
    const r = await api('POST', '/accounts/assets/lift-3-2/contributions', { householdId: '3-2-501', amountFen: 100, at: `${C}-01` });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'ELEVATOR_MEMBER', message: expect.stringMatching(/^body\.householdId/) });
  });

  it('amounts are positive integers of fen; households and categories must exist', async () => {
    const bad = [
      [{ householdId: '3-2-501', amountFen: 12.5, at: `${C}-01` }, 'body.amountFen'],
      [{ householdId: '3-2-501', amountFen: 0, at: `${C}-01` }, 'body.amountFen'],
      [{ householdId: '3-2-501', amountFen: 100, at: 'yesterday' }, 'body.at'],
      [{ householdId: '9-9-999', amountFen: 100, at: `${C}-01` }, 'body.householdId'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await api('POST', '/accounts/assets/north-gate/contributions', body);
      expect([r.status, r.body.message.split(':')[0]]).toEqual([400, field]);
    }
    const cost = await api('POST', '/accounts/assets/north-gate/costs', { category: 'bribes', amountFen: 100, at: `${C}-01` });
    expect([cost.status, cost.body.message.split(':')[0]]).toEqual([400, 'body.category']);
    expect((await api('POST', '/accounts/assets/no-such/costs', { category: 'other', amountFen: 100, at: `${C}-01` })).status).toBe(404);
  });
});
