import { h } from '../dom.js';
import { t } from '../i18n.js';
import { classLabel } from '../format.js';
import type { Vehicle } from '../types-estate.js';
import { errorLine, failureText, fieldOf, labelled, noteLine, say, whileBusy } from './form.js';

/** The classes a committee registers; visitors and temporary cars are never in the register. */
const CLASSES = ['resident', 'monthly', 'internal', 'blacklist', 'emergency'] as const;

/**
 * 登记车辆: plate, class, household, valid-until. The server has the rules (a
 * resident car needs a household, a monthly one a date, a plate must be one an
 * authority issues); its answer shows under the field it is about.
 */
export function vehicleForm(add: (body: Record<string, unknown>) => Promise<Vehicle>, onAdded: () => void): HTMLElement {
  const plate = h('input', { testid: 'veh-plate', attrs: { maxlength: 24, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' } });
  const cls = h('select', { testid: 'veh-class' }, ...CLASSES.map((c) => h('option', { value: c }, classLabel(c))));
  const household = h('input', { testid: 'veh-household', attrs: { maxlength: 24, autocomplete: 'off', inputmode: 'text' } });
  const until = h('input', { testid: 'veh-until', type: 'date' });
  const errors = { plate: errorLine('veh-plate-error'), householdId: errorLine('veh-household-error'), validUntil: errorLine('veh-until-error') };
  const error = errorLine('veh-error');
  const done = noteLine('veh-done');
  const submit = h('button', { type: 'submit', testid: 'veh-submit', class: 'btn btn--primary' }, t('veh.submit'));
  const form = h(
    'form',
    { testid: 'veh-form', class: 'form', noValidate: true },
    labelled(t('veh.plate'), plate, errors.plate),
    labelled(t('veh.class'), cls),
    labelled(t('veh.household'), household, errors.householdId),
    labelled(t('veh.validUntil'), until, errors.validUntil),
    error,
    done,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void whileBusy(submit, t('veh.busy'), async () => {
      for (const line of [error, done, ...Object.values(errors)]) say(line, undefined);
      const body = { plate: plate.value.trim(), class: cls.value, ...(household.value.trim() ? { householdId: household.value.trim() } : {}), ...(until.value ? { validUntil: until.value } : {}) };
      try {
        const v = await add(body);
        say(done, t('veh.added', { plate: v.plate }));
        plate.value = '';
        onAdded();
      } catch (err) {
        const f = fieldOf(err);
        const line = f && errors[f.field as keyof typeof errors];
        if (line && f) say(line, f.detail);
        else say(error, failureText(err));
      }
    });
  });
  return form;
}
