import { h } from '../dom.js';
import { t } from '../i18n.js';
import { faultName, te, type ElevatorKey } from '../messages/elevator.js';
import type { Alert } from '../types-elevator.js';
import { since } from './device-row.js';
import { errorLine, labelled } from './form.js';
import { wireNoteForm } from './note-form.js';
import { floorText } from './lift-card.js';

/** Most urgent first, then the newest. */
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const SEVERITY_CLASS = { critical: 'badge--off', high: 'badge--off', medium: 'badge--warn', low: 'badge--retired' } as const;
const byUrgency = (a: Alert, b: Alert) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || b.raisedAt.localeCompare(a.raisedAt);

export interface AlarmDeps {
  /** Committee and volunteers may close an alert; a guard sees it and calls them. */
  canClose: boolean;
  /** Posts the close; resolves once it is closed. */
  close(alert: Alert, note: string): Promise<void>;
  liftName(deviceId: string): string;
}

/** The floor a fault is at, from its detail (the device's or the gateway's reading). */
export function floorOf(a: Alert): number | undefined {
  const f = a.detail?.floor;
  return typeof f === 'number' ? f : undefined;
}

/** 关闭 → a note of what was done (required, as the server requires it) → 确认关闭. */
function closeControl(a: Alert, deps: AlarmDeps): HTMLElement {
  const open = h('button', { type: 'button', testid: 'alarm-close', class: 'btn btn--small' }, te('close'));
  const note = h('input', { testid: 'close-note', attrs: { maxlength: 500, autocomplete: 'off', placeholder: te('close.hint') } });
  const error = errorLine('close-error');
  const submit = h('button', { type: 'submit', testid: 'close-submit', class: 'btn btn--action' }, te('close.submit'));
  const cancel = h('button', { type: 'button', testid: 'close-cancel', class: 'btn btn--small' }, te('close.cancel'));
  const form = h('form', { testid: 'close-form', class: 'form close', noValidate: true, hidden: true }, labelled(te('close.note'), note), error, h('div', { class: 'close__actions' }, submit, cancel));
  wireNoteForm({ open, form, note, submit, cancel, error, needNote: te('close.needNote'), noteLabel: te('close.note'), send: (text) => deps.close(a, text) });
  return h('div', { class: 'alarm__actions' }, open, form);
}

/** What the banner or row says of the alert right now: what, where, since when, and whether the device still reports it. */
function info(a: Alert, deps: AlarmDeps, banner: boolean): HTMLElement {
  const code = a.kind.replace(/^elevator\./, '');
  const floor = floorOf(a);
  const where = floor !== undefined ? te('alarm.where', { lift: deps.liftName(a.deviceId), floor: floorText(floor) }) : deps.liftName(a.deviceId);
  const headline = banner ? (code === 'trapped' || code === 'emergency-call' ? te(`alarm.${code}` as ElevatorKey) : `${faultName(a.kind, a.title)}！`) : faultName(a.kind, a.title);
  const state = a.deviceClearedAt ? te('alarm.cleared') : banner ? te('alarm.go') : undefined;
  return h(
    'div',
    { class: 'alarm__info' },
    h(
      'div',
      { class: 'row__head' },
      h('span', { testid: 'alarm-headline', class: banner ? 'alarm__headline' : 'row__title' }, headline),
      banner ? undefined : h('span', { class: `badge ${SEVERITY_CLASS[a.severity] ?? 'badge--warn'}` }, te(`sev.${a.severity}`)),
    ),
    h('span', { testid: 'alarm-where', class: banner ? 'alarm__where' : 'muted' }, where, ' · ', since(a.raisedAt), a.count > 1 ? ` · ${te('times', { n: a.count })}` : ''),
    state ? h('span', { testid: 'alarm-state', class: banner ? 'alarm__state' : 'tag tag--upcoming' }, state) : undefined,
  );
}

interface Entry {
  el: HTMLElement;
  info: HTMLElement;
}

/**
 * The open faults: every critical one as a red banner at the top of the page
 * (困人！ with the floor, the moment `alert.raised` arrives), the rest as rows
 * below. Each banner and row is kept while its alert stays open, so a volunteer
 * typing the closing note keeps the keyboard and the text when an update comes.
 */
export function liftAlarms(deps: AlarmDeps): { banners: HTMLElement; others: HTMLElement; show(open: Alert[]): void } {
  const entries = new Map<string, Entry>();
  const banners = h('div', { testid: 'lift-alarms', class: 'alarms', attrs: { role: 'alert', 'aria-live': 'assertive' } });
  const list = h('ul', { testid: 'lift-open-faults', class: 'rows' });
  const none = h('p', { testid: 'lift-open-faults-none', class: 'hint' }, te('faults.none'));
  const others = h('section', { testid: 'lift-faults-section', class: 'card section' }, h('h2', { class: 'section__title' }, te('faults.title')), none, list);

  function entry(a: Alert, banner: boolean): HTMLElement {
    let e = entries.get(a.id);
    if (!e || e.el.dataset.banner !== String(banner)) {
      const el = h(banner ? 'div' : 'li', { testid: banner ? 'lift-alarm' : 'lift-open-fault', class: banner ? 'alarm' : 'row' }, h('div'), deps.canClose ? closeControl(a, deps) : undefined);
      el.dataset.alertId = a.id;
      el.dataset.banner = String(banner);
      e = { el, info: el.firstElementChild as HTMLElement };
      entries.set(a.id, e);
    }
    const next = info(a, deps, banner);
    e.info.replaceWith(next);
    e.info = next;
    e.el.dataset.kind = a.kind;
    e.el.dataset.severity = a.severity;
    e.el.dataset.state = a.deviceClearedAt ? 'device-cleared' : 'active';
    return e.el;
  }

  /** Re-attaches only when the set or order changed: moving a node would close the keyboard of someone typing in it. */
  function place(parent: HTMLElement, els: HTMLElement[]): void {
    const same = els.length === parent.children.length && els.every((el, i) => parent.children[i] === el);
    if (!same) parent.replaceChildren(...els);
  }

  function show(open: Alert[]): void {
    const sorted = [...open].sort(byUrgency);
    for (const id of [...entries.keys()]) if (!sorted.some((a) => a.id === id)) entries.delete(id);
    const critical = sorted.filter((a) => a.severity === 'critical');
    const rest = sorted.filter((a) => a.severity !== 'critical');
    place(banners, critical.map((a) => entry(a, true)));
    place(list, rest.map((a) => entry(a, false)));
    banners.hidden = !critical.length;
    none.hidden = sorted.length > 0;
    // With only banners open there is nothing more to list, and "no open faults" would contradict them.
    others.hidden = !rest.length && critical.length > 0;
  }

  return { banners, others, show };
}
