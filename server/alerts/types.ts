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
  closedBy?: string;
  closeNote?: string;
  title: string;
  detail: Record<string, unknown>;
  raisedAt: string;
  updatedAt: string;
  clearedAt?: string;
  count: number;
}
