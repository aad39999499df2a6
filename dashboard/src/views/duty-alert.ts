import { h } from '../dom.js';
import { kindLabel, t } from '../i18n.js';
import { dutyWords, td, type DutyKey } from '../messages/duty.js';
import type { Alert, Severity } from '../types-duty.js';
import { since } from './device-row.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';
import { wireNoteForm } from './note-form.js';

/** Most urgent first, then the newest. */
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export const byUrgency = (a: Alert, b: Alert) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || b.raisedAt.localeCompare(a.raisedAt);

export interface AlertDeps {
  me: string;
  /** The committee may resolve an alert someone else took; a volunteer resolves their own. */
  resolvesAny: boolean;
  claim(a: Alert): Promise<void>;
  resolve(a: Alert, note: string): Promise<void>;
  details(a: Alert): void;
  device(deviceId: string): { name: string; kind?: string };
}

/** Severity in colour and in words: colour alone says nothing to a colour-blind volunteer. */
export function severityBadge(severity: Severity): HTMLElement {
  return h('span', { testid: 'alert-severity', class: `badge sev sev--${severity}` }, td(`sev.${severity}` as DutyKey));
}

/** The alert's name in the language in use when we know its kind; else the server's (Chinese) title. */
export function alertName(a: Alert): string {
  const key = `kind.${a.kind}`;
  return key in dutyWords.zh ? td(key as DutyKey) : a.title;
}

/** What the row says: severity, what, which device, since when, and who has it. */
export function alertInfo(a: Alert, deps: Pick<AlertDeps, 'me' | 'device'>): HTMLElement {
  const device = deps.device(a.deviceId);
  const kind = a.deviceKind ?? device.kind;
  const who = a.claimedBy ? (a.claimedBy === deps.me ? td('claimed.me') : td('claimed.by', { user: a.claimedBy })) : undefined;
  const tags = [
    who ? h('span', { testid: 'alert-claimed', class: 'tag tag--active' }, who) : undefined,
    a.deviceClearedAt ? h('span', { testid: 'alert-device-cleared', class: 'tag tag--upcoming' }, td('state.deviceCleared')) : undefined,
    a.held ? h('span', { testid: 'alert-held', class: 'tag' }, td('state.held')) : undefined,
  ].filter((x) => x !== undefined);
  return h(
    'div',
    { class: 'duty-alert__info' },
    h('div', { class: 'row__head' }, severityBadge(a.severity), h('span', { testid: 'alert-name', class: 'row__title' }, alertName(a))),
    h('span', { testid: 'alert-device', class: 'duty-alert__device' }, kind ? `${kindLabel(kind)} · ` : '', device.name),
    h('span', { class: 'muted' }, since(a.raisedAt), a.count > 1 ? ` · ${td('times', { n: a.count })}` : ''),
    tags.length ? h('div', { class: 'row__head' }, ...tags) : undefined,
  );
}

/** Which buttons the alert gets: 我来处理 while nobody has it, 已处理 for whoever has it. */
export function actionsKey(a: Alert, deps: Pick<AlertDeps, 'me' | 'resolvesAny'>): 'claim' | 'resolve' | 'none' {
  if (!a.claimedBy) return 'claim';
  return a.claimedBy === deps.me || deps.resolvesAny ? 'resolve' : 'none';
}

/** 已处理 → what was done (required, as the server requires it) → 确认已处理. */
function resolveControl(a: Alert, deps: AlertDeps, error: HTMLElement): HTMLElement[] {
  const open = h('button', { type: 'button', testid: 'alert-resolve', class: 'btn btn--action' }, td('resolve'));
  const note = h('textarea', { testid: 'resolve-note', rows: 2, attrs: { maxlength: 500, placeholder: td('resolve.hint') } });
  const submit = h('button', { type: 'submit', testid: 'resolve-submit', class: 'btn btn--action' }, td('resolve.submit'));
  const cancel = h('button', { type: 'button', testid: 'resolve-cancel', class: 'btn btn--small' }, td('cancel'));
  const form = h('form', { testid: 'resolve-form', class: 'form duty-alert__form', noValidate: true, hidden: true }, labelled(td('resolve.note'), note), h('div', { class: 'close__actions' }, submit, cancel));
  wireNoteForm({ open, form, note, submit, cancel, error, needNote: td('resolve.needNote'), noteLabel: td('resolve.note'), send: (text) => deps.resolve(a, text) });
  return [open, form];
}

/** The buttons under an alert, with their own error line. */
export function alertActions(a: Alert, deps: AlertDeps, withDetails: boolean): HTMLElement {
  const error = errorLine('alert-error');
  const key = actionsKey(a, deps);
  const claim = h('button', { type: 'button', testid: 'alert-claim', class: 'btn btn--action' }, td('claim'));
  claim.addEventListener('click', () =>
    void whileBusy(claim, t('busy'), async () => {
      try {
        await deps.claim(a);
      } catch (err) {
        say(error, failureText(err));
      }
    }),
  );
  const details = withDetails ? h('button', { type: 'button', testid: 'alert-details', class: 'btn btn--small', on: { click: () => deps.details(a) } }, td('details')) : undefined;
  const buttons = key === 'claim' ? [claim] : key === 'resolve' ? resolveControl(a, deps, error) : [];
  return h('div', { class: 'duty-alert__actions' }, h('div', { class: 'close__actions' }, ...buttons, details), error);
}

interface Entry {
  el: HTMLElement;
  info: HTMLElement;
  actions: HTMLElement;
  key: string;
}

/**
 * A list of alerts kept by id: an update redraws a row's words but keeps its
 * buttons (and a half-typed note) unless what the person may do changed.
 */
export function alertList(testid: string, empty: DutyKey, deps: AlertDeps): { el: HTMLElement; show(alerts: Alert[]): void; relabel(): void } {
  const entries = new Map<string, Entry>();
  const list = h('ul', { testid, class: 'duty-alerts' });
  const none = h('p', { testid: `${testid}-empty`, class: 'hint' }, td(empty));
  let shown: Alert[] = [];

  function entry(a: Alert): HTMLElement {
    const key = actionsKey(a, deps);
    let e = entries.get(a.id);
    if (!e) {
      const info = alertInfo(a, deps);
      const actions = alertActions(a, deps, true);
      e = { el: h('li', { testid: 'duty-alert', class: 'duty-alert' }, info, actions), info, actions, key };
      e.el.dataset.alertId = a.id;
      entries.set(a.id, e);
    } else {
      const info = alertInfo(a, deps);
      e.info.replaceWith(info);
      e.info = info;
      if (e.key !== key) {
        const actions = alertActions(a, deps, true);
        e.actions.replaceWith(actions);
        (e.actions = actions), (e.key = key);
      }
    }
    Object.assign(e.el.dataset, { severity: a.severity, kind: a.kind, deviceId: a.deviceId, claimedBy: a.claimedBy ?? '' });
    return e.el;
  }

  function show(alerts: Alert[]): void {
    shown = [...alerts].sort(byUrgency);
    for (const id of [...entries.keys()]) if (!shown.some((a) => a.id === id)) entries.delete(id);
    const els = shown.map(entry);
    // Re-attach only when the set or order changed: moving a node closes the keyboard of someone typing a note.
    if (els.length !== list.children.length || els.some((el, i) => list.children[i] !== el)) list.replaceChildren(...els);
    none.hidden = shown.length > 0;
  }

  return {
    el: h('div', {}, none, list),
    show,
    relabel() {
      entries.clear();
      list.replaceChildren();
      none.textContent = td(empty);
      show(shown);
    },
  };
}
