/*
 * Bar charts as inline SVG, no chart library: columns (the hours of a day) and
 * rows (the floors of a building, the top floor on top). The scale is the
 * data's own, so a quiet week still shows its shape; each bar names itself in
 * a tooltip, and the page writes the peak in words for those who cannot hover.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface Bar {
  /** Goes to `data-<dataKey>` of the bar, for tests and styles. */
  key: string | number;
  value: number;
  /** Written under a column or beside a row; '' for none. */
  label: string;
  /** The bar's tooltip. */
  title: string;
}

export interface ChartOptions {
  testid: string;
  barTestid: string;
  dataKey: string;
  /** The whole chart's accessible name. */
  title: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function frame(width: number, height: number, o: ChartOptions): SVGSVGElement {
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'data-testid': o.testid });
  chart.append(svg('title', {}, o.title));
  return chart;
}

function bar(b: Bar, o: ChartOptions, x: number, y: number, width: number, height: number): SVGRectElement {
  const rect = svg('rect', { x, y, width, height, class: 'chart__bar', 'data-testid': o.barTestid, [`data-${o.dataKey}`]: b.key, 'data-value': b.value });
  rect.append(svg('title', {}, b.title));
  return rect;
}

/** A bar's length: at least 1 for any value above 0, so "a little" never looks like "none". */
const length = (value: number, top: number, room: number) => (value > 0 ? Math.max(1, Math.round((value / top) * room)) : 0);

const COL_W = 10;
const COL_GAP = 2;
const COL_H = 64;
const AXIS = 12;

/** Columns left to right (24 for the hours of a day). */
export function columnChart(bars: Bar[], o: ChartOptions): SVGSVGElement {
  const top = Math.max(...bars.map((b) => b.value)) || 1;
  const width = bars.length * (COL_W + COL_GAP);
  const chart = frame(width, COL_H + AXIS, o);
  chart.append(svg('line', { x1: 0, x2: width, y1: COL_H + 0.5, y2: COL_H + 0.5, class: 'chart__axis' }));
  bars.forEach((b, i) => {
    const x = i * (COL_W + COL_GAP) + COL_GAP / 2;
    const h = length(b.value, top, COL_H - 4);
    chart.append(bar(b, o, x, COL_H - h, COL_W, h));
    if (b.label) chart.append(svg('text', { x, y: COL_H + AXIS - 2, class: 'chart__label' }, b.label));
  });
  return chart;
}

const ROW_H = 16;
const ROW_GAP = 4;
const ROW_W = 240;
const LABEL_W = 32;
const VALUE_W = 34;

/** Rows top to bottom, each with its label on the left and its value at the bar's end. */
export function rowChart(bars: Bar[], o: ChartOptions): SVGSVGElement {
  const top = Math.max(...bars.map((b) => b.value)) || 1;
  const room = ROW_W - LABEL_W - VALUE_W;
  const chart = frame(ROW_W, bars.length * (ROW_H + ROW_GAP), o);
  chart.append(svg('line', { x1: LABEL_W - 0.5, x2: LABEL_W - 0.5, y1: 0, y2: bars.length * (ROW_H + ROW_GAP), class: 'chart__axis' }));
  bars.forEach((b, i) => {
    const y = i * (ROW_H + ROW_GAP) + ROW_GAP / 2;
    const w = length(b.value, top, room);
    chart.append(svg('text', { x: LABEL_W - 4, y: y + ROW_H - 4, class: 'chart__label chart__label--row', 'text-anchor': 'end' }, b.label));
    chart.append(bar(b, o, LABEL_W, y, w, ROW_H));
    chart.append(svg('text', { x: LABEL_W + w + 3, y: y + ROW_H - 4, class: 'chart__label chart__label--row' }, String(b.value)));
  });
  return chart;
}
