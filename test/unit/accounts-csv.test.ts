import { describe, expect, it } from 'vitest';
import { csvDisposition, statementCsv, yuanOf } from '../../server/accounts/csv.js';
import { maskName, publicRef } from '../../server/accounts/mask.js';
import { buildStatement } from '../../server/accounts/statement.js';
import type { FundSums } from '../../server/accounts/types.js';

const NONE: FundSums = { contributionsFen: 0, parkingFen: 0, chargingFen: 0, ridesFen: 0, plansFen: 0, costsFen: 0 };

/* October 2026, the north gate: opening 0; 王小芳 gives ¥500, 张伟 ¥300.50; 鄂A12345 pays ¥6; a repair ¥120 → closing ¥686.50. */
const statement = () =>
  buildStatement({
    estateId: 'e',
    month: '2026-10',
    asset: { estateId: 'e', id: 'north-gate', name: '北门道闸', kind: 'gate', deviceIds: ['gate-n1'], createdBy: 'admin', createdAt: '' },
    before: NONE,
    during: { ...NONE, contributionsFen: 80_050, parkingFen: 600, costsFen: 12_000 },
    upToEnd: { ...NONE, contributionsFen: 80_050, parkingFen: 600, costsFen: 12_000 },
    contributions: [
      { id: 'contrib-1', at: '2026-10-03T02:00:00.000Z', householdId: '3-2-501', label: '3-2-501', name: '王小芳', amountFen: 50_000, note: null, source: 'entered', reverses: null, reversedBy: null },
      { id: 'contrib-2', at: '2026-10-05T02:00:00.000Z', householdId: '1-1-101', label: '1-1-101', name: '张伟', amountFen: 30_050, note: '=HYPERLINK("x"), "带引号"', source: 'entered', reverses: null, reversedBy: null },
    ],
    income: [{ source: 'parking', at: '2026-10-12T04:05:00.000Z', amountFen: 600, deviceId: 'gate-n1', plate: '鄂A12345' }],
    costs: [{ id: 'cost-1', at: '2026-10-09T16:00:00.000Z', category: 'repair', amountFen: 12_000, note: '更换道闸电机', recordedBy: 'admin', source: 'entered', reverses: null, reversedBy: null }],
    estateIncome: { ledgerFen: 600, attributedFen: 600, unallocatedFen: 0 },
    prepaid: { openingFen: 1_000, topupsFen: 15_000, refundsFen: 0, spentFen: 2_800, closingFen: 13_200 },
    balances: { accountsFen: 13_200, ledgerFen: 13_200 },
    published: null,
  });

describe('yuan from fen, without float arithmetic', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [60, '0.60'],
    [100, '1.00'],
    [30_050, '300.50'],
    [-1_821, '-18.21'],
    [-5, '-0.05'],
    [9_007_199_254_740_991, '90071992547409.91'],
  ])('%i fen → %s', (fen, yuan) => expect(yuanOf(fen)).toBe(yuan));
  it('refuses a fraction of a fen', () => expect(() => yuanOf(0.5)).toThrow(RangeError));
});

describe('masking', () => {
  it.each([
    ['王小芳', '王*芳'],
    ['王芳', '王*'],
    ['欧阳小芳', '欧**芳'],
    ['王', '*'],
    ['𠮷野家', '𠮷*家'],
  ])('%s → %s', (name, masked) => expect(maskName(name)).toBe(masked));
  it('no resident on record stays null', () => expect(maskName(null)).toBeNull());
  it('plates and cards keep only their ends; an elevator is named', () => {
    expect(publicRef({ source: 'parking', at: '', amountFen: 1, deviceId: null, plate: '鄂AD12345' })).toBe('鄂A***45');
    expect(publicRef({ source: 'charging', at: '', amountFen: 1, deviceId: null, cardId: '0012345678', sessionId: 's' })).toBe('***678');
    expect(publicRef({ source: 'charging', at: '', amountFen: 1, deviceId: null, cardId: null, sessionId: 'sess-1' })).toBe('sess-1');
    expect(publicRef({ source: 'ride', at: '', amountFen: 1, deviceId: 'lift-1', elevator: '3号楼2单元电梯' })).toBe('3号楼2单元电梯');
  });
});

describe('the statement as CSV', () => {
  const csv = statementCsv(statement(), '幸福里小区');
  const lines = csv.slice(1).split('\r\n');

  it('starts with the UTF-8 BOM, uses CRLF, and names the estate, asset and month', () => {
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv).not.toMatch(/[^\r]\n/);
    expect(lines[0]).toBe('公开账目,幸福里小区,北门道闸（道闸）,2026-10');
    expect(lines[1]).toBe('期间（北京时间）,2026-10-01,2026-10-31,金额单位：元');
  });

  it('has the sections in order, money in yuan in the fourth column', () => {
    const at = (label: string) => lines.findIndex((l) => l.startsWith(label));
    const order = ['期初余额', '捐资/集资', '收入', '支出', '期末余额', '预存余额'].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines).toContain('期初余额,,,0.00');
    expect(lines).toContain('2026-10-03 10:00,3-2-501,王*芳,500.00,');
    expect(lines).toContain('捐资合计,,,800.50');
    expect(lines).toContain('2026-10-12 12:05,停车费,鄂A***45,6.00');
    expect(lines).toContain('停车费合计,,,6.00');
    expect(lines).toContain('收入合计,,,6.00');
    expect(lines).toContain('2026-10-10 00:00,维修,admin,120.00,更换道闸电机');
    expect(lines).toContain('期末余额,,,686.50');
    expect(lines).toContain('期末,,,132.00');
    expect(lines).toContain('期末余额,686.50,686.50,一致');
  });

  it('never carries a full name or plate', () => expect(csv).not.toMatch(/王小芳|张伟|鄂A12345/));

  it('quotes commas and quotes, and defuses text that Excel would run as a formula', () => {
    expect(lines).toContain(`2026-10-05 10:00,1-1-101,张*,300.50,"'=HYPERLINK(""x""), ""带引号"""`);
  });

  it('is offered as a download named in UTF-8', () => {
    expect(csvDisposition('北门道闸', '2026-10')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('公开账目-北门道闸-2026-10.csv')}`);
    expect(csvDisposition('北门道闸', '2026-10', 'inline')).toBe(`inline; filename*=UTF-8''${encodeURIComponent('公开账目-北门道闸-2026-10.csv')}`);
  });
});
