import type { Api } from '../api.js';
import { h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';
import type { LiveSocket } from '../live.js';
import type { User } from '../types.js';
import type { Page } from '../types-estate.js';
import { estatePicker } from './estate-picker.js';
import { failureText, say } from './form.js';

/** What main.ts holds of the page on screen. Without `relabel`, a language switch builds the page again. */
export interface PageView {
  el: HTMLElement;
  relabel?(): void;
  destroy(): void;
}

export interface PageDeps {
  api: Api;
  live: LiveSocket;
  user: User;
}

export function section(testid: string, title: string, ...children: (Node | undefined)[]): HTMLElement {
  return h('section', { testid, class: 'card section' }, h('h2', { class: 'section__title' }, title), ...children);
}

/** Replaces a list's rows; an empty list says so in words. */
export function fillList<T>(list: HTMLElement, items: T[] | undefined, row: (item: T) => HTMLElement, empty: MessageKey): void {
  if (!items) return void list.replaceChildren(h('li', { class: 'hint' }, t('list.loading')));
  list.replaceChildren(...(items.length ? items.map(row) : [h('li', { testid: `${list.dataset.testid}-empty`, class: 'hint' }, t(empty))]));
}

export interface PagedList {
  el: HTMLElement;
  /** Loads the page it is on again (after an import or an added row). */
  reload(): Promise<void>;
}

/** A list the server pages (`?limit=&offset=`), with 上一页 / 下一页 and "第 1–20 条，共 N 条". */
export function pagedList<T>(opts: { testid: string; size: number; fetch(limit: number, offset: number): Promise<Page<T>>; row(item: T): HTMLElement; empty: MessageKey }): PagedList {
  let offset = 0;
  let seq = 0;
  const list = h('ul', { testid: opts.testid, class: 'rows' });
  const error = h('p', { class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  const range = h('span', { testid: `${opts.testid}-range`, class: 'pager__range' });
  const prev = h('button', { type: 'button', testid: `${opts.testid}-prev`, class: 'btn btn--small', on: { click: () => go(offset - opts.size) } }, t('list.prev'));
  const next = h('button', { type: 'button', testid: `${opts.testid}-next`, class: 'btn btn--small', on: { click: () => go(offset + opts.size) } }, t('list.next'));
  const pager = h('div', { class: 'pager' }, prev, range, next);

  async function go(to: number): Promise<void> {
    offset = Math.max(0, to);
    const mine = ++seq;
    try {
      const page = await opts.fetch(opts.size, offset);
      if (mine !== seq) return;
      say(error, undefined);
      fillList(list, page.items, opts.row, opts.empty);
      range.textContent = page.total ? t('list.range', { from: offset + 1, to: offset + page.items.length, total: page.total }) : '';
      prev.disabled = offset === 0;
      next.disabled = offset + page.items.length >= page.total;
      pager.hidden = page.total <= opts.size;
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }
  fillList(list, undefined, opts.row, opts.empty);
  pager.hidden = true;
  return { el: h('div', {}, error, list, pager), reload: () => go(offset) };
}

/**
 * A page that is one list: of the chosen estate (with the estate picker), or of
 * the person (`perEstate: false`, e.g. "my vehicles" across their households).
 */
export function listPage<T>(
  deps: PageDeps,
  o: { testid: string; title: MessageKey; list: string; empty: MessageKey; perEstate: boolean; fetch(estateId: string): Promise<{ items: T[] }>; row(item: T): HTMLElement },
): PageView {
  let seq = 0;
  const list = h('ul', { testid: o.list, class: 'rows' });
  const error = h('p', { testid: `${o.list}-error`, class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  async function load(estateId: string): Promise<void> {
    const mine = ++seq;
    fillList(list, undefined, o.row, o.empty);
    try {
      const { items } = await o.fetch(estateId);
      if (mine === seq) (fillList(list, items, o.row, o.empty), say(error, undefined));
    } catch (err) {
      if (mine === seq) (list.replaceChildren(), say(error, failureText(err)));
    }
  }
  const toolbar = o.perEstate ? h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => void load(id))) : undefined;
  if (!o.perEstate) void load('');
  const el = h('main', { class: 'page', testid: o.testid }, toolbar, h('h1', { class: 'summary__title' }, t(o.title)), error, h('section', { class: 'card section' }, list));
  return { el, destroy: () => void (seq += 1) };
}
