import { dutyApi, type DutyApi } from '../api-duty.js';
import { h } from '../dom.js';
import { td, type DutyKey } from '../messages/duty.js';
import type { DeviceItem, LiveMessage } from '../types.js';
import type { Alert } from '../types-duty.js';
import { tick } from './device-row.js';
import { alertList, type AlertDeps } from './duty-alert.js';
import { alertDetail } from './duty-detail.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { liveIndicator } from './live-indicator.js';
import type { PageDeps, PageView } from './page.js';

/** "3 分钟前" moves on by itself; nobody reads seconds on this page. */
const TICK_MS = 10_000;
/** A burst of pushes about the alert on show (claimed, then notified…) reloads it once. */
const DETAIL_REFRESH_MS = 300;

/** Where the detail view is kept in the browser's history, so the phone's back button closes it. */
interface DetailState {
  dutyAlert: string;
  deviceId: string;
}
const detailState = (): DetailState | undefined => {
  const s = history.state as Partial<DetailState> | null;
  return s?.dutyAlert && s.deviceId ? (s as DetailState) : undefined;
};

/**
 * 值班, for volunteers and the committee: 我的告警 (told to me or taken by me)
 * and 待认领 (open, nobody has it), each with 我来处理 / 已处理. Live: an
 * `alert.notify` puts an alert in 我的告警, `alert.raised` in 待认领, a claim
 * by someone else takes it off 待认领, and a resolved or cleared one leaves.
 * 详情 shows its timeline and its device (history, 维修模式).
 */
