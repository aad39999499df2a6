import { reportsApi } from '../api-reports.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { tr, type ReportKey } from '../messages/reports.js';
import type { Bucket } from '../types-reports.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { section, type PageDeps, type PageView } from './page.js';
import { periodPicker, type Period } from './period-picker.js';
import { chargersUsage } from './usage-chargers.js';
import { elevatorsUsage } from './usage-elevators.js';
import type { Frame } from './usage-frame.js';
import { gatesUsage } from './usage-gates.js';
import type { Chart, ChartSpec } from './usage-plot.js';

const BUCKETS: Bucket[] = ['hour', 'day', 'week', 'month'];

/** Under the axis: "10-18 14:00" for an hour, "10-18" for a day or a week (its Monday), "2026-10" for a month. */
const tick = (label: string, bucket: Bucket) => (bucket === 'month' ? label : label.slice(5));

/**
 * 使用统计, the committee's page: over a period, per hour, day, week or month,
 * the gates (cars in and out, residents apart from visitors, the most inside
 * at once, fees), the charging sheds (sessions, kWh, revenue, port use) and the
 * elevators (rides, and by floor). The charts are uPlot's, loaded with this
 * page only (usage-plot.ts).
 */
export function usageView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let seq = 0;
  let charts: Chart[] = [];
  // uPlot starts loading with the page, alongside the figures; undefined if its chunk is gone (an old tab after an update).
  const plotting = import('./usage-plot.js').catch(() => undefined);
  const bucket = h('select', { testid: 'usage-bucket' }, ...BUCKETS.map((b) => h('option', { value: b, selected: b === 'day' }, tr(`bucket.${b}` as ReportKey))));
  const picker = periodPicker((p) => void load(p), [{ label: tr('period.bucket'), control: bucket }]);
  const error = errorLine('usage-error');
  const parts = { gates: h('div', {}), chargers: h('div', {}), elevators: h('div', {}) };

  function clear(): void {
    for (const c of charts) c.destroy();
    charts = [];
  }

  async function load(p: Period | undefined = picker.period()): Promise<void> {
    if (!estateId || !p) return;
    const mine = ++seq;
    const b = bucket.value as Bucket;
    const api = reportsApi(deps.api, estateId);
    try {
      const [gates, chargers, elevators, devices, plotter] = await Promise.all([api.gates(p.from, p.to, b), api.chargers(p.from, p.to, b), api.elevators(p.from, p.to, b), deps.api.devices(estateId), plotting]);
      if (mine !== seq) return;
      if (!plotter) return say(error, t('err.pageLoad'));
      const { plot } = plotter;
      say(error, undefined);
      clear();
      const names = new Map(devices.items.map((d) => [d.id, d.name || d.id]));
      const name = (id: string) => names.get(id) ?? id;
      const keep = (spec: ChartSpec) => {
        const chart = plot(spec);
        charts.push(chart);
        return chart.el;
      };
      const x = gates.series.bucket;
      const frame: Frame = { draw: (spec) => keep({ ...spec, x, ticks: x.map((l) => tick(l, b)), xLabel: tr('use.when') }), drawOver: keep };
      parts.gates.replaceChildren(gatesUsage(gates, frame));
      parts.chargers.replaceChildren(chargersUsage(chargers, frame, name));
      parts.elevators.replaceChildren(elevatorsUsage(elevators, frame, name));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  const el = h(
    'main',
    { class: 'page', testid: 'usage-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => ((estateId = id), void load()))),
    h('h1', { class: 'summary__title' }, t('nav.usage')),
    picker.el,
    error,
    section('usage-gates-section', tr('use.gates'), parts.gates),
    section('usage-chargers-section', tr('use.chargers'), parts.chargers),
    section('usage-elevators-section', tr('use.elevators'), parts.elevators),
  );
  return {
    el,
    destroy() {
      seq += 1;
      clear();
    },
  };
}
