import type { DeviceKind } from '../../devices/kinds.js';
import type { ChargingPush } from './types-charging.js';
import type { DutyPush } from './types-duty.js';
import type { ElevatorPush } from './types-elevator.js';
import type { DecisionPush } from './types-estate.js';

/*
 * The answers of the HTTP API and the /live feed as the dashboard reads them
 * (server/README.md). Types only: when server/http exports its route schemas,
 * these become `z.infer` of them through `import type`.
 */

export type Role = 'committee' | 'volunteer' | 'guard' | 'resident';

export interface User {
  username: string;
  role: Role;
  displayName?: string | null;
  mustChangePassword: boolean;
}

export interface LoginAnswer {
  token: string;
  user: User;
}

export interface Estate {
  id: string;
  name: string;
}

export interface DeviceItem {
  id: string;
  estateId: string;
  /** A kind this build does not know yet is shown by its code. */
  kind: DeviceKind | (string & {});
  name?: string | null;
  status: 'active' | 'decommissioned';
  online: boolean;
  /** ISO time, or null when never seen. */
  lastSeen: string | null;
  fw?: string | null;
  lastEvent: { type: string; at: string } | null;
}

export interface Items<T> {
  items: T[];
}

export type LiveMessage =
  | { type: 'hello'; user: { username: string; role: Role } }
  | { type: 'device.online' | 'device.offline'; estateId: string; deviceId: string; at: string }
  | {
      type: 'device.event' | 'device.telemetry';
      estateId: string;
      deviceId: string;
      kind: string;
      event: { id: string; type: string; ts: string; [field: string]: unknown };
      receivedAt: string;
    }
  | {
      type: 'command.outcome';
      estateId: string;
      deviceId: string;
      cmdId: string;
      cmdType: string;
      status: 'acked' | 'rejected' | 'failed' | 'resent';
      latencyMs?: number;
      error?: string;
    }
  | DecisionPush
  | ChargingPush
  | ElevatorPush
  | DutyPush;
