import { tc } from '../messages/charging.js';

const SVG = 'http://www.w3.org/2000/svg';
const BAR_W = 10;
const GAP = 2;
const HEIGHT = 64;
const AXIS = 12;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A share as a percentage people read: a few minutes in a week is "<1", not a misleading 0. */
const pct = (share: number): string => (share <= 0 ? '0' : share < 0.01 ? '<1' : String(Math.round(share * 100)));

/**
 * How busy each hour of the day was: 24 bars, inline SVG, no chart library.
 * The tallest bar is the busiest hour (the scale is the period's own, so a
 * quiet shed still shows its shape), and each bar names its hour and share in
 * a tooltip; the peak is written under the chart for those who cannot hover.
 */
export function usageChart(byHour: number[], testid = 'usage-chart'): SVGSVGElement {
  const top = Math.max(...byHour, 0.01);
  const width = 24 * (BAR_W + GAP);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT + AXIS}`, class: 'chart', role: 'img', 'data-testid': testid });
  chart.append(svg('title', {}, `${tc('use.byHour')} · ${peakText(byHour)}`));
  chart.append(svg('line', { x1: 0, x2: width, y1: HEIGHT + 0.5, y2: HEIGHT + 0.5, class: 'chart__axis' }));
  byHour.forEach((share, hour) => {
    const h = share > 0 ? Math.max(1, Math.round((share / top) * (HEIGHT - 4))) : 0;
    const bar = svg('rect', { x: hour * (BAR_W + GAP) + GAP / 2, y: HEIGHT - h, width: BAR_W, height: h, class: 'chart__bar', 'data-testid': 'usage-bar', 'data-hour': hour, 'data-value': share });
    bar.append(svg('title', {}, tc('use.hour', { h: hour, p: pct(share) })));
    chart.append(bar);
    if (hour % 6 === 0) chart.append(svg('text', { x: hour * (BAR_W + GAP) + GAP / 2, y: HEIGHT + AXIS - 2, class: 'chart__label' }, String(hour)));
  });
  return chart;
}

export function peakText(byHour: number[]): string {
  const peak = byHour.indexOf(Math.max(...byHour));
  return tc('use.peak', { p: pct(byHour[peak] ?? 0), h: peak });
}
