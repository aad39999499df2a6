import { h } from '../dom.js';
import { absoluteTime, t, type MessageKey } from '../i18n.js';
import { yuan } from '../format.js';
import type { CharterChange } from '../types-estate.js';

/** The names in a path without ids (`document.parking.lots[lot-main].capacity` → […, 'lots', 'capacity']). */
const names = (path: string) => path.replace(/\[[^\]]*\]/g, '').split('.');
const leaf = (path: string) => names(path).at(-1) ?? path;

/** The most specific label there is: `firstPeriod.priceFen` (首段价格) before `priceFen` (价格); else the name itself. */
function label(path: string): string {
  const [parent, last] = names(path).slice(-2);
  for (const key of [`f.${parent}.${last}`, `f.${last}`]) {
    const text = t(key as MessageKey);
    if (text !== undefined) return text;
  }
  return leaf(path);
}

function value(path: string, v: unknown): string {
  if (v === undefined || v === null) return t('diff.absent');
  if (typeof v === 'number' && /Fen$/.test(leaf(path))) return yuan(v);
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return absoluteTime(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** What one change reads as: "免费时长（分钟）  0 → 30", with the exact path beneath for whoever checks the document. */
function change(c: CharterChange): HTMLElement {
  const li = h(
    'li',
    { testid: 'diff-change', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { class: 'row__title' }, label(c.path)), h('span', { testid: 'diff-values', class: 'diff__values' }, h('del', {}, value(c.path, c.from)), ' → ', h('ins', {}, value(c.path, c.to)))),
    h('code', { class: 'code' }, c.path.replace(/^document\./, '')),
  );
  li.dataset.path = c.path;
  return li;
}

export function diffList(changes: CharterChange[]): HTMLElement {
  if (!changes.length) return h('p', { testid: 'diff-none', class: 'hint' }, t('diff.none'));
  return h('ul', { testid: 'diff-list', class: 'rows' }, ...changes.map(change));
}
