import type { Logger } from 'pino';
import type { GatewayEvents } from '../../gateway/index.js';
import type { CharterVersion } from '../charter/schema.js';
import type { ParkingRepo } from '../store/parking-repo.js';
import type { ParkingDirectory } from './directory.js';
import { decideEntry } from './entry-rules.js';
import { decideExit, type ExitDecision } from './exit-rules.js';
import type { GateDecision, GateFacts, Lot } from './facts.js';
import { normalizePlate } from './plates.js';
import { createReadSuppressor } from './read-suppression.js';
import { createLagTracker } from './lag-tracker.js';
import { newDecisionId, recordEntry, recordExit, type Lane } from './records.js';
import type { ParkingDecisionRecord, Stay } from './types.js';

export interface PipelineDeps {
  repo: ParkingRepo;
  directory: ParkingDirectory;
  charter(estateId: string, atMs: number): CharterVersion | undefined;
  camera(deviceId: string): { gateId: string; direction: 'in' | 'out' } | undefined;
  /** A command for a gate of `estateId` (the lane's); one of another estate is refused. */
  sendGate(estateId: string, gateId: string, cmd: Record<string, unknown>): string | undefined;
  push(msg: Record<string, unknown>): void;
  now(): number;
  log: Logger;
}

/** A read arriving this much later than the camera's usual lag was buffered through an outage: the car has long gone. */
const STALE_READ_MS = 30_000;
/** Gate commands are short-lived: an arm must not lift for a car that left. */
export const GATE_CMD_TTL_MS = 5_000;

type PlateRead = { plate: string; confidence: number; direction?: 'in' | 'out'; ts: string; id: string };

/**
 * plate.read → lane → charter → suppress repeats → decide → command → record → live.
 * The command goes out before anything is written: the driver waits on the arm, not on the disk.
 */
