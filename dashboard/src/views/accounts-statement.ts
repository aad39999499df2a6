import { h } from '../dom.js';
import { day } from '../format.js';
import { labelOf, ta } from '../messages/accounts.js';
import type { Statement } from '../types-accounts.js';
import { contributionsPart, costsPart, type Reverse } from './accounts-lines.js';
import { publishControl, publishedBadge, publishedDigest } from './accounts-publish.js';
import { figure, money, none, num, part, table } from './accounts-table.js';

/* One asset's month as it goes on the notice board: the same on screen and on A4 (styles.css, @media print). */

/** What the committee can do to the statement shown: reverse a line, publish the month. Absent, it is read-only. */
export interface StatementActions {
  reverse: Reverse;
  publish(): Promise<void>;
}

/** The printed title: "幸福里小区 2026年10月 北门道闸 公开账目". */
export function statementTitle(estate: string, asset: string, month: string): string {
  const [y, m] = month.split('-');
  return ta('acc.title', { estate, asset, y: y!, m: Number(m), mm: m! });
}

export function statementView(s: Statement, estate: string, actions?: StatementActions): HTMLElement {
  const ok = s.reconciliation.ok;
  const badge = h('span', { testid: 'statement-reconciled', class: `badge ${ok ? 'badge--on' : 'badge--off'}` }, ta(ok ? 'st.ok' : 'st.bad'));
  badge.dataset.ok = String(ok);
  const el = h(
    'article',
    { testid: 'statement', class: 'statement' },
    h('h2', { testid: 'statement-title', class: 'statement__title' }, statementTitle(estate, s.asset.name, s.month)),
    h('p', { class: 'statement__sub' }, ta('st.period', { from: day(s.from), to: day(new Date(Date.parse(s.to) - 1).toISOString()) }), ' · ', labelOf('kind', s.asset.kind), ' ', badge, publishedBadge(s)),
    publishControl(s, actions?.publish),
    publishedDigest(s),
    h(
      'dl',
      { class: 'stats' },
      figure('statement-opening', 'st.opening', s.openingFen),
      figure('statement-contributed', 'st.contributions', s.contributions.totalFen),
      figure('statement-income', 'st.income', s.income.totalFen),
      figure('statement-costs', 'st.costs', s.costs.totalFen),
      figure('statement-closing', 'st.closing', s.closingFen),
    ),
    contributionsPart(s, actions?.reverse),
    part(
      'st.income',
      h('p', { class: 'statement__sums' }, ...(['parking', 'charging', 'ride'] as const).map((src) => h('span', {}, `${labelOf('src', src)} ${money(src === 'parking' ? s.income.parkingFen : src === 'charging' ? s.income.chargingFen : s.income.ridesFen)}`))),
      s.income.lines.length ? table('statement-income-lines', ['st.date', 'st.source', 'st.ref', 'st.amount'], s.income.lines.map((l) => ({ cells: [day(l.at), labelOf('src', l.source), l.ref, num(l.amountFen)] })), s.income.totalFen) : none(),
    ),
    costsPart(s, actions?.reverse),
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
        s.reconciliation.checks.map((c) => ({ cells: [`${c.expectedFen === c.actualFen ? '✓' : '✗'} ${labelOf('check', c.name)}`, num(c.expectedFen), num(c.actualFen)] })),
      ),
    ),
  );
  el.dataset.month = s.month;
  el.dataset.assetId = s.asset.id;
  return el;
}
