import { localClock } from '../parking/local-time.js';
import type { ChargingSession } from './records.js';

export interface PortUsage {
  shedId: string;
  port: number;
  sessions: number;
  kWh: number;
  revenueFen: number;
  faults: number;
  /** Share of the period's minutes this port was charging, by local hour of day (0–23). */
  utilisationByHour: number[];
}

const FAULT_REASONS = new Set(['fault', 'over-power', 'over-temperature', 'smoke', 'power-loss']);

/**
 * Shed usage over a period, per port and per shed: sessions, kWh, revenue,
 * faults, and how busy each hour of the day was. Charging minutes are spread
 * minute by minute over the local hours they fell in.
 */
export function chargingUsage(sessions: ChargingSession[], sheds: { shedId: string; ports: number }[], fromMs: number, toMs: number) {
  const days = Math.max(1, (toMs - fromMs) / 86_400_000);
  const ports = new Map<string, PortUsage & { minutesByHour: number[] }>();
  for (const shed of sheds) {
    for (let port = 1; port <= shed.ports; port++) {
      ports.set(`${shed.shedId}/${port}`, { shedId: shed.shedId, port, sessions: 0, kWh: 0, revenueFen: 0, faults: 0, utilisationByHour: [], minutesByHour: new Array(24).fill(0) });
    }
  }
  for (const s of sessions) {
    const p = ports.get(`${s.shedId}/${s.port}`);
    if (!p || !s.startedAt || s.status === 'failed') continue;
    p.sessions++;
    p.kWh += s.energyWh / 1000;
    p.revenueFen += s.feeFen ?? 0;
    if (s.stopReason && FAULT_REASONS.has(s.stopReason)) p.faults++;
    const start = Math.max(fromMs, Date.parse(s.startedAt));
    const end = Math.min(toMs, s.endedAt ? Date.parse(s.endedAt) : toMs);
    for (let t = start; t < end; t += 60_000) p.minutesByHour[localClock(t).minutes / 60 | 0]!++;
  }
  const portList = [...ports.values()].map(({ minutesByHour, ...p }) => ({
    ...p,
    kWh: Math.round(p.kWh * 100) / 100,
    utilisationByHour: minutesByHour.map((m) => Math.round((m / (days * 60)) * 1000) / 1000),
  }));
  const shedList = sheds.map((shed) => {
    const mine = portList.filter((p) => p.shedId === shed.shedId);
    return {
      shedId: shed.shedId,
      sessions: mine.reduce((a, p) => a + p.sessions, 0),
      kWh: Math.round(mine.reduce((a, p) => a + p.kWh, 0) * 100) / 100,
      revenueFen: mine.reduce((a, p) => a + p.revenueFen, 0),
      faults: mine.reduce((a, p) => a + p.faults, 0),
      utilisationByHour: Array.from({ length: 24 }, (_, h) => Math.round((mine.reduce((a, p) => a + p.utilisationByHour[h]!, 0) / Math.max(1, mine.length)) * 1000) / 1000),
    };
  });
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), sheds: shedList, ports: portList };
}
