import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, sniffDelimiter } from '../../server/estate/csv.js';
import { gbk } from '../support/gbk.js';

const cells = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.message);
  return r.records.map((x) => x.cells);
};
const lines = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.message);
  return r.records.map((x) => x.line);
};


describe('parseCsv', () => {
  it.each([
    ['plain', 'a,b,c\n1,2,3', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['lone CR (old Mac Excel)', 'a,b\r1,2', [['a', 'b'], ['1', '2']]],
    ['no newline at the end', 'a\n1', [['a'], ['1']]],
    ['quoted comma', 'a,b\n"东边, 靠电梯",2', [['a', 'b'], ['东边, 靠电梯', '2']]],
    ['doubled quote', 'a\n"他说""好"""', [['a'], ['他说"好"']]],
    ['empty quoted field', 'a,b,c\n"",x,""', [['a', 'b', 'c'], ['', 'x', '']]],
    ['empty cells', 'a,b,c\n,,3', [['a', 'b', 'c'], ['', '', '3']]],
    ['quote inside an unquoted cell is text', 'a\n5"3', [['a'], ['5"3']]],
    ['tab-separated (Excel "Unicode text")', '楼栋\t单元\n3\t2', [['楼栋', '单元'], ['3', '2']]],
    ['comma inside a tab-separated file', 'a\tb\n1,5\t2', [['a', 'b'], ['1,5', '2']]],
  ])('%s', (_, text, expected) => {
    expect(cells(text)).toEqual(expected);
  });

  it('keeps a line break inside quotes and numbers records by the line they start on', () => {
    const text = 'a,b\n"line one\r\nline two",x\n3,4\n';
    expect(cells(text)).toEqual([['a', 'b'], ['line one\nline two', 'x'], ['3', '4']]);
    expect(lines(text)).toEqual([1, 2, 4]);
  });

  it('skips blank and comma-only lines but still counts them', () => {
    const text = 'a,b\n\n1,2\n,,\r\n  , \n3,4';
    expect(cells(text)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(lines(text)).toEqual([1, 3, 6]);
  });

  it('reports an unclosed quote with the line the record starts on', () => {
    expect(parseCsv('a,b\n1,2\n"open,3\n4,5')).toEqual({ ok: false, line: 3, message: expect.stringMatching(/never closed/) });
  });

  it('an empty text has no records', () => {
    expect(cells('')).toEqual([]);
  });

  it('sniffs the delimiter from the header line only', () => {
    expect(sniffDelimiter('a,b\n1\t2')).toBe(',');
    expect(sniffDelimiter('a\tb\n1,2')).toBe('\t');
    expect(sniffDelimiter('a')).toBe(',');
  });
});

describe('decodeCsv', () => {
  const text = '楼栋,姓名,车牌\n3,张三,鄂A12345\n';
  it('reads UTF-8 and drops a BOM', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decodeCsv(withBom)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
  });
  it('reads bytes that are not UTF-8 as GB18030 (Excel in China saves GBK)', () => {
    expect(decodeCsv(gbk(text))).toEqual({ text, encoding: 'gb18030' });
  });
  it('a declared GBK charset is believed', () => {
    expect(decodeCsv(gbk('abc'), 'GBK').encoding).toBe('gb18030');
  });
  it('reads UTF-16LE with its BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(bytes)).toEqual({ text, encoding: 'utf-16le' });
  });
});
