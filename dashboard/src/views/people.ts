import { peopleApi, type Person } from '../api-people.js';
import { h } from '../dom.js';
import { roleLabel, t } from '../i18n.js';
import { tp } from '../messages/people.js';
import type { Role } from '../types.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';
import type { PageDeps, PageView } from './page.js';

/** Offered in this order: a volunteer is the usual one, the committee (it manages everyone) last. */
const ROLES: Role[] = ['volunteer', 'guard', 'resident', 'committee'];

/**
 * 账号, the committee's page of people's logins: who can sign in (and who is
 * switched off), adding someone with a generated password, resetting a
 * forgotten one, switching off the login of someone who moved away. A password
 * is shown once, in one place, to be passed on in person.
 */
export function peopleView(deps: PageDeps): PageView {
  const api = peopleApi(deps.api);
  let estateId = '';
  let seq = 0;
  const error = errorLine('people-error');
  const list = h('ul', { class: 'rows' });

  const said = h('p', {});
  const secret = h('input', { testid: 'people-secret', readOnly: true });
  // execCommand, not the Clipboard API: the estate's server is often reached over plain http, where that API is missing.
  const copy = h('button', { type: 'button', class: 'btn btn--small', on: { click: () => (secret.select(), document.execCommand('copy')) } }, tp('copy'));
  const reveal = h('div', { class: 'form__ok', hidden: true }, said, h('div', { class: 'people__pw' }, secret, copy), tp('once'));
  const show = (who: string, password: string) => {
    [said.textContent, secret.value, reveal.hidden] = [tp('pw', { who }), password, false];
    reveal.scrollIntoView();
  };

  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const [people, estates] = await Promise.all([api.list(), deps.api.estates()]);
      const names = new Map(estates.items.map((e) => [e.id, e.name]));
      if (mine === seq) list.replaceChildren(...people.items.map((p) => row(p, p.estateId ? (names.get(p.estateId) ?? p.estateId) : tp('all'))));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  /** Asks first, then does it; a refusal shows at the top of the page. */
  const act = (p: Person, verb: 'reset-password' | 'disable' | 'enable', label: string) => {
    const button = h('button', { type: 'button', testid: `person-${verb}`, class: 'btn btn--small' }, label);
    const work = async () => {
      say(error, undefined);
      const answer = await api.act(p.username, verb);
      if (answer.oneTimePassword) show(p.username, answer.oneTimePassword);
      await load();
    };
    button.addEventListener('click', () => confirm(tp('ask', { what: label, who: p.username })) && void whileBusy(button, t('busy'), () => work().catch((err) => say(error, failureText(err)))));
    return button;
  };

  function row(p: Person, estate: string): HTMLElement {
    return h(
      'li',
      { testid: 'person', class: 'row' },
      h('div', { class: 'row__head' }, h('b', {}, p.displayName), p.displayName !== p.username && p.username, p.disabled && h('span', { class: 'badge badge--off' }, tp('off'))),
      h('span', { class: 'muted' }, `${roleLabel(p.role)} · ${estate}`),
      h(
        'div',
        { class: 'people__actions' },
        act(p, 'reset-password', tp('reset')),
        // The server refuses one's own: no button for it.
        p.username !== deps.user.username && (p.disabled ? act(p, 'enable', tp('enable')) : act(p, 'disable', tp('disable'))),
      ),
    );
  }

  // Phones capitalise the first letter; a username is lowercase.
  const username = h('input', { attrs: { autocapitalize: 'none' } });
  const name = h('input', {});
  const role = h('select', {}, ...ROLES.map((r) => h('option', { value: r }, roleLabel(r))));
  const submit = h('button', { type: 'submit', class: 'btn btn--action' }, tp('add'));
  const addError = errorLine('people-add-error');
  const form = h(
    'form',
    { class: 'form', noValidate: true },
    labelled(t('login.username'), username),
    labelled(tp('name'), name),
    labelled(tp('role'), role),
    // Preset to the estate chosen on any page; a committee member of one estate is offered only theirs.
    estatePicker(deps.api, (id) => (estateId = id)),
    addError,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const who = username.value.trim();
    const password = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(9)))); // 72 random bits in 12 characters
    void whileBusy(submit, t('busy'), () =>
      api.add({ username: who, password, role: role.value as Role, displayName: name.value.trim() || undefined, estateId: estateId || undefined }).then(
        // Not form.reset(): it would put the estate back to the first one while the page still holds the chosen one.
        () => ((username.value = name.value = ''), say(addError, undefined), show(who, password), load()),
        (err) => say(addError, failureText(err, { username: t('login.username') })),
      ),
    );
  });

  void load();
  const el = h(
    'main',
    { class: 'page', testid: 'people-page' },
    h('h1', { class: 'summary__title' }, t('nav.people')),
    reveal,
    error,
    h('details', { class: 'card section' }, h('summary', { class: 'open__summary' }, tp('add')), form),
    h('section', { class: 'card section' }, list),
  );
  return { el, destroy: () => void (seq += 1) };
}
