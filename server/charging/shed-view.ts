import type { ChargingSession, PortRecord } from './records.js';

/** What a resident at the shed sees for one port: no cards, no households, no names. */
export interface PublicPort {
  port: number;
  state: 'free' | 'charging' | 'full' | 'occupied' | 'fault' | 'disabled';
  /** For a charging port: minutes until its session ends at the latest, or as expected from this shed's recent sessions. */
  minutesLeft?: number;
}

const PUBLIC_STATE: Record<string, PublicPort['state']> = {
  available: 'free',
  occupied: 'occupied',
  charging: 'charging',
  full: 'full',
  fault: 'fault',
  disabled: 'disabled',
};

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The public view of a shed. A port's expected end is its start plus the median
 * of this shed's recent session lengths, never past its session's limit; the next
 * port to free is the earliest of those.
 */
export function shedView(input: { ports: number; records: PortRecord[]; active: ChargingSession[]; recentMinutes: number[]; nowMs: number; maintenance?: boolean }) {
  const byPort = new Map(input.records.map((r) => [r.port, r]));
  const sessions = new Map(input.active.map((s) => [s.port, s]));
  const typical = median(input.recentMinutes);
  const ports: PublicPort[] = [];
  for (let port = 1; port <= input.ports; port++) {
    const s = sessions.get(port);
    const reported = PUBLIC_STATE[byPort.get(port)?.state ?? 'available'] ?? 'free';
    const state: PublicPort['state'] = s?.status === 'charging' || s?.status === 'starting' ? (reported === 'full' ? 'full' : 'charging') : reported;
    const entry: PublicPort = { port, state };
    if (state === 'charging' && s) {
      const started = Date.parse(s.startedAt ?? s.requestedAt);
      const limit = started + s.maxMinutes * 60_000;
      const expected = typical !== undefined ? Math.min(limit, started + typical * 60_000) : limit;
      entry.minutesLeft = Math.max(0, Math.round((Math.max(expected, input.nowMs) - input.nowMs) / 60_000));
    }
    ports.push(entry);
  }
  const free = ports.filter((p) => p.state === 'free').length;
  const soonest = ports.filter((p) => p.minutesLeft !== undefined).map((p) => p.minutesLeft!);
  return { ports, free, nextFreeInMinutes: free > 0 ? 0 : soonest.length ? Math.min(...soonest) : null };
}
