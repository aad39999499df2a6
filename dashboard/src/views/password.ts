import { ApiError, type Api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { weakPasswordText } from '../messages/password.js';
import { describe, problemOf, type Problem } from './errors.js';

/** Matches LINLI_ADMIN_PASSWORD's rule in server/config.ts; the server has the last word. */
const MIN_LENGTH = 8;

export interface PasswordDeps {
  api: Api;
  /** Put in a hidden field so the phone's password manager files the new password under it. */
  username: string;
  /** Resolves once the person is signed in with the new password (or sent to sign in). */
  onChanged(newPassword: string): Promise<void>;
}

/** Shown instead of everything else while the account must change its password. */
export function passwordView(deps: PasswordDeps): HTMLElement {
  const input = (testid: string, autocomplete: string) =>
    h('input', { testid, type: 'password', required: true, attrs: { autocomplete } });
  const oldPw = input('pw-old', 'current-password');
  const newPw = input('pw-new', 'new-password');
  const confirmPw = input('pw-confirm', 'new-password');
  newPw.minLength = MIN_LENGTH;
  const error = h('p', { testid: 'pw-error', class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  const submit = h('button', { type: 'submit', testid: 'pw-submit', class: 'btn btn--primary' }, t('pw.submit'));

  const showText = (text: string, focus?: HTMLInputElement): void => {
    error.textContent = text;
    error.hidden = !text;
    focus?.focus();
  };
  const show = (problem: Problem | undefined, focus?: HTMLInputElement): void => showText(describe(problem), focus);

  const form = h(
    'form',
    { testid: 'pw-form', class: 'form', noValidate: true },
    h('input', { type: 'text', hidden: true, value: deps.username, attrs: { autocomplete: 'username', 'aria-hidden': 'true' } }),
    h('label', { class: 'field' }, h('span', {}, t('pw.old')), oldPw),
    h('label', { class: 'field' }, h('span', {}, t('pw.new')), newPw),
    h('label', { class: 'field' }, h('span', {}, t('pw.confirm')), confirmPw),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!oldPw.value) return show({ key: 'err.required', params: { field: t('pw.old') } }, oldPw);
    if (newPw.value.length < MIN_LENGTH) return show({ key: 'pw.tooShort', params: { n: MIN_LENGTH } }, newPw);
    if (newPw.value !== confirmPw.value) return show({ key: 'pw.mismatch' }, confirmPw);
    if (newPw.value === oldPw.value) return show({ key: 'pw.same' }, newPw);
    submit.disabled = true;
    submit.textContent = t('pw.busy');
    try {
      await deps.api.changePassword(oldPw.value, newPw.value);
      await deps.onChanged(newPw.value);
    } catch (err) {
      submit.disabled = false;
      submit.textContent = t('pw.submit');
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return show({ key: 'pw.wrongOld' }, oldPw);
      if (err instanceof ApiError && err.code === 'WEAK_PASSWORD') return showText(weakPasswordText(err.body), newPw);
      if (err instanceof ApiError && err.status === 400) return show({ key: 'pw.rejected', params: { detail: err.message } }, newPw);
      show(problemOf(err));
    }
  });

  return h(
    'main',
    { class: 'page page--narrow', testid: 'password-page' },
    h(
      'section',
      { class: 'card' },
      h('h1', { class: 'card__title' }, t('pw.title')),
      h('p', { class: 'hint' }, t('pw.intro')),
      form,
    ),
  );
}
