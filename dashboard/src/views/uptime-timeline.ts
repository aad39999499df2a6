import { h } from '../dom.js';
import { day, shortTime } from '../format.js';
import { tr, type ReportKey } from '../messages/reports.js';
import type { DeviceUptime, Outage, Uptime } from '../types-reports.js';
import { duration } from './report-bits.js';
import { nameOf } from './uptime-devices.js';

/** The newest outages listed in words under the strips; the strips show them all. */
const LISTED = 20;

const causeText = (o: Outage) => tr(`up.cause.${o.cause}` as ReportKey);
const endText = (o: Outage) => (o.decommissioned ? ` · ${tr('up.retiredDown')}` : o.ongoing ? ` · ${tr('up.ongoing')}` : '');
const outageText = (o: Outage) => `${tr('up.outage', { from: shortTime(o.from), dur: duration(o.ms) })} · ${causeText(o)}${endText(o)}`;

/** One device's period as a strip, each outage a mark where and as long as it was (at least a sliver, so a short one shows). */
function strip(d: DeviceUptime, from: number, span: number): HTMLElement {
  const marks = d.outages.map((o) => {
    const left = ((Date.parse(o.from) - from) / span) * 100;
    const width = Math.max(0.6, (o.ms / span) * 100);
    const mark = h('span', { testid: 'outage-mark', class: `strip__mark strip__mark--${o.cause}`, title: outageText(o) });
    mark.style.left = `${Math.min(left, 100 - width)}%`;
    mark.style.width = `${width}%`;
    return mark;
  });
  const el = h('div', { testid: 'uptime-strip', class: 'strip-row' }, h('span', { class: 'strip__name' }, nameOf(d)), h('div', { class: 'strip', attrs: { role: 'img', 'aria-label': d.outages.map(outageText).join('；') } }, ...marks));
  el.dataset.deviceId = d.deviceId;
  el.dataset.outages = String(d.outages.length);
  return el;
}

/** 故障时间线: a strip per device that had an outage, the period's dates under them, then the newest outages in words. */
export function outageTimeline(r: Uptime): HTMLElement {
  const down = r.devices.filter((d) => d.outages.length);
  if (!down.length) return h('p', { testid: 'uptime-timeline-none', class: 'hint' }, tr('up.timelineNone'));
  const from = Date.parse(r.from);
  const span = Math.max(1, Date.parse(r.to) - from);
  const listed = down
    .flatMap((d) => d.outages.map((o) => ({ d, o })))
    .sort((a, b) => b.o.from.localeCompare(a.o.from))
    .slice(0, LISTED);
  return h(
    'div',
    { testid: 'uptime-timeline', class: 'timeline-strips' },
    ...down.map((d) => strip(d, from, span)),
    h('div', { class: 'strip-axis' }, h('span', {}, day(r.from)), h('span', {}, day(new Date(Date.parse(r.to) - 1).toISOString()))),
    h(
      'ul',
      { class: 'rows' },
      ...listed.map(({ d, o }) => {
        const li = h('li', { testid: 'uptime-outage', class: 'row' }, h('span', { class: 'row__title' }, nameOf(d)), h('span', { class: o.ongoing ? 'fee' : undefined }, outageText(o)));
        li.dataset.deviceId = d.deviceId;
        li.dataset.cause = o.cause;
        return li;
      }),
    ),
  );
}
