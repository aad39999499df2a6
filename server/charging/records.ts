/** Charging facts as the service and the store share them. Money in integer fen, times ISO UTC. */
/** `full`: power cut at full, the bike still plugged in; billed when it is unplugged (occupancy fee). */
export type SessionStatus = 'starting' | 'charging' | 'full' | 'ended' | 'failed';

export interface ChargingSession {
  id: string;
  estateId: string;
  shedId: string;
  port: number;
  cardId: string;
  householdId: string;
  payment: 'balance' | 'plan';
  status: SessionStatus;
  requestedAt: string;
  startedAt?: string;
  endedAt?: string;
  stopReason?: string;
  stopClause?: string;
  stopExplain?: string;
  maxMinutes: number;
  maxWh?: number;
  energyWh: number;
  /** The port meter's reading at the first telemetry of the session: its energy is the rise from here. */
  meterStartWh?: number;
  maxPowerW: number;
  startTempC?: number;
  maxTempC?: number;
  fullAt?: string;
  unpluggedAt?: string;
  feeFen?: number;
  feeExplain?: string;
  charterVersion?: number;
  startClause?: string;
  cmdId?: string;
}

export interface ChargingAccount {
  estateId: string;
  householdId: string;
  balanceFen: number;
  planId?: string;
  planValidUntil?: string;
  updatedAt: string;
}

export interface PortRecord {
  shedId: string;
  port: number;
  estateId: string;
  state: string;
  sessionId?: string;
  since: string;
}
