import type { Api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { Estate } from '../types.js';
import { failureText } from './form.js';

/** Same key as the devices page: the estate chosen on one page is the estate of every page. */
const ESTATE_KEY = 'linli.estate';

function remembered(): string | null {
  try {
    return localStorage.getItem(ESTATE_KEY);
  } catch {
    return null;
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(ESTATE_KEY, id);
  } catch {
    /* remembered only for this page */
  }
}

/**
 * The estate a page is about: loads the estates, picks the remembered one (or
 * the first), and tells `onSelect` now and whenever the person picks another
 * (with its name, for a page that prints it).
 */
export function estatePicker(api: Api, onSelect: (estateId: string, name: string) => void): HTMLElement {
  const el = h('div', { class: 'field field--inline' }, h('p', { class: 'hint' }, t('estate.loading')));
  void api.estates().then(
    ({ items }) => {
      const first = items.find((e) => e.id === remembered()) ?? items[0];
      if (!first) return void el.replaceChildren(h('p', { testid: 'estate-empty', class: 'hint' }, t('estate.none')));
      el.replaceChildren(h('span', {}, t('estate.label')), select(items, first.id, onSelect));
      onSelect(first.id, first.name);
    },
    (err) => el.replaceChildren(h('p', { class: 'form__error', attrs: { role: 'alert' } }, failureText(err))),
  );
  return el;
}

function select(estates: Estate[], chosen: string, onSelect: (estateId: string, name: string) => void): HTMLSelectElement {
  const change = (ev: Event) => {
    const id = (ev.target as HTMLSelectElement).value;
    remember(id);
    onSelect(id, estates.find((e) => e.id === id)?.name ?? id);
  };
  return h('select', { testid: 'estate-picker', on: { change } }, ...estates.map((e) => h('option', { value: e.id, selected: e.id === chosen }, e.name)));
}
