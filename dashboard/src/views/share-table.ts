import { h } from '../dom.js';
import { yuan } from '../format.js';

export interface ShareRow {
  householdId: string;
  /** The columns between the household and its share (floor, coefficient, weight…). */
  cells: { testid: string; text: string }[];
  shareFen: number;
  /** The server's arithmetic for this row, shown under it so anyone can redo it. */
  formula: string;
}

/**
 * Households and what each pays, each row followed by its formula, and the
 * total of the rows as added up here: the committee sees that the shares
 * really make the whole before the notice goes on the board.
 */
export function shareTable(o: { testid: string; head: string[]; rows: ShareRow[]; sumLabel: string }): { el: HTMLElement; sumFen: number } {
  const cols = o.head.length;
  const sumFen = o.rows.reduce((s, r) => s + r.shareFen, 0);
  const body = o.rows.flatMap((r) => {
    const tr = h(
      'tr',
      { testid: 'share-row', class: 'share' },
      h('td', { testid: 'share-household' }, r.householdId),
      ...r.cells.map((c) => h('td', { testid: c.testid }, c.text)),
      h('td', { testid: 'share-fen', class: 'num' }, yuan(r.shareFen)),
    );
    tr.dataset.householdId = r.householdId;
    tr.dataset.fen = String(r.shareFen);
    const formula = h('tr', { class: 'share__formula' }, h('td', { testid: 'share-formula', attrs: { colspan: cols } }, r.formula));
    formula.dataset.householdId = r.householdId;
    return [tr, formula];
  });
  const sum = h('td', { testid: `${o.testid}-sum`, class: 'num' }, yuan(sumFen));
  sum.dataset.fen = String(sumFen);
  const el = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid: o.testid, class: 'table table--shares' },
      h('thead', {}, h('tr', {}, ...o.head.map((text, i) => h('th', { class: i === cols - 1 ? 'num' : undefined }, text)))),
      h('tbody', {}, ...body),
      h('tfoot', {}, h('tr', {}, h('th', { attrs: { colspan: cols - 1 } }, o.sumLabel), sum)),
    ),
  );
  return { el, sumFen };
}
