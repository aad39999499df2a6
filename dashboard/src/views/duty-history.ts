import { h } from '../dom.js';
import { absoluteTime, eventLabel, kindLabel, t } from '../i18n.js';
import { shortTime } from '../format.js';
import { dutyWords, td, type DutyKey } from '../messages/duty.js';
import type { AlertEvent, DeliveryRecord, DeviceHistory } from '../types-duty.js';
import { section } from './page.js';

/** A phone shows the latest few; the server keeps 50 of each. */
const SHOWN = 10;

function time(iso: string): HTMLTimeElement {
  return h('time', { dateTime: iso, title: absoluteTime(iso) }, shortTime(iso));
}

/** A code's words when the dictionary has them (`cmd.acked` → 已执行), else the code. */
function word(prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return key in dutyWords.zh ? td(key as DutyKey) : code;
}

function list<T>(testid: string, items: T[], row: (item: T) => (Node | string | undefined)[]): HTMLElement {
  if (!items.length) return h('p', { testid: `${testid}-empty`, class: 'hint' }, td('none'));
  return h('ul', { testid, class: 'rows' }, ...items.slice(0, SHOWN).map((item) => h('li', { testid: `${testid}-item`, class: 'row duty-line' }, ...row(item))));
}

/** The alert's timeline, oldest first: 告警发出 → 已通知 vol-a → 已认领 vol-a → 已处理 vol-a（note）. */
export function timeline(events: AlertEvent[]): HTMLElement {
  const ol = h(
    'ol',
    { testid: 'alert-timeline', class: 'timeline' },
    ...events.map((e) => {
      const note = typeof e.detail?.note === 'string' ? e.detail.note : undefined;
      const li = h(
        'li',
        { testid: 'timeline-item', class: 'timeline__item' },
        time(e.at),
        h('span', { testid: 'timeline-what', class: 'timeline__what' }, word('what', e.what)),
        e.byUser ? h('span', { testid: 'timeline-by', class: 'timeline__by' }, e.byUser) : undefined,
        note ? h('span', { testid: 'timeline-note', class: 'timeline__note' }, note) : undefined,
      );
      li.dataset.what = e.what;
      return li;
    }),
  );
  return section('alert-timeline-section', td('timeline'), ol);
}

/** Who the webhooks reached (钉钉 / 企业微信 / JSON), when there are any. */
export function deliveries(items: DeliveryRecord[]): HTMLElement | undefined {
  if (!items.length) return undefined;
  return section(
    'alert-deliveries',
    td('deliveries'),
    list('delivery', items, (d) => [h('span', { class: 'row__title' }, d.recipient, ' · ', d.channelKind), h('span', { class: 'muted' }, word('delivery', d.status), ' · ', time(d.deliveredAt ?? d.updatedAt))]),
  );
}

/** The device's recent events, commands and comings and goings, newest first. */
export function deviceHistory(history: DeviceHistory): HTMLElement[] {
  return [
    section(
      'history-presence',
      td('presence'),
      list('presence', history.presence, (p) => [h('span', { class: `tag ${p.online ? 'tag--active' : 'tag--cancelled'}` }, td(p.online ? 'presence.on' : 'presence.off')), time(p.at), p.reason ? h('span', { class: 'muted' }, word('reason', p.reason)) : undefined]),
    ),
    section('history-events', td('events'), list('event', history.events, (e) => [h('span', { class: 'row__title' }, eventLabel(e.type) ?? e.type), time(e.receivedAt)])),
    section(
      'history-commands',
      td('commands'),
      list('command', history.commands, (c) => [h('span', { class: 'row__title' }, c.type), h('span', { class: 'muted' }, word('cmd', c.status), c.requestedBy ? ` · ${c.requestedBy}` : ''), time(c.createdAt)]),
    ),
  ];
}

/** "道闸 · 东门道闸 · 在线" */
export function deviceLine(history: DeviceHistory): HTMLElement {
  const { online } = history.device;
  return h(
    'p',
    { testid: 'device-line', class: 'row__head' },
    h('span', { class: 'row__title' }, history.device.name || history.device.id),
    h('span', { class: 'muted' }, kindLabel(history.device.kind)),
    h('span', { testid: 'device-online', class: `badge ${online ? 'badge--on' : 'badge--off'}` }, t(online ? 'devices.online' : 'devices.offline')),
  );
}
