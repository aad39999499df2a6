import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Gateway, GatewayEvents } from '../../gateway/index.js';
import type { Alerts } from '../alerts/alerts.js';
import type { ChargingSection } from '../charter/charging-schema.js';
import type { CharterVersion } from '../charter/schema.js';
import type { LiveHub } from '../live/hub.js';
import type { ChargingRepo } from '../store/charging-repo.js';
import type { Card } from '../store/estate-model-types.js';
import { checkCard } from './card-check.js';
import type { ChargingSession } from './records.js';
import { createShedAlarms } from './shed-alarms.js';
import { createSessionMonitor, STOP_REASON_ZH, type StopReason } from './session-monitor.js';
import { endSession, type SessionTotals } from './session-end.js';
import { decideStart } from './start-rules.js';

export interface ChargingDeps {
  repo: ChargingRepo;
  charter(estateId: string, atMs: number): CharterVersion | undefined;
  card(estateId: string, cardId: string): Card | undefined;
  gateway: Gateway;
  alerts: Alerts;
  live: LiveHub;
  log: Logger;
  now: () => number;
  /** A person's own news through the same channels as alerts (live and their webhooks). */
  notifyPerson?: (estateId: string, username: string, note: { kind: string; title: string; text: string }) => void;
}

type Monitor = ReturnType<typeof createSessionMonitor>;
type Reading = { port: number; powerW: number; energyWh: number; tempC: number };
/** Commands to a shed: short-lived like a gate's, a port must not start long after the swipe. */
const CHARGER_CMD_TTL_MS = 5_000;

