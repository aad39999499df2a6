import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Gateway, GatewayEvents } from '../../gateway/index.js';
import type { Alerts } from '../alerts/alerts.js';
import type { CharterVersion } from '../charter/schema.js';
import type { LiveHub } from '../live/hub.js';
import type { ChargingRepo } from '../store/charging-repo.js';
import type { ElevatorRepo } from '../store/elevator-repo.js';
import type { Card, Household } from '../store/estate-model-types.js';
import { decideRide } from './access.js';
import { faultInfo } from './faults.js';
import { floorOfRoom } from './household-floor.js';
import type { ElevatorLiveState } from './records.js';
import { createElevatorWatch } from './watch.js';

export interface ElevatorDeps {
  repo: ElevatorRepo;
  accounts: ChargingRepo;
  charter(estateId: string, atMs: number): CharterVersion | undefined;
  card(estateId: string, cardId: string): Card | undefined;
  household(estateId: string, householdId: string): Household | undefined;
  elevator(deviceId: string): { lowestFloor: number; highestFloor: number } | undefined;
  gateway: Gateway;
  alerts: Alerts;
  live: LiveHub;
  log: Logger;
  now: () => number;
}

/** Counters are kept in memory on every reading and written at most this often. */
const SAVE_EVERY_MS = 5_000;
/** The live dashboard gets a state push per elevator at most this often (and on every door or run change). */
const PUSH_EVERY_MS = 1_000;

