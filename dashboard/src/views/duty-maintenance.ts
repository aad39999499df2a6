import { h } from '../dom.js';
import { t } from '../i18n.js';
import { localInput, shortTime } from '../format.js';
import { td } from '../messages/duty.js';
import type { Maintenance } from '../types-duty.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';

/** A repair usually takes an afternoon: two hours is the first guess, changed with one tap. */
const DEFAULT_HOURS = 2;

export interface MaintenanceDeps {
  canEdit: boolean;
  /** `until`: ISO, in the future. */
  start(until: string, reason: string): Promise<void>;
  end(): Promise<void>;
}

/**
 * 维修模式 for one device: whether it is on (until when, who, why), and for
 * volunteers and the committee the form to start it (until + reason) or the
 * button to end it early. The mode ends by itself at `until` (server tick).
 */
export function maintenanceControl(current: Maintenance | null, deps: MaintenanceDeps): HTMLElement {
  const on = current && Date.parse(current.until) > Date.now() ? current : undefined;
  const status = h('p', { testid: 'mmode-status', class: on ? 'tag tag--upcoming duty-maint__on' : 'muted' }, on ? td('maint.on', { until: shortTime(on.until), by: on.byUser, reason: on.reason }) : td('maint.hint'));
  const el = h('div', { testid: 'mmode', class: 'duty-maint' }, status);
  el.dataset.state = on ? 'on' : 'off';
  if (!deps.canEdit) return el;
  const error = errorLine('mmode-error');

  if (on) {
    const end = h('button', { type: 'button', testid: 'mmode-end', class: 'btn btn--small' }, td('maint.end'));
    end.addEventListener('click', () =>
      void whileBusy(end, t('busy'), async () => {
        try {
          await deps.end();
        } catch (err) {
          say(error, failureText(err));
        }
      }),
    );
    el.append(end, error);
    return el;
  }

  const until = h('input', { type: 'datetime-local', testid: 'mmode-until', value: localInput(Date.now() + DEFAULT_HOURS * 3_600_000), attrs: { min: localInput(Date.now()) } });
  const reason = h('input', { testid: 'mmode-reason', attrs: { maxlength: 200, autocomplete: 'off' } });
  const submit = h('button', { type: 'submit', testid: 'mmode-start', class: 'btn btn--action' }, td('maint.start'));
  const form = h('form', { testid: 'mmode-form', class: 'form', noValidate: true }, labelled(td('maint.until'), until), labelled(td('maint.reason'), reason), error, submit);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const at = Date.parse(until.value); // datetime-local is read as the phone's local time
    if (!(at > Date.now())) return (say(error, td('maint.badUntil')), until.focus());
    if (reason.value.trim().length < 2) return (say(error, td('maint.needReason')), reason.focus());
    void whileBusy(submit, t('busy'), async () => {
      try {
        await deps.start(new Date(at).toISOString(), reason.value.trim());
      } catch (err) {
        say(error, failureText(err, { until: td('maint.until'), reason: td('maint.reason') }));
      }
    });
  });
  el.append(form);
  return el;
}
