import { describe, expect, it } from 'vitest';
import { mapHeader, headerKey } from '../../server/estate/import-columns.js';
import { readImport } from '../../server/estate/import.js';
import { looseDate, plateList } from '../../server/estate/import-rows.js';
import { isCalendarDate, vehicleProblem } from '../../server/estate/model.js';

const HEADER = '楼栋,单元,房号,面积(㎡),车位数,姓名,电话,车牌,车辆类型,有效期至,卡号,备注';
const read = (...rows: string[]) => readImport(Buffer.from([HEADER, ...rows].join('\n')));
const errorsOf = (...rows: string[]) => read(...rows).errors.map(({ line, field }) => ({ line, field }));

describe('import header', () => {
  it('accepts Chinese and English headers, full-width forms and units in brackets', () => {
    const m = mapHeader(['楼栋', 'Unit', ' 房号 ', '面积（㎡）', 'Parking Spaces', 'valid-until', '序号']);
    expect([...m.columns.keys()]).toEqual(['building', 'unit', 'room', 'area_m2', 'parking_spaces', 'valid_until']);
    expect(m.columns.get('room')!.header).toBe('房号');
    expect(m.ignored).toEqual(['序号']);
    expect(m.problems).toEqual([]);
    expect(headerKey('Ｒｏｏｍ')).toBe('room');
  });
  it('refuses a missing required column and a column given twice', () => {
    const m = mapHeader(['楼栋', 'building', '房号']);
    expect(m.problems).toEqual([
      { field: 'building', message: expect.stringMatching(/same column as "楼栋"/) },
      { field: 'unit', message: expect.stringMatching(/missing column unit/) },
    ]);
  });
});

describe('import rows', () => {
  it('turns a good row into a household with its resident, vehicles and cards', () => {
    const r = read('3号楼,2单元,501室,85.5㎡,1,张三,13800138000,"鄂a·12345；鄂A12345、粤B D12345",月租,2026/6/30,C001;C002,"东边, 靠电梯"');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        value: {
          household: { building: '3', unit: '2', room: '501', areaM2: 85.5, parkingSpaces: 1, note: '东边, 靠电梯' },
          resident: { name: '张三', phone: '13800138000' },
          vehicles: [
            { plate: '鄂A12345', class: 'monthly', validUntil: '2026-06-30' },
            { plate: '粤BD12345', class: 'monthly', validUntil: '2026-06-30' },
          ],
          cards: ['C001', 'C002'],
        },
      },
    ]);
  });

  it('empty optional cells mean none or the default; absent columns mean "keep"', () => {
    const r = read('3,2,501,,,,,,,,,');
    expect(r.rows[0]!.value).toEqual({
      household: { building: '3', unit: '2', room: '501', areaM2: null, parkingSpaces: 0, note: '' },
      resident: undefined,
      vehicles: [],
      cards: [],
    });
    const minimal = readImport(Buffer.from('building,unit,room\nA,1,１０１'));
    expect(minimal.rows[0]!.value.household).toEqual({ building: 'A', unit: '1', room: '101', areaM2: undefined, parkingSpaces: undefined, note: undefined });
  });

  it.each([
    ['bad plate', '3,2,501,,,,,鄂A1234,,,,', '车牌', /鄂A1234: too short/],
    ['unknown province', '3,2,501,,,,,XA12345,,,,', '车牌', /XA12345: missing province/],
    ['missing room', '3,2,,,,,,,,,,', '房号', /room number is required/],
    ['building with a dash', '3-1,2,501,,,,,,,,,', '楼栋', /letters or digits/],
    ['bad area', '3,2,501,八十,,,,,,,,', '面积(㎡)', /number of square metres/],
    ['zero area', '3,2,501,0,,,,,,,,', '面积(㎡)', /more than 0/],
    ['negative spaces', '3,2,501,,-1,,,,,,,', '车位数', /whole number/],
    ['bad phone', '3,2,501,,,张三,call me,,,,,', '电话', /digits/],
    ['phone without a name', '3,2,501,,,,13800138000,,,,,', '电话', /needs a name/],
    ['unknown class', '3,2,501,,,,,鄂A12345,VIP,,,', '车辆类型', /one of resident, monthly/],
    ['bad date', '3,2,501,,,,,,,2025-13-45,,', '有效期至', /not a calendar date/],
    ['not a date', '3,2,501,,,,,,,next year,,', '有效期至', /a date like/],
    ['monthly without an end', '3,2,501,,,,,鄂A12345,月租,,,', '有效期至', /monthly pass needs/],
    ['bad card id', '3,2,501,,,,,,,,卡#1,', '卡号', /卡#1: must match/],
    ['too many cells', '3,2,501,,,,,,,,,,surprise', null, /13 cells but the header has 12/],
  ])('%s → one error naming the column', (_, row, field, message) => {
    const r = read(row);
    expect(r.errors).toEqual([{ line: 2, field, message: expect.stringMatching(message) }]);
    expect(r.rows).toEqual([]);
  });

  it('reports every bad column of a row, once each', () => {
    expect(errorsOf('3,2,,八十,x,,,鄂A1,,,,')).toEqual([
      { line: 2, field: '房号' },
      { line: 2, field: '面积(㎡)' },
      { line: 2, field: '车位数' },
      { line: 2, field: '车牌' },
    ]);
  });

  it('a household, plate or card on two rows is an error on the later row', () => {
    expect(
      errorsOf(
        '3,2,501,,,,,鄂A12345,,,C1,',
        '3,2,502,,,,,鄂A12346,,,C2,',
        '3号楼,2,501,,,,,,,,,',
        '3,2,503,,,,,鄂a12345,,,C2,',
      ),
    ).toEqual([
      { line: 4, field: '房号' },
      { line: 5, field: '车牌' },
      { line: 5, field: '卡号' },
    ]);
    expect(read('3,2,501,,,,,,,,,', '3,2,501,,,,,,,,,').errors[0]!.message).toBe('household 3-2-501 is also on line 2');
  });

  it('line numbers count the header, blank lines and line breaks inside quotes', () => {
    const text = `${HEADER}\r\n3,2,501,,,,,,,,,"two\r\nlines"\r\n\r\n3,2,,,,,,,,,,\r\n`;
    expect(readImport(Buffer.from(text)).errors.map((e) => e.line)).toEqual([5]);
  });

  it('an empty file, a header alone and an unclosed quote are errors at their line', () => {
    expect(readImport(Buffer.from('')).errors).toEqual([{ line: 1, field: null, message: expect.stringMatching(/empty/) }]);
    expect(readImport(Buffer.from(HEADER + '\n')).errors).toEqual([{ line: 2, field: null, message: expect.stringMatching(/no household rows/) }]);
    expect(read('3,2,501,,,,,,,,,"open').errors).toEqual([{ line: 2, field: null, message: expect.stringMatching(/never closed/) }]);
  });
});

