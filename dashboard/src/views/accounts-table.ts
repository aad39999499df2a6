import { h } from '../dom.js';
import { yuan } from '../format.js';
import { ta, type AccountsKey } from '../messages/accounts.js';

/* The statement's tables and figures, the same on screen and on A4 (styles.css, @media print). */

/** A cell: text, a node (a line's 冲销 button beside its text), or a right-aligned amount. */
export type Cell = string | Node | { text: string; num?: boolean; testid?: string };
/** A row, with how it is marked (a reversal in red) and the statement line it shows. */
export interface Row {
  cells: Cell[];
  cls?: string;
  lineId?: string;
  source?: string;
}

/** -50000 → "-¥500": a reversal reads as minus money, not "¥-500". */
export const money = (fen: number): string => (fen < 0 ? `-${yuan(-fen)}` : yuan(fen));
export const num = (fen: number, testid?: string): Cell => ({ text: money(fen), num: true, testid });

const td = (c: Cell) => (typeof c === 'string' || c instanceof Node ? h('td', {}, c) : h('td', { class: c.num ? 'num' : undefined, testid: c.testid }, c.text));

function tr(r: Row): HTMLTableRowElement {
  const row = h('tr', { class: r.cls, testid: r.lineId ? 'statement-line' : undefined }, ...r.cells.map(td));
  if (r.lineId) Object.assign(row.dataset, { lineId: r.lineId, source: r.source });
  return row;
}

export function table(testid: string, head: AccountsKey[], rows: Row[], totalFen?: number): HTMLElement {
  const amountAt = head.indexOf('st.amount');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid, class: 'table statement__table' },
      h('thead', {}, h('tr', {}, ...head.map((k) => h('th', { class: k === 'st.amount' || k === 'st.expected' || k === 'st.actual' ? 'num' : undefined }, ta(k))))),
      h('tbody', {}, ...rows.map(tr)),
      totalFen === undefined ? undefined : h('tfoot', {}, h('tr', {}, h('th', { attrs: { colspan: amountAt } }, ta('st.total')), td(num(totalFen, `${testid}-total`)), ...head.slice(amountAt + 1).map(() => h('td', {})))),
    ),
  );
}

export function figure(testid: string, label: AccountsKey, fen: number): HTMLElement {
  const dd = h('dd', { testid }, money(fen));
  dd.dataset.fen = String(fen);
  return h('div', { class: 'stat' }, h('dt', {}, ta(label)), dd);
}

export const part = (title: AccountsKey, ...children: (Node | undefined)[]) => h('section', { class: 'statement__part' }, h('h3', { class: 'usage__title' }, ta(title)), ...children);
export const none = () => h('p', { class: 'hint' }, ta('st.none'));
