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
  /**
   * A device that does not speak the contract over our MQTT: the name of the
   * transport its commands go through (`vzenith-http`), and `via`, the device whose
   * connection carries them (itself, or the camera that drives this gate).
   */
  transport?: { name: string; via: string };
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
  /** What a vendor device really sent (images and logins left out), kept beside the message for support. */
  vendorRaw?: { vendor: string; raw: string };
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
  /** What the ack proves when less than done, e.g. `delivered` in a vendor's HTTP reply. */
  note?: string;
}

export interface CommandLog {
  create(row: CommandRow): void;
  update(cmdId: string, patch: Partial<Pick<CommandRow, 'status' | 'attempts' | 'finishedAt' | 'latencyMs' | 'error' | 'note' | 'expiresAt' | 'payload'>>): void;
}

export interface Counters {
  bump(deviceId: string, name: string, at: string): void;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
