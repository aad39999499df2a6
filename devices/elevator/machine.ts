import type { z } from 'zod';
import type { ElevatorTelemetry } from './schemas.js';

/**
 * The car as the gateway last saw it, folded from telemetry readings. Pure and small:
 * it keeps the last reading and two wear counters, and says what is unsafe right now.
 *
 * Telemetry is periodic and may be lost (QoS 0), so nothing here infers what happened
 * between two readings; it compares the two it has.
 */

type Telemetry = z.infer<typeof ElevatorTelemetry>;

/** The fields of an `elevator` telemetry message the machine uses. */
export type ElevatorReading = Pick<Telemetry, 'floor' | 'direction' | 'doorOpen' | 'running'>;
export type TravelDirection = Telemetry['direction'];

export interface ElevatorRunState extends ElevatorReading {
  /** Door openings seen (closed → open); door operators wear per opening. */
  doorCycles: number;
  /** Runs seen (running false → true); the cost-sharing and maintenance interval count these. */
  runs: number;
}

/**
 * Unsafe or self-contradicting conditions visible in one reading.
 * `door-open-while-running` is the contract's fault code of the same name: the gateway can
 * raise it even when the controller does not.
 */
export type ElevatorObservation = 'door-open-while-running' | 'running-without-direction';

export interface ElevatorFold {
  state: ElevatorRunState;
  /** Every condition true in this reading. */
  observations: ElevatorObservation[];
  /** Conditions true now and not in the previous reading: raise an alert for these. */
  raised: ElevatorObservation[];
  /** Conditions true before and not now: clear their alerts. */
  cleared: ElevatorObservation[];
}

function observe(s: ElevatorReading): ElevatorObservation[] {
  const seen: ElevatorObservation[] = [];
  // The door-lock circuit exists so the car cannot move with a door open; seeing it
  // usually means that circuit was bridged or failed: stop the lift and send someone.
  if (s.running && s.doorOpen) seen.push('door-open-while-running');
  // A moving car with no direction means the controller's feedback is broken, and
  // its floor and run counts cannot be trusted until someone looks.
  if (s.running && s.direction === 'idle') seen.push('running-without-direction');
  return seen;
}

function pick(r: ElevatorReading): ElevatorReading {
  // Copy only the fields we keep: a full telemetry message carries id, ts, loadPct.
  return { floor: r.floor, direction: r.direction, doorOpen: r.doorOpen, running: r.running };
}

/** The state from a first reading: counters start at 0 (or where a store left them). */
function initial(reading: ElevatorReading, counts?: Pick<ElevatorRunState, 'doorCycles' | 'runs'>): ElevatorRunState {
  return { ...pick(reading), doorCycles: counts?.doorCycles ?? 0, runs: counts?.runs ?? 0 };
}

/**
 * Folds one reading into the state. With no previous state the reading is the
 * baseline: a door already open or a car already running is not counted, since
 * we did not see it start.
 */
function fold(prev: ElevatorRunState | undefined, reading: ElevatorReading): ElevatorFold {
  const state = prev
    ? {
        ...pick(reading),
        doorCycles: prev.doorCycles + (!prev.doorOpen && reading.doorOpen ? 1 : 0),
        runs: prev.runs + (!prev.running && reading.running ? 1 : 0),
      }
    : initial(reading);
  const before = prev ? observe(prev) : [];
  const observations = observe(state);
  return {
    state,
    observations,
    raised: observations.filter((o) => !before.includes(o)),
    cleared: before.filter((o) => !observations.includes(o)),
  };
}

export const elevatorRun = { initial, fold, observe } as const;
