import type { ElevatorApi } from '../api-elevator.js';
import { h } from '../dom.js';
import { absoluteTime } from '../i18n.js';
import { shortTime } from '../format.js';
import { faultName, te } from '../messages/elevator.js';
import type { Alert } from '../types-elevator.js';
import { floorOf } from './lift-alarms.js';
import { floorText } from './lift-card.js';
import { errorLine, failureText, say } from './form.js';

type Status = 'open' | 'waiting' | 'cleared' | 'closed';
const STATUS_CLASS: Record<Status, string> = { open: 'tag--cancelled', waiting: 'tag--upcoming', cleared: 'tag--active', closed: 'tag--active' };

/** An open alert the device has cleared but a person has not is neither open nor over: it waits for them. */
function statusOf(a: Alert): Status {
  if (a.status === 'open') return a.deviceClearedAt ? 'waiting' : 'open';
  return a.status;
}

function time(iso: string): HTMLTimeElement {
  return h('time', { dateTime: iso, title: absoluteTime(iso) }, shortTime(iso));
}

function row(a: Alert): HTMLElement {
  const status = statusOf(a);
  const floor = floorOf(a);
  const ended = a.clearedAt ?? a.deviceClearedAt;
  const li = h(
    'li',
    { testid: 'lift-history-item', class: 'row' },
    h(
      'div',
      { class: 'row__head' },
      h('span', { testid: 'history-name', class: 'row__title' }, faultName(a.kind, a.title), floor !== undefined ? ` · ${floorText(floor)}${te('floorUnit')}` : ''),
      h('span', { testid: 'history-status', class: `tag ${STATUS_CLASS[status]}` }, te(`status.${status}`)),
      h('span', { class: 'muted' }, te(`sev.${a.severity}`)),
    ),
    h('span', { class: 'muted' }, time(a.raisedAt), ended ? ` → ${te('history.cleared', { time: shortTime(ended) })}` : '', a.count > 1 ? ` · ${te('times', { n: a.count })}` : '', a.detail?.derived ? ` · ${te('derived')}` : ''),
    a.status === 'closed' && a.closedBy ? h('p', { testid: 'history-closed', class: 'row__text' }, te('history.closed', { user: a.closedBy, note: a.closeNote ?? '' })) : undefined,
  );
  li.dataset.alertId = a.id;
  li.dataset.kind = a.kind;
  li.dataset.status = status;
  return li;
}

/** 故障记录: every fault of one elevator, newest first, in words, with when it began, ended and who closed it. */
export function liftFaults(): { el: HTMLElement; show(api: ElevatorApi, liftId: string): Promise<void> } {
  const list = h('ul', { testid: 'lift-history', class: 'rows' });
  const error = errorLine('lift-history-error');
  let seq = 0;

  async function show(api: ElevatorApi, liftId: string): Promise<void> {
    const mine = ++seq;
    try {
      const { items } = await api.faults(liftId);
      if (mine !== seq) return;
      say(error, undefined);
      list.replaceChildren(...(items.length ? items.map(row) : [h('li', { testid: 'lift-history-empty', class: 'hint' }, te('history.none'))]));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  return { el: h('div', {}, error, list), show };
}
