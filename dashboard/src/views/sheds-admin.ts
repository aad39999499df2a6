import { chargingApi, type ChargingApi } from '../api-charging.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { tc } from '../messages/charging.js';
import type { LiveMessage } from '../types.js';
import type { ShedView } from '../types-charging.js';
import { chargingUsage } from './charging-usage.js';
import { chargingWatch } from './charging-watch.js';
import { estatePicker } from './estate-picker.js';
import { errorLine, failureText, say } from './form.js';
import { liveIndicator } from './live-indicator.js';
import { section, type PageDeps, type PageView } from './page.js';
import { topupForm } from './topup-form.js';

/** A session ending or an alarm comes with a few pushes: one reload for them all. */
const REFRESH_MS = 500;

/**
 * 充电棚, the committee's page: usage over a period (sessions, kWh, revenue,
 * faults, busy hours, per port), the ports and cards worth a volunteer's look,
 * the open alerts, and topping up a household's balance. Alerts and finished
 * sessions arrive live; the page follows without a reload.
 */
export function shedsAdminView(deps: PageDeps): PageView {
  let api: ChargingApi | undefined;
  let estateId: string | undefined;
  let sheds: ShedView[] = [];
  let refresh: ReturnType<typeof setTimeout> | undefined;
  let usageToo = false;
  let seq = 0;
  const indicator = liveIndicator(deps.live);
  const error = errorLine('sheds-error');
  const usage = chargingUsage();
  const watch = chargingWatch();
  const name = (id: string) => sheds.find((s) => s.shedId === id)?.name || id;

  async function select(id: string): Promise<void> {
    estateId = id;
    const mine = ++seq;
    const next = chargingApi(deps.api, id);
    api = next;
    try {
      sheds = (await next.sheds()).items;
      if (mine !== seq) return;
      say(error, undefined);
      usage.show(next, sheds);
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
    await watch.load(next, name);
  }

  /** `withUsage` sticks until the reload runs: an alert right after a session ended must not drop the usage reload. */
  function soon(withUsage: boolean): void {
    clearTimeout(refresh);
    usageToo ||= withUsage;
    refresh = setTimeout(() => {
      if (!api) return;
      void watch.load(api, name);
      if (usageToo) void usage.reload();
      usageToo = false;
    }, REFRESH_MS);
  }

  function onLive(msg: LiveMessage): void {
    if (!('estateId' in msg) || msg.estateId !== estateId) return;
    if (msg.type === 'alert.raised' || msg.type === 'alert.updated' || msg.type === 'alert.cleared') soon(false);
    else if (msg.type === 'charging.session.ended') soon(true);
  }

  const unsubscribe = deps.live.subscribe({ onMessage: onLive, onReady: () => estateId && soon(true) });
  const el = h(
    'main',
    { class: 'page', testid: 'sheds-page' },
    h('div', { class: 'toolbar' }, estatePicker(deps.api, (id) => void select(id)), indicator.el),
    h('h1', { class: 'summary__title' }, t('nav.sheds')),
    error,
    section('charging-alerts', tc('alerts.title'), watch.alerts),
    section('charging-usage', tc('use.title'), usage.el),
    section('charging-risk', tc('risk.title'), watch.risk),
    section('charging-topup', tc('topup.title'), topupForm(() => api, () => undefined)),
  );
  return {
    el,
    destroy() {
      unsubscribe();
      indicator.destroy();
      clearTimeout(refresh);
      seq += 1;
    },
  };
}
