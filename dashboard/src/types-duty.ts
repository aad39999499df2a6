/*
 * The duty side of alerts as the dashboard reads it: the inbox, one alert with
 * its timeline, a device's history, the roster and the volunteers
 * (server/http/routes/duty.ts). Types only, from server/ through `import type`
 * (erased by esbuild).
 */
import type { CommandRow } from '../../gateway/ports.js';
import type { Roster, Shift, Skill, Swap, Volunteer } from '../../server/alerts/roster.js';
import type { Alert, AlertEvent, Severity } from '../../server/alerts/types.js';
import type { DeliveryRecord } from '../../server/notify/types.js';
import type { Device, MessageRow, PresenceRow } from '../../server/store/types.js';

export type { Alert, AlertEvent, DeliveryRecord, Roster, Severity, Shift, Skill, Swap, Volunteer };

/** GET …/alerts/inbox: sent to me or claimed by me, and every open one nobody has claimed. */
export interface Inbox {
  mine: Alert[];
  open: Alert[];
}

/** GET …/alerts/:id */
export type AlertDetail = Alert & { timeline: AlertEvent[]; deliveries: DeliveryRecord[] };

export interface Maintenance {
  deviceId: string;
  until: string;
  reason: string;
  byUser: string;
  since: string;
}

/** GET …/devices/:id/history: newest first, 50 of each. */
export interface DeviceHistory {
  device: Device;
  maintenance: Maintenance | null;
  alerts: Alert[];
  events: MessageRow[];
  commands: (CommandRow & { seq: number })[];
  presence: PresenceRow[];
}

/** GET …/roster/now: the chain per skill (first is on duty, then the next people); null without a roster. */
export interface OnDutyNow {
  onDuty: Record<Skill, string[]> | null;
  committee?: string[];
}

/** GET …/volunteers, most points first. */
export interface VolunteerScore {
  username: string;
  skills: Skill[];
  points: number;
}

/** What the alerts push on `/live` besides raised/updated/cleared/closed (server/alerts/*.ts). */
export type DutyPush =
  /** To one person: they are told (first), reminded, or told because nobody claimed it (escalated). */
  | { type: 'alert.notify'; what: 'notified' | 'reminded' | 'escalated'; alert: Alert }
  | ({ type: 'alert.claimed' } & Alert);
