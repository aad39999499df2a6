import type { Gateway } from '../../gateway/index.js';
import type { Alerts } from './alerts.js';
import type { Severity } from './types.js';

const OFFLINE_SEVERITY: Record<string, Severity> = { gate: 'high', elevator: 'high', charger: 'medium', camera: 'medium' };
/** More rejected payloads than this from one device within the window is a device to look at, not noise. */
const FLOOD_COUNT = 50;
const FLOOD_WINDOW_MS = 5 * 60_000;
/** A gate that has not reported the whitelist version it should hold this long after it was sent. */
const WHITELIST_GRACE_MS = 10 * 60_000;
/** Telemetry messages in a row with a far-off clock before it is a clock and not a backlog. */
const SKEW_STREAK = 3;

export interface StaleWhitelist {
  estateId: string;
  gateId: string;
  version: number;
  reportedVersion?: number;
  publishedAt: string;
}

/**
 * Turns what the gateway sees into alerts: a device offline (after the presence
 * debounce, cleared when it is back, idempotently), a gate reporting a fault, a
 * command that got no ack, a flood of rejected payloads, a device clock far off,
 * and (on each sweep) a gate that did not take its offline whitelist.
 */
export function createAlertSources(deps: { gateway: Gateway; alerts: Alerts; now: () => number; staleWhitelists: () => StaleWhitelist[]; isOnline: (deviceId: string) => boolean }) {
  const rejects = new Map<string, number[]>();
  const skewRaised = new Set<string>();
  const skewStreak = new Map<string, number>();
  const offs = [
    deps.gateway.on('presence', (p) => {
      if (p.online) return deps.alerts.clear(p.deviceId, 'device.offline');
      deps.alerts.raise({ estateId: p.estateId, deviceId: p.deviceId, deviceKind: p.kind, kind: 'device.offline', severity: OFFLINE_SEVERITY[p.kind] ?? 'medium', title: '设备离线', detail: { since: p.at } });
    }),
    deps.gateway.on('message', (m) => {
      const { estateId, deviceId, kind } = m.device;
      // Events buffered through an outage arrive with old times and look "skewed" too; telemetry in a
      // row that is off tells a wrong clock from a backlog.
      if (m.channel === 'telemetry') {
        const n = m.clockSkewed ? (skewStreak.get(deviceId) ?? 0) + 1 : 0;
        skewStreak.set(deviceId, n);
        if (n === SKEW_STREAK && !skewRaised.has(deviceId)) {
          skewRaised.add(deviceId);
          deps.alerts.raise({ estateId, deviceId, deviceKind: kind, kind: 'device.clock-skew', severity: 'low', title: '设备时钟偏差超过5分钟', detail: { deviceTs: m.message.ts, receivedAt: m.receivedAt } });
        } else if (n === 0 && skewRaised.delete(deviceId)) deps.alerts.clear(deviceId, 'device.clock-skew');
      }
      if (m.channel === 'event' && m.message.type === 'gate.state') {
        const s = m.message as unknown as { state: string; faultCode?: string };
        if (s.state === 'fault') deps.alerts.raise({ estateId, deviceId, deviceKind: kind, kind: 'gate.fault', severity: 'high', title: `道闸故障${s.faultCode ? `（${s.faultCode}）` : ''}`, detail: { faultCode: s.faultCode } });
        else deps.alerts.clear(deviceId, 'gate.fault');
      }
    }),
    deps.gateway.on('commandOutcome', (o) => {
      if (o.status === 'failed') deps.alerts.raise({ estateId: o.estateId, deviceId: o.deviceId, deviceKind: o.kind, kind: 'command.failed', severity: 'medium', title: '指令未送达（重发后仍无应答）', detail: { cmdId: o.cmdId, cmdType: o.cmdType } });
      else if (o.status === 'acked') deps.alerts.clear(o.deviceId, 'command.failed');
    }),
    deps.gateway.on('deadLetter', (d) => {
      const now = deps.now();
      const recent = (rejects.get(d.deviceId) ?? []).filter((t) => now - t < FLOOD_WINDOW_MS);
      recent.push(now);
      rejects.set(d.deviceId, recent);
      if (recent.length === FLOOD_COUNT && d.estateId) {
        deps.alerts.raise({ estateId: d.estateId, deviceId: d.deviceId, kind: 'device.rejected-flood', severity: 'medium', title: `5分钟内${FLOOD_COUNT}条无效数据`, detail: { lastReason: d.reason, lastField: d.field } });
      }
    }),
  ];

  /** Periodic checks: whitelists not taken, floods that have calmed down. */
  function sweep(): void {
    const now = deps.now();
    for (const w of deps.staleWhitelists()) {
      const late = w.reportedVersion !== w.version && now - Date.parse(w.publishedAt) > WHITELIST_GRACE_MS && deps.isOnline(w.gateId);
      if (late) deps.alerts.raise({ estateId: w.estateId, deviceId: w.gateId, deviceKind: 'gate', kind: 'gate.whitelist-stale', severity: 'medium', title: `道闸未更新离线白名单（应为第${w.version}版）`, detail: { ...w } });
      else if (w.reportedVersion === w.version) deps.alerts.clear(w.gateId, 'gate.whitelist-stale');
    }
    for (const [deviceId, times] of rejects) {
      const recent = times.filter((t) => now - t < FLOOD_WINDOW_MS);
      if (recent.length === 0) {
        rejects.delete(deviceId);
        deps.alerts.clear(deviceId, 'device.rejected-flood');
      } else rejects.set(deviceId, recent);
    }
  }

  return { sweep, close: () => offs.forEach((off) => off()) };
}
