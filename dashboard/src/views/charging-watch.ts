import type { ChargingApi } from '../api-charging.js';
import { h } from '../dom.js';
import { tc } from '../messages/charging.js';
import type { Alert, Risk } from '../types-charging.js';
import { since } from './device-row.js';
import { errorLine, failureText, say } from './form.js';

/** Most urgent first; the badge colour repeats the word. */
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const SEVERITY_CLASS = { critical: 'badge--off', high: 'badge--off', medium: 'badge--warn', low: 'badge--retired' } as const;

function reasons(why: string[]): HTMLElement {
  // The server's words: Chinese, each one line with the number that tripped it.
  return h('ul', { class: 'why' }, ...why.map((w) => h('li', { testid: 'risk-why' }, w)));
}

function riskList(risk: Risk, shedName: (id: string) => string): HTMLElement[] {
  const ports = risk.ports.filter((p) => p.flagged);
  if (!ports.length && !risk.cards.length) return [h('p', { testid: 'risk-none', class: 'hint' }, tc('risk.none'))];
  const portRows = ports.map((p) => {
    const li = h('li', { testid: 'risk-port', class: 'row' }, h('span', { class: 'row__title' }, tc('risk.port', { shed: shedName(p.shedId), n: p.port })), reasons(p.why));
    li.dataset.shedId = p.shedId;
    li.dataset.port = String(p.port);
    return li;
  });
  const cardRows = risk.cards.map((c) => {
    const li = h('li', { testid: 'risk-card', class: 'row' }, h('span', { class: 'row__title' }, tc('risk.card', { card: c.cardId, n: c.sessions })), reasons(c.why));
    li.dataset.cardId = c.cardId;
    return li;
  });
  const out: HTMLElement[] = [];
  if (portRows.length) out.push(h('h3', { class: 'usage__title' }, tc('risk.ports')), h('ul', { testid: 'risk-ports', class: 'rows' }, ...portRows));
  if (cardRows.length) out.push(h('h3', { class: 'usage__title' }, tc('risk.cards')), h('ul', { testid: 'risk-cards', class: 'rows' }, ...cardRows));
  return out;
}

function alertRow(a: Alert, deviceName: (id: string) => string): HTMLElement {
  const li = h(
    'li',
    { testid: 'alert', class: 'row' },
    h(
      'div',
      { class: 'row__head' },
      h('span', { testid: 'alert-severity', class: `badge ${SEVERITY_CLASS[a.severity] ?? 'badge--warn'}` }, tc(`sev.${a.severity}`)),
      h('span', { testid: 'alert-title', class: 'row__title' }, a.title),
    ),
    h('span', { class: 'muted' }, deviceName(a.deviceId), ' · ', since(a.raisedAt), a.count > 1 ? ` · ${tc('alerts.times', { n: a.count })}` : ''),
  );
  li.dataset.severity = a.severity;
  li.dataset.kind = a.kind;
  return li;
}

/** 巡检提示 and 未处理告警: what a volunteer should go and look at, and what is wrong right now. */
export function chargingWatch(): { risk: HTMLElement; alerts: HTMLElement; load(api: ChargingApi, name: (id: string) => string): Promise<void> } {
  const riskBody = h('div', { testid: 'risk' });
  const alertList = h('ul', { testid: 'alerts', class: 'rows' });
  const riskError = errorLine('risk-error');
  const alertError = errorLine('alerts-error');
  let seq = 0;

  async function load(api: ChargingApi, name: (id: string) => string): Promise<void> {
    const mine = ++seq;
    const [risk, alerts] = await Promise.allSettled([api.risk(), api.openAlerts()]);
    if (mine !== seq) return;
    if (risk.status === 'fulfilled') (riskBody.replaceChildren(...riskList(risk.value, name)), say(riskError, undefined));
    else say(riskError, failureText(risk.reason));
    if (alerts.status === 'fulfilled') {
      const items = [...alerts.value.items].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || b.updatedAt.localeCompare(a.updatedAt));
      alertList.replaceChildren(...(items.length ? items.map((a) => alertRow(a, name)) : [h('li', { testid: 'alerts-empty', class: 'hint' }, tc('alerts.none'))]));
      say(alertError, undefined);
    } else say(alertError, failureText(alerts.reason));
  }

  return { risk: h('div', {}, riskError, riskBody), alerts: h('div', {}, alertError, alertList), load };
}