/** The charging sheds: who may charge, what stops a session, what raises an alarm. */
export function createCharging(deps: ChargingDeps) {
  const log = deps.log.child({ module: 'charging' });
  const monitors = new Map<string, { monitor: Monitor; baselineWh?: number; lastPowerW?: number }>();
  // Telemetry arrives every few seconds from every shed: its charging sessions are read once and kept until they change.
  const activeCache = new Map<string, ChargingSession[]>();
  const active = (shedId: string) => {
    let a = activeCache.get(shedId);
    if (!a) activeCache.set(shedId, (a = deps.repo.activeSessions(shedId)));
    return a;
  };
  const changed = (shedId: string) => activeCache.delete(shedId);
  const iso = (ms = deps.now()) => new Date(ms).toISOString();
  const section = (estateId: string): { c: CharterVersion; charging: ChargingSection } | undefined => {
    const c = deps.charter(estateId, deps.now());
    return c?.document.charging ? { c, charging: c.document.charging } : undefined;
  };
  /** A command for a shed of `estateId`; the gateway refuses a shed of another estate. */
  const send = (estateId: string, shedId: string, cmd: Record<string, unknown>) => {
    try {
      return deps.gateway.sendCommand(shedId, cmd as { type: string }, { estateId, ttlMs: CHARGER_CMD_TTL_MS }).cmdId;
    } catch (err) {
      log.error({ err, shedId }, 'charger command not sent');
      return undefined;
    }
  };
  const push = (type: string, s: ChargingSession) => deps.live.broadcast({ type, kind: 'charger', estateId: s.estateId, deviceId: s.shedId, session: { ...s } });
  const shedChanged = (estateId: string, shedId: string) => deps.live.broadcast({ type: 'shed.changed', kind: 'charger', estateId, deviceId: shedId });

  function monitorFor(s: ChargingSession, charging: ChargingSection) {
    let m = monitors.get(s.id);
    if (!m) {
      m = { monitor: createSessionMonitor(charging.detection, charging.safety, { maxMinutes: s.maxMinutes, maxWh: s.maxWh, startedAtMs: Date.parse(s.startedAt ?? s.requestedAt), clause: s.startClause }) };
      monitors.set(s.id, m);
    }
    return m;
  }

  function totals(s: ChargingSession): SessionTotals {
    const m = monitors.get(s.id)?.monitor;
    if (!m) return { energyWh: s.energyWh, maxPowerW: s.maxPowerW, maxTempC: s.maxTempC, startTempC: s.startTempC };
    return { energyWh: m.energyWh, maxPowerW: m.maxPowerW, maxTempC: m.maxTempC, startTempC: m.startTempC, fullAtMs: m.fullAtMs, unpluggedAtMs: m.unpluggedAtMs };
  }

  /** Stop a session: the command first (the port must cut power now), then the fee and the records. */
  function stop(s: ChargingSession, reason: StopReason, clause: string, explain: string, sendStop = true, deviceEnergyWh?: number): ChargingSession | undefined {
    const sec = section(s.estateId);
    if (sendStop) send(s.estateId, s.shedId, { type: 'stop', port: s.port, reason: STOP_REASON_ZH[reason] ?? reason });
    changed(s.shedId);
    if (!sec) return undefined;
    // The device's own meter for the charge (an end report) is better than the sum of telemetry readings.
    const t = deviceEnergyWh === undefined ? totals(s) : { ...totals(s), energyWh: deviceEnergyWh };
    if (reason === 'full' && sec.charging.pricing.occupancy) {
      // Occupancy is billed until the bike is taken away: hold the bill until the port reports it unplugged.
      deps.repo.updateSession(s.id, { status: 'full', stopReason: reason, stopClause: clause, stopExplain: explain, energyWh: Math.round(t.energyWh * 10) / 10, maxPowerW: t.maxPowerW, maxTempC: t.maxTempC, startTempC: t.startTempC, fullAt: iso(t.fullAtMs ?? deps.now()) });
      deps.repo.setPort({ shedId: s.shedId, port: s.port, estateId: s.estateId, state: 'full', sessionId: s.id, since: iso() });
      push('charging.session.full', deps.repo.getSession(s.id)!);
      shedChanged(s.estateId, s.shedId);
      return deps.repo.getSession(s.id);
    }
    const ended = endSession(deps.repo, sec.charging, s, { atMs: deps.now(), reason, clause, explain, totals: t });
    monitors.delete(s.id);
    deps.repo.setPort({ shedId: s.shedId, port: s.port, estateId: s.estateId, state: reason === 'full' || reason === 'unplugged' || reason === 'resident-stop' ? 'available' : 'occupied', since: iso() });
    push('charging.session.ended', ended);
    afterPortFreed(s.estateId, s.shedId);
    return ended;
  }

  /** Every charging port of a shed at once: the commands all go out in this turn of the event loop. */
  function stopShed(estateId: string, shedId: string, reason: StopReason, clause: string, explain: string): ChargingSession[] {
    const sessions = [...active(shedId)];
    for (const s of sessions) send(s.estateId, s.shedId, { type: 'stop', port: s.port, reason: STOP_REASON_ZH[reason] ?? reason });
    return sessions.map((s) => stop(s, reason, clause, explain, false)).filter((x): x is ChargingSession => !!x);
  }

  function afterPortFreed(estateId: string, shedId: string): void {
    shedChanged(estateId, shedId);
    for (const r of deps.repo.takePortFreeRequests(shedId, iso())) {
      deps.live.sendToUser(r.username, { type: 'charging.port-free', estateId, shedId });
      deps.notifyPerson?.(estateId, r.username, { kind: 'charging.port-free', title: '充电棚有空位了', text: `${shedId} 现在有空闲充电口。` });
    }
    startQueued(estateId, shedId);
  }

  function startQueued(estateId: string, shedId: string): void {
    for (const q of deps.repo.waiting(shedId)) {
      if (deps.now() - Date.parse(q.requestedAt) > 30 * 60_000) {
        deps.repo.setQueueStatus(q.id, 'expired');
        continue;
      }
      if (!request(estateId, shedId, q.port, q.cardId, true)) return; // still over budget: keep the queue order
      deps.repo.setQueueStatus(q.id, 'started');
    }
  }

  function deny(estateId: string, shedId: string, port: number, reason: string): void {
    send(estateId, shedId, { type: 'deny', port, reason });
  }

  /** A swipe (or a queued one whose turn came): start, queue or deny. Returns whether a session started. */
  function request(estateId: string, shedId: string, port: number, cardId: string, fromQueue = false): boolean {
    const sec = section(estateId);
    if (!sec) {
      deny(estateId, shedId, port, '暂未开放');
      return false;
    }
    const card = deps.card(estateId, cardId);
    const account = card ? deps.repo.account(estateId, card.householdId) : undefined;
    const check = checkCard({
      card: card && { cardId: card.cardId, householdId: card.householdId, status: card.status, purposes: card.purposes },
      account: account && { balanceFen: account.balanceFen, plan: account.planId && account.planValidUntil ? { id: account.planId, validUntil: account.planValidUntil } : undefined },
      charging: sec.charging,
      atMs: deps.now(),
    });
    if (!check.ok) {
      deny(estateId, shedId, port, check.reason);
      deps.live.broadcast({ type: 'charging.denied', kind: 'charger', estateId, deviceId: shedId, port, reason: check.reason, clause: check.clause, explain: check.explain });
      return false;
    }
    if (deps.repo.activeOnPort(shedId, port)) {
      deny(estateId, shedId, port, '端口使用中');
      return false;
    }
    const chargingNow = active(shedId).map((s) => ({ port: s.port, powerW: monitors.get(s.id)?.lastPowerW ?? 0 }));
    const d = decideStart({ charging: sec.charging, shedId, port, atMs: deps.now(), chargingNow });
    if (d.action !== 'start') {
      if (d.action === 'queue' && !fromQueue) deps.repo.enqueue({ id: `q-${randomUUID()}`, estateId, shedId, port, cardId, requestedAt: iso() });
      if (!fromQueue) deny(estateId, shedId, port, d.reason);
      return false;
    }
    const s: ChargingSession = {
      id: `chg-${randomUUID()}`,
      estateId,
      shedId,
      port,
      cardId,
      householdId: card!.householdId,
      payment: check.payment,
      status: 'starting',
      requestedAt: iso(),
      startedAt: iso(),
      maxMinutes: d.maxMinutes,
      maxWh: d.maxWh,
      energyWh: 0,
      maxPowerW: 0,
      charterVersion: sec.c.version,
      startClause: d.clause,
    };
    s.cmdId = send(estateId, shedId, { type: 'start', port, sessionId: s.id, maxMinutes: d.maxMinutes, ...(d.maxWh !== undefined ? { maxWh: d.maxWh } : {}) });
    // One commit (one fsync) for the session and its port, after the start command has gone out.
    deps.repo.transaction(() => {
      deps.repo.insertSession(s);
      deps.repo.setPort({ shedId, port, estateId, state: 'charging', sessionId: s.id, since: iso() });
    });
    changed(shedId);
    push('charging.session.started', s);
    shedChanged(estateId, shedId);
    return true;
  }

  function onTelemetry(m: GatewayEvents['message']): void {
    const sec = section(m.device.estateId);
    if (!sec) return;
    const sessions = active(m.device.deviceId);
    const readings = (m.message.ports as Reading[] | undefined) ?? [];
    const atMs = Date.parse(m.receivedAt);
    const hot = readings.find((r) => r.tempC > sec.charging.safety.maxPortTempC);
    const ambient = m.message.ambientTempC as number | undefined;
    const ambientHot = ambient !== undefined && sec.charging.safety.maxAmbientTempC !== undefined && ambient > sec.charging.safety.maxAmbientTempC;
    if (hot || ambientHot) return safetyStop(m.device.estateId, m.device.deviceId, 'over-temperature', sec.charging, hot ? `${hot.port}号口温度${hot.tempC}°C` : `棚内温度${ambient}°C`);
    for (const s of sessions) {
      const r = readings.find((x) => x.port === s.port);
      if (!r) continue;
      const entry = monitorFor(s, sec.charging);
      if (entry.baselineWh === undefined) {
        // The meter may count across sessions: the session's energy is the rise from its first reading,
        // which is stored with the session so a restart mid-charge still bills from there.
        if (s.meterStartWh === undefined || s.meterStartWh === null) {
          s.meterStartWh = r.energyWh;
          deps.repo.updateSession(s.id, { meterStartWh: r.energyWh });
        }
        entry.baselineWh = s.meterStartWh;
      }
      entry.lastPowerW = r.powerW; // the breaker budget counts what ports draw now
      const verdict = entry.monitor.observe({ atMs, powerW: r.powerW, energyWh: r.energyWh - entry.baselineWh, tempC: r.tempC });
      if ('stop' in verdict && verdict.stop) stop(s, verdict.stop, verdict.clause, verdict.explain);
      else if ('state' in verdict && verdict.state === 'full' && !s.fullAt) {
        deps.repo.setPort({ shedId: s.shedId, port: s.port, estateId: s.estateId, state: 'full', sessionId: s.id, since: iso() });
        shedChanged(s.estateId, s.shedId);
      }
    }
  }

  function onPortState(m: GatewayEvents['message']): void {
    const e = m.message as unknown as { port: number; state: string; reason?: string; ended?: { energyWh?: number } };
    const { estateId, deviceId } = m.device;
    changed(deviceId);
    const running = e.ended ? deps.repo.activeOnPort(deviceId, e.port) : undefined;
    const endSec = running && (running.status === 'charging' || running.status === 'starting') ? section(estateId) : undefined;
    if (running && endSec) {
      // The device ended the charge itself (time or energy used up, full, a danger): the session ends now,
      // before the port's new state is recorded, so that state is the port's and not the session's.
      const why = endedReason(e.state, e.reason);
      stop(running, why, why === 'fault' || why === 'smoke' || why === 'over-power' || why === 'over-temperature' ? endSec.charging.safety.clause : endSec.charging.detection.clause, `充电口报告充电结束（${STOP_REASON_ZH[why]}${e.reason ? `，${e.reason}` : ''}）`, false, e.ended!.energyWh);
    }
    deps.repo.setPort({ shedId: deviceId, port: e.port, estateId, state: e.state, sessionId: deps.repo.activeOnPort(deviceId, e.port)?.id, since: m.receivedAt });
    const s = deps.repo.activeOnPort(deviceId, e.port);
    const sec = section(estateId);
    if (s && sec && s.status === 'full' && e.state === 'available') {
      // The full bike was taken away: now the occupancy fee is known.
      const full = { energyWh: s.energyWh, maxPowerW: s.maxPowerW, maxTempC: s.maxTempC, startTempC: s.startTempC, fullAtMs: s.fullAt ? Date.parse(s.fullAt) : undefined, unpluggedAtMs: Date.parse(m.receivedAt) };
      const ended = endSession(deps.repo, sec.charging, s, { atMs: Date.parse(m.receivedAt), reason: 'full', clause: s.stopClause ?? sec.charging.detection.clause, explain: s.stopExplain ?? '已充满', totals: full });
      push('charging.session.ended', ended);
      afterPortFreed(estateId, deviceId);
      return;
    }
    if (s && sec && s.status === 'charging') {
      // The shed itself ended the session: unplugged (back to available), or a port fault.
      if (e.state === 'available') stop(s, 'unplugged', sec.charging.detection.clause, '车主拔下插头，结束充电', false);
      else if (e.state === 'fault') stop(s, 'fault', sec.charging.safety.clause, `充电口故障${e.reason ? `（${e.reason}）` : ''}`, false);
    }
    if (e.state === 'available' && !s) {
      // A resident who gave up waiting in the queue unplugged: their turn must not start an empty port.
      for (const q of deps.repo.waiting(deviceId)) if (q.port === e.port) deps.repo.setQueueStatus(q.id, 'cancelled');
      afterPortFreed(estateId, deviceId);
    }
    else shedChanged(estateId, deviceId);
  }

  /** Why a device-ended charge ended, from the contract words of its `port.state` (no vendor's codes here). */
  function endedReason(state: string, reason: string | undefined): StopReason {
    const byReason: Record<string, StopReason> = { full: 'full', 'time-used': 'max-time', 'energy-used': 'max-energy', 'over-power': 'over-power', 'over-temp': 'over-temperature', 'over-temperature': 'over-temperature', smoke: 'smoke', manual: 'resident-stop', 'smart-stop': 'full', 'no-charger': 'unplugged', unplugged: 'unplugged', 'power-loss': 'power-loss' };
    const r = reason ? byReason[reason] : undefined;
    if (r) return r;
    if (state === 'full') return 'full';
    if (state === 'available') return 'unplugged';
    if (state === 'fault') return 'fault';
    return 'max-time';
  }

  const { safetyStop, onAlarm } = createShedAlarms({ section, active, stop, stopShed, alerts: deps.alerts, shedChanged });

  const offs = [
    deps.gateway.on('message', (m) => {
      if (m.device.kind !== 'charger') return;
      if (m.channel === 'telemetry') return onTelemetry(m);
      if (m.channel !== 'event') return;
      const t = m.message.type;
      if (t === 'port.request') {
        const r = m.message as unknown as { port: number; cardId: string };
        request(m.device.estateId, m.device.deviceId, r.port, r.cardId);
      }
      else if (t === 'alarm') onAlarm(m);
      else if (t === 'port.state') onPortState(m);
    }),
    deps.gateway.on('commandOutcome', (o) => {
      if (o.kind !== 'charger' || o.cmdType !== 'start' || o.status === 'resent') return;
      const s = active(o.deviceId).find((x) => x.cmdId === o.cmdId);
      if (!s) return;
      changed(o.deviceId);
      if (o.status === 'acked') {
        deps.repo.updateSession(s.id, { status: 'charging' });
        return;
      }
      // The shed never started it (refused, or no answer): no energy, no fee.
      deps.repo.updateSession(s.id, { status: 'failed', endedAt: iso(), stopReason: 'fault', stopExplain: `充电口未启动：${o.error ?? o.status}`, feeFen: 0 });
      deps.repo.setPort({ shedId: s.shedId, port: s.port, estateId: s.estateId, state: 'occupied', since: iso() });
      shedChanged(s.estateId, s.shedId);
    }),
  ];

  return {
    request,
    stop,
    stopShed,
    /** A resident stops their own session. */
    residentStop(s: ChargingSession): ChargingSession | undefined {
      const sec = section(s.estateId);
      return stop(s, 'resident-stop', sec?.charging.session.clause ?? '', '车主主动停止充电');
    },
    close: () => offs.forEach((off) => off()),
  };
}

export type Charging = ReturnType<typeof createCharging>;
