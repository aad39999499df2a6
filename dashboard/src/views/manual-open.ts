import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorLine, failureText, fieldOf, labelled, noteLine, say, whileBusy } from './form.js';

export type OpenGate = (body: { direction: 'in' | 'out'; reason: string; plate?: string }) => Promise<unknown>;

/**
 * 人工放行 for one gate: a direction, a reason (kept, and shown to the
 * committee) and the plate when known. The server says whether the reason is
 * enough; its answer is shown as it comes.
 */
export function manualOpenForm(gateId: string, open: OpenGate): HTMLElement {
  const direction = h('select', { testid: 'open-direction' }, h('option', { value: 'in' }, t('dir.in')), h('option', { value: 'out' }, t('dir.out')));
  const reason = h('input', { testid: 'open-reason', attrs: { placeholder: t('open.reasonHint'), maxlength: 200, autocomplete: 'off' } });
  const plate = h('input', { testid: 'open-plate', attrs: { maxlength: 10, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' } });
  const error = errorLine('open-error');
  const done = noteLine('open-done');
  const submit = h('button', { type: 'submit', testid: 'open-submit', class: 'btn btn--primary' }, t('open.submit'));
  const form = h(
    'form',
    { testid: 'open-form', class: 'form', noValidate: true },
    labelled(t('open.direction'), direction),
    labelled(t('open.reason'), reason),
    labelled(t('open.plate'), plate),
    error,
    done,
    submit,
  );
  form.dataset.gateId = gateId;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void whileBusy(submit, t('open.busy'), async () => {
      say(done, undefined);
      try {
        await open({ direction: direction.value as 'in' | 'out', reason: reason.value, ...(plate.value.trim() ? { plate: plate.value.trim() } : {}) });
        say(error, undefined);
        say(done, t('open.done'));
        reason.value = '';
        plate.value = '';
      } catch (err) {
        const f = fieldOf(err);
        say(error, f?.field === 'reason' ? `${t('open.reasonNeeded')} ${t('err.detail', { detail: f.detail })}` : failureText(err, { plate: t('open.plate') }));
        if (f?.field === 'reason') reason.focus();
      }
    });
  });
  return h('details', { testid: 'open-panel', class: 'open' }, h('summary', { testid: 'open-toggle', class: 'open__summary' }, t('open.title')), form);
}
