import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localMonthOf } from '../../server/accounts/months.js';
import { C, local, P, Q } from '../support/months.js';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * 公示栏 online against a real server. North gate, last month (P), in fen:
 * 3-2-501 (王小芳) gave 50 000, 鄂A12345 paid 600 at the gate, a repair cost
 * 12 000 → closing 38 600. Two months ago (Q) is published empty (closing 0),
 * this month (C) is not over and so not published; the shed is never published.
 */
const E = 'estate-notice';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let linli: TestLinli;
const users: Record<'resident' | 'guard', string> = { resident: '', guard: '' };
const published: Record<string, { publishedAt: string; publishedBy: string; closingFen: number; digest: string }> = {};

const api = async (method: string, path: string, body?: unknown) => {
  const r = await linli.api<any>(method, `/api/estates/${E}${path}`, body);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
};
const board = (token: string) => linli.api<any>('GET', `/api/estates/${E}/notice-board`, undefined, token);
const file = (path: string, token?: string) => fetch(`${linli.url}/api/estates/${E}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** A stay at the north gate whose ¥6 was paid last month, written by the parking repo's own steps. */
function paidStay(plate: string) {
  const { parking } = linli.store;
  const paidAt = local(P, '15', '12:00');
  parking.openStay({ id: 'stay-nb-1', estateId: E, lotId: 'lot-main', plate, vehicleClass: 'temporary', overflow: false, entryAt: local(P, '15', '10:00'), entryGate: 'gate-n1', entrySource: 'camera', payment: 'none' });
  parking.updateStay('stay-nb-1', { exitAt: local(P, '15', '11:55'), exitGate: 'gate-n1', exitSource: 'camera', feeFen: 600, payment: 'owed' });
  parking.setPayment('stay-nb-1', 'paid', 'guard-1:cash', paidAt);
}

beforeAll(async () => {
  linli = await startTestLinli();
  await registerDevice(linli, E, { id: 'gate-n1', kind: 'gate', name: '北门道闸' });
  await api('POST', '/households', { building: '3', unit: '2', room: '501' });
  await api('POST', '/residents', { householdId: '3-2-501', name: '王小芳', isPrimary: true });
  await api('POST', '/accounts/assets', { id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'] });
  await api('POST', '/accounts/assets', { id: 'shed-3', name: '3号充电棚', kind: 'shed', deviceIds: [] });
  await api('POST', '/accounts/assets/north-gate/contributions', { householdId: '3-2-501', amountFen: 50_000, at: `${P}-03`, note: '道闸集资' });
  await api('POST', '/accounts/assets/north-gate/costs', { category: 'repair', amountFen: 12_000, at: `${P}-10`, note: '更换道闸电机' });
  paidStay('鄂A12345');
  for (const month of [Q, P]) published[month] = await api('POST', `/accounts/assets/north-gate/statements/${month}/publish`);
  for (const role of ['resident', 'guard'] as const) {
    await linli.api('POST', '/api/users', { username: `nb-${role}`, password: `${role}-password-1`, role, mustChangePassword: false });
    users[role] = (await linli.api<any>('POST', '/api/auth/login', { username: `nb-${role}`, password: `${role}-password-1` })).body.token;
  }
  if (localMonthOf(new Date().toISOString()) !== C) throw new Error('the month turned while the test was setting up: run it again');
});
afterAll(async () => {
  await linli.stop();
});

describe('the list of published months', () => {
  it('a resident sees each published month, newest first, with its closing and digest, and not who published it', async () => {
    const r = await board(users.resident);
    expect(r.status).toBe(200);
    expect(published[P]).toMatchObject({ publishedBy: 'admin', closingFen: 38_600 });
    expect(r.body.items).toEqual([
      { assetId: 'north-gate', assetName: '北门道闸', assetKind: 'gate', month: P, publishedAt: published[P]!.publishedAt, closingFen: 38_600, digest: published[P]!.digest },
      { assetId: 'north-gate', assetName: '北门道闸', assetKind: 'gate', month: Q, publishedAt: published[Q]!.publishedAt, closingFen: 0, digest: published[Q]!.digest },
    ]);
    expect(JSON.stringify((await board(users.guard)).body)).not.toContain('publishedBy');
  });

  it('the committee sees who published each month', async () => {
    const r = await board(linli.token);
    expect(r.body.items.map((i: any) => [i.month, i.publishedBy])).toEqual([
      [P, 'admin'],
      [Q, 'admin'],
    ]);
  });

  it('asks for a sign-in, and an unknown estate is a 404', async () => {
    expect((await linli.api('GET', `/api/estates/${E}/notice-board`, undefined, '')).status).toBe(401);
    expect((await linli.api('GET', '/api/estates/nowhere/notice-board', undefined, users.resident)).status).toBe(404);
  });
});

describe('a published month’s statement', () => {
  let res: Response;
  let got: Buffer;
  beforeAll(async () => {
    res = await file(`/notice-board/north-gate/${P}`, users.resident);
    got = await bytes(res);
  });

  it('is the CSV the committee published, byte for byte: its SHA-256 is the digest published and the one in the header', async () => {
    expect(res.status).toBe(200);
    expect(sha256(got)).toBe(published[P]!.digest);
    expect(res.headers.get('x-linli-digest')).toBe(`sha256=${published[P]!.digest}`);
    const committee = await file(`/accounts/assets/north-gate/statements/${P}?format=csv`, linli.token);
    expect(got.equals(await bytes(committee))).toBe(true);
    expect([...got.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('is served as UTF-8 CSV to show, named like the committee’s export', () => {
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename*=UTF-8''${encodeURIComponent(`公开账目-北门道闸-${P}.csv`)}`);
    const lines = got.toString('utf8').slice(1).split('\r\n');
    expect(lines).toContain('期末余额,,,386.00');
  });

  it('names the household and the car only masked: the full name and plate appear nowhere a resident can read', async () => {
    const csv = got.toString('utf8');
    expect(csv).toContain('3-2-501,王*芳,500.00');
    expect(csv).toContain('鄂A***45');
    const list = JSON.stringify((await board(users.resident)).body);
    for (const text of [csv, list]) for (const full of ['王小芳', '鄂A12345']) expect(text).not.toContain(full);
  });

  it('a month not published is a 404, whoever asks: this month, an asset never published, an unknown asset', async () => {
    for (const path of [`/notice-board/north-gate/${C}`, `/notice-board/shed-3/${P}`, `/notice-board/nothing/${P}`]) {
      for (const token of [users.resident, linli.token]) {
        const r = await file(path, token);
        expect(r.status, path).toBe(404);
        expect(await r.text(), path).not.toContain('期末余额');
      }
    }
    expect((await file('/notice-board/north-gate/2026-13', users.resident)).status).toBe(400);
  });
});
