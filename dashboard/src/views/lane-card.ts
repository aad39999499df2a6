import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clauseLabel, yuan } from '../format.js';
import type { Decision, LaneGate, LaneLot } from '../types-estate.js';
import { since } from './device-row.js';

/** What a gate card needs from the page: names, and the fees waiting at an exit. */
export interface LaneContext {
  gateName(gateId: string): string;
  /** The stay is at an exit with its arm down, waiting for the fee. */
  owes(stayId: string): boolean;
  paid(stayId: string): boolean;
  payCash(stayId: string, button: HTMLButtonElement, error: HTMLElement): void;
}

const BADGE = { open: 'badge--on', deny: 'badge--off', guard: 'badge--warn' } as const;

function whitelist(gate: LaneGate): HTMLElement {
  const w = gate.whitelist;
  const [state, cls, key] = !w ? ['none', 'count--muted', 'lanes.wlNone'] : w.upToDate ? ['synced', 'count--on', 'lanes.wlSynced'] : ['pending', 'count--warn', 'lanes.wlPending'];
  const el = h('span', { testid: 'gate-whitelist', class: `count ${cls}`, title: w ? `v${w.version} / ${w.reportedVersion ?? '—'}` : undefined }, t(key as 'lanes.wlNone'));
  el.dataset.state = state;
  return el;
}

/** A car waiting at an exit for its fee: the amount, and the guard taking cash. */
function payment(d: Decision, ctx: LaneContext): HTMLElement | undefined {
  if (d.action !== 'deny' || !d.feeFen || !d.stayId) return undefined;
  if (ctx.paid(d.stayId)) return h('p', { testid: 'lane-paid', class: 'form__ok' }, t('lanes.paid'));
  if (!ctx.owes(d.stayId)) return undefined;
  const error = h('p', { class: 'form__error', attrs: { role: 'alert' }, hidden: true });
  const stayId = d.stayId;
  const button: HTMLButtonElement = h('button', { type: 'button', testid: 'lane-pay', class: 'btn btn--action', on: { click: () => ctx.payCash(stayId, button, error) } }, t('lanes.payCash'));
  return h('div', { class: 'lane__pay' }, h('span', { testid: 'lane-fee', class: 'fee' }, t('lanes.owes', { fee: yuan(d.feeFen) })), button, error);
}

function lane(direction: 'in' | 'out', d: Decision | null, ctx: LaneContext): HTMLElement {
  const head = h('div', { class: 'lane__head' }, h('span', { class: 'lane__dir' }, t(`dir.${direction}`)));
  const row = h('div', { testid: 'lane', class: 'lane' }, head);
  row.dataset.direction = direction;
  row.dataset.action = d?.action ?? 'idle';
  if (!d) return row.append(h('p', { class: 'hint' }, t('lanes.idle'))), row;
  head.append(
    h('span', { testid: 'lane-plate', class: 'plate' }, d.plate || d.plateRead || t('unmatched.unread')),
    h('span', { testid: 'lane-action', class: `badge ${BADGE[d.action]}` }, t(`action.${d.action}`)),
    since(d.at),
  );
  const pay = payment(d, ctx);
  row.append(
    // The words on the gate's LED panel, as the driver saw them.
    h('div', { testid: 'lane-display', class: 'led' }, d.display),
    h('p', { class: 'lane__explain' }, h('span', { testid: 'lane-explain' }, d.explain), ' ', h('span', { testid: 'lane-clause', class: 'clause' }, clauseLabel(d.clause))),
  );
  if (pay) row.append(pay);
  return row;
}

/** The live part of a gate card: lot, free spaces, online, whitelist, and the last car on each lane. */
export function gateInfo(lot: LaneLot, gate: LaneGate, ctx: LaneContext): HTMLElement {
  return h(
    'div',
    { class: 'gate__info' },
    h(
      'div',
      { class: 'gate__head' },
      h('div', { class: 'gate__title' }, h('span', { testid: 'gate-name', class: 'gate__name' }, ctx.gateName(gate.gateId)), h('span', { testid: 'gate-lot', class: 'gate__sub' }, lot.name)),
      h('span', { testid: 'gate-online', class: `badge ${gate.online ? 'badge--on' : 'badge--off'}` }, t(gate.online ? 'devices.online' : 'devices.offline')),
    ),
    h('div', { class: 'gate__facts' }, h('span', { testid: 'gate-free', class: 'count count--on' }, t('lanes.free', { free: lot.free, capacity: lot.capacity })), whitelist(gate)),
    lane('in', gate.lastIn, ctx),
    lane('out', gate.lastOut, ctx),
  );
}
