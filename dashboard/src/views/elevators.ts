import { elevatorApi, type ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { te } from '../messages/elevator.js';
import type { LiveMessage } from '../types.js';
import type { Alert, Lift } from '../types-elevator.js';
import { tick } from './device-row.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, labelled, say } from './form.js';
import { liftAlarms } from './lift-alarms.js';
import { liftCard } from './lift-card.js';
import { liftFaults } from './lift-faults.js';
import { liftMaintenance } from './lift-maintenance.js';
import { liftRides } from './lift-rides.js';
import { liveIndicator } from './live-indicator.js';
import { section, type PageDeps, type PageView } from './page.js';

/** A burst of alert pushes (raised, repeated, cleared) reloads the fault history once. */
const HISTORY_REFRESH_MS = 500;

/** Applies one live message to the lifts; returns the lift it changed, 'unknown' for an elevator not in the list, or undefined. */
function applyLive(lifts: Lift[], msg: LiveMessage): Lift | 'unknown' | undefined {
  if (!('deviceId' in msg)) return undefined;
  const lift = lifts.find((l) => l.id === msg.deviceId);
  if (!lift) return msg.type === 'elevator.state' || (msg.type.startsWith('alert.') && 'kind' in msg && msg.kind.startsWith('elevator.')) ? 'unknown' : undefined;
  switch (msg.type) {
    case 'elevator.state':
      // A push buffered while the list loaded may be older than the list's own state.
      if (!lift.state || msg.state.updatedAt >= lift.state.updatedAt) lift.state = msg.state;
      return lift;
    case 'device.online':
    case 'device.offline':
      lift.online = msg.type === 'device.online';
      return lift;
    case 'alert.raised':
    case 'alert.updated': {
      const { type: _, ...alert } = msg;
      const others = lift.openFaults.filter((a) => a.id !== alert.id);
      lift.openFaults = alert.status === 'open' ? [...others, alert as Alert] : others;
      return lift;
    }
    case 'alert.cleared':
    case 'alert.closed':
      lift.openFaults = lift.openFaults.filter((a) => a.id !== msg.id);
      return lift;
  }
  return undefined;
}

/**
 * 电梯, for the committee, volunteers and guards: each elevator live (floor,
 * direction, door, load, online) from `elevator.state`; its open faults, the
 * critical ones as red banners the moment `alert.raised` arrives, closed by a
 * person with a note; then one elevator's fault history, rides, maintenance
 * and (committee) its cost split and running costs.
 */
export function elevatorsView(deps: PageDeps): PageView {
  const role = deps.user.role;
  const maintainer = role === 'committee' || role === 'volunteer';
  const committee = role === 'committee';
  let estateId: string | undefined;
  let api: ElevatorApi | undefined;
  let lifts: Lift[] | undefined;
  let chosen: string | undefined;
  let seq = 0;
  /** Live messages that arrive while the list loads wait here, then apply on top of it. */
  let buffered: LiveMessage[] | undefined;
  let historyTimer: ReturnType<typeof setTimeout> | undefined;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  const indicator = liveIndicator(deps.live);
  const error = errorLine('lifts-error');
  const cards = h('div', { testid: 'lifts', class: 'gates lifts' });
  const liftName = (id: string) => lifts?.find((l) => l.id === id)?.name || id;
  const alarms = liftAlarms({
    canClose: maintainer,
    liftName,
    async close(alert, note) {
      if (!api) return;
      await api.closeAlert(alert.id, note);
      for (const l of lifts ?? []) l.openFaults = l.openFaults.filter((a) => a.id !== alert.id);
      changed(alert.deviceId, true);
    },
  });
  const history = liftFaults();
  const rides = liftRides();
  const maint = liftMaintenance({ canAdd: maintainer, onAdded: () => void load() });
  /** The committee's cost split and running costs: a chunk of their own, loaded for the committee only. */
  let money: { els: HTMLElement[]; show(api: ElevatorApi, liftId: string): void } | undefined;
  const picker = h('select', { testid: 'lift-picker', on: { change: () => choose(picker.value) } });
  const pickerField = labelled(te('pick'), picker);
  const detailTitle = h('h2', { testid: 'lift-detail-name', class: 'summary__title' });
  const details = h(
    'div',
    { testid: 'lift-details', class: 'sections', hidden: true },
    h('div', { class: 'toolbar lift__pick' }, detailTitle, pickerField),
    section('lift-history-section', te('history.title'), history.el),
    section('lift-rides-section', te('rides.title'), rides.el),
    section('lift-maint-section', te('maint.title'), maint.el),
  );
  if (committee) {
    import('./lift-money.js').then(
      (m) => {
        money = m.liftMoney();
        details.append(...money.els);
        if (api && chosen) money.show(api, chosen);
      },
      // An old tab after the server was updated asks for a chunk that is gone: a reload fetches the new one.
      () => say(error, t('err.pageLoad')),
    );
  }

  function renderCard(lift: Lift): void {
    const old = [...cards.children].find((el) => (el as HTMLElement).dataset.liftId === lift.id);
    if (old) old.replaceWith(liftCard(lift));
  }

  function render(): void {
    if (!lifts) return void cards.replaceChildren(h('p', { class: 'hint' }, t('list.loading')));
    cards.replaceChildren(...(lifts.length ? lifts.map(liftCard) : [h('p', { testid: 'lifts-empty', class: 'hint' }, te('none'))]));
    alarms.show(lifts.flatMap((l) => l.openFaults));
    picker.replaceChildren(...lifts.map((l) => h('option', { value: l.id, selected: l.id === chosen }, l.name || l.id)));
    pickerField.hidden = lifts.length < 2;
    details.hidden = !lifts.length;
  }

  /** One lift changed: its card, and with `faults` the banners and (soon) the history of the lift on show. */
  function changed(liftId: string, faults: boolean): void {
    const lift = lifts?.find((l) => l.id === liftId);
    if (!lifts || !lift) return;
    renderCard(lift);
    if (!faults) return;
    alarms.show(lifts.flatMap((l) => l.openFaults));
    if (liftId !== chosen) return;
    clearTimeout(historyTimer);
    historyTimer = setTimeout(() => api && chosen && void history.show(api, chosen), HISTORY_REFRESH_MS);
  }

  function choose(id: string): void {
    const lift = lifts?.find((l) => l.id === id);
    if (!api || !lift) return;
    chosen = id;
    picker.value = id;
    detailTitle.textContent = lift.name || lift.id;
    void history.show(api, id);
    void rides.show(api, lift);
    void maint.show(api, id);
    money?.show(api, id);
  }

  async function load(): Promise<void> {
    if (!api) return;
    const mine = ++seq;
    buffered = [];
    try {
      const { items } = await api.list();
      if (mine !== seq) return;
      lifts = [...items].sort((a, b) => a.id.localeCompare(b.id));
      for (const msg of buffered) applyLive(lifts, msg);
      say(error, undefined);
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    } finally {
      if (mine === seq) buffered = undefined;
    }
    if (mine !== seq) return;
    render();
    if (lifts?.length && !lifts.some((l) => l.id === chosen)) choose(lifts[0]!.id);
  }

  function select(id: string): void {
    estateId = id;
    api = elevatorApi(deps.api, id);
    lifts = undefined;
    chosen = undefined;
    render();
    void load();
  }

  function onLive(msg: LiveMessage): void {
    if (!('estateId' in msg) || msg.estateId !== estateId) return;
    if (buffered) return void buffered.push(msg);
    if (!lifts) return;
    const lift = applyLive(lifts, msg);
    if (lift === 'unknown') {
      // An elevator registered since the list loaded: load the list again, once for a burst.
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => void load(), 300);
    } else if (lift) {
      changed(lift.id, msg.type.startsWith('alert.'));
    }
  }

  // Whatever happened while the feed was down is only in the list answer.
  const unsubscribe = deps.live.subscribe({ onMessage: onLive, onReady: () => void (lifts && load()) });
  const el = h(
    'main',
    { class: 'page', testid: 'elevators-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, select), indicator.el),
    alarms.banners,
    h('h1', { class: 'summary__title' }, t('nav.elevators')),
    error,
    alarms.others,
    cards,
    details,
  );
  const ticker = setInterval(() => tick(el), 1_000);
  render();
  return {
    el,
    destroy() {
      unsubscribe();
      indicator.destroy();
      clearInterval(ticker);
      clearTimeout(historyTimer);
      clearTimeout(reloadTimer);
      seq += 1;
    },
  };
}
