import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLinli, type TestLinli } from '../support/linli.js';
import { gbk as gbkBytes } from '../support/gbk.js';

const gbk = (text: string) => Buffer.from(gbkBytes(text));

const HEADER = ['楼栋', '单元', '房号', '面积(㎡)', '车位数', '姓名', '电话', '车牌', '车辆类型', '有效期至', '卡号', '备注'] as const;
type Row = Record<(typeof HEADER)[number], string>;

const SURNAMES = '王李张刘陈杨黄赵吴周';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊'];

/** Household i of an estate of 500: 9 buildings, 3 units, 10 floors × 2 rooms. Every third has no car; some have two. */
function aRow(i: number): Row {
  const cars = i % 3 === 0 ? [] : i % 7 === 0 ? [`鄂A${10000 + i}`, `鄂B${20000 + i}`] : [`鄂A${10000 + i}`];
  const monthly = i % 11 === 0 && cars.length > 0;
  return {
    楼栋: String(1 + Math.floor(i / 60)),
    单元: String(1 + Math.floor((i % 60) / 20)),
    房号: String(100 * (1 + Math.floor((i % 20) / 2)) + 1 + (i % 2)),
    '面积(㎡)': `${60 + (i % 50)}.5`,
    车位数: i % 4 === 0 ? '1' : '',
    姓名: SURNAMES[i % 10]! + GIVEN[i % 7]!,
    电话: `138${String(10_000_000 + i).slice(-8)}`,
    车牌: cars.join(';'),
    车辆类型: monthly ? '月租' : i % 5 === 0 ? '业主' : '',
    有效期至: monthly ? '2026/06/30' : '',
    卡号: i % 6 === 0 ? `C${i};C${i}b` : `C${i}`,
    备注: i % 13 === 0 ? '东边, 靠近电梯' : '',
  };
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
/** Excel's "CSV UTF-8": BOM, CRLF. */
function toCsv(rows: Row[]): string {
  return [HEADER.join(','), ...rows.map((r) => HEADER.map((h) => quote(r[h])).join(','))].join('\r\n') + '\r\n';
}


const REGISTERED_ELSEWHERE = '京A88888';

/**
 * Ten bad rows of different kinds, by row index (file line = index + 2). Each
 * breaks exactly one column; the rest of the file is good.
 */
const BAD: Record<number, { fix: Partial<Row>; field: (typeof HEADER)[number] }> = {
  7: { fix: { 车牌: '鄂A1234' }, field: '车牌' }, // too short
  50: { fix: { 房号: '' }, field: '房号' }, // missing room
  99: { fix: { 楼栋: aRow(98).楼栋, 单元: aRow(98).单元, 房号: aRow(98).房号 }, field: '房号' }, // same household as row 98
  150: { fix: { 车牌: '鄂A55555', 车辆类型: '月租', 有效期至: '2025-13-45' }, field: '有效期至' }, // no 13th month
  200: { fix: { '面积(㎡)': '八十' }, field: '面积(㎡)' },
  250: { fix: { 车牌: '鄂A66666', 车辆类型: 'VIP' }, field: '车辆类型' },
  301: { fix: { 车牌: '鄂A10010' }, field: '车牌' }, // row 10's plate
  350: { fix: { 卡号: '卡#1' }, field: '卡号' },
  400: { fix: { 车位数: '-1' }, field: '车位数' },
  451: { fix: { 车牌: REGISTERED_ELSEWHERE }, field: '车牌' }, // registered to 99-9-999 before the import
};

const goodRows = () => Array.from({ length: 500 }, (_, i) => aRow(i));
const badRows = () => goodRows().map((r, i) => ({ ...r, ...BAD[i]?.fix }));

let linli: TestLinli;
const E = 'estate-import';

async function importCsv(body: string | Buffer, query = '', estateId = E, contentType = 'text/csv') {
  const bytes = typeof body === 'string' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]) : body;
  const res = await fetch(`${linli.url}/api/estates/${estateId}/import/households${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${linli.token}` },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const totals = async (estateId = E) => {
  const total = async (what: string) => (await linli.api('GET', `/api/estates/${estateId}/${what}?limit=1`)).body.total as number;
  return { households: await total('households'), residents: await total('residents'), vehicles: await total('vehicles'), cards: await total('cards') };
};

beforeAll(async () => {
  linli = await startTestLinli();
  for (const id of [E, 'estate-gbk']) expect((await linli.api('POST', '/api/estates', { id, name: '测试小区' })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '99', unit: '9', room: '999' })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: REGISTERED_ELSEWHERE, householdId: '99-9-999' })).status).toBe(201);
});
afterAll(async () => {
  await linli?.stop();
});

