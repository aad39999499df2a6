import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { day } from '../format.js';
import { t } from '../i18n.js';
import { labelOf, ta, type AccountsKey } from '../messages/accounts.js';
import type { Statement } from '../types-accounts.js';
import { money, none, num, part, table, type Cell, type Row } from './accounts-table.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';

/*
 * The statement's contributions and costs, line by line. An entered line has a
 * 冲销 (reverse) button, on screen only: the committee says why, and the server
 * records a line for minus its amount, dated now. A reversal shows in red,
 * naming the day of the line it cancels; that line stays where it was, marked.
 */

export type LineKind = 'contributions' | 'costs';
/** Records a reversal of an entered line; rejects with the server's refusal. */
export type Reverse = (kind: LineKind, lineId: string, reason: string) => Promise<void>;
type ContributionLine = Statement['contributions']['lines'][number];
type CostLine = Statement['costs']['lines'][number];
type Line = ContributionLine | CostLine;

/** A line's note: what a reversal cancels, the note typed, where the money is kept, when it was reversed. */
function noteOf(l: Line, origin?: AccountsKey): string {
  const parts = [l.reverses ? ta('rev.of', { date: day(l.reverses.at) }) : '', l.note ?? '', origin ? ta(origin) : '', l.reversedBy ? ta('rev.by', { date: day(l.reversedBy.at) }) : ''];
  return parts.filter(Boolean).join(' · ');
}

/** 冲销 → which line, and why (required) → 确认冲销: one form under each table, for the line whose button was pressed. */
function reversePanel(kind: LineKind, reverse: Reverse): { form: HTMLFormElement; open(lineId: string, what: string): void } {
  let lineId = '';
  const what = h('p', { testid: 'reverse-what', class: 'reverse__what' });
  const reason = h('input', { testid: 'reverse-reason', attrs: { maxlength: 200, autocomplete: 'off' } });
  const error = errorLine('reverse-error');
  const submit = h('button', { type: 'submit', testid: 'reverse-submit', class: 'btn btn--action' }, ta('rev.submit'));
  const cancel = h('button', { type: 'button', testid: 'reverse-cancel', class: 'btn btn--small' }, ta('rev.cancel'));
  const form = h('form', { testid: 'reverse-form', class: 'form no-print', noValidate: true, hidden: true }, what, h('p', { class: 'hint' }, ta('rev.hint')), labelled(ta('rev.reason'), reason), error, h('div', { class: 'close__actions' }, submit, cancel));
  cancel.addEventListener('click', () => (form.hidden = true));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = reason.value.trim();
    if (!text) return (say(error, ta('rev.needReason')), reason.focus());
    void whileBusy(submit, t('busy'), async () => {
      try {
        await reverse(kind, lineId, text);
      } catch (err) {
        say(error, err instanceof ApiError && err.code === 'ALREADY_REVERSED' ? ta('rev.already') : failureText(err, { reason: ta('rev.reason') }));
      }
    });
  });
  return {
    form,
    open(id, text) {
      [lineId, what.textContent, reason.value] = [id, text, ''];
      say(error, undefined);
      form.hidden = false;
      reason.focus();
    },
  };
}

/** Rows for a kind's lines: reversals marked, and a 冲销 button beside the date of each entered line not yet reversed. */
function rows<L extends Line>(kind: LineKind, lines: L[], cells: (l: L) => Cell[], describe: (l: L) => string, reverse: Reverse | undefined): { rows: Row[]; panel?: HTMLFormElement } {
  const panel = reverse && reversePanel(kind, reverse);
  const out = lines.map((l): Row => {
    const [date, ...rest] = cells(l);
    const cls = l.source === 'reversal' ? 'statement__reversal' : l.reversedBy ? 'statement__reversed' : undefined;
    if (!panel || l.source !== 'entered' || l.reversedBy) return { cells: [date!, ...rest], cls, lineId: l.id, source: l.source };
    const button = h('button', { type: 'button', testid: 'line-reverse', class: 'btn btn--small statement__reverse' }, ta('rev.action'));
    button.addEventListener('click', () => panel.open(l.id, describe(l)));
    return { cells: [h('span', { class: 'statement__date' }, date as string, button), ...rest], cls, lineId: l.id, source: l.source };
  });
  return { rows: out, panel: panel?.form };
}

export function contributionsPart(s: Statement, reverse?: Reverse): HTMLElement {
  if (!s.contributions.lines.length) return part('st.contributions', none());
  const r = rows(
    'contributions',
    s.contributions.lines,
    (c: ContributionLine) => [day(c.at), c.household, c.name ?? '', num(c.amountFen), noteOf(c, c.source === 'elevator-member' ? 'st.member' : undefined)],
    (c) => ta('rev.what', { date: day(c.at), who: c.household, fee: money(c.amountFen) }),
    reverse,
  );
  return part('st.contributions', table('statement-contribution-lines', ['st.date', 'st.household', 'st.name', 'st.amount', 'st.note'], r.rows, s.contributions.totalFen), r.panel);
}

export function costsPart(s: Statement, reverse?: Reverse): HTMLElement {
  if (!s.costs.lines.length) return part('st.costs', none());
  const byCategory = new Map<string, number>();
  for (const c of s.costs.lines) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + c.amountFen);
  const r = rows(
    'costs',
    s.costs.lines,
    (c: CostLine) => [day(c.at), labelOf('cat', c.category), num(c.amountFen), noteOf(c, c.source === 'elevator-running-costs' ? 'st.fromLift' : undefined), c.recordedBy],
    (c) => ta('rev.what', { date: day(c.at), who: labelOf('cat', c.category), fee: money(c.amountFen) }),
    reverse,
  );
  return part(
    'st.costs',
    h('p', { class: 'statement__sums' }, ...[...byCategory].map(([cat, fen]) => h('span', {}, `${labelOf('cat', cat)} ${money(fen)}`))),
    table('statement-cost-lines', ['st.date', 'st.category', 'st.amount', 'st.note', 'st.by'], r.rows, s.costs.totalFen),
    r.panel,
  );
}
