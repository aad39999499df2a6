import type { ChargingApi } from '../api-charging.js';
import { h } from '../dom.js';
import { fenOf, yuan } from '../format.js';
import { t } from '../i18n.js';
import { tc } from '../messages/charging.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

/**
 * 余额充值: the committee records money a household handed over. The amount
 * is typed in yuan as people say it and sent in fen; the answer is the new
 * balance, shown so the member can tell the resident.
 */
export function topupForm(api: () => ChargingApi | undefined, onDone: () => void): HTMLElement {
  const household = h('input', { testid: 'topup-household', attrs: { maxlength: 40, autocomplete: 'off', spellcheck: 'false' } });
  const amount = h('input', { testid: 'topup-amount', attrs: { inputmode: 'decimal', autocomplete: 'off' } });
  const note = h('input', { testid: 'topup-note', attrs: { maxlength: 100, autocomplete: 'off' } });
  const error = errorLine('topup-error');
  const done = noteLine('topup-done');
  const submit = h('button', { type: 'submit', testid: 'topup-submit', class: 'btn btn--primary' }, tc('topup.submit'));
  const form = h(
    'form',
    { testid: 'topup-form', class: 'form', noValidate: true },
    h('p', { class: 'hint' }, tc('topup.hint')),
    labelled(tc('topup.household'), household),
    labelled(tc('topup.amount'), amount),
    labelled(tc('topup.note'), note),
    error,
    done,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const c = api();
    const hh = household.value.trim();
    const fen = fenOf(amount.value);
    say(error, undefined);
    say(done, undefined);
    if (!c) return;
    if (!hh) return (say(error, t('err.required', { field: tc('topup.household') })), household.focus());
    if (fen === undefined) return (say(error, tc('topup.badAmount')), amount.focus());
    void whileBusy(submit, t('busy'), async () => {
      try {
        // The server credits any id it is given: a typo would put the money where nobody finds it.
        if (!(await c.householdExists(hh))) return (say(error, tc('topup.noHousehold', { hh })), household.focus());
        const { balanceFen } = await c.topup(hh, fen, note.value.trim() || undefined);
        say(done, tc('topup.done', { hh, fee: yuan(fen), balance: yuan(balanceFen) }));
        amount.value = '';
        note.value = '';
        onDone();
      } catch (err) {
        say(error, failureText(err, { amountFen: tc('topup.amount') }));
      }
    });
  });
  return form;
}
