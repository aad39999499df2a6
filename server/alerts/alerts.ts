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
}

/**
 * Alerts: recorded and pushed live. One open alert per device and kind: a repeat
 * updates it instead of piling up. Routing to the volunteer on duty comes with
 * the roster (issue 6).
 */
export function createAlerts(deps: { repo: AlertsRepo; live: LiveHub; log: Logger; now: () => number }) {
  const log = deps.log.child({ module: 'alerts' });
  return {
    raise(a: RaiseAlert): Alert {
      const at = new Date(deps.now()).toISOString();
      const open = deps.repo.findOpen(a.deviceId, a.kind);
      if (open) {
        deps.repo.repeat(open.id, a.detail ?? {}, a.severity, at);
        const updated = { ...open, detail: a.detail ?? {}, severity: a.severity, updatedAt: at, count: open.count + 1 };
        deps.live.broadcast({ type: 'alert.updated', ...updated });
        return updated;
      }
      const alert: Alert = { id: `alert-${randomUUID()}`, ...a, needsPerson: a.needsPerson ?? false, detail: a.detail ?? {}, status: 'open', raisedAt: at, updatedAt: at, count: 1 };
      deps.repo.insert(alert);
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
        deps.live.broadcast({ type: 'alert.updated', ...open, deviceClearedAt: at, updatedAt: at });
        return;
      }
      deps.repo.clear(open.id, at);
      deps.live.broadcast({ type: 'alert.cleared', id: open.id, estateId: open.estateId, deviceId, kind, at });
    },
    /** A person closes an alert, with a note of what was done. */
    close(id: string, by: string, note: string): Alert | undefined {
      const at = new Date(deps.now()).toISOString();
      if (!deps.repo.close(id, by, note, at)) return undefined;
      const closed = deps.repo.get(id)!;
      log.info({ alertId: id, kind: closed.kind, by }, 'alert closed by a person');
      deps.live.broadcast({ type: 'alert.closed', ...closed });
      return closed;
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
