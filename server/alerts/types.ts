export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface Alert {
  id: string;
  estateId: string;
  deviceId: string;
  kind: string;
  severity: Severity;
  /** open → cleared (by the device) or closed (by a person). */
  status: 'open' | 'cleared' | 'closed';
  /** Stays open after the device clears it, until a person closes it (trapped passengers). */
  needsPerson: boolean;
  deviceClearedAt?: string;
  /** The kind of the device (gate, charger…), which picks who is on duty for it. */
  deviceKind?: string;
  claimedBy?: string;
  claimedAt?: string;
  /** Raised while the device is in maintenance mode: recorded, not routed until the mode ends. */
  held?: boolean;
  closedBy?: string;
  closeNote?: string;
  title: string;
  detail: Record<string, unknown>;
  raisedAt: string;
  updatedAt: string;
  clearedAt?: string;
  count: number;
}

export interface AlertEvent {
  id: number;
  alertId: string;
  at: string;
  what: 'raised' | 'repeated' | 'notified' | 'reminded' | 'escalated' | 'claimed' | 'device-cleared' | 'resolved' | 'cleared' | 'held' | 'released';
  byUser?: string;
  detail: Record<string, unknown>;
}
