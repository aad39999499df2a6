import { parkingApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { shortTime } from '../format.js';
import type { ManualOpen } from '../types-estate.js';
import { listPage, type PageDeps, type PageView } from './page.js';

function row(m: ManualOpen): HTMLElement {
  const li = h(
    'li',
    { testid: 'manual-open', class: 'row' },
    h(
      'div',
      { class: 'row__head' },
      h('time', { dateTime: m.at }, shortTime(m.at)),
      h('span', {}, m.gateId, ' · ', t(`dir.${m.direction}`)),
      m.plate ? h('span', { testid: 'manual-open-plate', class: 'plate' }, m.plate) : undefined,
    ),
    h('p', { testid: 'manual-open-reason', class: 'row__text' }, m.reason),
    h('span', { class: 'muted' }, t('mo.by', { user: m.byUser })),
  );
  li.dataset.id = m.id;
  return li;
}

/** 人工放行记录: every hand opening, newest first, with who did it and why; the committee reviews them. */
export function manualOpensView(deps: PageDeps): PageView {
  return listPage(deps, {
    testid: 'manual-opens-page',
    title: 'mo.title',
    list: 'manual-opens',
    empty: 'mo.none',
    perEstate: true,
    fetch: (estateId) => parkingApi(deps.api, estateId).manualOpens(),
    row,
  });
}
