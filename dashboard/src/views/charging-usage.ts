import type { ChargingApi } from '../api-charging.js';
import { h } from '../dom.js';
import { yuan } from '../format.js';
import { tc, type ChargingKey } from '../messages/charging.js';
import type { PortUsage, ShedUsage, ShedView, Usage } from '../types-charging.js';
import { errorLine, failureText, labelled, say, whileBusy } from './form.js';
import { peakText, usageChart } from './usage-chart.js';

/** A week ending today: what a committee looks at in its weekly meeting. */
const DEFAULT_DAYS = 7;

const pad = (n: number) => String(n).padStart(2, '0');
const dateInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** A local calendar day's start as ISO; `plusDays` 1 gives the next day's, so "to" includes its whole day. */
const dayStart = (value: string, plusDays = 0) => {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plusDays).toISOString();
};

function stat(testid: string, label: ChargingKey, value: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, tc(label)), h('dd', { testid }, value));
}

function portTable(ports: PortUsage[]): HTMLElement {
  const cell = (testid: string, text: string | number) => h('td', { testid }, String(text));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid: 'usage-ports', class: 'table' },
      h('thead', {}, h('tr', {}, ...(['use.port', 'use.sessions', 'use.kwh', 'use.revenue', 'use.faults'] as const).map((k) => h('th', {}, tc(k))))),
      h(
        'tbody',
        {},
        ...ports.map((p) => {
          const tr = h('tr', { testid: 'usage-port' }, cell('usage-port-no', p.port), cell('usage-port-sessions', p.sessions), cell('usage-port-kwh', p.kWh), cell('usage-port-revenue', yuan(p.revenueFen)), cell('usage-port-faults', p.faults));
          tr.dataset.port = String(p.port);
          return tr;
        }),
      ),
    ),
  );
}

function shedBlock(s: ShedUsage, name: string, ports: PortUsage[]): HTMLElement {
  const el = h(
    'article',
    { testid: 'usage-shed', class: 'usage' },
    h('h3', { class: 'usage__title' }, name),
    h('dl', { class: 'stats' }, stat('usage-sessions', 'use.sessions', String(s.sessions)), stat('usage-kwh', 'use.kwh', String(s.kWh)), stat('usage-revenue', 'use.revenue', yuan(s.revenueFen)), stat('usage-faults', 'use.faults', String(s.faults))),
    h('p', { class: 'usage__caption' }, tc('use.byHour'), ' · ', h('span', { testid: 'usage-peak' }, peakText(s.utilisationByHour))),
    usageChart(s.utilisationByHour),
    portTable(ports),
  );
  el.dataset.shedId = s.shedId;
  return el;
}

/** 使用情况: a period (and a shed, or all), then per shed its sessions, kWh, revenue, faults, busy hours and ports. */
export function chargingUsage(): { el: HTMLElement; show(api: ChargingApi, sheds: ShedView[]): void; reload(): Promise<void> } {
  let api: ChargingApi | undefined;
  let sheds: ShedView[] = [];
  let seq = 0;
  const today = new Date();
  const from = h('input', { testid: 'usage-from', type: 'date', value: dateInput(new Date(today.getFullYear(), today.getMonth(), today.getDate() - (DEFAULT_DAYS - 1))) });
  const to = h('input', { testid: 'usage-to', type: 'date', value: dateInput(today) });
  const shed = h('select', { testid: 'usage-shed-picker' });
  const submit = h('button', { type: 'submit', testid: 'usage-show', class: 'btn btn--action' }, tc('use.show'));
  const error = errorLine('usage-error');
  const out = h('div', { testid: 'usage-result', class: 'sections' });
  const form = h('form', { class: 'period', noValidate: true }, labelled(tc('use.from'), from), labelled(tc('use.to'), to), labelled(tc('use.shed'), shed), submit);

  async function reload(): Promise<void> {
    if (!api || !from.value || !to.value) return;
    if (to.value < from.value) return say(error, tc('use.badPeriod'));
    const mine = ++seq;
    try {
      const usage: Usage = await api.usage(dayStart(from.value), dayStart(to.value, 1), shed.value || undefined);
      if (mine !== seq) return;
      say(error, undefined);
      const name = (id: string) => sheds.find((s) => s.shedId === id)?.name || id;
      out.replaceChildren(...(usage.sheds.length ? usage.sheds.map((s) => shedBlock(s, name(s.shedId), usage.ports.filter((p) => p.shedId === s.shedId))) : [h('p', { class: 'hint' }, tc('use.noSheds'))]));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void whileBusy(submit, tc('use.show'), reload);
  });

  return {
    el: h('div', {}, form, error, out),
    show(next, list) {
      api = next;
      sheds = list;
      const chosen = shed.value;
      shed.replaceChildren(h('option', { value: '' }, tc('use.allSheds')), ...list.map((s) => h('option', { value: s.shedId, selected: s.shedId === chosen }, s.name || s.shedId)));
      out.replaceChildren();
      void reload();
    },
    reload,
  };
}
