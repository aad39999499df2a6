import { ApiError, type Api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { LoginAnswer } from '../types.js';
import { describe, problemOf, type Problem } from './errors.js';

export interface LoginDeps {
  api: Api;
  /** Shown above the form, e.g. "session expired". */
  notice?: Problem;
  onSignedIn(answer: LoginAnswer): void;
}

/** What the person typed survives a language switch (the view is rebuilt). */
const typed = { username: '' };

export function loginView(deps: LoginDeps): HTMLElement {
  let problem: Problem | undefined = deps.notice;
  const username = h('input', {
    testid: 'login-username',
    name: 'username',
    value: typed.username,
    required: true,
    attrs: { autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' },
    on: { input: () => (typed.username = username.value) },
  });
  const password = h('input', {
    testid: 'login-password',
    name: 'password',
    type: 'password',
    required: true,
    attrs: { autocomplete: 'current-password' },
  });
  const error = h('p', { testid: 'login-error', class: 'form__error', attrs: { role: 'alert' } });
  const submit = h('button', { type: 'submit', testid: 'login-submit', class: 'btn btn--primary' }, t('login.submit'));

  const show = (next: Problem | undefined): void => {
    problem = next;
    error.textContent = describe(problem);
    error.hidden = !problem;
  };
  show(problem);

  const form = h(
    'form',
    { testid: 'login-form', class: 'form', noValidate: true },
    h('label', { class: 'field' }, h('span', {}, t('login.username')), username),
    h('label', { class: 'field' }, h('span', {}, t('login.password')), password),
    error,
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = username.value.trim();
    if (!name) return show({ key: 'err.required', params: { field: t('login.username') } }), username.focus();
    if (!password.value) return show({ key: 'err.required', params: { field: t('login.password') } }), password.focus();
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const answer = await deps.api.login(name, password.value);
      typed.username = '';
      deps.onSignedIn(answer);
    } catch (err) {
      // On the login form a 401 is a wrong password, not an expired session.
      show(err instanceof ApiError && (err.status === 401 || err.status === 400) ? { key: 'err.badLogin' } : problemOf(err));
      password.value = '';
      password.focus();
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });

  return h(
    'main',
    { class: 'page page--narrow', testid: 'login-page' },
    h('section', { class: 'card' }, h('h1', { class: 'card__title' }, t('login.title')), form, h('p', { class: 'hint' }, t('login.hint'))),
  );
}
