import { h } from '../dom.js';
import { day } from '../format.js';
import { kindLabel } from '../i18n.js';
import { tr } from '../messages/reports.js';
import type { DeviceUptime, KindUptime, WorstWeek } from '../types-reports.js';
import { duration, pctText, stat, stats } from './report-bits.js';

/** How many of the worst weeks are named and highlighted: the few worth a committee's question. */
export const WORST_SHOWN = 3;

/** A device by its name, or its id when it has none. */
export const nameOf = (d: { deviceId: string; name?: string }) => d.name || d.deviceId;
const weekTo = (iso: string) => day(new Date(Date.parse(iso) - 1).toISOString()); // the end is exclusive

/** Per kind: its availability, how many devices, outages and the mean time to restore. */
export function kindStats(kinds: KindUptime[]): HTMLElement {
  return stats(
    ...kinds.map((k) => {
      const el = stat('uptime-kind-pct', kindLabel(k.kind), pctText(k.availabilityPct), tr('up.kindLine', { n: k.devices, o: k.outages, mttr: duration(k.mttrMs) }));
      el.dataset.kind = k.kind;
      return el;
    }),
  );
}

/** The devices whose worst 7 days had any down time, worst first. */
export function worstWeeks(worst: WorstWeek[]): WorstWeek[] {
  return worst.filter((w) => w.downMs > 0).slice(0, WORST_SHOWN);
}

export function worstList(worst: WorstWeek[]): HTMLElement {
  if (!worst.length) return h('p', { testid: 'uptime-worst-none', class: 'hint' }, tr('up.worstNone'));
  return h(
    'ol',
    { testid: 'uptime-worst', class: 'rows worst' },
    ...worst.map((w) => {
      const li = h(
        'li',
        { testid: 'uptime-worst-item', class: 'row' },
        h('span', { class: 'row__title' }, nameOf(w), ' ', h('span', { class: 'muted' }, kindLabel(w.kind))),
        h('span', { testid: 'uptime-worst-line' }, tr('up.worstLine', { from: day(w.from), to: weekTo(w.to), pct: pctText(w.availabilityPct), down: duration(w.downMs) })),
      );
      li.dataset.deviceId = w.deviceId;
      return li;
    }),
  );
}

const COLUMNS = ['up.pct', 'up.outages', 'up.down', 'up.mttr', 'up.maint'] as const;

function row(d: DeviceUptime, worst: WorstWeek | undefined): HTMLElement {
  // Each figure carries its column's name: on a phone the row is a card and says what each figure is.
  const cell = (i: number, testid: string, text: string) => h('td', { testid, class: i === 4 ? 'num muted' : 'num', attrs: { 'data-label': tr(COLUMNS[i]!) } }, text);
  const line = h(
    'tr',
    { testid: 'uptime-device', class: worst ? 'row--worst' : undefined },
    h(
      'td',
      { class: 'table__lead' },
      h('span', { testid: 'uptime-device-name', class: 'row__title' }, nameOf(d)),
      ' ',
      h('span', { class: 'muted' }, kindLabel(d.kind)),
      d.decommissionedAt ? h('span', { testid: 'uptime-device-retired', class: 'tag' }, tr('up.decommissioned', { date: day(d.decommissionedAt) })) : undefined,
      worst ? h('span', { testid: 'uptime-device-worst', class: 'tag tag--worst' }, tr('up.worstTag', { pct: pctText(worst.availabilityPct) })) : undefined,
    ),
    cell(0, 'uptime-device-pct', pctText(d.availabilityPct)),
    cell(1, 'uptime-device-outages', String(d.outages.length)),
    cell(2, 'uptime-device-down', duration(d.downMs)),
    cell(3, 'uptime-device-mttr', duration(d.mttrMs)),
    cell(4, 'uptime-device-maint', d.maintenanceMs ? duration(d.maintenanceMs) : tr('none')),
  );
  line.dataset.deviceId = d.deviceId;
  line.dataset.worst = String(Boolean(worst));
  return line;
}

/** 各设备: availability, outages, downtime, MTTR, and maintenance apart; the worst weeks' devices highlighted. */
export function deviceTable(devices: DeviceUptime[], worst: WorstWeek[]): HTMLElement {
  if (!devices.length) return h('p', { testid: 'uptime-devices-empty', class: 'hint' }, tr('up.noDevices'));
  const head = [h('th', {}, tr('up.device')), ...COLUMNS.map((k) => h('th', { class: 'num' }, tr(k)))];
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { testid: 'uptime-devices', class: 'table table--stack' }, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...devices.map((d) => row(d, worst.find((w) => w.deviceId === d.deviceId))))),
  );
}
