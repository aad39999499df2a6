import { chargingApi } from '../api-charging.js';
import { charterApi, residentApi } from '../api-estate.js';
import { h } from '../dom.js';
import { day, yuan } from '../format.js';
import { t } from '../i18n.js';
import { tc } from '../messages/charging.js';
import { shedAddress } from '../shed/address.js';
import type { LiveMessage } from '../types.js';
import type { ChargingAccountView, ChargingSession, ShedView } from '../types-charging.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, noteLine, say, whileBusy } from './form.js';
import { isActive, sessionRow } from './charging-session-row.js';
import { liveIndicator } from './live-indicator.js';
import { fillList, section, type PageDeps, type PageView } from './page.js';

/** A swipe, a stop and the port freeing come as a burst of pushes: one reload for them all. */
const REFRESH_MS = 300;

/** The plan names of the charter in force, for "套餐：包月充电" rather than its id. */
async function planNames(deps: PageDeps, estateId: string): Promise<Map<string, string>> {
  const { items } = await charterApi(deps.api, estateId).versions();
  const now = Date.now();
  const current = items.filter((v) => Date.parse(v.effectiveFrom) <= now).sort((a, b) => Date.parse(a.effectiveFrom) - Date.parse(b.effectiveFrom)).at(-1);
  return new Map((current?.document.charging?.access.plans ?? []).map((p) => [p.id, p.name]));
}

/**
 * 充电, a resident's page: their household's sessions (a running one can be
 * stopped from here), each shed's free ports with 有空位时通知我, and the
 * household's balance and plan. Live: the shed's changes reload it, and the
 * "a port is free" notice shows when it comes.
 */
