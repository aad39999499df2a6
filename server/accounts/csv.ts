import { localMinute } from './months.js';
import type { Statement } from './statement.js';
import type { LineRef } from './types.js';

/** 12345 → "123.45", -5 → "-0.05": yuan from integer fen by moving the decimal point in the digits, no float division. */
export function yuanOf(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer number of fen: ${fen}`);
  const digits = String(Math.abs(fen)).padStart(3, '0');
  return `${fen < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * One CSV cell. Text typed by people (notes, names) could start with = + - @ and
 * run as a formula when the sheet is opened: such text is prefixed with '. Money
 * cells are written by yuanOf and are never touched.
 */
type Cell = string | null | { yuan: string };
const money = (fen: number): Cell => ({ yuan: yuanOf(fen) });
function cell(v: Cell): string {
  if (v !== null && typeof v === 'object') return v.yuan;
  let s = v ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const KIND_ZH = { gate: '道闸', shed: '充电棚', elevator: '电梯', other: '其他' } as const;
const SOURCE_ZH = { parking: '停车费', charging: '充电费', ride: '乘梯费', plan: '充电包月' } as const;
const CATEGORY_ZH = { electricity: '电费', maintenance: '维保', repair: '维修', inspection: '检验', other: '其他' } as const;
const CHECK_ZH: Record<string, string> = {
  contributions: '捐资/集资',
  'income.parking': '停车费收入',
  'income.charging': '充电费收入',
  'income.rides': '乘梯费收入',
  costs: '支出',
  closing: '期末余额',
  'income.estate': '全小区收入（含未分摊）',
  'prepaid.closing': '预存期末余额',
  'prepaid.balances': '预存余额与流水（当前）',
};

const day = (iso: string) => localMinute(iso).slice(0, 10);
/** A reversal names the line it cancels (its date) before its reason; a reversed line says when it was cancelled. */
function noteOf(l: { note: string | null; reverses: LineRef | null; reversedBy: LineRef | null }): string | null {
  if (l.reverses) return `冲销 ${day(l.reverses.at)} 的记录：${l.note ?? ''}`;
  if (l.reversedBy) return [l.note, `已于 ${day(l.reversedBy.at)} 冲销`].filter(Boolean).join('；');
  return l.note;
}

/**
 * The statement as a spreadsheet for the notice board: UTF-8 with a BOM (Excel
 * in China opens UTF-8 as GBK without it), CRLF, Chinese headings, one section
 * per block, money always in the fourth column, in yuan. Names, plates and
 * cards are already masked in the statement.
 */
export function statementCsv(s: Statement, estateName: string): string {
  const rows: Cell[][] = [];
  const total = (label: string, fen: number) => rows.push([label, '', '', money(fen)]);
  const last = new Date(Date.parse(s.to) - 1).toISOString();
  rows.push(['公开账目', estateName, `${s.asset.name}（${KIND_ZH[s.asset.kind]}）`, s.month]);
  rows.push(['期间（北京时间）', localMinute(s.from).slice(0, 10), localMinute(last).slice(0, 10), '金额单位：元']);
  rows.push([]);
  total('期初余额', s.openingFen);
  rows.push([], ['捐资/集资'], ['日期', '户号', '姓名', '金额（元）', '备注']);
  for (const l of s.contributions.lines) rows.push([localMinute(l.at), l.household, l.name, money(l.amountFen), noteOf(l)]);
  total('捐资合计', s.contributions.totalFen);
  rows.push([], ['收入'], ['日期', '来源', '摘要', '金额（元）']);
  for (const l of s.income.lines) rows.push([localMinute(l.at), SOURCE_ZH[l.source], l.ref, money(l.amountFen)]);
  total('停车费合计', s.income.parkingFen);
  total('充电费合计（含包月）', s.income.chargingFen);
  total('乘梯费合计', s.income.ridesFen);
  total('收入合计', s.income.totalFen);
  rows.push([], ['支出'], ['日期', '类别', '记录人', '金额（元）', '备注']);
  for (const l of s.costs.lines) rows.push([localMinute(l.at), CATEGORY_ZH[l.category], l.recordedBy, money(l.amountFen), noteOf(l)]);
  total('支出合计', s.costs.totalFen);
  rows.push([]);
  total('期末余额', s.closingFen);
  rows.push([], ['预存余额（全小区住户预存，属住户所有，可申请退款，不计入收入）']);
  total('期初', s.prepaid.openingFen);
  total('充值', s.prepaid.topupsFen);
  total('退款', s.prepaid.refundsFen);
  total('消费（计入收入）', s.prepaid.spentFen);
  total('期末', s.prepaid.closingFen);
  rows.push([], ['对账', s.reconciliation.ok ? '全部一致' : '有不一致，请核查'], ['核对项', '账簿合计（元）', '明细合计（元）', '结果']);
  for (const c of s.reconciliation.checks) rows.push([CHECK_ZH[c.name] ?? c.name, money(c.expectedFen), money(c.actualFen), c.expectedFen === c.actualFen ? '一致' : '不一致']);
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * `attachment; filename*=UTF-8''公开账目-北门道闸-2026-03.csv`, percent-encoded (RFC 6266/5987):
 * a download for the committee's export, `inline` for the notice board that shows it.
 */
export function csvDisposition(assetName: string, month: string, mode: 'attachment' | 'inline' = 'attachment'): string {
  const name = `公开账目-${assetName}-${month}.csv`;
  return `${mode}; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
