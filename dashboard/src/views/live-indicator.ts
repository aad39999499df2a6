import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { LiveSocket, LiveState } from '../live.js';

const TICK_MS = 1_000;

export interface LiveIndicator {
  el: HTMLElement;
  relabel(): void;
  destroy(): void;
}

/** The dot and words saying whether the page is live, with a countdown and "retry now" while reconnecting. */
export function liveIndicator(live: LiveSocket): LiveIndicator {
  let state: LiveState = live.state;
  // The state is announced to screen readers when it changes; the countdown ticking each second is not.
  const text = h('span', { testid: 'live-status-text', attrs: { role: 'status' } });
  const countdown = h('span', { testid: 'live-countdown', attrs: { 'aria-hidden': 'true' } });
  // Kept, not rebuilt each second, so a tap on it is never lost to a re-render.
  const retry = h('button', { type: 'button', testid: 'live-retry', class: 'btn btn--small', on: { click: () => live.retryNow() } });
  const el = h('div', { testid: 'live-status', class: 'live' }, h('span', { class: 'live__dot', attrs: { 'aria-hidden': 'true' } }), h('span', {}, text, countdown), retry);

  function render(): void {
    el.dataset.state = state.kind;
    const label = { connecting: 'live.connecting', live: 'live.live', reconnecting: 'live.reconnecting', closed: 'live.offline' } as const;
    const words = t(label[state.kind]);
    if (text.textContent !== words) text.textContent = words;
    countdown.textContent = state.kind === 'reconnecting' ? t('live.retryIn', { s: Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000)) }) : '';
    retry.textContent = t('live.retryNow');
    retry.hidden = state.kind !== 'reconnecting';
  }

  const unsubscribe = live.subscribe({
    onState: (next) => {
      state = next;
      render();
    },
  });
  const ticker = setInterval(() => state.kind === 'reconnecting' && render(), TICK_MS);
  render();
  return {
    el,
    relabel: render,
    destroy() {
      unsubscribe();
      clearInterval(ticker);
    },
  };
}
