import { parkingApi } from '../api-estate.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import type { LiveMessage } from '../types.js';
import type { Decision, LaneGate, Lanes, LaneLot } from '../types-estate.js';
import { tick } from './device-row.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say, whileBusy } from './form.js';
import { gateInfo, type LaneContext } from './lane-card.js';
import { liveIndicator } from './live-indicator.js';
import { manualOpenForm } from './manual-open.js';
import { section, type PageDeps, type PageView } from './page.js';
import { unmatchedExits } from './unmatched-exits.js';

/** A burst of reads (a queue at the gate) refreshes free spaces and the exits list once. */
const REFRESH_MS = 400;

/**
 * 车道, the guard's page: each gate with its lot, free spaces, online state and
 * whitelist, the last car on each lane as it happens (from `parking.decision`
 * on /live, no reload), opening by hand with a reason, fees taken in cash, and
 * the exits that wait for a match.
 */
export function lanesView(deps: PageDeps): PageView {
  let estateId: string | undefined;
  let lanes: Lanes | undefined;
  let names = new Map<string, string>();
  let owed = new Set<string>();
  const paid = new Set<string>();
  let seq = 0;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  /** One card per gate, kept across refreshes: a guard typing a reason keeps the keyboard and the text. */
  const cards = new Map<string, { el: HTMLElement; info: HTMLElement }>();

  const alert = errorLine('lanes-error');
  const gates = h('div', { testid: 'lanes', class: 'gates' });
  const indicator = liveIndicator(deps.live);
  const gateName = (id: string) => names.get(id) || id;
  const exits = unmatchedExits(deps.api, gateName);

  const ctx: LaneContext = {
    gateName,
    owes: (stayId) => owed.has(stayId),
    paid: (stayId) => paid.has(stayId),
    payCash(stayId, button, error) {
      if (!estateId) return;
      const p = parkingApi(deps.api, estateId);
      void whileBusy(button, t('busy'), async () => {
        try {
          await p.payCash(stayId);
          paid.add(stayId);
          owed.delete(stayId);
          render();
        } catch (err) {
          say(error, failureText(err));
        }
      });
    },
  };

  function card(lot: LaneLot, gate: LaneGate): HTMLElement {
    let c = cards.get(gate.gateId);
    if (!c) {
      const el = h('article', { testid: 'gate', class: 'card gate' }, h('div'), manualOpenForm(gate.gateId, (body) => parkingApi(deps.api, estateId!).openGate(gate.gateId, body)));
      el.dataset.gateId = gate.gateId;
      c = { el, info: el.firstElementChild as HTMLElement };
      cards.set(gate.gateId, c);
    }
    const info = gateInfo(lot, gate, ctx);
    c.info.replaceWith(info);
    c.info = info;
    return c.el;
  }

  function render(): void {
    if (!lanes) return void gates.replaceChildren(h('p', { class: 'hint' }, t('list.loading')));
    if (lanes.charterVersion === null) return void gates.replaceChildren(h('p', { testid: 'lanes-no-charter', class: 'hint' }, t('lanes.noCharter')));
    const els = lanes.lots.flatMap((lot) => lot.gates.map((g) => card(lot, g)));
    // Re-attach only when the gates changed: moving a card would close the keyboard of someone typing in it.
    const same = els.length === gates.children.length && els.every((el, i) => gates.children[i] === el);
    if (!same) gates.replaceChildren(...els);
  }

  async function load(): Promise<void> {
    if (!estateId) return;
    const mine = ++seq;
    const p = parkingApi(deps.api, estateId);
    void exits.load(estateId);
    try {
      const [next, stays, devices] = await Promise.all([p.lanes(), p.openStays(), deps.api.devices(estateId).catch(() => undefined)]);
      if (mine !== seq) return;
      lanes = next;
      // A stay still open with an exit gate and a fee is a car waiting at that exit for the guard to take the fee.
      owed = new Set(stays.items.filter((s) => s.exitGate && s.feeFen && (s.payment === 'none' || s.payment === 'owed')).map((s) => s.id));
      if (devices) names = new Map(devices.items.filter((d) => d.name).map((d) => [d.id, d.name!]));
      say(alert, undefined);
    } catch (err) {
      if (mine === seq) say(alert, failureText(err));
    }
    render();
  }

  function select(id: string): void {
    estateId = id;
    lanes = undefined;
    cards.clear();
    gates.replaceChildren();
    render();
    void load();
  }

  /** A decision updates its lane at once; the counts behind it (free spaces, exits to check) follow shortly. */
  function onLive(msg: LiveMessage): void {
    if (!lanes || !('estateId' in msg) || msg.estateId !== estateId) return;
    if (msg.type === 'parking.decision') {
      const { type: _, candidates: __, ...decision } = msg;
      for (const gate of lanes.lots.flatMap((l) => l.gates).filter((g) => g.gateId === msg.gateId)) {
        if (msg.direction === 'in') gate.lastIn = decision as Decision;
        else gate.lastOut = decision as Decision;
      }
      if (msg.action === 'deny' && msg.feeFen && msg.stayId) owed.add(msg.stayId);
      render();
      clearTimeout(refresh);
      refresh = setTimeout(() => void load(), REFRESH_MS);
    } else if (msg.type === 'device.online' || msg.type === 'device.offline') {
      for (const gate of lanes.lots.flatMap((l) => l.gates).filter((g) => g.gateId === msg.deviceId)) gate.online = msg.type === 'device.online';
      render();
    }
  }

  const unsubscribe = deps.live.subscribe({ onMessage: onLive, onReady: () => void load() });
  const ticker = setInterval(() => tick(gates), 1_000);
  const el = h(
    'main',
    { class: 'page', testid: 'lanes-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, select), indicator.el),
    alert,
    h('h1', { class: 'summary__title' }, t('lanes.title')),
    gates,
    exits.el,
  );
  render();
  return {
    el,
    destroy() {
      unsubscribe();
      indicator.destroy();
      clearInterval(ticker);
      clearTimeout(refresh);
      seq += 1;
    },
  };
}
