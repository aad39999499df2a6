import type { Api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { LiveSocket } from '../live.js';
import type { DeviceItem, Estate, LiveMessage } from '../types.js';
import { deviceRow, tick } from './device-row.js';
import { describe, problemOf, type Problem } from './errors.js';
import { liveIndicator } from './live-indicator.js';

const ESTATE_KEY = 'linli.estate';
const TICK_MS = 1_000;

export interface DevicesDeps {
  api: Api;
  live: LiveSocket;
  /** The committee also gets 登记设备 (loaded as a chunk of its own). */
  user?: { role: string };
}

export interface DevicesView {
  el: HTMLElement;
  /** Re-renders every label after a language switch, keeping data and socket. */
  relabel(): void;
  destroy(): void;
}

/** Stable order, also across a language switch, so rows do not jump: kind, then id; retired last. */
function byKindThenId(a: DeviceItem, b: DeviceItem): number {
  const retired = Number(a.status === 'decommissioned') - Number(b.status === 'decommissioned');
  return retired || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);
}

/** Applies one live message to a device; returns false when the device is not in the list. */
function applyLive(devices: Map<string, DeviceItem>, msg: LiveMessage): boolean {
  if (!('deviceId' in msg) || msg.type === 'command.outcome') return true; // hello, parking decisions, a resident's notice
  const device = devices.get(msg.deviceId);
  if (!device) return false;
  switch (msg.type) {
    case 'device.online':
    case 'device.offline':
      devices.set(device.id, { ...device, online: msg.type === 'device.online', lastSeen: msg.at });
      break;
    case 'device.event':
      devices.set(device.id, { ...device, lastSeen: msg.receivedAt, lastEvent: { type: msg.event.type, at: msg.receivedAt } });
      break;
    case 'device.telemetry':
      devices.set(device.id, { ...device, lastSeen: msg.receivedAt });
      break;
  }
  return true;
}

export function devicesView(deps: DevicesDeps): DevicesView {
  let estates: Estate[] | undefined;
  let estateId: string | undefined;
  let devices: Map<string, DeviceItem> | undefined;
  let problem: Problem | undefined;
  let loadSeq = 0;
  /** Live messages that arrive while the list loads wait here, then apply on top of it. */
  let buffered: LiveMessage[] | undefined;
  let refetch: ReturnType<typeof setTimeout> | undefined;

  const toolbar = h('div', { class: 'toolbar' });
  const summary = h('div', { class: 'summary', attrs: { 'aria-live': 'polite' } });
  const alert = h('p', { testid: 'devices-error', class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  const list = h('ul', { testid: 'device-list', class: 'devices' });
  const indicator = liveIndicator(deps.live);
  const registerSlot = h('div', {});
  const el = h('main', { class: 'page', testid: 'devices-page' }, toolbar, alert, registerSlot, summary, list);
  if (deps.user?.role === 'committee') {
    void import('./device-register.js').then((m) => registerSlot.replaceChildren(m.deviceRegisterForm(deps.api, () => estateId, () => void loadDevices())));
  }

  function renderToolbar(): void {
    const picker = estates?.length
      ? h(
          'label',
          { class: 'field field--inline' },
          h('span', {}, t('estate.label')),
          h(
            'select',
            { testid: 'estate-picker', on: { change: (ev) => selectEstate((ev.target as HTMLSelectElement).value) } },
            ...estates.map((e) => h('option', { value: e.id, selected: e.id === estateId }, e.name)),
          ),
        )
      : h('p', { testid: 'estate-empty', class: 'hint' }, t(estates ? 'estate.none' : 'estate.loading'));
    toolbar.replaceChildren(picker, indicator.el);
  }

  function renderSummary(): void {
    const active = [...(devices?.values() ?? [])].filter((d) => d.status !== 'decommissioned');
    const online = active.filter((d) => d.online).length;
    summary.hidden = !devices;
    summary.replaceChildren(
      h('h1', { class: 'summary__title' }, t('devices.title')),
      h('span', { testid: 'count-online', class: 'count count--on' }, t('devices.countOnline', { n: online })),
      h('span', { testid: 'count-offline', class: 'count count--off' }, t('devices.countOffline', { n: active.length - online })),
    );
  }

  function renderList(): void {
    alert.textContent = describe(problem);
    alert.hidden = !problem;
    if (!devices) {
      list.replaceChildren(...(problem || !estateId ? [] : [h('li', { class: 'hint' }, t('devices.loading'))]));
    } else if (devices.size === 0) {
      list.replaceChildren(h('li', { testid: 'devices-empty', class: 'hint' }, t('devices.empty')));
    } else {
      list.replaceChildren(...[...devices.values()].sort(byKindThenId).map(deviceRow));
    }
    renderSummary();
  }

  /** Replaces one row in place (keeps scroll position and the rest of the DOM). */
  function renderRow(id: string): void {
    const device = devices?.get(id);
    const old = [...list.children].find((li) => (li as HTMLElement).dataset.deviceId === id);
    if (device && old) old.replaceWith(deviceRow(device));
    else renderList();
    renderSummary();
  }

  async function loadDevices(): Promise<void> {
    if (!estateId) return;
    const seq = ++loadSeq;
    buffered = [];
    try {
      const answer = await deps.api.devices(estateId);
      if (seq !== loadSeq) return;
      devices = new Map(answer.items.map((d) => [d.id, d]));
      problem = undefined;
      for (const msg of buffered) applyLive(devices, msg);
    } catch (err) {
      if (seq !== loadSeq) return;
      problem = problemOf(err);
    }
    buffered = undefined;
    renderList();
  }

  function selectEstate(id: string): void {
    estateId = id;
    devices = undefined;
    problem = undefined;
    try {
      localStorage.setItem(ESTATE_KEY, id);
    } catch {
      /* remembered only for this page */
    }
    renderList();
    void loadDevices();
  }

  async function loadEstates(): Promise<void> {
    try {
      estates = (await deps.api.estates()).items;
    } catch (err) {
      problem = problemOf(err);
      renderList();
      return;
    }
    let remembered: string | null = null;
    try {
      remembered = localStorage.getItem(ESTATE_KEY);
    } catch {
      /* nothing remembered */
    }
    const first = estates.find((e) => e.id === remembered) ?? estates[0];
    if (first) selectEstate(first.id);
    renderToolbar(); // after choosing, so the picker shows the remembered estate
  }

  function onLive(msg: LiveMessage): void {
    if (!('estateId' in msg) || !('deviceId' in msg) || msg.estateId !== estateId) return;
    if (buffered) return void buffered.push(msg);
    if (!devices) return;
    if (applyLive(devices, msg)) return renderRow(msg.deviceId);
    // A device registered since the list loaded: fetch the list again, once for a burst.
    clearTimeout(refetch);
    refetch = setTimeout(() => void loadDevices(), 300);
  }

  const unsubscribe = deps.live.subscribe({
    onMessage: onLive,
    // Whatever happened while the feed was down is only in the list answer.
    onReady: () => void (devices && loadDevices()),
  });
  const ticker = setInterval(() => tick(list), TICK_MS);

  renderToolbar();
  renderList();
  void loadEstates();

  return {
    el,
    relabel() {
      indicator.relabel();
      renderToolbar();
      renderList();
    },
    destroy() {
      unsubscribe();
      indicator.destroy();
      clearInterval(ticker);
      clearTimeout(refetch);
      loadSeq += 1;
    },
  };
}
