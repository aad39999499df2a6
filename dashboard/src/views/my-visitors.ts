import { residentApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { localInput, shortTime } from '../format.js';
import type { VisitorPass } from '../types-estate.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, fieldOf, labelled, noteLine, say, whileBusy } from './form.js';
import { fillList, section, type PageDeps, type PageView } from './page.js';

/** A visit is usually an afternoon: the form starts at now → now + 4 h; the charter sets the longest. */
const DEFAULT_HOURS = 4;

type PassState = 'cancelled' | 'expired' | 'upcoming' | 'active';
function stateOf(p: VisitorPass, now = Date.now()): PassState {
  if (p.cancelledAt) return 'cancelled';
  if (Date.parse(p.validTo) <= now) return 'expired';
  return Date.parse(p.validFrom) > now ? 'upcoming' : 'active';
}

/** 我的访客: the household's visitor passes, a new one for a visitor's car, and cancelling one (which gives the quota back). */
export function myVisitorsView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let seq = 0;
  const list = h('ul', { testid: 'passes', class: 'rows' });
  const listError = errorLine('passes-error');

  const plate = h('input', { testid: 'pass-plate', attrs: { maxlength: 12, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' } });
  const from = h('input', { testid: 'pass-from', type: 'datetime-local' });
  const to = h('input', { testid: 'pass-to', type: 'datetime-local' });
  const error = errorLine('pass-error');
  const done = noteLine('pass-done');
  const submit = h('button', { type: 'submit', testid: 'pass-submit', class: 'btn btn--primary' }, t('pass.submit'));
  const form = h('form', { testid: 'pass-form', class: 'form', noValidate: true }, labelled(t('pass.plate'), plate), labelled(t('pass.from'), from), labelled(t('pass.to'), to), error, done, submit);
  const resetTimes = () => {
    from.value = localInput(Date.now());
    to.value = localInput(Date.now() + DEFAULT_HOURS * 3_600_000);
  };

  function row(p: VisitorPass): HTMLElement {
    const state = stateOf(p);
    const cancel: HTMLButtonElement = h('button', { type: 'button', testid: 'pass-cancel', class: 'btn btn--small', on: { click: () => void remove(p, cancel) } }, t('pass.cancel'));
    const li = h(
      'li',
      { testid: 'pass', class: 'row' },
      h('div', { class: 'row__head' }, h('span', { testid: 'pass-plate-text', class: 'plate' }, p.plate), h('span', { testid: 'pass-state', class: `tag tag--${state}` }, t(`pass.${state}`)), state === 'cancelled' || state === 'expired' ? undefined : cancel),
      h('span', { class: 'muted' }, `${shortTime(p.validFrom)} – ${shortTime(p.validTo)}`),
    );
    li.dataset.id = p.id;
    li.dataset.state = state;
    return li;
  }

  async function load(): Promise<void> {
    if (!estateId) return;
    const mine = ++seq;
    try {
      const { items } = await residentApi(deps.api, estateId).passes();
      if (mine === seq) (fillList(list, items, row, 'pass.none'), say(listError, undefined));
    } catch (err) {
      if (mine === seq) (list.replaceChildren(), say(listError, failureText(err)));
    }
  }

  async function remove(p: VisitorPass, button: HTMLButtonElement): Promise<void> {
    if (!estateId) return;
    const api = residentApi(deps.api, estateId);
    await whileBusy(button, t('busy'), async () => {
      try {
        await api.cancelPass(p.id);
      } catch (err) {
        say(listError, failureText(err));
      }
    });
    await load();
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!estateId) return;
    const api = residentApi(deps.api, estateId);
    void whileBusy(submit, t('pass.busy'), async () => {
      say(error, undefined);
      say(done, undefined);
      const times = [from.value, to.value].map((v) => (v ? new Date(v).toISOString() : ''));
      try {
        const issued = await api.addPass({ plate: plate.value.trim(), validFrom: times[0]!, validTo: times[1]! });
        say(done, t('pass.added', { used: issued.usedThisMonth, quota: issued.quota }));
        plate.value = '';
        resetTimes();
        await load();
      } catch (err) {
        say(error, failureText(err, { plate: t('pass.plate'), validFrom: t('pass.from'), validTo: t('pass.to') }));
        if (fieldOf(err)?.field === 'plate') plate.focus();
      }
    });
  });

  function select(id: string): void {
    estateId = id;
    fillList(list, undefined, row, 'pass.none');
    void load();
  }

  resetTimes();
  fillList(list, undefined, row, 'pass.none');
  const el = h(
    'main',
    { class: 'page', testid: 'my-visitors-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, select)),
    h('h1', { class: 'summary__title' }, t('nav.myVisitors')),
    section('pass-add', t('pass.add'), form),
    section('pass-list', t('nav.myVisitors'), listError, list),
  );
  return { el, destroy: () => void (seq += 1) };
}
