import { h } from '../dom.js';
import { absoluteTime, eventLabel, kindLabel, relativeTime, t } from '../i18n.js';
import type { DeviceItem } from '../types.js';

/** A `<time>` whose text the view's ticker refreshes every second. */
export function since(iso: string): HTMLTimeElement {
  const el = h('time', { dateTime: iso, title: absoluteTime(iso) }, relativeTime(iso));
  el.dataset.since = iso;
  return el;
}

/** Refreshes every ticking time under `root`. */
export function tick(root: ParentNode, now = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-since]')) {
    const text = relativeTime(el.dataset.since!, now);
    if (el.textContent !== text) el.textContent = text;
  }
}

function badge(device: DeviceItem): HTMLElement {
  const [cls, text] =
    device.status === 'decommissioned'
      ? ['badge--retired', t('devices.decommissioned')]
      : device.online
        ? ['badge--on', t('devices.online')]
        : ['badge--off', t('devices.offline')];
  return h('span', { testid: 'device-badge', class: `badge ${cls}` }, text);
}

function lastEvent(device: DeviceItem): HTMLElement {
  const event = device.lastEvent;
  const el = h('span', { testid: 'device-last-event', class: 'meta__value' });
  if (!event) {
    el.append(t('devices.noEvent'));
    return el;
  }
  el.dataset.type = event.type;
  const label = eventLabel(event.type);
  if (label) el.append(label, ' ');
  el.append(h('code', { class: 'code' }, event.type), ' · ', since(event.at));
  return el;
}

export function deviceRow(device: DeviceItem): HTMLLIElement {
  const state = device.status === 'decommissioned' ? 'retired' : device.online ? 'online' : 'offline';
  const row = h(
    'li',
    { testid: 'device-row', class: `device device--${state}` },
    h(
      'div',
      { class: 'device__head' },
      h(
        'div',
        { class: 'device__title' },
        h('span', { testid: 'device-name', class: 'device__name' }, device.name || device.id),
        h('span', { class: 'device__sub' }, h('span', { testid: 'device-kind', class: 'kind' }, kindLabel(device.kind)), ' ', h('code', { class: 'code' }, device.id)),
      ),
      badge(device),
    ),
    h(
      'dl',
      { class: 'device__meta' },
      h('div', {}, h('dt', {}, t('devices.lastSeen')), h('dd', { testid: 'device-last-seen' }, device.lastSeen ? since(device.lastSeen) : t('devices.never'))),
      h('div', {}, h('dt', {}, t('devices.lastEvent')), h('dd', {}, lastEvent(device))),
      device.fw ? h('div', {}, h('dt', {}, t('devices.fw')), h('dd', { testid: 'device-fw' }, device.fw)) : undefined,
    ),
  );
  row.dataset.deviceId = device.id;
  row.dataset.state = state;
  return row;
}
