import type { ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { clauseLabel, fenOf, shortTime, yuan } from '../format.js';
import { t } from '../i18n.js';
import { te, type ElevatorKey } from '../messages/elevator.js';
import type { RunningCost, RunningCostKind, RunningCosts } from '../types-elevator.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';
import { shareTable } from './share-table.js';

const KINDS: RunningCostKind[] = ['electricity', 'maintenance', 'inspection', 'other'];
const kindLabel = (k: string) => (KINDS.includes(k as RunningCostKind) ? te(`run.kind.${k}` as ElevatorKey) : k);

const pad = (n: number) => String(n).padStart(2, '0');
/** This month on this phone, 'YYYY-MM' (the server bills by Beijing month; the estate's phones are on Beijing time). */
const thisMonth = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;

function itemRow(c: RunningCost): HTMLElement {
  const li = h(
    'li',
    { testid: 'run-item', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { testid: 'run-item-kind', class: 'row__title' }, kindLabel(c.kind)), h('span', { testid: 'run-item-fee', class: 'fee' }, yuan(c.fen)), h('span', { class: 'muted' }, shortTime(c.recordedAt), ' · ', te('run.by', { user: c.recordedBy }))),
    c.note ? h('p', { class: 'row__text muted' }, c.note) : undefined,
  );
  li.dataset.id = c.id;
  return li;
}

function result(r: RunningCosts): HTMLElement[] {
  if (!r.items.length) return [h('p', { testid: 'run-none', class: 'hint' }, te('run.none'))];
  const out: HTMLElement[] = [h('ul', { testid: 'run-items', class: 'rows' }, ...r.items.map(itemRow))];
  const s = r.split;
  if (!s) return out;
  const table = shareTable({
    testid: 'run-table',
    head: [te('cost.household'), te('cost.floor'), te('cost.weight'), te('cost.share')],
    rows: s.shares.map((x) => ({ householdId: x.householdId, cells: [{ testid: 'share-floor', text: String(x.floor) }, { testid: 'share-weight', text: String(x.weight) }], shareFen: x.shareFen, formula: x.formula })),
    sumLabel: te('cost.sum'),
  });
  const total = h('p', { testid: 'run-total', class: 'row__title' }, te('run.total', { fee: yuan(s.totalFen) }));
  total.dataset.fen = String(s.totalFen);
  out.push(total, table.el, h('p', { class: 'row__text muted' }, h('span', { testid: 'run-explain' }, s.explain), ' ', h('span', { class: 'clause' }, clauseLabel(s.clause))));
  return out;
}

/** 记一笔: a month's cost (electricity, maintenance, inspection…) as the committee paid it. */
function addForm(submitCost: (body: { kind: RunningCostKind; fen: number; note?: string }) => Promise<void>): HTMLElement {
  const kind = h('select', { testid: 'run-kind' }, ...KINDS.map((k) => h('option', { value: k }, kindLabel(k))));
  const amount = h('input', { testid: 'run-amount', attrs: { inputmode: 'decimal', autocomplete: 'off' } });
  const note = h('input', { testid: 'run-note', attrs: { maxlength: 200, autocomplete: 'off' } });
  const error = errorLine('run-error');
  const done = noteLine('run-done');
  const submit = h('button', { type: 'submit', testid: 'run-submit', class: 'btn btn--primary' }, te('run.submit'));
  const form = h('form', { testid: 'run-form', class: 'form', noValidate: true }, h('h3', { class: 'usage__title' }, te('run.add')), labelled(te('run.kind'), kind), labelled(te('run.amount'), amount), labelled(te('run.note'), note), error, done, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fen = fenOf(amount.value);
    say(error, undefined);
    say(done, undefined);
    if (fen === undefined) return (say(error, te('cost.bad')), amount.focus());
    const k = kind.value as RunningCostKind;
    void whileBusy(submit, t('busy'), async () => {
      try {
        await submitCost({ kind: k, fen, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
        say(done, te('run.added', { kind: kindLabel(k), fee: yuan(fen) }));
        amount.value = '';
        note.value = '';
      } catch (err) {
        say(error, failureText(err, { fen: te('run.amount'), note: te('run.note') }));
      }
    });
  });
  return form;
}

/** 运行费用: one month's costs of an elevator, recording another, and each member household's share of the month. */
export function liftRunning(): { el: HTMLElement; show(api: ElevatorApi, liftId: string): void } {
  let target: { api: ElevatorApi; liftId: string } | undefined;
  let seq = 0;
  const month = h('input', { testid: 'run-month', type: 'month', value: thisMonth() });
  const error = errorLine('run-load-error');
  const out = h('div', { testid: 'run-result', class: 'sections' });

  async function load(): Promise<void> {
    if (!target || !/^\d{4}-\d{2}$/.test(month.value)) return;
    const mine = ++seq;
    try {
      const r = await target.api.runningCosts(target.liftId, month.value);
      if (mine !== seq) return;
      say(error, undefined);
      out.replaceChildren(...result(r));
    } catch (err) {
      if (mine === seq) (out.replaceChildren(), say(error, failureText(err)));
    }
  }

  month.addEventListener('change', () => void load());
  const form = addForm(async (body) => {
    if (!target) return;
    await target.api.addRunningCost(target.liftId, { month: month.value || thisMonth(), ...body });
    await load();
  });

  return {
    el: h('div', {}, h('div', { class: 'period' }, labelled(te('run.month'), month)), error, out, form),
    show(api, liftId) {
      target = { api, liftId };
      out.replaceChildren();
      void load();
    },
  };
}