/** Retrofitted elevators: live state and faults, card access, rides. */
export function createElevators(deps: ElevatorDeps) {
  const log = deps.log.child({ module: 'elevators' });
  const watches = new Map<string, { watch: ReturnType<typeof createElevatorWatch>; state: ElevatorLiveState; savedAt: number; pushedAt: number }>();
  const iso = (ms = deps.now()) => new Date(ms).toISOString();
  const section = (estateId: string) => deps.charter(estateId, deps.now())?.document.elevator;

  function entryFor(estateId: string, elevatorId: string) {
    let e = watches.get(elevatorId);
    const rules = section(estateId);
    if (!e && rules) {
      const saved = deps.repo.state(elevatorId);
      const state = saved ?? { elevatorId, estateId, runs: 0, doorCycles: 0, runSeconds: 0, updatedAt: iso() };
      // The watch resumes the counters the store kept, so a restart does not reset runs and door cycles.
      e = { watch: createElevatorWatch(rules.faults, { runs: state.runs, doorCycles: state.doorCycles }), state, savedAt: 0, pushedAt: 0 };
      watches.set(elevatorId, e);
    }
    return e;
  }

  function raiseFault(estateId: string, elevatorId: string, code: string, floor: number | undefined, derived: boolean): void {
    const info = faultInfo(code);
    deps.alerts.raise({
      estateId,
      deviceId: elevatorId,
      kind: `elevator.${code}`,
      severity: info.severity,
      needsPerson: info.needsPerson,
      title: `${info.zh}${floor !== undefined ? `（${floor}层）` : ''}${derived ? '（由运行数据判断）' : ''}`,
      detail: { code, floor, derived },
    });
  }

  function onTelemetry(m: GatewayEvents['message']): void {
    const { estateId, deviceId } = m.device;
    const e = entryFor(estateId, deviceId);
    if (!e) return;
    const r = m.message as unknown as { floor: number; direction: 'up' | 'down' | 'idle'; doorOpen: boolean; running: boolean; loadPct?: number; inDoorZone?: boolean };
    const atMs = Date.parse(m.receivedAt);
    const before = e.state;
    const out = e.watch.observe({ atMs, ...r });
    for (const f of out.raised) raiseFault(estateId, deviceId, f.code, f.floor ?? r.floor, true);
    for (const f of out.cleared) deps.alerts.clear(deviceId, `elevator.${f.code}`);
    const wasRunningMs = before.running && before.updatedAt ? Math.max(0, atMs - Date.parse(before.updatedAt)) : 0;
    e.state = {
      elevatorId: deviceId,
      estateId,
      floor: r.floor,
      direction: r.direction,
      doorOpen: r.doorOpen,
      running: r.running,
      loadPct: r.loadPct,
      runs: out.state.runs,
      doorCycles: out.state.doorCycles,
      runSeconds: before.runSeconds + wasRunningMs / 1000,
      updatedAt: m.receivedAt,
    };
    const moved = before.running !== r.running || before.doorOpen !== r.doorOpen || before.floor !== r.floor;
    if (moved || atMs - e.pushedAt >= PUSH_EVERY_MS) {
      e.pushedAt = atMs;
      deps.live.broadcast({ type: 'elevator.state', kind: 'elevator', estateId, deviceId, state: e.state });
    }
    if (atMs - e.savedAt >= SAVE_EVERY_MS) {
      e.savedAt = atMs;
      deps.repo.saveState(e.state);
    }
  }

  function onFault(m: GatewayEvents['message']): void {
    const f = m.message as unknown as { code: string; active: boolean; floor?: number };
    const { estateId, deviceId } = m.device;
    if (f.active) raiseFault(estateId, deviceId, f.code, f.floor, false);
    else deps.alerts.clear(deviceId, `elevator.${f.code}`);
  }

  function onSwipe(m: GatewayEvents['message']): void {
    const s = m.message as unknown as { cardId: string; floor?: number };
    const { estateId, deviceId } = m.device;
    const rules = section(estateId);
    const lift = deps.elevator(deviceId);
    if (!rules || !lift) {
      send(estateId, deviceId, { type: 'deny', cardId: s.cardId, reason: '暂未开放' });
      return;
    }
    const card = deps.card(estateId, s.cardId);
    const household = card ? deps.household(estateId, card.householdId) : undefined;
    const floor = household ? floorOfRoom(household.room) : undefined;
    const pass = deps.repo.activePass(estateId, s.cardId, iso());
    const account = card ? deps.accounts.account(estateId, card.householdId) : undefined;
    const d = decideRide({
      access: rules.access,
      elevator: { elevatorId: deviceId, ...lift },
      card: card && { cardId: card.cardId, householdId: card.householdId, status: card.status, purposes: card.purposes },
      household: household && floor !== undefined ? { id: household.id, floor } : undefined,
      member: !!(card && deps.repo.member(deviceId, card.householdId)),
      pass: pass && { kind: pass.kind, floors: pass.floors, validUntilMs: Date.parse(pass.validUntil) },
      balanceFen: account?.balanceFen,
      atMs: deps.now(),
    });
    if (d.action === 'grant') {
      send(estateId, deviceId, { type: 'grant', cardId: s.cardId, floors: d.floors, ttlS: d.ttlS });
      if (d.chargeFen && card) deps.accounts.move({ estateId, householdId: card.householdId, kind: 'ride', amountFen: -d.chargeFen, note: deviceId, at: iso() });
    } else send(estateId, deviceId, { type: 'deny', cardId: s.cardId, reason: d.reason });
    deps.live.broadcast({ type: 'elevator.access', kind: 'elevator', estateId, deviceId, cardId: s.cardId, action: d.action, floors: d.action === 'grant' ? d.floors : undefined, clause: d.clause, explain: d.explain, chargeFen: d.action === 'grant' ? d.chargeFen : undefined });
  }

  function onRide(m: GatewayEvents['message']): void {
    const r = m.message as unknown as { from: number; to: number; cardId?: string };
    const { estateId, deviceId } = m.device;
    const card = r.cardId ? deps.card(estateId, r.cardId) : undefined;
    deps.repo.addRide({ id: `ride-${randomUUID()}`, estateId, elevatorId: deviceId, cardId: r.cardId, householdId: card?.householdId, fromFloor: r.from, toFloor: r.to, at: m.receivedAt, chargeFen: 0 });
  }

  /** A command for an elevator of `estateId`; the gateway refuses one of another estate. */
  function send(estateId: string, elevatorId: string, cmd: Record<string, unknown>): void {
    try {
      deps.gateway.sendCommand(elevatorId, cmd as { type: string }, { estateId, ttlMs: 5_000 });
    } catch (err) {
      log.error({ err, elevatorId }, 'elevator command not sent');
    }
  }

  const off = deps.gateway.on('message', (m) => {
    if (m.device.kind !== 'elevator') return;
    if (m.channel === 'telemetry') return onTelemetry(m);
    if (m.channel !== 'event') return;
    const t = m.message.type;
    if (t === 'fault') onFault(m);
    else if (t === 'card.swipe') onSwipe(m);
    else if (t === 'ride') onRide(m);
    else if (t === 'emergency.call') {
      const floor = (m.message as { floor?: number }).floor;
      deps.alerts.raise({ estateId: m.device.estateId, deviceId: m.device.deviceId, kind: 'elevator.emergency-call', severity: 'critical', needsPerson: true, title: `电梯紧急呼叫${floor !== undefined ? `（${floor}层）` : ''}`, detail: { floor } });
    }
  });

  return {
    liveState: (elevatorId: string) => watches.get(elevatorId)?.state ?? deps.repo.state(elevatorId),
    close(): void {
      off();
      for (const e of watches.values()) deps.repo.saveState(e.state);
    },
  };
}

export type Elevators = ReturnType<typeof createElevators>;