describe('household CSV import', () => {
  it('a 500-household file with 10 bad rows reports exactly those 10 and writes nothing', async () => {
    const before = await totals();
    expect(before).toEqual({ households: 1, residents: 0, vehicles: 1, cards: 0 });

    const res = await importCsv(toCsv(badRows()));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'IMPORT_INVALID', imported: 0, errorCount: 10, encoding: 'utf-8' });
    const expected = Object.entries(BAD).map(([i, b]) => ({ line: Number(i) + 2, field: b.field }));
    expect(res.body.errors.map(({ line, field }: any) => ({ line, field }))).toEqual(expected);
    const { 楼栋: b, 单元: u, 房号: r } = aRow(98);
    expect(res.body.errors.find((e: any) => e.line === 101).message).toBe(`household ${b}-${u}-${r} is also on line 100`);
    expect(res.body.errors.find((e: any) => e.line === 303).message).toBe('鄂A10010 is also on line 12');
    expect(res.body.errors.find((e: any) => e.line === 453).message).toMatch(/already registered to household 99-9-999/);

    expect(await totals()).toEqual(before);
    // A dry run of the bad file is refused the same way.
    expect((await importCsv(toCsv(badRows()), '?dryRun=true')).body.errorCount).toBe(10);
  });

  it('a dry run of the fixed file says what it would write, and writes nothing', async () => {
    const res = await importCsv(toCsv(goodRows()), '?dryRun=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, imported: { households: 500, residents: 500 } });
    expect(await totals()).toEqual({ households: 1, residents: 0, vehicles: 1, cards: 0 });
  });

  it('the fixed file imports all 500 households with their residents, plates and cards', async () => {
    const rows = goodRows();
    const plates = rows.flatMap((r) => (r.车牌 ? r.车牌.split(';') : [])).length;
    const cards = rows.flatMap((r) => r.卡号.split(';')).length;
    const res = await importCsv(toCsv(rows));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, imported: { households: 500, residents: 500, vehicles: plates, cards } });
    expect(res.body.created).toEqual(res.body.imported);
    expect(await totals()).toEqual({ households: 501, residents: 500, vehicles: plates + 1, cards });

    const h = (await linli.api('GET', `/api/estates/${E}/households/1-1-101`)).body;
    expect(h).toMatchObject({ id: '1-1-101', areaM2: 60.5, parkingSpaces: 1, note: '东边, 靠近电梯' });
    expect(h.residents).toMatchObject([{ name: '王伟', phone: '13810000000', isPrimary: true }]);
    expect(h.cards.map((c: any) => c.cardId)).toEqual(['C0', 'C0b']);
    expect(h.cards[0]).toMatchObject({ residentId: h.residents[0].id, status: 'active', purposes: ['charger', 'elevator'] });
    expect((await linli.api('GET', `/api/estates/${E}/households/1-1-102`)).body.note).toBe('');
    const monthly = (await linli.api('GET', `/api/estates/${E}/vehicles/${encodeURIComponent('鄂A10011')}`)).body; // row 11
    expect(monthly).toMatchObject({ class: 'monthly', validUntil: '2026-06-30', householdId: '1-1-602' });
  });

  it('importing the same file again updates the households instead of failing or duplicating', async () => {
    const before = await totals();
    const rows = goodRows();
    rows[0]!['面积(㎡)'] = '72';
    const res = await importCsv(toCsv(rows));
    expect(res.status).toBe(200);
    expect(res.body.created).toEqual({ households: 0, residents: 0, vehicles: 0, cards: 0 });
    expect(res.body.updated.households).toBe(500);
    expect(await totals()).toEqual(before);
    expect((await linli.api('GET', `/api/estates/${E}/households/1-1-101`)).body.areaM2).toBe(72);
  });

  it('a file with fewer columns changes only those: absent columns keep their values, nothing is deleted', async () => {
    const before = (await linli.api('GET', `/api/estates/${E}/households/1-1-602`)).body; // row 11: monthly car, 1 resident
    const res = await importCsv('building,unit,room,Area (m2)\n1,1,602,99\n');
    expect(res.body).toMatchObject({ imported: { households: 1, residents: 0, vehicles: 0, cards: 0 }, updated: { households: 1 } });
    const after = (await linli.api('GET', `/api/estates/${E}/households/1-1-602`)).body;
    expect(after.areaM2).toBe(99);
    expect({ ...after, areaM2: before.areaM2, updatedAt: before.updatedAt }).toEqual(before);
  });

  it('a card of another household is refused, naming the column; unknown columns are listed, not imported', async () => {
    const res = await importCsv('序号,building,unit,room,Card No.,门禁卡\n1,1,1,102,x,C0\n');
    expect(res.status).toBe(422);
    expect(res.body.ignoredColumns).toEqual(['序号', 'Card No.']);
    expect(res.body.errors).toEqual([{ line: 2, field: '门禁卡', message: 'card C0 already belongs to household 1-1-101; change it there first' }]);
  });

  it('a GBK file from Excel imports, Chinese intact', async () => {
    const rows = goodRows().slice(0, 20);
    const res = await importCsv(gbk(toCsv(rows)), '', 'estate-gbk');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ encoding: 'gb18030', imported: { households: 20, residents: 20 } });
    const h = (await linli.api('GET', '/api/estates/estate-gbk/households/1-1-102')).body;
    expect(h.residents[0].name).toBe('李芳');
    expect(h.vehicles.map((v: any) => v.plate)).toEqual(['鄂A10001']);
    // Content-Type with a GBK charset is believed too.
    const again = await importCsv(gbk(toCsv(rows)), '?dryRun=true', 'estate-gbk', 'text/csv; charset=GBK');
    expect(again.body).toMatchObject({ encoding: 'gb18030', updated: { households: 20 } });
  });

  it('refuses what is not a CSV body, an unknown estate, and other roles', async () => {
    const json = await linli.api('POST', `/api/estates/${E}/import/households`, { rows: [] });
    expect(json.status).toBe(415);
    expect((await importCsv(toCsv(goodRows().slice(0, 1)), '', 'no-such-estate')).status).toBe(404);
    await linli.api('POST', '/api/users', { username: 'guard1', password: 'guard-pass-1', role: 'guard', mustChangePassword: false });
    const guard = (await linli.api('POST', '/api/auth/login', { username: 'guard1', password: 'guard-pass-1' })).body.token;
    const res = await fetch(`${linli.url}/api/estates/${E}/import/households`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${guard}` }, body: 'a' });
    expect(res.status).toBe(403);
  });

  it('refuses a file over 5 MB', async () => {
    const big = 'building,unit,room,note\r\n' + `1,1,101,${'x'.repeat(100)}\r\n`.repeat(55_000);
    expect((await importCsv(big)).status).toBe(413);
  });
});
