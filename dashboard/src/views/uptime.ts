import { reportsApi } from '../api-reports.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { tr } from '../messages/reports.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { section, type PageDeps, type PageView } from './page.js';
import { periodPicker, type Period } from './period-picker.js';
import { deviceTable, kindStats, worstList, worstWeeks } from './uptime-devices.js';
import { outageTimeline } from './uptime-timeline.js';

/**
 * 设备在线率, the committee's page: over a period (the last 7 or 30 days, or
 * dates), each kind's availability, the devices' worst weeks, a table per
 * device (availability, outages, downtime, MTTR, maintenance apart) and the
 * outages on a timeline. Figures come computed from the server; the page
 * only lays them out.
 */
export function uptimeView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let seq = 0;
  const error = errorLine('uptime-error');
  const kinds = h('div', { testid: 'uptime-kinds' });
  const worst = h('div', {});
  const devices = h('div', {});
  const timeline = h('div', {});
  const picker = periodPicker((p) => void load(p));

  async function load(p: Period | undefined = picker.period()): Promise<void> {
    if (!estateId || !p) return;
    const mine = ++seq;
    try {
      const r = await reportsApi(deps.api, estateId).uptime(p.from, p.to);
      if (mine !== seq) return;
      say(error, undefined);
      const worstOnes = worstWeeks(r.worstWeek);
      kinds.replaceChildren(kindStats(r.kinds));
      worst.replaceChildren(worstList(worstOnes));
      devices.replaceChildren(deviceTable(r.devices, worstOnes));
      timeline.replaceChildren(outageTimeline(r));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  const el = h(
    'main',
    { class: 'page', testid: 'uptime-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => ((estateId = id), void load()))),
    h('h1', { class: 'summary__title' }, t('nav.uptime')),
    picker.el,
    error,
    section('uptime-kinds-section', tr('up.kinds'), kinds, h('p', { class: 'hint' }, tr('up.hint'))),
    section('uptime-worst-section', tr('up.worst'), h('p', { class: 'hint' }, tr('up.worstHint')), worst),
    section('uptime-devices-section', tr('up.devices'), devices),
    section('uptime-timeline-section', tr('up.timeline'), timeline),
  );
  return { el, destroy: () => void (seq += 1) };
}
