/*
 * The committee's reports as the dashboard reads them (issue 7): uptime
 * (server/http/routes/reports-uptime.ts), usage (reports-usage.ts, each series
 * an object of equal-length columns, as uPlot takes them) and the audit list
 * (routes/audit.ts). Times are ISO strings, durations ms, money fen.
 */

export interface Availability {
  /** Floored to 2 decimals (100 means no down time at all); null when nothing was observed outside maintenance. */
  availabilityPct: number | null;
  observedMs: number;
  downMs: number;
  maintenanceMs: number;
}

export interface Outage {
  from: string;
  to: string;
  cause: 'offline' | 'fault' | 'both';
  ms: number;
  /** Still going when the period ends (cut there). */
  ongoing: boolean;
  /** Still going when the device was decommissioned: retired, never restored. */
  decommissioned?: true;
}

export interface DeviceUptime extends Availability {
  deviceId: string;
  kind: string;
  name?: string;
  outages: Outage[];
  mttrMs: number | null;
  worstWeek: ({ from: string; to: string } & Availability) | null;
  /** Its figures count only while in service: from registration to decommissioning. */
  registeredAt: string;
  decommissionedAt: string | null;
}

export interface KindUptime extends Availability {
  kind: string;
  devices: number;
  outages: number;
  mttrMs: number | null;
}

export interface WorstWeek extends Availability {
  deviceId: string;
  kind: string;
  name?: string;
  from: string;
  to: string;
}

export interface Uptime {
  from: string;
  to: string;
  devices: DeviceUptime[];
  kinds: KindUptime[];
  /** Devices by their worst 7 days, worst first. */
  worstWeek: WorstWeek[];
}

export type Bucket = 'hour' | 'day' | 'week' | 'month';

/** `series`: one array per field, all as long as `bucket` (the local bucket labels). */
type Columns<K extends string> = { bucket: string[] } & Record<K, number[]>;

interface UsageRange {
  estateId: string;
  from: string;
  to: string;
  bucket: Bucket;
}

type GateFields = 'entries' | 'exits' | 'residentEntries' | 'visitorEntries' | 'residentExits' | 'visitorExits' | 'feesFen' | 'visitorFeesFen';

export interface GateUsage extends UsageRange, Record<GateFields, number> {
  occupancyStart: number;
  occupancyEnd: number;
  peakOccupancy: number;
  peakBucket: string | null;
  series: Columns<GateFields | 'peakOccupancy' | 'occupancyEnd'>;
}

export interface ShedUsage {
  shedId: string;
  ports: number;
  sessions: number;
  kWh: number;
  revenueFen: number;
  /** 0–1. */
  utilisation: number;
}

export interface ChargerUsage extends UsageRange {
  sessions: number;
  kWh: number;
  revenueFen: number;
  ports: number;
  utilisation: number;
  sheds: ShedUsage[];
  series: Columns<'sessions' | 'kWh' | 'revenueFen' | 'utilisation'>;
}

export interface FloorUsage {
  floor: number;
  boardings: number;
  alightings: number;
}

export interface ElevatorUsage extends UsageRange {
  rides: number;
  up: number;
  down: number;
  chargeFen: number;
  elevators: { elevatorId: string; rides: number; floors: FloorUsage[] }[];
  series: Columns<'rides' | 'up' | 'down' | 'chargeFen'>;
}

/** server/store/audit-repo.ts */
export interface AuditEntry {
  id: number;
  at: string;
  username: string;
  role: string;
  /** e.g. "charter.versions.create", "gates.open", "parking.plate-history.read" */
  action: string;
  route: string;
  target?: string | null;
  status: number;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  username?: string;
  /** A prefix: "charging.accounts" matches its top-ups and plans. */
  action?: string;
  from?: string;
  to?: string;
}
