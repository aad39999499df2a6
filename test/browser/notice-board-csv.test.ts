import { describe, expect, it } from 'vitest';
import { statementCsv } from '../../server/accounts/csv.js';
import { buildStatement } from '../../server/accounts/statement.js';
import type { FundSums } from '../../server/accounts/types.js';
import { parseCsv, sections } from '../../dashboard/src/views/notice-board-csv.js';

/* 公示栏 reads the published CSV back: what the statement writer (server/accounts/csv.ts) puts in comes out cell for cell. */
describe('parseCsv', () => {
  it.each([
    ['plain cells, CRLF rows', 'a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['a BOM is not part of the first cell', '\uFEFF公开账目,安居小区\r\n', [['公开账目', '安居小区']]],
    ['a comma inside quotes', '"3-2-501,王*芳",500.00\r\n', [['3-2-501,王*芳', '500.00']]],
    ['a doubled quote is one quote', '"他说""好""",x\r\n', [['他说"好"', 'x']]],
    ['only quotes', '"""",""\r\n', [['"', '']]],
    ['a line break inside quotes stays in the cell', '"第一行\r\n第二行",y\r\n', [['第一行\r\n第二行', 'y']]],
    ['empty cells and a blank row', ',,,880.00\r\n\r\n收入\r\n', [['', '', '', '880.00'], [''], ['收入']]],
    ['LF rows, no line break at the end', 'a\nb,', [['a'], ['b', '']]],
    ['a quote inside an unquoted cell is text', 'ab"c,d', [['ab"c', 'd']]],
    ['nothing', '', []],
  ])('%s', (_, text, rows) => expect(parseCsv(text)).toEqual(rows));
});

const NONE: FundSums = { contributionsFen: 0, parkingFen: 0, chargingFen: 0, ridesFen: 0, plansFen: 0, costsFen: 0 };
/* The north gate in October 2026: 张伟 gives ¥300.50 with a note a spreadsheet would run as a formula; a repair ¥120. */
const csv = statementCsv(
  buildStatement({
    estateId: 'e',
    month: '2026-10',
    asset: { estateId: 'e', id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: [], createdBy: 'admin', createdAt: '' },
    before: NONE,
    during: { ...NONE, contributionsFen: 30_050, costsFen: 12_000 },
    upToEnd: { ...NONE, contributionsFen: 30_050, costsFen: 12_000 },
    contributions: [{ id: 'c-1', at: '2026-10-05T02:00:00.000Z', householdId: '1-1-101', label: '1-1-101', name: '张伟', amountFen: 30_050, note: '=HYPERLINK("x"), "带引号"', source: 'entered', reverses: null, reversedBy: null }],
    income: [],
    costs: [{ id: 'k-1', at: '2026-10-09T16:00:00.000Z', category: 'repair', amountFen: 12_000, note: '更换道闸电机', recordedBy: 'admin', source: 'entered', reverses: null, reversedBy: null }],
    estateIncome: { ledgerFen: 0, attributedFen: 0, unallocatedFen: 0 },
    prepaid: { openingFen: 0, topupsFen: 0, refundsFen: 0, spentFen: 0, closingFen: 0 },
    balances: { accountsFen: 0, ledgerFen: 0 },
    published: null,
  }),
  '安居小区',
);

describe('a statement written by the server, read back', () => {
  const rows = parseCsv(csv);

  it('gives back the quoted note with its comma and quotes (and the formula guard the writer added)', () => {
    expect(rows).toContainEqual(['2026-10-05 10:00', '1-1-101', '张*', '300.50', `'=HYPERLINK("x"), "带引号"`]);
    expect(rows[0]).toEqual(['公开账目', '安居小区', '北门道闸（道闸）', '2026-10']);
  });

  it('splits into the paper’s sections: headings, column heads, and lone figure rows', () => {
    const s = sections(rows);
    expect(s.map((x) => x.title)).toEqual(['公开账目 · 安居小区 · 北门道闸（道闸） · 2026-10', undefined, '捐资/集资', '收入', '支出', undefined, expect.stringMatching(/^预存余额/), '对账 · 全部一致']);
    expect(s[2]).toEqual({ title: '捐资/集资', head: ['日期', '户号', '姓名', '金额（元）', '备注'], rows: [rows.find((r) => r[2] === '张*'), ['捐资合计', '', '', '300.50']] });
    expect(s[5]).toEqual({ title: undefined, head: undefined, rows: [['期末余额', '', '', '180.50']] });
    expect(s[6]!.head).toBeUndefined(); // 期初, 充值…: figures straight under the heading
    expect(s[7]!.head).toEqual(['核对项', '账簿合计（元）', '明细合计（元）', '结果']);
  });
});
