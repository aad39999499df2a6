import { residentApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { classLabel, shortTime, yuan } from '../format.js';
import type { Stay } from '../types-estate.js';
import { listPage, type PageDeps, type PageView } from './page.js';

function fee(s: Stay): HTMLElement {
  if (!s.exitAt && s.feeFen === undefined) return h('span', { testid: 'stay-fee', class: 'tag tag--inForce' }, t('stays.inside'));
  if (!s.feeFen) return h('span', { testid: 'stay-fee', class: 'fee fee--free' }, t('free'));
  const state = s.payment === 'paid' ? 'stays.paid' : s.payment === 'waived' ? 'stays.waived' : 'stays.owed';
  return h('span', { testid: 'stay-fee', class: 'fee' }, `${yuan(s.feeFen)} · ${t(state)}`);
}

function row(s: Stay): HTMLElement {
  const li = h(
    'li',
    { testid: 'stay', class: 'row' },
    h('div', { class: 'row__head' }, h('span', { testid: 'stay-plate', class: 'plate' }, s.plate), h('span', { class: 'muted' }, classLabel(s.vehicleClass)), fee(s)),
    h('span', { class: 'muted' }, t('stays.in', { time: shortTime(s.entryAt) }), s.exitAt ? ` → ${t('stays.out', { time: shortTime(s.exitAt) })}` : ''),
    s.feeExplain ? h('p', { class: 'row__text' }, s.feeExplain) : undefined,
  );
  li.dataset.stayId = s.id;
  return li;
}

/** 停车记录: the stays of the resident's households, with what each cost and whether it is paid. */
export function myStaysView(deps: PageDeps): PageView {
  return listPage(deps, {
    testid: 'my-stays-page',
    title: 'nav.myStays',
    list: 'my-stays',
    empty: 'stays.none',
    perEstate: true,
    fetch: (estateId) => residentApi(deps.api, estateId).myStays(),
    row,
  });
}
