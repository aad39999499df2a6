import type { DeviceKind, UplinkChannel } from '../devices/index.js';

/**
 * What the gateway needs from the rest of the process. The gateway knows MQTT;
 * the server implements these over its store. No SQL crosses this line.
 */
export interface DeviceRecord {
  id: string;
  estateId: string;
  kind: DeviceKind;
  status: 'active' | 'decommissioned';
  secretHash: string;
}

export interface DeviceDirectory {
  find(deviceId: string): DeviceRecord | undefined;
}

export interface UplinkRecord {
  estateId: string;
  deviceId: string;
  kind: DeviceKind;
  channel: Exclude<UplinkChannel, 'status'>;
  msgId: string;
  type: string;
  ts: string;
  receivedAt: string;
  clockSkewed: boolean;
  payload: Record<string, unknown>;
}

export interface DeadLetterRecord {
  estateId: string | undefined;
  deviceId: string;
  topic: string;
  reason: string;
  field: string;
  message: string;
  payloadBytes: number;
  payloadExcerpt: string;
  receivedAt: string;
}

export type IntakeItem = { kind: 'uplink'; record: UplinkRecord } | { kind: 'dead-letter'; record: DeadLetterRecord };

/** Outcome of each item of a batch, in order: `duplicate` = an id already accepted from that device. */
export type IntakeOutcome = 'stored' | 'duplicate';

export interface IntakeSink {
  /** Writes the whole batch in one durable transaction; throws if nothing was written. */
  writeBatch(items: IntakeItem[]): IntakeOutcome[];
}

export interface PresenceLog {
  record(t: { estateId: string; deviceId: string; online: boolean; at: string; reason: string }): void;
  setFirmware(deviceId: string, fw: string): void;
  /** Devices the store believes online (used at boot to close intervals a restart cut short). */
  onlineDevices(): { estateId: string; deviceId: string; lastSeen: string | null }[];
}

export type CommandStatus = 'sent' | 'resent' | 'acked' | 'rejected' | 'failed';

export interface CommandRow {
  cmdId: string;
  estateId: string;
  deviceId: string;
  type: string;
  payload: Record<string, unknown>;
  status: CommandStatus;
  attempts: number;
  requestedBy?: string;
  createdAt: string;
  expiresAt?: string;
  finishedAt?: string;
  latencyMs?: number;
  error?: string;
}

export interface CommandLog {
  create(row: CommandRow): void;
  update(cmdId: string, patch: Partial<Pick<CommandRow, 'status' | 'attempts' | 'finishedAt' | 'latencyMs' | 'error' | 'expiresAt' | 'payload'>>): void;
}

export interface Counters {
  bump(deviceId: string, name: string, at: string): void;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
