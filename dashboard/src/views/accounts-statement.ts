import { h } from '../dom.js';
import { day, yuan } from '../format.js';
import { labelOf, ta, type AccountsKey } from '../messages/accounts.js';
import type { Statement } from '../types-accounts.js';

/* One asset's month as it goes on the notice board: the same on screen and on A4 (styles.css, @media print). */

type Cell = string | { text: string; num?: boolean; testid?: string };

function table(testid: string, head: AccountsKey[], rows: Cell[][], total?: string): HTMLElement {
  const td = (c: Cell, tag: 'td' | 'th' = 'td') => (typeof c === 'string' ? h(tag, {}, c) : h(tag, { class: c.num ? 'num' : undefined, testid: c.testid }, c.text));
  const money = (text: string, testid?: string): Cell => ({ text, num: true, testid });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid, class: 'table statement__table' },
      h('thead', {}, h('tr', {}, ...head.map((k) => h('th', { class: k === 'st.amount' || k === 'st.expected' || k === 'st.actual' ? 'num' : undefined }, ta(k))))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => td(c))))),
      total === undefined ? undefined : h('tfoot', {}, h('tr', {}, h('th', { attrs: { colspan: head.indexOf('st.amount') } }, ta('st.total')), td(money(total, `${testid}-total`)), ...head.slice(head.indexOf('st.amount') + 1).map(() => h('td', {})))),
    ),
  );
}

const num = (fen: number, testid?: string): Cell => ({ text: yuan(fen), num: true, testid });
const part = (title: AccountsKey, ...children: (Node | undefined)[]) => h('section', { class: 'statement__part' }, h('h3', { class: 'usage__title' }, ta(title)), ...children);
const none = () => h('p', { class: 'hint' }, ta('st.none'));

function figure(testid: string, label: AccountsKey, fen: number): HTMLElement {
  const dd = h('dd', { testid }, yuan(fen));
  dd.dataset.fen = String(fen);
  return h('div', { class: 'stat' }, h('dt', {}, ta(label)), dd);
}

/** The printed title: "幸福里小区 2026年10月 北门道闸 公开账目". */
export function statementTitle(estate: string, asset: string, month: string): string {
  const [y, m] = month.split('-');
  return ta('acc.title', { estate, asset, y: y!, m: Number(m), mm: m! });
}

export function statementView(s: Statement, estate: string): HTMLElement {
  const byCategory = new Map<string, number>();
  for (const c of s.costs.lines) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + c.amountFen);
  const ok = s.reconciliation.ok;
  const badge = h('span', { testid: 'statement-reconciled', class: `badge ${ok ? 'badge--on' : 'badge--off'}` }, ta(ok ? 'st.ok' : 'st.bad'));
  badge.dataset.ok = String(ok);
  const el = h(
    'article',
    { testid: 'statement', class: 'statement' },
    h('h2', { testid: 'statement-title', class: 'statement__title' }, statementTitle(estate, s.asset.name, s.month)),
    h('p', { class: 'statement__sub' }, ta('st.period', { from: day(s.from), to: day(new Date(Date.parse(s.to) - 1).toISOString()) }), ' · ', labelOf('kind', s.asset.kind), ' ', badge),
    h(
      'dl',
      { class: 'stats' },
      figure('statement-opening', 'st.opening', s.openingFen),
      figure('statement-contributed', 'st.contributions', s.contributions.totalFen),
      figure('statement-income', 'st.income', s.income.totalFen),
      figure('statement-costs', 'st.costs', s.costs.totalFen),
      figure('statement-closing', 'st.closing', s.closingFen),
    ),
    part(
      'st.contributions',
      s.contributions.lines.length
        ? table(
            'statement-contribution-lines',
            ['st.date', 'st.household', 'st.name', 'st.amount', 'st.note'],
            s.contributions.lines.map((c) => [day(c.at), c.household, c.name ?? '', num(c.amountFen), [c.note, c.source === 'elevator-member' ? ta('st.member') : ''].filter(Boolean).join(' · ')]),
            yuan(s.contributions.totalFen),
          )
        : none(),
    ),
    part(
      'st.income',
      h('p', { class: 'statement__sums' }, ...(['parking', 'charging', 'ride'] as const).map((src) => h('span', {}, `${labelOf('src', src)} ${yuan(src === 'parking' ? s.income.parkingFen : src === 'charging' ? s.income.chargingFen : s.income.ridesFen)}`))),
      s.income.lines.length ? table('statement-income-lines', ['st.date', 'st.source', 'st.ref', 'st.amount'], s.income.lines.map((l) => [day(l.at), labelOf('src', l.source), l.ref, num(l.amountFen)]), yuan(s.income.totalFen)) : none(),
    ),
    part(
      'st.costs',
      byCategory.size ? h('p', { class: 'statement__sums' }, ...[...byCategory].map(([cat, fen]) => h('span', {}, `${labelOf('cat', cat)} ${yuan(fen)}`))) : undefined,
      s.costs.lines.length
        ? table(
            'statement-cost-lines',
            ['st.date', 'st.category', 'st.amount', 'st.note', 'st.by'],
            s.costs.lines.map((c) => [day(c.at), labelOf('cat', c.category), num(c.amountFen), [c.note, c.source === 'elevator-running-costs' ? ta('st.fromLift') : ''].filter(Boolean).join(' · '), c.recordedBy]),
            yuan(s.costs.totalFen),
          )
        : none(),
    ),
    part(
      'st.prepaid',
      h(
        'dl',
        { class: 'stats' },
        figure('prepaid-opening', 'st.prepaidOpening', s.prepaid.openingFen),
        figure('prepaid-topups', 'st.topups', s.prepaid.topupsFen),
        figure('prepaid-refunds', 'st.refunds', s.prepaid.refundsFen),
        figure('prepaid-spent', 'st.spent', s.prepaid.spentFen),
        figure('prepaid-closing', 'st.prepaidClosing', s.prepaid.closingFen),
      ),
    ),
    part(
      'st.checks',
      table(
        'statement-checks',
        ['st.check', 'st.expected', 'st.actual'],
        s.reconciliation.checks.map((c) => [`${c.expectedFen === c.actualFen ? '✓' : '✗'} ${labelOf('check', c.name)}`, num(c.expectedFen), num(c.actualFen)]),
      ),
    ),
  );
  el.dataset.month = s.month;
  el.dataset.assetId = s.asset.id;
  return el;
}
