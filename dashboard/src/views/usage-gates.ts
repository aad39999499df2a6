import { h } from '../dom.js';
import { yuan } from '../format.js';
import { tr } from '../messages/reports.js';
import type { GateUsage } from '../types-reports.js';
import { COLORS, stat, stats } from './report-bits.js';
import { count, money, toYuan, type Frame } from './usage-frame.js';

/** 道闸: entries and exits (residents apart from visitors), the most cars inside at once, and the fees. */
export function gatesUsage(g: GateUsage, f: Frame): HTMLElement {
  const s = g.series;
  const times = count(tr('use.times'));
  return h(
    'div',
    { class: 'report', testid: 'usage-gates' },
    stats(
      stat('usage-gates-entries', tr('use.entries'), String(g.entries), tr('use.split', { r: g.residentEntries, v: g.visitorEntries })),
      stat('usage-gates-exits', tr('use.exits'), String(g.exits), tr('use.split', { r: g.residentExits, v: g.visitorExits })),
      stat('usage-gates-peak', tr('use.peak'), String(g.peakOccupancy), g.peakBucket ?? undefined),
      stat('usage-gates-fees', tr('use.fees'), yuan(g.feesFen), `${tr('use.visitorFees')} ${yuan(g.visitorFeesFen)}`),
    ),
    f.draw({
      testid: 'chart-gates-passages',
      title: tr('use.passagesChart'),
      yLabel: tr('use.times'),
      whole: true,
      lines: [
        { label: tr('use.residentEntries'), values: s.residentEntries, color: COLORS.brand, format: times },
        { label: tr('use.visitorEntries'), values: s.visitorEntries, color: COLORS.blue, format: times },
        { label: tr('use.residentExits'), values: s.residentExits, color: COLORS.amber, format: times },
        { label: tr('use.visitorExits'), values: s.visitorExits, color: COLORS.purple, format: times },
      ],
    }),
    f.draw({
      testid: 'chart-gates-occupancy',
      title: tr('use.occupancyChart'),
      yLabel: tr('use.cars'),
      whole: true,
      lines: [
        { label: tr('use.peak'), values: s.peakOccupancy, color: COLORS.red, format: count(tr('use.cars')) },
        { label: tr('use.occupancyEnd'), values: s.occupancyEnd, color: COLORS.brand, format: count(tr('use.cars')) },
      ],
    }),
    f.draw({
      testid: 'chart-gates-fees',
      title: tr('use.feesChart'),
      yLabel: tr('use.yuan'),
      lines: [
        { label: tr('use.fees'), values: toYuan(s.feesFen), color: COLORS.brand, format: money, bars: -1 },
        { label: tr('use.visitorFees'), values: toYuan(s.visitorFeesFen), color: COLORS.blue, format: money, bars: 1 },
      ],
    }),
  );
}
