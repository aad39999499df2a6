import type { PortState } from './schemas.js';

/**
 * One charging port as the gateway believes it to be. Pure: inputs in, next state out.
 *
 * Two sorts of input:
 * - actions (plug-in, start, …) are what the server wants or infers. An illegal one is
 *   refused: the state stays and the step says `unexpected` with a note. The server asks
 *   `chargerPort.can(state, 'start')` before it sends a `start`.
 * - `report` is a `port.state` event: the device's word is the truth, so it is always
 *   taken, and flagged `unexpected` when no action could have led there (we missed one).
 */

export type PortAction =
  | 'plug-in'
  | 'start' // a session was granted and the device started it
  | 'full' // the device saw the current drop: the battery is full
  | 'stop' // the session ended with the plug still in (time or energy cap, app, committee)
  | 'unplug'
  | 'fault'
  | 'fault-cleared'
  | 'disable' // the committee took the port out of service
  | 'enable';

export type PortInput =
  | { type: PortAction }
  /** `port.state` from the device. */
  | { type: 'report'; state: PortState };

export interface PortStep {
  state: PortState;
  /** The state differs from the one given. */
  changed: boolean;
  /** An action refused (state kept) or a report that skipped a step (state taken); see `note`. */
  unexpected: boolean;
  note?: string;
}

/**
 * The one table of legal moves; the expected reports are derived from it.
 * Absent = illegal. A target equal to the source is a legal no-op (idempotent
 * actions a committee member may click twice).
 */
const MOVES: Record<PortState, Partial<Record<PortAction, PortState>>> = {
  available: { 'plug-in': 'occupied', fault: 'fault', disable: 'disabled' },
  // start only from here: a session needs a plug in and no session running.
  occupied: { start: 'charging', unplug: 'available', fault: 'fault', disable: 'disabled' },
  // No disable while a session is open: stop it first, so it is closed and billed.
  charging: { full: 'full', stop: 'occupied', unplug: 'available', fault: 'fault' },
  full: { stop: 'occupied', unplug: 'available', fault: 'fault' },
  // A controller resets a port to available; a plug still in is reported occupied next.
  fault: { fault: 'fault', 'fault-cleared': 'available', disable: 'disabled' },
  // Disabled leaves only by enable: a port taken out of service (burnt socket, unpaid
  // shed) must not come back because a device glitched or an alarm cleared.
  disabled: { disable: 'disabled', enable: 'available' },
};

function can(state: PortState, action: PortAction): boolean {
  return MOVES[state][action] !== undefined;
}

function isExpectedReport(from: PortState, to: PortState): boolean {
  return from === to || Object.values(MOVES[from]).includes(to);
}

function next(state: PortState, input: PortInput): PortStep {
  if (input.type === 'report') {
    const to = input.state;
    const ok = isExpectedReport(state, to);
    return {
      state: to,
      changed: to !== state,
      unexpected: !ok,
      ...(!ok && { note: `reported ${to} while ${state}: missed a step` }),
    };
  }
  const to = MOVES[state][input.type];
  if (to === undefined) {
    return { state, changed: false, unexpected: true, note: `${input.type} is not allowed while ${state}` };
  }
  return { state: to, changed: to !== state, unexpected: false };
}

export const chargerPort = {
  /** A new port is free until the device says otherwise. */
  initial: 'available' as PortState,
  next,
  can,
  isExpectedReport,
} as const;
