import { tc } from '../messages/charging.js';
import { columnChart } from './bar-chart.js';

/** A share as a percentage people read: a few minutes in a week is "<1", not a misleading 0. */
const pct = (share: number): string => (share <= 0 ? '0' : share < 0.01 ? '<1' : String(Math.round(share * 100)));

/**
 * How busy each hour of the day was: 24 columns, the tallest the busiest hour
 * (the period's own scale, so a quiet shed still shows its shape), each naming
 * its hour and share in a tooltip; the peak is written under the chart too.
 */
export function usageChart(byHour: number[], testid = 'usage-chart'): SVGSVGElement {
  return columnChart(
    byHour.map((share, hour) => ({ key: hour, value: share, label: hour % 6 === 0 ? String(hour) : '', title: tc('use.hour', { h: hour, p: pct(share) }) })),
    { testid, barTestid: 'usage-bar', dataKey: 'hour', title: `${tc('use.byHour')} · ${peakText(byHour)}` },
  );
}

export function peakText(byHour: number[]): string {
  const peak = byHour.indexOf(Math.max(...byHour));
  return tc('use.peak', { p: pct(byHour[peak] ?? 0), h: peak });
}
