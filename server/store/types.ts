import type { DeviceKind } from '../../devices/index.js';
import type { CharterRepo } from './charter-repo.js';
import type { ParkingRepo } from './parking-repo.js';
import type { ChargingRepo } from './charging-repo.js';
import type { AlertsRepo } from './alerts-repo.js';
import type { ElevatorRepo } from './elevator-repo.js';
import type { RosterRepo } from './roster-repo.js';
import type { DeliveriesRepo } from './deliveries-repo.js';
import type { AuditRepo } from './audit-repo.js';
import type { UsageReports } from '../reports/usage-reports.js';
import type { AccountsRepo } from './accounts-repo.js';
import type { CommandLog, CommandRow, Counters, DeadLetterRecord, DeviceDirectory, IntakeSink, PresenceLog } from '../../gateway/index.js';

/**
 * The store as the domain sees it. SQLite implements it today; a server database
 * for multi-instance deployments implements the same interfaces later.
 */
export interface Estate {
  id: string;
  name: string;
  createdAt: string;
}

export interface Device {
  id: string;
  estateId: string;
  kind: DeviceKind;
  name: string;
  props: Record<string, unknown>;
  status: 'active' | 'decommissioned';
  fw: string | null;
  online: boolean;
  lastSeen: string | null;
  lastEvent: { type: string; at: string } | null;
  createdAt: string;
  decommissionedAt: string | null;
  /** A device bought from a vendor: whose protocol, over what, its own serial, and the device that carries it (a gate driven by its camera). */
  vendor?: { name: string; transport: 'http' | 'mqtt' | 'tcp'; serialNo: string | null; via: string | null };
}

export type Role = 'committee' | 'volunteer' | 'guard' | 'resident';

export interface User {
  username: string;
  role: Role;
  displayName: string;
  passwordHash: string;
  mustChange: boolean;
  disabled: boolean;
  /** The one estate this account belongs to; null for the install's own people, who see every estate. */
  estateId: string | null;
}

export interface Page {
  limit: number;
  /** Return rows with seq below this (the previous page's last seq). */
  before?: number;
}

export interface MessageRow {
  seq: number;
  id: string;
  estateId: string;
  deviceId: string;
  kind: string | null;
  channel: string;
  type: string;
  ts: string;
  receivedAt: string;
  clockSkewed: boolean;
  payload: Record<string, unknown>;
  /** What a vendor device really sent (images and logins left out); only when asked for (`withVendorRaw`). */
  vendorRaw?: unknown;
}

export interface DeadLetterRow extends DeadLetterRecord {
  seq: number;
}

export interface PresenceRow {
  seq: number;
  deviceId: string;
  online: boolean;
  at: string;
  reason: string;
}

export interface EstateRepo {
  createEstate(e: { id: string; name: string }): Estate | 'exists';
  getEstate(id: string): Estate | undefined;
  listEstates(): Estate[];
}

/** What does not change while a device is registered: read on hot paths, so kept in memory. */
export type DeviceInfo = Pick<Device, 'id' | 'estateId' | 'kind' | 'name' | 'props' | 'status'>;

export interface DeviceRepo extends DeviceDirectory {
  info(id: string): DeviceInfo | undefined;
  register(d: { id: string; estateId: string; kind: DeviceKind; name: string; props: Record<string, unknown>; secretHash: string }): Device | 'exists';
  get(id: string): Device | undefined;
  list(estateId: string): Device[];
  setSecretHash(id: string, secretHash: string): void;
  decommission(id: string, at: string): void;
}

export interface MessageQuery extends Page {
  estateId: string;
  channel: 'event' | 'telemetry' | 'ack';
  deviceId?: string;
  type?: string;
  /** Add `vendorRaw`, what a vendor device really sent, to the messages that have it (the committee's answer only). */
  withVendorRaw?: boolean;
}

export interface HistoryRepo {
  messages(q: MessageQuery): MessageRow[];
  deadLetters(q: Page & { estateId: string; deviceId?: string; reason?: string }): DeadLetterRow[];
  presence(q: Page & { estateId: string; deviceId?: string }): PresenceRow[];
  commands(q: Page & { estateId: string; deviceId?: string; status?: string }): (CommandRow & { seq: number })[];
  counters(deviceId: string): Record<string, number>;
}

export interface UserRepo {
  createUser(u: Omit<User, 'disabled'>): User | 'exists';
  getUser(username: string): User | undefined;
  listUsers(): User[];
  countUsers(): number;
  /** Also ends every session of that person but `keepTokenHash`'s; returns the digests of the sessions it ended. */
  setPassword(username: string, passwordHash: string, mustChange: boolean, keepTokenHash?: string): string[];
  /** Switching a login off also ends every session of that person; returns the digests of the sessions it ended. */
  setDisabled(username: string, disabled: boolean): string[];
  createSession(s: { tokenHash: string; username: string; createdAt: string; expiresAt: string }): void;
  findSession(tokenHash: string, now: string): { username: string; expiresAt: string } | undefined;
  deleteSession(tokenHash: string): void;
  /** Deletes the sessions expired by `now`; returns their digests. */
  deleteExpiredSessions(now: string): string[];
}

export interface Store {
  estates: EstateRepo;
  devices: DeviceRepo;
  history: HistoryRepo;
  users: UserRepo;
  intake: IntakeSink;
  presence: PresenceLog;
  commands: CommandLog;
  counters: Counters;
  estateModel: import('./estate-model-types.js').EstateModelRepo;
  charters: CharterRepo;
  parking: ParkingRepo;
  charging: ChargingRepo;
  alerts: AlertsRepo;
  elevators: ElevatorRepo;
  roster: RosterRepo;
  deliveries: DeliveriesRepo;
  audit: AuditRepo;
  usage: UsageReports;
  accounts: AccountsRepo;
  loginFailures: import('./login-failures-repo.js').LoginFailureRepo;
  /** Devices bought from a vendor: how each is reached (issue 12). */
  vendors: import('./vendor-repo.js').VendorRepo;
  close(): void;
}
