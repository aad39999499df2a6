import type { BoxRejection } from './frame.js';
import { diffFaults, type BoxEvent, type FaultState, type UnknownCode } from './faults.js';
import type { FaultSource, ServiceMode } from './fault-tables.js';
import type { DecodedInfo, Telemetry } from './messages.js';

export interface InfoResult {
  telemetry?: Telemetry;
  /** Fault raises and clears (and emergency calls) since the last set. */
  events: BoxEvent[];
  /** To keep for the next frame of this lift; unchanged when the frame had no usable fault set. */
  state: FaultState | undefined;
  modes: ServiceMode[];
  unknown: UnknownCode[];
  /** Parts of the frame that could not be used (dead letters to count), and notes. */
  rejected: BoxRejection[];
  warnings: string[];
}

/**
 * One decoded `info` frame → everything the contract gets from it: telemetry, and the
 * fault events by difference with the lift's previous state. A frame without a usable
 * fault set leaves the state as it was: an absent set is "unknown", not "no faults".
 */
export function applyInfo(
  info: DecodedInfo,
  previous: FaultState | undefined,
  ctx: { eid: string; source: FaultSource; receivedAt: string },
): InfoResult {
  const rejected = info.telemetryRejection ? [info.telemetryRejection] : [];
  const base = { ...(info.telemetry ? { telemetry: info.telemetry } : {}), rejected, warnings: [...info.warnings] };
  if (!info.faultCodes) return { ...base, events: [], state: previous, modes: [], unknown: [] };
  const diff = diffFaults(previous, info.faultCodes, { ...ctx, ...(info.telemetry ? { floor: info.telemetry.floor } : {}) });
  if ('ok' in diff) return { ...base, rejected: [...rejected, diff], events: [], state: previous, modes: [], unknown: [] };
  return { ...base, events: diff.events, state: diff.state, modes: diff.modes, unknown: diff.unknown };
}
