import { h } from '../dom.js';
import { yuan } from '../format.js';
import { tr } from '../messages/reports.js';
import type { ChargerUsage, ShedUsage } from '../types-reports.js';
import { COLORS, shareText, stat, stats } from './report-bits.js';
import { count, money, toYuan, type Frame } from './usage-frame.js';

const kwhText = (v: number) => `${Math.round(v * 100) / 100} kWh`;

function shedTable(sheds: ShedUsage[], name: (id: string) => string): HTMLElement {
  const head = (['use.shed', 'use.portsCol', 'use.sessions', 'use.kwh', 'use.revenue', 'use.utilisation'] as const).map((k, i) => h('th', { class: i ? 'num' : undefined }, tr(k)));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { testid: 'usage-sheds', class: 'table' },
      h('thead', {}, h('tr', {}, ...head)),
      h(
        'tbody',
        {},
        ...sheds.map((s) => {
          const row = h('tr', { testid: 'usage-shed-row' }, h('td', {}, name(s.shedId)), ...[String(s.ports), String(s.sessions), String(s.kWh), yuan(s.revenueFen), shareText(s.utilisation)].map((v) => h('td', { class: 'num' }, v)));
          row.dataset.shedId = s.shedId;
          return row;
        }),
      ),
    ),
  );
}

/** 充电棚: sessions, kWh, revenue and how busy the ports were, over the period and per shed. */
export function chargersUsage(c: ChargerUsage, f: Frame, name: (id: string) => string): HTMLElement {
  const s = c.series;
  return h(
    'div',
    { class: 'report', testid: 'usage-chargers' },
    stats(
      stat('usage-chargers-sessions', tr('use.sessions'), String(c.sessions)),
      stat('usage-chargers-kwh', tr('use.kwh'), String(c.kWh)),
      stat('usage-chargers-revenue', tr('use.revenue'), yuan(c.revenueFen)),
      stat('usage-chargers-util', tr('use.utilisation'), shareText(c.utilisation), tr('use.ports', { n: c.ports })),
    ),
    f.draw({
      testid: 'chart-chargers-sessions',
      title: tr('use.sessionsChart'),
      yLabel: tr('use.times'),
      rightLabel: 'kWh',
      whole: true,
      lines: [
        { label: tr('use.sessions'), values: s.sessions, color: COLORS.brand, format: count(tr('use.times')), bars: 0 },
        { label: tr('use.kwh'), values: s.kWh, color: COLORS.amber, format: kwhText, right: true },
      ],
    }),
    f.draw({ testid: 'chart-chargers-revenue', title: tr('use.revenueChart'), yLabel: tr('use.yuan'), lines: [{ label: tr('use.revenue'), values: toYuan(s.revenueFen), color: COLORS.blue, format: money, bars: 0 }] }),
    f.draw({
      testid: 'chart-chargers-util',
      title: tr('use.utilChart'),
      yLabel: '%',
      lines: [{ label: tr('use.utilisation'), values: s.utilisation.map((u) => Math.round(u * 1000) / 10), color: COLORS.purple, format: (v) => `${v}%` }],
    }),
    c.sheds.length ? shedTable(c.sheds, name) : undefined,
  );
}
