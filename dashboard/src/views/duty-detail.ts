import type { DutyApi } from '../api-duty.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { td } from '../messages/duty.js';
import type { Alert, AlertDetail, DeviceHistory } from '../types-duty.js';
import { alertActions, alertInfo, type AlertDeps } from './duty-alert.js';
import { deliveries, deviceHistory, deviceLine, timeline } from './duty-history.js';
import { maintenanceControl } from './duty-maintenance.js';
import { errorLine, failureText, say } from './form.js';
import { section } from './page.js';

type Status = 'open' | 'claimed' | 'closed' | 'cleared';
const STATUS_CLASS: Record<Status, string> = { open: 'tag--cancelled', claimed: 'tag--upcoming', closed: 'tag--active', cleared: 'tag--active' };
const statusOf = (a: Alert): Status => (a.status === 'open' ? (a.claimedBy ? 'claimed' : 'open') : a.status);

export interface DetailDeps {
  api(): DutyApi | undefined;
  alert: AlertDeps;
  /** Volunteers and the committee put a device into maintenance mode; a guard only reads. */
  maintainer: boolean;
  back(): void;
}

/**
 * One alert: what it is and who has it, 我来处理 / 已处理 while it is open, its
 * timeline, and its device — online or not, 维修模式, and its recent events,
 * commands and presence (…/devices/:id/history).
 */
export function alertDetail(deps: DetailDeps) {
  let current: Pick<Alert, 'id' | 'deviceId'> | undefined;
  let seq = 0;
  const error = errorLine('detail-error');
  const body = h('div', { class: 'sections' });
  const back = h('button', { type: 'button', testid: 'detail-back', class: 'btn btn--small' }, td('back'));
  back.addEventListener('click', () => deps.back());
  const el = h('div', { testid: 'alert-detail', class: 'duty-detail' }, back, error, body);

  function head(a: AlertDetail): HTMLElement {
    const status = statusOf(a);
    const card = h(
      'section',
      { testid: 'detail-alert', class: 'card section duty-alert' },
      alertInfo(a, deps.alert),
      // An open alert someone has is already tagged 我在处理 / X 在处理 above.
      h('p', { class: 'row__head', hidden: status === 'claimed' }, h('span', { testid: 'detail-status', class: `tag ${STATUS_CLASS[status]}` }, td(`status.${status}`))),
      a.status === 'closed' && a.closedBy ? h('p', { testid: 'detail-closed', class: 'row__text' }, td('closedBy', { user: a.closedBy, note: a.closeNote ?? '' })) : undefined,
      a.status === 'open' ? alertActions(a, deps.alert, false) : undefined,
    );
    Object.assign(card.dataset, { alertId: a.id, severity: a.severity, status });
    return card;
  }

  function device(history: DeviceHistory): HTMLElement {
    const api = deps.api();
    return section(
      'device-section',
      td('device'),
      deviceLine(history),
      h('h3', { class: 'usage__title' }, td('maint.title')),
      maintenanceControl(history.maintenance, {
        canEdit: deps.maintainer,
        start: async (until, reason) => {
          await api?.startMaintenance(history.device.id, until, reason);
          await load();
        },
        end: async () => {
          await api?.endMaintenance(history.device.id);
          await load();
        },
      }),
    );
  }

  async function load(): Promise<void> {
    const api = deps.api();
    if (!api || !current) return;
    const mine = ++seq;
    try {
      const [a, history] = await Promise.all([api.alert(current.id), api.history(current.deviceId)]);
      if (mine !== seq) return;
      current = a;
      say(error, undefined);
      body.replaceChildren(...[head(a), timeline(a.timeline), deliveries(a.deliveries), device(history), ...deviceHistory(history)].filter((x) => x !== undefined));
    } catch (err) {
      if (mine === seq) say(error, failureText(err));
    }
  }

  return {
    el,
    /** Shows an alert: its full record and its device's history, loaded now. */
    show(a: Pick<Alert, 'id' | 'deviceId'>): void {
      current = a;
      body.replaceChildren(h('p', { class: 'hint' }, t('list.loading')));
      void load();
    },
    refresh: load,
    current: () => current?.id,
    hide(): void {
      seq += 1;
      current = undefined;
      body.replaceChildren();
    },
  };
}

export type AlertDetailView = ReturnType<typeof alertDetail>;
