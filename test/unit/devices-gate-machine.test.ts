import { describe, it, expect } from 'vitest';
import { gateArm, type GateArmInput, type GateArmState } from '../../devices/gate/index.js';

const STATES: GateArmState[] = ['closed', 'opening', 'open', 'closing', 'fault'];

describe('gate arm: device reports are always taken', () => {
  // [from, reported, unexpected] — all 25 pairs.
  const table: [GateArmState, GateArmState, boolean][] = [
    ['closed', 'closed', false],
    ['closed', 'opening', false],
    ['closed', 'open', true], // missed `opening`
    ['closed', 'closing', true],
    ['closed', 'fault', false],
    ['opening', 'closed', true], // missed `open`/`closing`
    ['opening', 'opening', false],
    ['opening', 'open', false],
    ['opening', 'closing', false], // close pressed mid-rise
    ['opening', 'fault', false],
    ['open', 'closed', true], // missed `closing`
    ['open', 'opening', true],
    ['open', 'open', false],
    ['open', 'closing', false],
    ['open', 'fault', false],
    ['closing', 'closed', false],
    ['closing', 'opening', false], // reversal on an obstacle
    ['closing', 'open', true],
    ['closing', 'closing', false],
    ['closing', 'fault', false],
    ['fault', 'closed', false], // recovery reveals the position
    ['fault', 'opening', false],
    ['fault', 'open', false],
    ['fault', 'closing', false],
    ['fault', 'fault', false],
  ];

  it.each(table)('%s + report %s → %s (unexpected: %s)', (from, to, unexpected) => {
    const step = gateArm.next(from, { type: 'report', state: to });
    expect(step.state).toBe(to);
    expect(step.changed).toBe(from !== to);
    expect(step.unexpected).toBe(unexpected);
    expect(step.note !== undefined).toBe(unexpected);
    expect(gateArm.isExpectedReport(from, to)).toBe(!unexpected);
  });

  it('keeps the fault code of a fault report', () => {
    const step = gateArm.next('open', { type: 'report', state: 'fault', faultCode: 'E07-motor-overload' });
    expect(step).toEqual({ state: 'fault', changed: true, unexpected: false, faultCode: 'E07-motor-overload' });
  });

  it('drops a fault code sent with a non-fault state', () => {
    const step = gateArm.next('opening', { type: 'report', state: 'open', faultCode: 'E00' });
    expect(step).toEqual({ state: 'open', changed: true, unexpected: false });
  });

  it('names the missed step in the note', () => {
    expect(gateArm.next('closed', { type: 'report', state: 'open' }).note).toBe('reported open while closed: missed a step');
  });
});

describe('gate arm: open (acked command or manual) and manual close', () => {
  // [from, to, unexpected]
  const rise: [GateArmState, GateArmState, boolean][] = [
    ['closed', 'opening', false],
    ['opening', 'opening', false],
    ['open', 'open', false], // held up for the next car
    ['closing', 'opening', false], // reverses
    ['fault', 'opening', true], // device accepted it, so it moves; we missed the recovery
  ];
  const lower: [GateArmState, GateArmState, boolean][] = [
    ['closed', 'closed', false],
    ['opening', 'closing', false],
    ['open', 'closing', false],
    ['closing', 'closing', false],
    ['fault', 'closing', true],
  ];
  const inputs: [string, GateArmInput, [GateArmState, GateArmState, boolean][]][] = [
    ['acked open', { type: 'cmd.open' }, rise],
    ['manual open', { type: 'manual', action: 'open' }, rise],
    ['manual close', { type: 'manual', action: 'close' }, lower],
  ];
  const rows = inputs.flatMap(([name, input, t]) => t.map(([from, to, u]) => [name, from, to, u, input] as const));

  it.each(rows)('%s from %s → %s (unexpected: %s)', (_name, from, to, unexpected, input) => {
    const step = gateArm.next(from, input);
    expect(step.state).toBe(to);
    expect(step.changed).toBe(from !== to);
    expect(step.unexpected).toBe(unexpected);
  });
});

describe('gate arm: passage never moves the arm', () => {
  const table: [GateArmState, boolean][] = [
    ['closed', true], // drove round the arm, or a loop fault
    ['opening', true],
    ['open', false],
    ['closing', false], // the car left the loop as the arm started down
    ['fault', false], // position unknown
  ];
  it.each(table)('passage while %s (unexpected: %s)', (from, unexpected) => {
    const step = gateArm.next(from, { type: 'passage' });
    expect(step.state).toBe(from);
    expect(step.changed).toBe(false);
    expect(step.unexpected).toBe(unexpected);
  });
});

describe('gate arm: faults', () => {
  it.each(STATES)('a raised fault from %s enters fault with its code', (from) => {
    const step = gateArm.next(from, { type: 'fault', code: 'motor-overtemp' });
    expect(step).toMatchObject({ state: 'fault', changed: from !== 'fault', unexpected: false, faultCode: 'motor-overtemp' });
  });

  it('clearing a fault homes the arm down', () => {
    expect(gateArm.next('fault', { type: 'fault.cleared' })).toEqual({ state: 'closed', changed: true, unexpected: false });
  });

  it.each(STATES.filter((s) => s !== 'fault'))('clearing while %s is refused: state kept', (from) => {
    const step = gateArm.next(from, { type: 'fault.cleared' });
    expect(step.state).toBe(from);
    expect(step.changed).toBe(false);
    expect(step.unexpected).toBe(true);
    expect(step.note).toBe(`no fault to clear while ${from}`);
  });
});

describe('gate arm: a whole car', () => {
  it('goes through a full cycle with nothing unexpected', () => {
    const inputs: GateArmInput[] = [
      { type: 'cmd.open' },
      { type: 'report', state: 'opening' },
      { type: 'report', state: 'open' },
      { type: 'passage' },
      { type: 'report', state: 'closing' },
      { type: 'report', state: 'closed' },
    ];
    let state = gateArm.initial;
    const seen: GateArmState[] = [];
    for (const input of inputs) {
      const step = gateArm.next(state, input);
      expect(step.unexpected).toBe(false);
      state = step.state;
      seen.push(state);
    }
    expect(seen).toEqual(['opening', 'opening', 'open', 'open', 'closing', 'closed']);
  });
});
