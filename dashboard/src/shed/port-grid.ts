import { h } from '../dom.js';
import { lang } from '../lang.js';
import type { PublicPort } from '../types-charging.js';
import { ts } from './shed-words.js';

/** Minutes counted down on the phone between pushes: the server said N minutes `agoMs` ago. */
export function minutesNow(minutes: number, agoMs: number): number {
  return Math.max(0, minutes - Math.floor(agoMs / 60_000));
}

/**
 * One port, big: its number, its state in words (colour only repeats it, for
 * a glance in the sun), and for a charging port about how long it has left.
 */
export function portCell(p: PublicPort, agoMs: number): HTMLElement {
  const li = h(
    'li',
    { testid: 'port', class: `port port--${p.state}` },
    h('span', { class: 'port__no' }, ts('port', { n: p.port })),
    h('span', { testid: 'port-state', class: 'port__state' }, ts(`state.${p.state}`)),
    // 剩约 / 480分钟 on two lines: a third of a 360 px phone is too narrow for one, and a break inside the number reads badly.
    p.state === 'charging' && p.minutesLeft !== undefined
      ? h('span', { testid: 'port-left', class: 'port__left' }, ts('leftPre'), h('span', { class: 'port__mins' }, `${lang() === 'en' ? ' ' : ''}${ts('leftMin', { n: minutesNow(p.minutesLeft, agoMs) })}`))
      : undefined,
  );
  li.dataset.port = String(p.port);
  li.dataset.state = p.state;
  return li;
}

export function portGrid(grid: HTMLElement, ports: PublicPort[], agoMs: number): void {
  grid.replaceChildren(...ports.map((p) => portCell(p, agoMs)));
}
