import type { ChargingSection } from '../charter/charging-schema.js';
import type { ChargingRepo } from '../store/charging-repo.js';
import { computeChargeFee } from './pricing.js';
import type { ChargingSession } from './records.js';

export interface SessionTotals {
  energyWh: number;
  maxPowerW: number;
  maxTempC?: number;
  /** Port temperature at the first reading: the risk trend is the rise from here. */
  startTempC?: number;
  fullAtMs?: number;
  unpluggedAtMs?: number;
}

/**
 * Ends a session: fee by the charter's pricing on what was delivered, the money
 * taken from the balance with its ledger line, all in one transaction.
 */
export function endSession(repo: ChargingRepo, charging: ChargingSection, s: ChargingSession, end: { atMs: number; reason: string; clause: string; explain: string; totals: SessionTotals }): ChargingSession {
  const startedAtMs = Date.parse(s.startedAt ?? s.requestedAt);
  const fee = computeChargeFee({
    pricing: charging.pricing,
    startedAtMs,
    endedAtMs: Math.max(startedAtMs, end.atMs),
    energyWh: end.totals.energyWh,
    maxPowerW: end.totals.maxPowerW,
    fullAtMs: end.totals.fullAtMs,
    unpluggedAtMs: end.totals.unpluggedAtMs,
    paidBy: s.payment,
  });
  const at = new Date(end.atMs).toISOString();
  repo.transaction(() => {
    repo.updateSession(s.id, {
      status: 'ended',
      endedAt: at,
      stopReason: end.reason,
      stopClause: end.clause,
      stopExplain: end.explain,
      energyWh: Math.round(end.totals.energyWh * 10) / 10,
      maxPowerW: end.totals.maxPowerW,
      maxTempC: end.totals.maxTempC,
      startTempC: end.totals.startTempC,
      fullAt: end.totals.fullAtMs ? new Date(end.totals.fullAtMs).toISOString() : undefined,
      unpluggedAt: end.totals.unpluggedAtMs ? new Date(end.totals.unpluggedAtMs).toISOString() : undefined,
      feeFen: fee.totalFen,
      feeExplain: fee.explain,
    });
    if (fee.totalFen > 0) repo.move({ estateId: s.estateId, householdId: s.householdId, kind: 'fee', amountFen: -fee.totalFen, sessionId: s.id, at });
  });
  return repo.getSession(s.id)!;
}
