import type { ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { clauseLabel, fenOf, yuan } from '../format.js';
import { t } from '../i18n.js';
import { te } from '../messages/elevator.js';
import type { CostSplit } from '../types-elevator.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';
import { shareTable } from './share-table.js';

/** Up to ¥99,999,999: an elevator for a walk-up costs a few hundred thousand yuan. */
const MAX_YUAN_DIGITS = 8;

/** The split as a committee publishes it: the amounts, the table with each formula, the total, the clause and the plain sentence. */
export function splitResult(s: CostSplit): HTMLElement {
  const table = shareTable({
    testid: 'cost-table',
    head: [te('cost.household'), te('cost.floor'), te('cost.coef'), te('cost.weight'), te('cost.share')],
    rows: s.shares.map((r) => ({
      householdId: r.householdId,
      cells: [
        { testid: 'share-floor', text: String(r.floor) },
        { testid: 'share-coef', text: String(r.coefficient) },
        { testid: 'share-weight', text: String(r.weight) },
      ],
      shareFen: r.shareFen,
      formula: r.formula,
    })),
    sumLabel: te('cost.sum'),
  });
  const adds = table.sumFen === s.toShareFen;
  const check = h('p', { testid: 'cost-check', class: adds ? 'form__ok' : 'form__error' }, adds ? te('cost.adds', { sum: yuan(table.sumFen) }) : te('cost.mismatch', { sum: yuan(table.sumFen), share: yuan(s.toShareFen) }));
  check.dataset.adds = String(adds);
  return h(
    'div',
    { testid: 'cost-result', class: 'sections' },
    h('p', { testid: 'cost-base', class: 'row__text' }, te('cost.base', { total: yuan(s.totalFen), subsidy: yuan(s.subsidyFen), share: yuan(s.toShareFen) })),
    table.el,
    check,
    h('p', { class: 'row__text muted' }, h('span', { testid: 'cost-explain' }, s.explain), ' ', h('span', { testid: 'cost-clause', class: 'clause' }, clauseLabel(s.clause))),
  );
}

/** 造价分摊: the total build cost in yuan → each member household's share by the charter in force. */
export function liftCost(): { el: HTMLElement; show(api: ElevatorApi, liftId: string): void } {
  let target: { api: ElevatorApi; liftId: string } | undefined;
  let seq = 0;
  const total = h('input', { testid: 'cost-total', attrs: { inputmode: 'decimal', autocomplete: 'off', placeholder: '350000' } });
  const submit = h('button', { type: 'submit', testid: 'cost-submit', class: 'btn btn--action' }, te('cost.submit'));
  const error = errorLine('cost-error');
  const out = h('div');
  const form = h('form', { testid: 'cost-form', class: 'period', noValidate: true }, labelled(te('cost.total'), total), submit);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fen = fenOf(total.value, MAX_YUAN_DIGITS);
    say(error, undefined);
    if (!target) return;
    if (fen === undefined) return (say(error, te('cost.bad')), total.focus());
    const { api, liftId } = target;
    const mine = ++seq;
    void whileBusy(submit, t('busy'), async () => {
      try {
        const split = await api.costSplit(liftId, fen);
        if (mine === seq) out.replaceChildren(splitResult(split));
      } catch (err) {
        if (mine === seq) (out.replaceChildren(), say(error, failureText(err)));
      }
    });
  });

  return {
    el: h('div', {}, h('p', { class: 'hint' }, te('cost.hint')), form, error, out),
    show(api, liftId) {
      target = { api, liftId };
      seq += 1;
      out.replaceChildren();
      say(error, undefined);
      if (total.value) form.requestSubmit();
    },
  };
}
