import type { Logger } from 'pino';
import type { Gateway, GatewayEvents } from '../../gateway/index.js';
import type { CharterVersion } from '../charter/schema.js';
import type { LiveHub } from '../live/hub.js';
import type { CharterRepo } from '../store/charter-repo.js';
import type { DeviceRepo } from '../store/index.js';
import type { ParkingRepo } from '../store/parking-repo.js';
import type { ParkingDirectory } from './directory.js';
import { createGatePipeline, GATE_CMD_TTL_MS } from './pipeline.js';
import { normalizePlate } from './plates.js';
import { recordEntry, recordExit, type Lane } from './records.js';
import { compileWhitelist, sameWhitelist, whitelistGates } from './whitelist.js';
import { deviceRefProblem } from '../estate/estate-scope.js';

export interface ParkingDeps {
  repo: ParkingRepo;
  charters: CharterRepo;
  devices: DeviceRepo;
  directory: ParkingDirectory;
  estateIds: () => string[];
  gateway: Gateway;
  live: LiveHub;
  log: Logger;
  now?: () => number;
}

/** How often whitelists are recompiled even when nothing told us a vehicle changed (passes expire by themselves). */
const WHITELIST_SWEEP_MS = 60_000;

/** Parking at the gates: decisions on plate reads, offline whitelists, and what guards do by hand. */
export function createParking(deps: ParkingDeps) {
  const log = deps.log.child({ module: 'parking' });
  const now = deps.now ?? Date.now;
  const charterCache = new Map<string, { at: number; v: CharterVersion | undefined }>();
  const charter = (estateId: string, atMs: number) => {
    // Cached for a second: a new version takes effect at its effectiveFrom, which is never in the past when added.
    const hit = charterCache.get(estateId);
    if (hit && atMs - hit.at < 1000) return hit.v;
    const v = deps.charters.inForce(estateId, new Date(atMs).toISOString());
    charterCache.set(estateId, { at: atMs, v });
    return v;
  };
  /** A gate of `estateId`: the gateway refuses a gate of another estate, whatever the charter or camera says. */
  const sendGate = (estateId: string, gateId: string, cmd: Record<string, unknown>) => {
    try {
      return deps.gateway.sendCommand(gateId, cmd as { type: string }, { estateId, ttlMs: GATE_CMD_TTL_MS }).cmdId;
    } catch (err) {
      log.error({ err, gateId }, 'gate command not sent');
      return undefined;
    }
  };
  const pipeline = createGatePipeline({
    repo: deps.repo,
    directory: deps.directory,
    charter,
    camera: (id) => {
      const d = deps.devices.info(id);
      if (d?.kind !== 'camera' || d.status !== 'active') return undefined;
      const props = d.props as { gateId: string; direction: 'in' | 'out' };
      // A camera's lane is a gate of its own estate (or one not installed yet), never another estate's.
      return isGateOf(d.estateId, props.gateId) ? props : undefined;
    },
    sendGate,
    // A decision record carries its lane's estateId, which scopes it on the live feed.
    push: (msg) => deps.live.broadcast(msg as { type: string; estateId: string }),
    now,
    log,
  });

  /** Not a registered device of another estate, nor one that is not a gate: a stored charter or camera may still say so. */
  function isGateOf(estateId: string, gateId: string): boolean {
    const problem = deviceRefProblem(deps.devices.info(gateId), estateId, 'gate');
    return problem === undefined || problem === 'unregistered';
  }

  function laneFor(estateId: string, gateId: string, direction: 'in' | 'out', atIso: string): Lane | undefined {
    if (!isGateOf(estateId, gateId)) return undefined;
    const c = charter(estateId, now());
    const lot = c?.document.parking.lots.find((l) => l.gates.includes(gateId));
    return c && lot ? { estateId, gateId, direction, lotId: lot.id, charterVersion: c.version, at: atIso } : undefined;
  }

  /** After an outage: a gate that let a whitelisted car through by itself reports it; it becomes a proper stay. */
  function onGateManual(m: GatewayEvents['message']): void {
    const ev = m.message as unknown as { action: string; source: string; plate?: string; direction?: 'in' | 'out'; ts: string };
    if (ev.source !== 'offline-whitelist' || ev.action !== 'open' || !ev.plate || !ev.direction) return;
    // A passage reported after an outage carries an old time by nature, which also trips the clock-skew flag.
    // Trust the gate's time when it lies in the past day and not in the future; otherwise use arrival.
    const age = Date.parse(m.receivedAt) - Date.parse(ev.ts);
    const at = age >= -60_000 && age <= 24 * 3_600_000 ? new Date(Date.parse(ev.ts)).toISOString() : m.receivedAt;
    const lane = laneFor(m.device.estateId, m.device.deviceId, ev.direction, at);
    if (!lane) return;
    const plate = normalizePlate(ev.plate);
    const v = deps.directory.vehicles(lane.estateId).get(plate);
    const base = { action: 'open' as const, clause: charter(lane.estateId, now())!.document.parking.offline.clause, plate, vehicleClass: v?.vehicleClass, householdId: v?.householdId, display: '', explain: '离线白名单放行', billable: false };
    if (ev.direction === 'in') recordEntry(deps.repo, lane, base, 'offline-whitelist');
    else {
      const stay = deps.repo.findOpenStay(lane.estateId, plate);
      if (stay) recordExit(deps.repo, lane, { ...base, stay, feeFen: 0 }, false, 'offline-whitelist');
    }
    log.info({ gateId: lane.gateId, direction: ev.direction, plate }, 'offline whitelist passage recorded as a stay');
  }

  /** Recompile each gate's whitelist; publish (retained) only when it changed. */
  function refreshWhitelists(estateId: string): void {
    const c = charter(estateId, now());
    if (!c) return;
    deps.directory.invalidate(estateId);
    const compiled = compileWhitelist(c.document.parking, deps.directory.vehicles(estateId).values(), now());
    const { gates, refused } = whitelistGates(c.document.parking, estateId, (id) => deps.devices.info(id));
    if (refused.length) log.warn({ estateId, refused }, 'the charter names gates that are not gates of this estate: no whitelist for them');
    for (const gateId of gates) {
      const current = deps.repo.gateConfig(gateId);
      if (current && sameWhitelist(current.config, compiled)) continue;
      const version = (current?.version ?? 0) + 1;
      const config = { version, ...compiled };
      deps.repo.saveGateConfig({ gateId, estateId, version, config, publishedAt: new Date(now()).toISOString() });
      try {
        deps.gateway.publishConfig(gateId, config, { estateId });
        log.info({ gateId, version, plates: compiled.plates.length }, 'offline whitelist published');
      } catch (err) {
        log.warn({ err: (err as Error).message, gateId }, 'whitelist not published: gate not registered');
      }
    }
  }

  const offs = [
    deps.gateway.on('message', (m) => {
      if (m.channel === 'event' && m.message.type === 'plate.read') pipeline.onPlateRead(m);
      else if (m.device.kind === 'camera') pipeline.observeLag(m.device.deviceId, Date.parse(m.receivedAt) - Date.parse(m.message.ts));
      else if (m.channel === 'event' && m.message.type === 'gate.manual') onGateManual(m);
      else if (m.channel === 'telemetry' && m.device.kind === 'gate' && typeof m.message.configVersion === 'number') deps.repo.reportGateConfig(m.device.deviceId, m.message.configVersion, m.receivedAt);
    }),
    deps.gateway.on('status', (s) => {
      if (s.device.kind === 'gate' && s.configVersion !== undefined) deps.repo.reportGateConfig(s.device.deviceId, s.configVersion, s.receivedAt);
    }),
  ];
  const sweep = setInterval(() => {
    for (const e of deps.estateIds()) refreshWhitelists(e);
  }, WHITELIST_SWEEP_MS);
  sweep.unref();

  return {
    charter,
    sendGate,
    isGateOf,
    laneFor,
    refreshWhitelists,
    /** A new charter version: drop the cache and recompile whitelists. */
    charterChanged(estateId: string): void {
      charterCache.delete(estateId);
      pipeline.charterChanged();
      refreshWhitelists(estateId);
    },
    close(): void {
      clearInterval(sweep);
      offs.forEach((off) => off());
    },
  };
}

export type Parking = ReturnType<typeof createParking>;