export function dutyView(deps: PageDeps): PageView {
  const me = deps.user.username;
  const committee = deps.user.role === 'committee';
  let estateId: string | undefined;
  let api: DutyApi | undefined;
  let seq = 0;
  /** Every open alert of the estate this phone knows, and the ones its person was told about. */
  const alerts = new Map<string, Alert>();
  const told = new Set<string>();
  const devices = new Map<string, DeviceItem>();
  /** Live messages that arrive while the inbox loads wait here, then apply on top of it. */
  let buffered: LiveMessage[] | undefined;
  let detailTimer: ReturnType<typeof setTimeout> | undefined;

  const indicator = liveIndicator(deps.live);
  const error = errorLine('duty-error');
  const alertDeps: AlertDeps = {
    me,
    resolvesAny: committee,
    async claim(a) {
      if (!api) return;
      try {
        put(await api.claim(a.id));
      } catch (err) {
        // Most likely someone was quicker: say so, and show the inbox as it is now.
        say(error, failureText(err));
        void load();
      }
      render();
      void detail.refresh();
    },
    async resolve(a, note) {
      if (!api) return;
      await api.resolve(a.id, note);
      alerts.delete(a.id);
      render();
      void detail.refresh();
    },
    details: (a) => {
      history.pushState({ dutyAlert: a.id, deviceId: a.deviceId } satisfies DetailState, '');
      showDetail(a);
    },
    device(id) {
      const d = devices.get(id);
      return { name: d?.name || id, kind: d?.kind };
    },
  };

  const mine = alertList('duty-mine', 'mine.none', alertDeps);
  const open = alertList('duty-open', 'open.none', alertDeps);
  const mineCount = h('span', { testid: 'duty-mine-count', class: 'count' });
  const openCount = h('span', { testid: 'duty-open-count', class: 'count' });
  const part = (testid: string, title: DutyKey, count: HTMLElement, list: HTMLElement) =>
    h('section', { testid, class: 'card section' }, h('h2', { class: 'section__title duty__title' }, td(title), count), list);
  const lists = h('div', { class: 'sections' }, part('duty-mine-section', 'mine', mineCount, mine.el), part('duty-open-section', 'open', openCount, open.el));
  const detail = alertDetail({ api: () => api, alert: alertDeps, maintainer: true, back: () => (detailState() ? history.back() : showLists()) });
  detail.el.hidden = true;

  function put(a: Alert): void {
    if (a.status === 'open') alerts.set(a.id, a);
    else alerts.delete(a.id);
  }

  function render(): void {
    const all = [...alerts.values()];
    const forMe = all.filter((a) => told.has(a.id) || a.claimedBy === me);
    const waiting = all.filter((a) => !a.claimedBy && !told.has(a.id));
    mine.show(forMe);
    open.show(waiting);
    for (const [el, n, cls] of [[mineCount, forMe.length, 'count--off'], [openCount, waiting.length, 'count--warn']] as const) {
      el.textContent = String(n);
      el.className = `count ${n ? cls : 'count--muted'}`;
    }
  }

  /** One push; true when it changed what this page shows. Pushes go to every estate's staff: ours only. */
  function apply(msg: LiveMessage): boolean {
    switch (msg.type) {
      case 'alert.notify':
        if (msg.alert.estateId !== estateId) return false;
        told.add(msg.alert.id);
        put(msg.alert);
        return true;
      case 'alert.raised':
      case 'alert.updated':
      case 'alert.claimed': {
        const { type: _, ...a } = msg;
        if (a.estateId !== estateId) return false;
        put(a as Alert);
        return true;
      }
      case 'alert.cleared':
      case 'alert.closed':
        if (msg.estateId !== estateId) return false;
        return alerts.delete(msg.id);
    }
    return false;
  }

  const unsubscribe = deps.live.subscribe({
    onMessage(msg) {
      if (!msg.type.startsWith('alert.')) return;
      if (buffered) return void buffered.push(msg);
      if (!apply(msg)) return;
      render();
      // A phone in a pocket buzzes for a new alert for its person; the screen says which.
      if (msg.type === 'alert.notify') navigator.vibrate?.(200);
      const id = msg.type === 'alert.notify' ? msg.alert.id : 'id' in msg ? msg.id : undefined;
      if (id === detail.current()) {
        clearTimeout(detailTimer);
        detailTimer = setTimeout(() => void detail.refresh(), DETAIL_REFRESH_MS);
      }
    },
    // Pushes may have been missed while the socket was down.
    onReady: () => void load(),
  });

  async function load(): Promise<void> {
    if (!api || !estateId) return;
    const mineSeq = ++seq;
    buffered = [];
    try {
      const [inbox, devs] = await Promise.all([api.inbox(), deps.api.devices(estateId).catch(() => ({ items: [] as DeviceItem[] }))]);
      if (mineSeq !== seq) return;
      alerts.clear();
      told.clear();
      devices.clear();
      for (const d of devs.items) devices.set(d.id, d);
      for (const a of inbox.mine) (alerts.set(a.id, a), told.add(a.id));
      for (const a of inbox.open) alerts.set(a.id, a);
      const queued = buffered ?? [];
      buffered = undefined;
      queued.forEach(apply);
      render();
    } catch (err) {
      if (mineSeq !== seq) return;
      buffered = undefined;
      say(error, failureText(err));
    }
  }

  function select(id: string): void {
    estateId = id;
    api = dutyApi(deps.api, id);
    say(error, undefined);
    void load();
    const state = detailState();
    if (state) showDetail({ id: state.dutyAlert, deviceId: state.deviceId });
  }

  function showDetail(a: Pick<Alert, 'id' | 'deviceId'>): void {
    lists.hidden = true;
    detail.el.hidden = false;
    detail.show(a);
    window.scrollTo(0, 0);
  }

  function showLists(): void {
    detail.hide();
    detail.el.hidden = true;
    lists.hidden = false;
  }

  const onPop = () => {
    const state = detailState();
    if (state) showDetail({ id: state.dutyAlert, deviceId: state.deviceId });
    else showLists();
  };
  window.addEventListener('popstate', onPop);

  const el = h(
    'main',
    { class: 'page', testid: 'duty-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, select), indicator.el),
    h('h1', { class: 'summary__title' }, td('title')),
    error,
    lists,
    detail.el,
  );
  const ticker = setInterval(() => tick(el), TICK_MS);
  return {
    el,
    destroy() {
      seq += 1;
      unsubscribe();
      indicator.destroy();
      clearInterval(ticker);
      clearTimeout(detailTimer);
      window.removeEventListener('popstate', onPop);
    },
  };
}