export function myChargingView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let sheds: ShedView[] = [];
  let seq = 0;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  const indicator = liveIndicator(deps.live);
  const error = errorLine('charging-error');
  const notice = noteLine('charging-notice');
  const sessions = h('ul', { testid: 'charging-sessions', class: 'rows' });
  const shedList = h('ul', { testid: 'charging-sheds', class: 'rows' });
  const accounts = h('div', { testid: 'charging-account' });
  const nameOf = (shedId: string) => sheds.find((s) => s.shedId === shedId)?.name || shedId;

  function stop(s: ChargingSession, button: HTMLButtonElement, line: HTMLElement): void {
    if (!estateId) return;
    const c = chargingApi(deps.api, estateId);
    void whileBusy(button, t('busy'), async () => {
      try {
        await c.stop(s.id);
        await load();
      } catch (err) {
        say(line, failureText(err));
      }
    });
  }

  function shedRow(v: ShedView): HTMLElement {
    const asked = noteLine('shed-notify-done');
    const ask: HTMLButtonElement = h('button', { type: 'button', testid: 'shed-notify', class: 'btn btn--small', on: { click: () => void notify(v, ask, asked) } }, tc('notify.ask'));
    const li = h(
      'li',
      { testid: 'charging-shed', class: 'row' },
      h(
        'div',
        { class: 'row__head' },
        h('span', { class: 'row__title' }, v.name || v.shedId),
        h('span', { testid: 'charging-shed-free', class: `count ${v.free ? 'count--on' : 'count--off'}` }, v.free ? tc('shed.free', { n: v.free }) : tc('shed.none')),
        h('span', { class: 'muted' }, tc('shed.of', { n: v.ports.length })),
      ),
      !v.free && v.nextFreeInMinutes !== null ? h('p', { class: 'hint' }, tc('shed.next', { n: v.nextFreeInMinutes })) : undefined,
      h('div', { class: 'row__head' }, ask, h('a', { class: 'link', href: shedAddress(v.shedId) }, tc('shed.open'))),
      asked,
    );
    li.dataset.shedId = v.shedId;
    return li;
  }

  async function notify(v: ShedView, button: HTMLButtonElement, line: HTMLElement): Promise<void> {
    if (!estateId) return;
    const c = chargingApi(deps.api, estateId);
    await whileBusy(button, t('busy'), async () => {
      try {
        await c.notifyFree(v.shedId);
        say(line, tc('notify.asked', { shed: v.name || v.shedId }));
      } catch (err) {
        say(error, failureText(err));
      }
    });
  }

  function accountRow(a: ChargingAccountView, plans: Map<string, string>): HTMLElement {
    const plan = a.planId && a.planValidUntil && Date.parse(a.planValidUntil) > Date.now() ? tc('acct.plan', { plan: plans.get(a.planId) ?? a.planId, d: day(a.planValidUntil) }) : tc('acct.noPlan');
    const li = h(
      'div',
      { testid: 'account', class: 'row' },
      h('div', { class: 'row__head' }, h('span', { class: 'row__title' }, a.householdId), h('span', { testid: 'account-balance', class: 'count count--on' }, tc('acct.balance', { fee: yuan(a.balanceFen) }))),
      h('span', { testid: 'account-plan', class: 'muted' }, plan),
    );
    li.dataset.householdId = a.householdId;
    return li;
  }

  /**
   * The household is found from the resident's cars and sessions: the server
   * has no "my households" answer yet, so a household with neither shows a hint.
   */
  async function loadAccounts(id: string, mine: ChargingSession[]): Promise<HTMLElement[]> {
    const cars = await residentApi(deps.api, id).myVehicles().catch(() => ({ items: [] }));
    const households = [...new Set([...mine.map((s) => s.householdId), ...cars.items.filter((v) => v.estateId === id && v.householdId).map((v) => v.householdId!)])].sort();
    if (!households.length) return [h('p', { testid: 'account-unknown', class: 'hint' }, tc('acct.unknown'))];
    const c = chargingApi(deps.api, id);
    const found = await Promise.all(households.map((hh) => c.account(hh).catch(() => undefined)));
    const list = found.filter((a): a is ChargingAccountView => !!a);
    const plans = list.some((a) => a.planId) ? await planNames(deps, id).catch(() => new Map<string, string>()) : new Map<string, string>();
    return list.map((a) => accountRow(a, plans));
  }

  async function load(): Promise<void> {
    if (!estateId) return;
    const id = estateId;
    const mine = ++seq;
    const c = chargingApi(deps.api, id);
    try {
      const [my, shedAnswer] = await Promise.all([c.mySessions(), c.sheds()]);
      const rows = await loadAccounts(id, my.items);
      if (mine !== seq) return;
      sheds = shedAnswer.items;
      // Running first, then newest first: the one to stop is on top.
      const ordered = [...my.items].sort((a, b) => Number(isActive(b)) - Number(isActive(a)) || b.requestedAt.localeCompare(a.requestedAt));
      sessions.replaceChildren(...(ordered.length ? ordered.map((s) => sessionRow(s, nameOf(s.shedId), stop)) : [h('li', { testid: 'charging-sessions-empty', class: 'hint' }, tc('my.none'))]));
      shedList.replaceChildren(...(sheds.length ? sheds.map(shedRow) : [h('li', { class: 'hint' }, tc('shed.noSheds'))]));
      accounts.replaceChildren(...rows);
      say(error, undefined);
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  function soon(): void {
    clearTimeout(refresh);
    refresh = setTimeout(() => void load(), REFRESH_MS);
  }

  function onLive(msg: LiveMessage): void {
    if (!('estateId' in msg) || msg.estateId !== estateId) return;
    if (msg.type === 'charging.port-free') {
      say(notice, tc('notify.free', { shed: nameOf(msg.shedId) }));
      soon();
    } else if (msg.type === 'shed.changed' || msg.type.startsWith('charging.session.')) {
      soon();
    }
  }

  function select(id: string): void {
    estateId = id;
    say(notice, undefined);
    for (const list of [sessions, shedList]) fillList(list, undefined, () => h('li'), 'list.loading');
    void load();
  }

  const unsubscribe = deps.live.subscribe({ onMessage: onLive, onReady: () => void load() });
  const el = h(
    'main',
    { class: 'page', testid: 'my-charging-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, select), indicator.el),
    h('h1', { class: 'summary__title' }, t('nav.myCharging')),
    error,
    notice,
    section('charging-sessions-section', tc('my.sessions'), sessions),
    section('charging-sheds-section', t('nav.sheds'), shedList),
    section('charging-account-section', tc('acct.title'), accounts),
  );
  return {
    el,
    destroy() {
      unsubscribe();
      indicator.destroy();
      clearTimeout(refresh);
      seq += 1;
    },
  };
}
