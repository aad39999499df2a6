import type { AccountsApi } from '../api-accounts.js';
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { fenOf, yuan } from '../format.js';
import { t } from '../i18n.js';
import { labelOf, ta, type AccountsKey } from '../messages/accounts.js';
import type { CostCategory } from '../types-accounts.js';
import { errorLine, failureText, labelled, noteLine, say, whileBusy } from './form.js';

const CATEGORIES: CostCategory[] = ['electricity', 'maintenance', 'repair', 'inspection', 'other'];
/** The server's refusals, in the committee's words. */
const REFUSALS: Record<string, AccountsKey> = { ELEVATOR_MEMBER: 'f.liftMember', MONTH_PUBLISHED: 'f.monthPublished' };

/** What both forms record against: the chosen asset, and what to reload after. */
export interface Target {
  api(): AccountsApi | undefined;
  asset(): string | undefined;
  saved(): void;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Today on this phone, for a receipt's date (the server reads a date as the estate's local day). */
const today = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The fields both forms share: amount in yuan, the day the money changed hands, a note. */
function moneyForm(
  testid: string,
  title: string,
  fields: { els: HTMLElement[]; check?(): string | undefined },
  submit: (fen: number, at: string, note: string | undefined) => Promise<string>,
  target: Target,
): HTMLElement {
  const amount = h('input', { testid: `${testid}-amount`, attrs: { inputmode: 'decimal', autocomplete: 'off' } });
  const at = h('input', { testid: `${testid}-date`, type: 'date', value: today() });
  const note = h('input', { testid: `${testid}-note`, attrs: { maxlength: 200, autocomplete: 'off' } });
  const error = errorLine(`${testid}-error`);
  const done = noteLine(`${testid}-done`);
  const button = h('button', { type: 'submit', testid: `${testid}-submit`, class: 'btn btn--primary' }, ta('f.submit'));
  const form = h('form', { testid, class: 'form', noValidate: true }, h('h3', { class: 'usage__title' }, title), ...fields.els, labelled(ta('f.amount'), amount), labelled(ta('f.date'), at), labelled(ta('f.note'), note), error, done, button);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    say(error, undefined);
    say(done, undefined);
    const fen = fenOf(amount.value, 8);
    if (!target.asset()) return say(error, ta('f.needAsset'));
    const wrong = fields.check?.();
    if (wrong) return say(error, wrong);
    if (fen === undefined) return (say(error, ta('f.badAmount')), amount.focus());
    void whileBusy(button, t('busy'), async () => {
      try {
        say(done, await submit(fen, at.value || today(), note.value.trim() || undefined));
        amount.value = '';
        note.value = '';
        target.saved();
      } catch (err) {
        const refused = err instanceof ApiError ? REFUSALS[err.code] : undefined;
        say(error, refused ? ta(refused) : failureText(err, { amountFen: ta('f.amount'), householdId: ta('f.household'), at: ta('f.date'), note: ta('f.note') }));
      }
    });
  });
  return form;
}

/** 记录出资: money a household gave towards the chosen asset. */
export function contributionForm(target: Target): HTMLElement {
  const household = h('input', { testid: 'contribution-household', attrs: { maxlength: 40, autocomplete: 'off', spellcheck: 'false' } });
  return moneyForm(
    'contribution',
    ta('f.contribution'),
    { els: [labelled(ta('f.household'), household)], check: () => (household.value.trim() ? undefined : t('err.required', { field: ta('f.household') })) },
    async (amountFen, at, note) => {
      const hh = household.value.trim();
      await target.api()!.contribute(target.asset()!, { householdId: hh, amountFen, at, ...(note ? { note } : {}) });
      return ta('f.contributed', { hh, fee: yuan(amountFen) });
    },
    target,
  );
}

/** 记录支出: a cost paid from the chosen asset's fund. */
export function costForm(target: Target): HTMLElement {
  const category = h('select', { testid: 'cost-category' }, ...CATEGORIES.map((c) => h('option', { value: c }, labelOf('cat', c))));
  return moneyForm(
    'cost',
    ta('f.cost'),
    { els: [labelled(ta('f.category'), category)] },
    async (amountFen, at, note) => {
      const cat = category.value as CostCategory;
      await target.api()!.addCost(target.asset()!, { category: cat, amountFen, at, ...(note ? { note } : {}) });
      return ta('f.costAdded', { cat: labelOf('cat', cat), fee: yuan(amountFen) });
    },
    target,
  );
}