describe('values', () => {
  it.each([
    ['鄂A12345;鄂B23456', ['鄂A12345', '鄂B23456']],
    ['鄂A12345、鄂B23456；鄂C34567,鄂D45678', ['鄂A12345', '鄂B23456', '鄂C34567', '鄂D45678']],
    ['鄂A12345 鄂B23456', ['鄂A12345', '鄂B23456']],
    ['鄂A 12345 鄂B 23456', ['鄂A12345', '鄂B23456']],
    ['  鄂A·12345 ;; ', ['鄂A·12345']],
    ['', []],
  ])('plateList(%j)', (input, out) => expect(plateList(input)).toEqual(out));

  it.each([
    ['2025-12-31', '2025-12-31'],
    ['2025/1/5', '2025-01-05'],
    ['2025.01.05', '2025-01-05'],
    ['2025年1月5日', '2025-01-05'],
    ['31/12/2025', '31/12/2025'],
  ])('looseDate(%s) = %s', (input, out) => expect(looseDate(input)).toBe(out));

  it('calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
  });

  it.each([
    [{ householdId: null, class: 'resident', validFrom: null, validUntil: null }, 'householdId'],
    [{ householdId: null, class: 'blacklist', validFrom: null, validUntil: null }, undefined],
    [{ householdId: '3-2-501', class: 'monthly', validFrom: null, validUntil: null }, 'validUntil'],
    [{ householdId: null, class: 'monthly', validFrom: '2025-02-01', validUntil: '2025-01-31' }, 'validUntil'],
    [{ householdId: null, class: 'monthly', validFrom: '2025-01-01', validUntil: '2025-01-31' }, undefined],
  ] as const)('vehicle rules %#', (v, field) => {
    expect(vehicleProblem(v)?.field).toBe(field);
  });
});
