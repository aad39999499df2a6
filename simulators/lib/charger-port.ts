import { chargerPort, type PortAction, type PortState } from '../../devices/index.js';
import type { Rng } from './random.js';


/** One port of a shed: the relay, the bike on it, and the session it is charging. */
export interface Port {
  readonly port: number;
  state: PortState;
  cardId?: string;
  sessionId?: string;
  /** Energy of the current (or last) session; back to 0 when a new session starts. */
  energyWh: number;
  powerW: number;
  tempC: number;
  /** What the plugged battery still takes before it is full. */
  needWh: number;
  /** The charger brick on the bike: 48 V at 2–5 A. */
  ratedW: number;
  maxWh?: number;
  /** Real-time ms at which `maxMinutes` runs out. */
  endsAt?: number;
  /** The battery is full and the charger only trickles (under 15 W): the relay stays closed until told to stop. */
  topped?: boolean;
}

export type StepEnd = 'max-wh' | 'max-minutes' | undefined;

/** What a charger brick draws once the pack is full (balancing, standby): above the unplug threshold (3 W), below "full" (15 W). */
const TRICKLE_W = { low: 5, high: 11 };

/**
 * Every change of a simulated port goes through the contract's port machine: a
 * move it calls illegal is a simulator bug, caught here rather than by the gateway.
 */
function move(p: Port, action: PortAction): void {
  const step = chargerPort.next(p.state, { type: action });
  if (step.unexpected) throw new Error(`simulator bug: port ${p.port}: ${step.note}`);
  p.state = step.state;
}

export function newPort(port: number, ambientC: number): Port {
  return { port, state: 'available', energyWh: 0, powerW: 0, tempC: ambientC, needWh: 0, ratedW: 0 };
}

/** A resident wheels a bike in: a 48 V battery (~0.5–1 kWh) somewhere between 10 % and 70 % full. */
export function plugBike(p: Port, cardId: string, rng: Rng): void {
  move(p, 'plug-in');
  p.cardId = cardId;
  p.needWh = rng.between(250, 800);
  p.ratedW = rng.between(110, 260);
}

export function startSession(p: Port, s: { sessionId: string; endsAt: number; maxWh?: number }): void {
  move(p, 'start');
  p.sessionId = s.sessionId;
  p.endsAt = s.endsAt;
  p.energyWh = 0;
  p.topped = false;
  if (s.maxWh !== undefined) p.maxWh = s.maxWh;
  else delete p.maxWh;
}

/** The relay opens: session over (`stop`), battery full, or a fault. The bike stays until its owner comes back. */
export function stopSession(p: Port, why: 'stop' | 'full' | 'fault'): void {
  move(p, why);
  p.powerW = 0;
  p.topped = false;
  delete p.endsAt;
  delete p.maxWh;
}

/** The owner takes the bike away; out of a fault, the guard resets the port (and moves the bike). */
export function unplugBike(p: Port): void {
  move(p, p.state === 'fault' ? 'fault-cleared' : 'unplug');
  p.powerW = 0;
  delete p.endsAt;
  delete p.maxWh;
  delete p.cardId;
  delete p.sessionId;
  p.needWh = 0;
  p.topped = false;
}

/**
 * Advances a charging port by `simHours` of simulated time. Constant power, then
 * a taper over the last 15 % (CC/CV), as lead-acid and lithium e-bike packs do; once
 * full, a trickle of 5–11 W until the gateway sees it (under the charter's "full"
 * power for long enough) and sends `stop`. The port ends a session by itself only
 * at its own caps: `maxWh`, or `maxMinutes` on the real clock (the gateway's).
 */
export function stepPort(p: Port, simHours: number, now: number, ambientC: number, rng: Rng): StepEnd {
  if (p.state !== 'charging') {
    p.powerW = 0;
    p.tempC += (ambientC - p.tempC) * 0.3;
    return undefined;
  }
  if (p.topped) {
    p.powerW = Math.min(TRICKLE_W.high + 2, Math.max(TRICKLE_W.low - 1, p.powerW + rng.noise(0.5)));
    p.energyWh += p.powerW * simHours;
  } else {
    const total = p.energyWh + p.needWh;
    const taper = total > 0 && p.needWh < total * 0.15 ? Math.max(0.15, p.needWh / (total * 0.15)) : 1;
    p.powerW = Math.max(20, p.ratedW * taper + rng.noise(3));
    const wh = Math.min(p.needWh, p.powerW * simHours);
    p.energyWh += wh;
    p.needWh -= wh;
    if (p.needWh <= 1) {
      p.needWh = 0;
      p.topped = true;
      p.powerW = rng.between(TRICKLE_W.low, TRICKLE_W.high);
    }
  }
  p.tempC += (ambientC + p.powerW * 0.05 - p.tempC) * 0.4;
  if (p.maxWh !== undefined && p.energyWh >= p.maxWh) return 'max-wh';
  if (p.endsAt !== undefined && now >= p.endsAt) return 'max-minutes';
  return undefined;
}
