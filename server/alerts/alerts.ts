import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LiveHub } from '../live/hub.js';
import type { AlertsRepo } from '../store/alerts-repo.js';
import type { Alert, Severity } from './types.js';

export interface RaiseAlert {
  estateId: string;
  deviceId: string;
  kind: string;
  severity: Severity;
  title: string;
  detail?: Record<string, unknown>;
  needsPerson?: boolean;
  deviceKind?: string;
}

/**
 * Alerts: recorded and pushed live. One open alert per device and kind: a repeat
 * updates it instead of piling up. Routing to the volunteer on duty comes with
 * the roster (issue 6).
 */
export function createAlerts(deps: { repo: AlertsRepo; live: LiveHub; log: Logger; now: () => number }) {
  const log = deps.log.child({ module: 'alerts' });
  const listeners: ((a: Alert) => void)[] = [];
  return {
    /** Routing listens for new alerts so that the first notification leaves at once. */
    onRaised: (l: (a: Alert) => void) => void listeners.push(l),
    /** "我来处理": one volunteer takes it; the escalation stops. */
    claim(id: string, by: string): Alert | undefined {
      const at = new Date(deps.now()).toISOString();
      if (!deps.repo.claim(id, by, at)) return undefined;
      deps.repo.addEvent({ alertId: id, at, what: 'claimed', byUser: by, detail: {} });
      const claimed = deps.repo.get(id)!;
      deps.live.broadcast({ type: 'alert.claimed', ...claimed });
      return claimed;
    },
    raise(a: RaiseAlert): Alert {
      const at = new Date(deps.now()).toISOString();
      const open = deps.repo.findOpen(a.deviceId, a.kind);
      if (open) {
        deps.repo.repeat(open.id, a.detail ?? {}, a.severity, at);
        deps.repo.addEvent({ alertId: open.id, at, what: 'repeated', detail: a.detail ?? {} });
        const updated = { ...open, detail: a.detail ?? {}, severity: a.severity, updatedAt: at, count: open.count + 1 };
        deps.live.broadcast({ type: 'alert.updated', ...updated });
        return updated;
      }
      // A device in maintenance mode: its alerts are kept, not sent to anyone, until the mode ends.
      const held = !!deps.repo.maintenance(a.deviceId);
      const alert: Alert = { id: `alert-${randomUUID()}`, ...a, needsPerson: a.needsPerson ?? false, detail: a.detail ?? {}, status: 'open', raisedAt: at, updatedAt: at, count: 1, held };
      deps.repo.insert(alert);
      deps.repo.addEvent({ alertId: alert.id, at, what: held ? 'held' : 'raised', detail: { severity: a.severity, title: a.title } });
      for (const l of listeners) l(alert);
      log.warn({ estateId: a.estateId, deviceId: a.deviceId, kind: a.kind, severity: a.severity }, a.title);
      deps.live.broadcast({ type: 'alert.raised', ...alert });
      return alert;
    },
    /** The device cleared it. An alert that needs a person stays open, marked cleared by the device. */
    clear(deviceId: string, kind: string): void {
      const open = deps.repo.findOpen(deviceId, kind);
      if (!open) return;
      const at = new Date(deps.now()).toISOString();
      if (open.needsPerson) {
        deps.repo.deviceCleared(open.id, at);
        deps.repo.addEvent({ alertId: open.id, at, what: 'device-cleared', detail: {} });
        deps.live.broadcast({ type: 'alert.updated', ...open, deviceClearedAt: at, updatedAt: at });
        return;
      }
      deps.repo.clear(open.id, at);
      deps.repo.addEvent({ alertId: open.id, at, what: 'cleared', detail: {} });
      deps.live.broadcast({ type: 'alert.cleared', id: open.id, estateId: open.estateId, deviceId, kind, at });
    },
    /** A person closes (resolves) an alert, with a note of what was done. */
    close(id: string, by: string, note: string): Alert | undefined {
      const at = new Date(deps.now()).toISOString();
      if (!deps.repo.close(id, by, note, at)) return undefined;
      const closed = deps.repo.get(id)!;
      deps.repo.addEvent({ alertId: id, at, what: 'resolved', byUser: by, detail: { note } });
      log.info({ alertId: id, kind: closed.kind, by }, 'alert closed by a person');
      deps.live.broadcast({ type: 'alert.closed', ...closed });
      return closed;
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
