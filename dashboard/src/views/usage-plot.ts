import uPlot from 'uplot';
import { h } from '../dom.js';

/*
 * The usage charts, drawn by uPlot on a canvas. This module is the only one
 * that imports uPlot, and 使用统计 loads it with import() when it opens: uPlot
 * is a chunk of its own that no other page and no first load carries
 * (test/browser/bundle.test.ts). Other modules import its types only.
 */

export interface Line {
  label: string;
  values: number[];
  color: string;
  /** The value as the legend writes it: "¥6.50", "3 次". */
  format(v: number): string;
  /** Drawn against a second axis on the right (kWh beside sessions). */
  right?: boolean;
  /** Columns instead of a line; -1 / 1 put two series side by side, left and right of their tick. */
  bars?: -1 | 0 | 1;
}

export interface ChartSpec {
  testid: string;
  title: string;
  /** One label per point, for the legend ("2026-10-18 14:00"), and its short form under the axis ("10-18 14:00"). */
  x: string[];
  ticks: string[];
  xLabel: string;
  yLabel: string;
  rightLabel?: string;
  /** Counts: no ticks between whole numbers. */
  whole?: boolean;
  lines: Line[];
}

export interface Chart {
  el: HTMLElement;
  destroy(): void;
}

const FONT = '12px system-ui, "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
const LABEL_FONT = `bold ${FONT}`;
const HEIGHT = 220;
const INK = '#5c6b66';
const GRID = { stroke: '#dde3e1', width: 1 };
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
/** Ticks along x fall on whole points: hours of a day, days of a week, weeks, months. */
const X_STEPS = [1, 2, 3, 4, 6, 7, 12, 14, 24, 48, 72, 168, 336, 720, 1440, 2880];
/** Points marked when they are few enough to count. */
const MARKED = 45;

/** Counts and money start at 0, so a quiet week does not look like a busy one. */
const fromZero: uPlot.Scale.Range = (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1];

const axis = (label: string, extra: uPlot.Axis = {}): uPlot.Axis => ({ label, font: FONT, labelFont: LABEL_FONT, stroke: INK, grid: GRID, ticks: { stroke: GRID.stroke }, ...extra });

function series(l: Line, n: number): uPlot.Series {
  return {
    label: l.label,
    stroke: l.color,
    width: 2,
    scale: l.right ? 'r' : 'y',
    value: (_u, v) => (v === null || v === undefined ? '—' : l.format(v)),
    ...(l.bars !== undefined ? { fill: l.color, paths: uPlot.paths.bars!({ size: [l.bars ? 0.4 : 0.7, 48], align: l.bars }), points: { show: false } } : { points: { show: n <= MARKED, size: 5 } }),
  };
}

/** A chart as wide as the space it is given (it follows the phone turning); the caller destroys it with the page. */
export function plot(spec: ChartSpec): Chart {
  const el = h('figure', { testid: spec.testid, class: 'plot' }, h('figcaption', { class: 'plot__title' }, spec.title));
  el.dataset.series = String(spec.lines.length);
  el.dataset.points = String(spec.x.length);
  const right = spec.lines.some((l) => l.right);
  const opts: uPlot.Options = {
    width: 320,
    height: HEIGHT,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: fromZero }, ...(right ? { r: { range: fromZero } } : {}) },
    axes: [
      axis(spec.xLabel, { incrs: X_STEPS, values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? spec.ticks[i] ?? '' : '')) }),
      axis(spec.yLabel, spec.whole ? { incrs: WHOLE } : {}),
      ...(right ? [axis(spec.rightLabel ?? '', { scale: 'r', side: 1, grid: { show: false } })] : []),
    ],
    series: [{ label: spec.xLabel, value: (_u, i) => (i === null || i === undefined ? '' : spec.x[i] ?? '') }, ...spec.lines.map((l) => series(l, spec.x.length))],
    // A finger on a phone moves the cursor; it must not zoom the chart.
    cursor: { drag: { x: false, y: false, setScale: false } },
  };
  const chart = new uPlot(opts, [spec.x.map((_, i) => i), ...spec.lines.map((l) => l.values)], el);
  const resize = new ResizeObserver(() => {
    const width = Math.floor(el.clientWidth);
    if (width > 0 && width !== chart.width) chart.setSize({ width, height: HEIGHT });
  });
  resize.observe(el);
  return {
    el,
    destroy() {
      resize.disconnect();
      chart.destroy();
    },
  };
}
