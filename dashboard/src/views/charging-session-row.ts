import { h } from '../dom.js';
import { kwh, shortTime, yuan } from '../format.js';
import { tc, type ChargingKey } from '../messages/charging.js';
import type { ChargingSession } from '../types-charging.js';
import { errorLine } from './form.js';

export const isActive = (s: ChargingSession): boolean => s.status === 'starting' || s.status === 'charging';

/** Why it ended, in the person's language; a reason this build does not know shows as the server wrote it. */
export function stopReason(reason: string): string {
  const key = `reason.${reason}` as ChargingKey;
  return tc(key) ?? reason;
}

/**
 * One charging session of the resident: where, since when, its state, the
 * energy and the fee, why it ended; a running one has 停止充电.
 */
export function sessionRow(s: ChargingSession, shedName: string, onStop: (s: ChargingSession, button: HTMLButtonElement, error: HTMLElement) => void): HTMLElement {
  const error = errorLine('session-error');
  const minutes = Math.max(0, Math.floor((Date.now() - Date.parse(s.startedAt ?? s.requestedAt)) / 60_000));
  const stop: HTMLButtonElement | undefined = isActive(s) ? h('button', { type: 'button', testid: 'session-stop', class: 'btn btn--action', on: { click: () => onStop(s, stop!, error) } }, tc('my.stop')) : undefined;
  const li = h(
    'li',
    { testid: 'session', class: 'row' },
    h(
      'div',
      { class: 'row__head' },
      h('span', { class: 'row__title' }, `${shedName} · ${tc('my.port', { n: s.port })}`),
      h('span', { testid: 'session-state', class: `tag tag--${s.status}` }, tc(`state.${s.status}`)),
      h('time', { class: 'muted', dateTime: s.startedAt ?? s.requestedAt }, shortTime(s.startedAt ?? s.requestedAt)),
    ),
    h(
      'div',
      { class: 'row__head' },
      h('span', { testid: 'session-kwh' }, `${kwh(s.energyWh)} kWh`),
      s.feeFen !== undefined ? h('span', { testid: 'session-fee', class: s.feeFen ? 'fee' : 'fee fee--free' }, yuan(s.feeFen)) : undefined,
      s.stopReason && s.status !== 'failed' ? h('span', { testid: 'session-reason', class: 'muted' }, stopReason(s.stopReason)) : undefined,
    ),
    isActive(s) ? h('p', { class: 'hint' }, tc('my.running', { m: minutes, max: s.maxMinutes })) : undefined,
    s.status === 'full' ? h('p', { testid: 'session-full', class: 'hint' }, tc('my.fullWait')) : undefined,
    // The server's own sentences (Chinese): how the fee was reached, why a start failed.
    s.feeExplain ? h('p', { testid: 'session-fee-explain', class: 'row__text muted' }, s.feeExplain) : undefined,
    s.status === 'failed' && s.stopExplain ? h('p', { class: 'row__text muted' }, s.stopExplain) : undefined,
    stop,
    error,
  );
  li.dataset.sessionId = s.id;
  li.dataset.status = s.status;
  return li;
}
