import type { Logger } from 'pino';
import type { AlertsSection } from '../charter/alerts-schema.js';
import type { LiveHub } from '../live/hub.js';
import type { Channel } from '../notify/types.js';
import type { AlertsRepo } from '../store/alerts-repo.js';
import type { Alerts } from './alerts.js';
import { shouldNotify } from './preferences.js';
import type { Roster } from './roster.js';
import { routeAlert } from './routing.js';
import type { Alert, Severity } from './types.js';

export interface PersonChannel extends Channel {
  prefs: Parameters<typeof shouldNotify>[0];
}

export interface EngineDeps {
  alerts: Alerts;
  repo: AlertsRepo;
  roster(estateId: string): Roster | undefined;
  rules(estateId: string): AlertsSection | undefined;
  deviceKind(deviceId: string): string | undefined;
  /** The webhook channels of a person (or of an external contact, by its id). */
  channels(estateId: string, owner: string): PersonChannel[];
  send(d: { alertId: string; recipient: string; channel: Channel; message: { title: string; text: string; severity: Severity; atAll?: boolean } }): Promise<unknown>;
  live: LiveHub;
  log: Logger;
  now: () => number;
}

/**
 * Routes alerts to people: whoever is on duty for the device's kind first, the
 * next person and then the committee when nobody claims it, reminders until
 * someone does. Pure routing decisions come from routing.ts; this module keeps
 * the timeline (who was told when) and sends. `tick()` runs on a timer and can be
 * driven by a test with a simulated clock.
 */
export function createAlertEngine(deps: EngineDeps) {
  const log = deps.log.child({ module: 'alert-routing' });
  const iso = () => new Date(deps.now()).toISOString();

  /** The formats add the 【紧急】 label and the 邻里 signature themselves. */
  function message(a: Alert) {
    const local = new Date(Date.parse(a.raisedAt) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 16);
    return {
      title: a.title,
      text: `设备：${a.deviceId}\n时间：${local}\n请在值班页点“我来处理”。`,
      severity: a.severity,
      atAll: a.severity === 'critical',
    };
  }

  /** One person: live to every open dashboard of theirs, and to their webhooks their preferences allow. */
  function notify(a: Alert, username: string, what: 'notified' | 'reminded' | 'escalated', allHands: boolean): void {
    deps.live.sendToUser(username, { type: 'alert.notify', what, alert: a });
    for (const ch of deps.channels(a.estateId, username)) {
      // Everyone is called for a trapped passenger, whatever they chose to hear about.
      if (!allHands && !shouldNotify(ch.prefs, a, deps.now())) continue;
      void deps.send({ alertId: a.id, recipient: username, channel: ch, message: message(a) }).catch((err) => log.error({ err, alertId: a.id }, 'delivery failed'));
    }
    deps.repo.addEvent({ alertId: a.id, at: iso(), what, byUser: username, detail: {} });
  }

  function route(a: Alert): void {
    if (a.status !== 'open' || a.held) return;
    const roster = deps.roster(a.estateId);
    const rules = deps.rules(a.estateId);
    if (!roster || !rules) return;
    const r = routeAlert({
      alert: { kind: a.kind, severity: a.severity, needsPerson: a.needsPerson, deviceKind: a.deviceKind ?? deps.deviceKind(a.deviceId) ?? 'other' },
      roster,
      rules,
      raisedAtMs: Date.parse(a.raisedAt),
      claimed: !!a.claimedBy,
      claimedAtMs: a.claimedAt ? Date.parse(a.claimedAt) : undefined,
      nowMs: deps.now(),
    });
    const told = deps.repo.notified(a.id);
    const fresh = r.recipients.filter((u) => !told.has(u));
    const allHands = r.stage === 'everyone';
    for (const u of fresh) notify(a, u, told.size === 0 ? 'notified' : 'escalated', allHands);
    for (const contact of r.external ?? []) {
      if (told.has(contact)) continue;
      for (const ch of deps.channels(a.estateId, contact)) void deps.send({ alertId: a.id, recipient: contact, channel: ch, message: message(a) });
      deps.repo.addEvent({ alertId: a.id, at: iso(), what: 'notified', byUser: contact, detail: { external: true } });
    }
    // Reminders: everyone told so far, again, every remindEveryMin until someone claims it.
    const last = deps.repo.lastReminderAt(a.id);
    if (!a.claimedBy && fresh.length === 0 && last && deps.now() - Date.parse(last) >= rules.remindEveryMin * 60_000) {
      for (const u of r.recipients) notify(a, u, 'reminded', allHands);
    }
  }

  deps.alerts.onRaised((a) => route(a));

  return {
    route,
    /** Not an alert, a person's own news (a charging port is free): live, and their webhooks if they want it. */
    notifyPerson(estateId: string, username: string, note: { kind: string; title: string; text: string }): void {
      deps.live.sendToUser(username, { type: note.kind, title: note.title, text: note.text });
      for (const ch of deps.channels(estateId, username)) {
        if (!shouldNotify(ch.prefs, { kind: note.kind, severity: 'low' }, deps.now())) continue;
        void deps.send({ alertId: note.kind, recipient: username, channel: ch, message: { title: note.title, text: note.text, severity: 'low' } });
      }
    },
    /** Every open alert nobody has claimed: escalate, remind; and end maintenance modes whose time is up. */
    tick(): void {
      for (const deviceId of deps.repo.maintenanceEndedBy(iso())) {
        deps.repo.endMaintenance(deviceId);
        for (const a of deps.repo.openForDevice(deviceId).filter((x) => x.held)) {
          deps.repo.setHeld(a.id, false);
          deps.repo.addEvent({ alertId: a.id, at: iso(), what: 'released', detail: {} });
          route({ ...a, held: false });
        }
      }
      for (const a of deps.repo.openUnclaimed()) route(a);
    },
  };
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;
