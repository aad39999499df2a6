import { yuan } from '../format.js';
import type { ChartSpec } from './usage-plot.js';

/** How a usage section draws its charts (uPlot, which the page loads); the page destroys them with it. */
export interface Frame {
  /** A chart over the period's buckets. */
  draw(spec: Omit<ChartSpec, 'x' | 'ticks' | 'xLabel'>): HTMLElement;
  /** A chart over something else along x (an elevator's floors). */
  drawOver(spec: ChartSpec): HTMLElement;
}

/** "3 次", "12 辆". */

export const count = (unit: string) => (v: number) => `${v} ${unit}`;
/** A legend's yuan, the chart drawing yuan from fen. */
export const money = (v: number) => yuan(Math.round(v * 100));
export const toYuan = (fen: number[]) => fen.map((f) => f / 100);