export function createGatePipeline(deps: PipelineDeps) {
  const lag = createLagTracker({ window: 20 });
  const unconfigured = new Set<string>();
  const suppressors = new Map<string, ReturnType<typeof createReadSuppressor>>();
  const suppressor = (estateId: string, windowS: number) => {
    let s = suppressors.get(`${estateId}/${windowS}`);
    if (!s) suppressors.set(`${estateId}/${windowS}`, (s = createReadSuppressor({ windowMs: windowS * 1000 })));
    return s;
  };

  function lane(m: GatewayEvents['message'], read: PlateRead): { lane: Lane; charter: CharterVersion; lot: Lot } | undefined {
    const cam = deps.camera(m.device.deviceId);
    const estateId = m.device.estateId;
    const charter = cam && deps.charter(estateId, deps.now());
    const lot = charter?.document.parking.lots.find((l) => l.gates.includes(cam!.gateId));
    if (!cam || !charter || !lot) {
      // Once per camera (until the charter changes), not once per car: an estate without a charter is a setup gap, not an incident.
      if (!unconfigured.has(m.device.deviceId)) {
        unconfigured.add(m.device.deviceId);
        deps.log.warn({ deviceId: m.device.deviceId, gate: cam?.gateId, charter: charter?.version }, 'plate reads from this camera are not acted on: no charter in force, or its gate is in no lot');
      }
      return undefined;
    }
    const at = new Date(deps.now()).toISOString();
    return { charter, lot, lane: { estateId, gateId: cam.gateId, direction: read.direction ?? cam.direction, lotId: lot.id, cameraId: m.device.deviceId, charterVersion: charter.version, at } };
  }

  function entryFacts(l: Lane, charter: CharterVersion, lot: Lot, read: PlateRead): GateFacts {
    const vehicles = deps.directory.vehicles(l.estateId);
    return {
      atMs: deps.now(),
      plateRead: read.plate,
      confidence: read.confidence,
      charterVersion: charter.version,
      parking: charter.document.parking,
      lot,
      vehicle: (p) => vehicles.get(p),
      registeredPlates: deps.directory.plates(l.estateId),
      occupancy: deps.repo.occupancy(l.estateId, lot.id),
      groupInside: (h) => deps.repo.openGroupStays(l.estateId, h).filter((s) => !s.overflow).length,
      householdSpaces: (h) => deps.directory.householdSpaces(l.estateId, h),
      activePass: (p) => deps.repo.activePass(l.estateId, p, l.at),
      arrearsFen: (p) => deps.repo.arrearsFen(l.estateId, p),
    };
  }

  function command(l: Lane, d: GateDecision): string | undefined {
    // The voice says what the board shows unless the rule chose other words (a fee is read out as 元, not ¥).
    const voice = { voice: d.voice ?? d.display.replace(/\s+/g, '，') };
    if (d.action === 'open') return deps.sendGate(l.estateId, l.gateId, { type: 'open', direction: l.direction, ...(d.plate ? { plate: d.plate } : {}), display: d.display, ...voice });
    if (d.action === 'deny') return deps.sendGate(l.estateId, l.gateId, { type: 'deny', display: d.display, ...voice });
    return deps.sendGate(l.estateId, l.gateId, { type: 'display', display: d.display, ...voice });
  }

  function record(l: Lane, d: GateDecision | ExitDecision, read: PlateRead, cmdId: string | undefined, startedAt: number, groupBillingStops: boolean): ParkingDecisionRecord {
    const latencyMs = deps.now() - startedAt;
    const stay: Stay | undefined = deps.repo.transaction(() => (l.direction === 'in' ? recordEntry(deps.repo, l, d, 'camera') : recordExit(deps.repo, l, d as ExitDecision, groupBillingStops)));
    const rec: ParkingDecisionRecord = {
      id: newDecisionId(),
      estateId: l.estateId,
      gateId: l.gateId,
      cameraId: l.cameraId,
      direction: l.direction,
      readMsgId: read.id,
      plateRead: read.plate,
      plate: d.plate,
      vehicleClass: d.vehicleClass,
      action: d.action,
      clause: d.clause,
      charterVersion: l.charterVersion,
      display: d.display,
      explain: d.explain,
      feeFen: (d as ExitDecision).feeFen,
      stayId: stay?.id,
      cmdId,
      at: l.at,
      latencyMs,
    };
    deps.repo.addDecision(rec);
    const unmatched = (d as ExitDecision).unmatched;
    if (unmatched && d.action === 'guard') {
      deps.repo.addUnmatched({ id: newDecisionId().replace('dec', 'unm'), estateId: l.estateId, gateId: l.gateId, plateRead: read.plate, at: l.at, candidates: unmatched.candidates });
    }
    return rec;
  }

  function onPlateRead(m: GatewayEvents['message']): void {
    const startedAt = deps.now();
    const read = m.message as unknown as PlateRead;
    const lagMs = Date.parse(m.receivedAt) - Date.parse(read.ts);
    const stale = lag.excess(m.device.deviceId, lagMs) > STALE_READ_MS;
    lag.observe(m.device.deviceId, lagMs);
    if (stale) {
      deps.log.info({ deviceId: m.device.deviceId, msgId: read.id, lagMs }, 'plate read buffered through an outage: stored, not acted on');
      return;
    }
    const found = lane(m, read);
    if (!found) return;
    const { lane: l, charter, lot } = found;
    const parking = charter.document.parking;
    if (read.plate && suppressor(l.estateId, parking.plates.repeatWindowS).seen(`${l.gateId}/${l.direction}`, normalizePlate(read.plate), startedAt)) return;
    const decision =
      l.direction === 'in'
        ? decideEntry(entryFacts(l, charter, lot, read))
        : decideExit({ atMs: startedAt, plateRead: read.plate, confidence: read.confidence, charterVersion: charter.version, parking, openStays: new Map(deps.repo.openStays(l.estateId).map((s) => [s.plate, s])) });
    const cmdId = command(l, decision);
    const rec = record(l, decision, read, cmdId, startedAt, parking.groups.billingStopsWhenGroupCarLeaves);
    deps.push({ type: 'parking.decision', ...rec, candidates: decision.candidates ?? (decision as ExitDecision).unmatched?.candidates });
  }

  return {
    onPlateRead,
    command,
    entryFacts,
    /** Every message from a camera teaches the tracker its usual lag, not only plate reads. */
    observeLag: (deviceId: string, lagMs: number) => lag.observe(deviceId, lagMs),
    /** A new charter: cameras that had no lane may have one now, and deserve a fresh warning if not. */
    charterChanged: () => unconfigured.clear(),
  };
}
