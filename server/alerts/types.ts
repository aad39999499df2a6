export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface Alert {
  id: string;
  estateId: string;
  deviceId: string;
  kind: string;
  severity: Severity;
  status: 'open' | 'cleared';
  title: string;
  detail: Record<string, unknown>;
  raisedAt: string;
  updatedAt: string;
  clearedAt?: string;
  count: number;
}
