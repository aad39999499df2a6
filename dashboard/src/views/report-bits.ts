import { h } from '../dom.js';
import { tr } from '../messages/reports.js';

/* Small pieces the report pages share: figures as people read them, and a labelled figure. */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** "12秒", "5分钟", "6小时", "2小时5分", "3天4小时": coarse enough to read, exact to the minute under a day. */
export function duration(ms: number | null): string {
  if (ms === null) return tr('none');
  if (ms < MIN) return tr('dur.s', { n: Math.round(ms / 1000) });
  if (ms < HOUR) return tr('dur.m', { n: Math.round(ms / MIN) });
  if (ms < DAY) {
    const m = Math.round((ms % HOUR) / MIN);
    const h = Math.floor(ms / HOUR) + (m === 60 ? 1 : 0);
    return m === 0 || m === 60 ? tr('dur.h', { h }) : tr('dur.hm', { h, m });
  }
  const h = Math.round((ms % DAY) / HOUR);
  const d = Math.floor(ms / DAY) + (h === 24 ? 1 : 0);
  return h === 0 || h === 24 ? tr('dur.d', { d }) : tr('dur.dh', { d, h });
}

/** The server floors availability to 2 decimals, so "100%" means no down time at all. */
export function pctText(pct: number | null): string {
  if (pct === null) return tr('up.noData');
  return pct === 100 ? '100%' : `${pct.toFixed(2)}%`;
}

/** A share 0–1 as a whole percentage; a little is "<1%", not a misleading 0. */
export function shareText(share: number): string {
  return share <= 0 ? '0%' : share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
}

/** A figure with its label; `sub` is a smaller line under it. */
export function stat(testid: string, label: string, value: string, sub?: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { testid }, value), sub ? h('dd', { class: 'stat__sub', testid: `${testid}-sub` }, sub) : undefined);
}

export function stats(...items: HTMLElement[]): HTMLElement {
  return h('dl', { class: 'stats' }, ...items);
}

/** Series colours, told apart also by their legend labels (and in print). */
export const COLORS = { brand: '#0f6b5c', blue: '#1f4fbf', red: '#b42318', amber: '#b07800', purple: '#5b2d8e' } as const;
