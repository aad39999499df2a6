import type { GateArmState } from './schemas.js';

/**
 * The barrier arm as the gateway believes it to be. Pure: the gateway feeds in what
 * it hears (device reports, acked commands, manual moves, passages) and keeps the result.
 *
 * Device reports are the truth. A `gate.state` report is always taken, even when it
 * skips a step we expected to see (a QoS 0 message lost, events dropped while the
 * gateway was down, a controller that only reports end positions). Such a jump is
 * flagged `unexpected` so the device history shows we missed something; it is never
 * refused. Only a person's `fault.cleared` can be refused, since it is not a device fact.
 */

export type GateArmInput =
  /** The device acked an `open` command with `ok: true`: the arm is about to rise. */
  | { type: 'cmd.open' }
  /** `gate.manual`: the arm moved without a server command (button, remote, offline whitelist). */
  | { type: 'manual'; action: 'open' | 'close' }
  /** `gate.state` from the device. */
  | { type: 'report'; state: GateArmState; faultCode?: string }
  /** `gate.passage`: the loop detector saw a vehicle go through. Never moves the arm. */
  | { type: 'passage' }
  /** A fault the gateway raised itself (e.g. motor over temperature seen in telemetry). */
  | { type: 'fault'; code: string }
  /** A volunteer cleared the fault after fixing the gate. */
  | { type: 'fault.cleared' };

export interface GateArmStep {
  state: GateArmState;
  /** The arm state differs from the one given. */
  changed: boolean;
  /** The input was not a normal next step from the given state; see `note`. */
  unexpected: boolean;
  /** The fault code, when the step enters or re-reports `fault` with one. */
  faultCode?: string;
  /** Why the step was unexpected, in words for the device history. */
  note?: string;
}

/**
 * The reports a healthy controller sends one after another. Besides these, repeating
 * the current state is always fine (QoS 1 duplicates, a state re-sent on reconnect),
 * and `fault` may come from anywhere.
 */
const NEXT_REPORTS: Record<GateArmState, readonly GateArmState[]> = {
  closed: ['opening'],
  // closing: a guard pressed close while the arm was still rising.
  opening: ['open', 'closing'],
  open: ['closing'],
  // opening: controllers reverse when the loop or the photocell sees something under
  // the arm, or when a new open arrives for the next car in the lane.
  closing: ['closed', 'opening'],
  // Out of a fault the controller reports wherever the arm is: any position is news, not a surprise.
  fault: ['closed', 'opening', 'open', 'closing'],
};

/** Where the arm goes on an open (acked command or manual), from each state. */
const RISE: Record<GateArmState, GateArmState> = {
  closed: 'opening',
  opening: 'opening',
  open: 'open', // already up: the controller just holds it for the next car
  closing: 'opening',
  fault: 'opening',
};

/** Where the arm goes on a manual close, from each state. */
const LOWER: Record<GateArmState, GateArmState> = {
  closed: 'closed',
  opening: 'closing',
  open: 'closing',
  closing: 'closing',
  fault: 'closing',
};

/**
 * A vehicle goes through only with the arm up, or just as it starts down (the
 * controller starts closing when the car leaves the loop, so the two events race).
 * In `fault` we do not know where the arm is, so a passage is no surprise either.
 */
const PASSAGE_EXPECTED: readonly GateArmState[] = ['open', 'closing', 'fault'];

function isExpectedReport(from: GateArmState, to: GateArmState): boolean {
  return from === to || to === 'fault' || NEXT_REPORTS[from].includes(to);
}

function step(from: GateArmState, to: GateArmState, note?: string, faultCode?: string): GateArmStep {
  return {
    state: to,
    changed: from !== to,
    unexpected: note !== undefined,
    ...(note !== undefined && { note }),
    ...(faultCode !== undefined && { faultCode }),
  };
}

function move(from: GateArmState, to: GateArmState, what: string): GateArmStep {
  // The device says it moved, so it moves; but we held it faulted and missed the recovery.
  return step(from, to, from === 'fault' ? `${what} while faulted: the fault was cleared unseen` : undefined);
}

function report(from: GateArmState, to: GateArmState, faultCode?: string): GateArmStep {
  const note = isExpectedReport(from, to) ? undefined : `reported ${to} while ${from}: missed a step`;
  return step(from, to, note, to === 'fault' ? faultCode : undefined);
}

function next(state: GateArmState, input: GateArmInput): GateArmStep {
  switch (input.type) {
    case 'cmd.open':
      return move(state, RISE[state], 'open acked');
    case 'manual':
      return move(state, input.action === 'open' ? RISE[state] : LOWER[state], `manual ${input.action}`);
    case 'report':
      return report(state, input.state, input.faultCode);
    case 'passage':
      // Tailgating, a car forced past, or a loop detector fault: someone should look.
      return step(state, state, PASSAGE_EXPECTED.includes(state) ? undefined : `passage while ${state}`);
    case 'fault':
      return step(state, 'fault', undefined, input.code);
    case 'fault.cleared':
      // A controller's reset homes the arm down; its next report corrects us if not.
      return state === 'fault' ? step(state, 'closed') : step(state, state, `no fault to clear while ${state}`);
  }
}

export const gateArm = {
  /** A barrier rests down. Seeding from this, the first report may be flagged unexpected: harmless. */
  initial: 'closed' as GateArmState,
  next,
  isExpectedReport,
} as const;
