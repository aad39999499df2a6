import type { GatewayEvents } from '../../gateway/index.js';
import type { Alerts } from '../alerts/alerts.js';
import type { ChargingSection } from '../charter/charging-schema.js';
import type { ChargingSession } from './records.js';
import { STOP_REASON_ZH, type StopReason } from './session-monitor.js';

/** Alarms that stop the whole shed, not one port. */
const SAFETY_ALARMS: Record<string, StopReason> = { smoke: 'smoke', overtemp: 'over-temperature' };

/** What the shed service lends its alarm handling: the charter in force, the live sessions, and how to stop them. */
export interface ShedAlarmsContext {
  section(estateId: string): { charging: ChargingSection } | undefined;
  active(shedId: string): ChargingSession[];
  stop(s: ChargingSession, reason: StopReason, clause: string, explain: string, sendStop?: boolean): unknown;
  stopShed(estateId: string, shedId: string, reason: StopReason, clause: string, explain: string): ChargingSession[];
  alerts: Alerts;
  shedChanged(estateId: string, shedId: string): void;
}

/**
 * A shed's alarms (the contract's `alarm` event) and the safety stop they share
 * with the telemetry check: smoke or heat stops every charging port of the shed
 * at once and raises a critical alert; power loss ends the sessions on the
 * energy delivered; any other alarm stops its port (or the shed) and is raised.
 */
export function createShedAlarms(ctx: ShedAlarmsContext) {
  function safetyStop(estateId: string, shedId: string, reason: StopReason, charging: ChargingSection, what: string): void {
    const stopped = ctx.stopShed(estateId, shedId, reason, charging.safety.clause, `${what}，按公约第${charging.safety.clause}条停止全部充电`);
    ctx.alerts.raise({ estateId, deviceId: shedId, kind: `charger.${reason}`, severity: 'critical', title: `充电棚${STOP_REASON_ZH[reason]}：已停止${stopped.length}个充电口`, detail: { what, stoppedPorts: stopped.map((s) => s.port) } });
    ctx.shedChanged(estateId, shedId); // the public page now shows why charging stopped
  }

  function onAlarm(m: GatewayEvents['message']): void {
    const a = m.message as unknown as { kind: string; port?: number; value?: number; active: boolean };
    const { estateId, deviceId } = m.device;
    const sec = ctx.section(estateId);
    if (!a.active) return ctx.alerts.clear(deviceId, `charger.${SAFETY_ALARMS[a.kind] ?? a.kind}`);
    if (!sec) {
      ctx.alerts.raise({ estateId, deviceId, kind: `charger.${a.kind}`, severity: 'critical', title: `充电棚报警：${a.kind}`, detail: { ...a } });
      return;
    }
    const safety = SAFETY_ALARMS[a.kind];
    if (safety) return safetyStop(estateId, deviceId, safety, sec.charging, `充电棚报警：${STOP_REASON_ZH[safety]}`);
    if (a.kind === 'power-loss') {
      // The shed lost power: the ports are off already. End the sessions on the energy delivered; no stop command.
      for (const s of [...ctx.active(deviceId)]) ctx.stop(s, 'power-loss', sec.charging.safety.clause, '充电棚停电，按已充电量结算', false);
    } else {
      const sessions = ctx.active(deviceId).filter((s) => a.port === undefined || s.port === a.port);
      for (const s of sessions) ctx.stop(s, 'fault', sec.charging.safety.clause, `充电棚报警（${a.kind}），停止充电`);
    }
    ctx.alerts.raise({ estateId, deviceId, kind: `charger.${a.kind}`, severity: 'high', title: `充电棚报警：${a.kind}${a.port ? `（${a.port}号口）` : ''}`, detail: { ...a } });
  }

  return { safetyStop, onAlarm };
}
