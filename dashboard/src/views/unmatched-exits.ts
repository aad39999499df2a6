import type { Api } from '../api.js';
import { parkingApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { shortTime } from '../format.js';
import type { UnmatchedExit } from '../types-estate.js';
import { since } from './device-row.js';
import { errorLine, failureText, noteLine, say, whileBusy } from './form.js';
import { fillList, section } from './page.js';

export interface UnmatchedExits {
  el: HTMLElement;
  load(estateId: string): Promise<void>;
}

/**
 * 待处理出场: exits the camera read with no entry on record. The guard matches
 * one to the likeliest car inside, or closes it with the charter's default fee;
 * either way the arm lifts.
 */
export function unmatchedExits(api: Api, gateName: (gateId: string) => string): UnmatchedExits {
  let estateId: string | undefined;
  let seq = 0;
  const list = h('ul', { testid: 'unmatched-list', class: 'rows' });
  const error = errorLine('unmatched-error');
  const done = noteLine('unmatched-done');

  async function resolve(item: UnmatchedExit, button: HTMLButtonElement, stayId?: string): Promise<void> {
    if (!estateId) return;
    const p = parkingApi(api, estateId);
    await whileBusy(button, t('busy'), async () => {
      try {
        await p.resolve(item.id, stayId);
        say(error, undefined);
        say(done, t('unmatched.done'));
      } catch (err) {
        say(error, failureText(err));
      }
    });
    await load(estateId);
  }

  function candidate(item: UnmatchedExit, c: UnmatchedExit['candidates'][number]): HTMLElement {
    const match: HTMLButtonElement = h('button', { type: 'button', testid: 'candidate-match', class: 'btn btn--action', on: { click: () => void resolve(item, match, c.stayId) } }, t('unmatched.match'));
    const li = h(
      'li',
      { testid: 'candidate', class: 'candidate' },
      h('span', { class: 'candidate__text' }, h('span', { testid: 'candidate-plate', class: 'plate' }, c.plate), ' ', h('span', { class: 'muted' }, t('unmatched.entered', { time: shortTime(c.entryAt) }), ' · ', t('unmatched.score', { p: Math.round(c.score * 100) }))),
      match,
    );
    li.dataset.stayId = c.stayId;
    return li;
  }

  function row(item: UnmatchedExit): HTMLElement {
    const fallback: HTMLButtonElement = h('button', { type: 'button', testid: 'unmatched-default', class: 'btn btn--small', on: { click: () => void resolve(item, fallback) } }, t('unmatched.default'));
    const li = h(
      'li',
      { testid: 'unmatched', class: 'row' },
      h('div', { class: 'row__head' }, h('span', { testid: 'unmatched-plate', class: 'plate' }, item.plateRead || t('unmatched.unread')), h('span', { class: 'muted' }, gateName(item.gateId), ' · ', since(item.at))),
      h('p', { class: 'hint' }, t(item.candidates.length ? 'unmatched.candidates' : 'unmatched.noCandidates')),
      h('ul', { class: 'candidates' }, ...item.candidates.map((c) => candidate(item, c))),
      fallback,
    );
    li.dataset.id = item.id;
    li.dataset.plate = item.plateRead;
    return li;
  }

  async function load(id: string): Promise<void> {
    estateId = id;
    const mine = ++seq;
    try {
      const { items } = await parkingApi(api, id).unmatched();
      if (mine === seq) fillList(list, items, row, 'unmatched.none');
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  fillList(list, undefined, row, 'unmatched.none');
  return { el: section('unmatched-exits', t('unmatched.title'), error, done, list), load };
}
