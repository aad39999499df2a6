import { describe, it, expect } from 'vitest';
import { chargerPort, type PortAction, type PortInput, type PortState } from '../../devices/charger/index.js';

const STATES: PortState[] = ['available', 'occupied', 'charging', 'full', 'fault', 'disabled'];
const ACTIONS: PortAction[] = ['plug-in', 'start', 'full', 'stop', 'unplug', 'fault', 'fault-cleared', 'disable', 'enable'];

/** Every legal action, written out: [from, action, to]. Anything not here is illegal. */
const LEGAL: [PortState, PortAction, PortState][] = [
  ['available', 'plug-in', 'occupied'],
  ['available', 'fault', 'fault'],
  ['available', 'disable', 'disabled'],
  ['occupied', 'start', 'charging'],
  ['occupied', 'unplug', 'available'],
  ['occupied', 'fault', 'fault'],
  ['occupied', 'disable', 'disabled'],
  ['charging', 'full', 'full'],
  ['charging', 'stop', 'occupied'],
  ['charging', 'unplug', 'available'],
  ['charging', 'fault', 'fault'],
  ['full', 'stop', 'occupied'],
  ['full', 'unplug', 'available'],
  ['full', 'fault', 'fault'],
  ['fault', 'fault', 'fault'],
  ['fault', 'fault-cleared', 'available'],
  ['fault', 'disable', 'disabled'],
  ['disabled', 'disable', 'disabled'],
  ['disabled', 'enable', 'available'],
];

const isLegal = (from: PortState, action: PortAction) => LEGAL.some(([f, a]) => f === from && a === action);
const ILLEGAL: [PortState, PortAction][] = STATES.flatMap((from) =>
  ACTIONS.filter((action) => !isLegal(from, action)).map((action) => [from, action] as [PortState, PortAction]),
);

describe('charger port: legal actions', () => {
  it.each(LEGAL)('%s + %s → %s', (from, action, to) => {
    const step = chargerPort.next(from, { type: action });
    expect(step).toEqual({ state: to, changed: from !== to, unexpected: false });
    expect(chargerPort.can(from, action)).toBe(true);
  });
});

describe('charger port: illegal actions are refused and the state kept', () => {
  it('covers every other (state, action) pair', () => {
    expect(LEGAL.length + ILLEGAL.length).toBe(STATES.length * ACTIONS.length);
  });

  it.each(ILLEGAL)('%s + %s is refused', (from, action) => {
    const step = chargerPort.next(from, { type: action });
    expect(step).toEqual({ state: from, changed: false, unexpected: true, note: `${action} is not allowed while ${from}` });
    expect(chargerPort.can(from, action)).toBe(false);
  });

  // The rules a committee member would ask about, by name.
  const named: [string, PortState, PortAction][] = [
    ['start needs a plug in', 'available', 'start'],
    ['no second start on a charging port', 'charging', 'start'],
    ['no start on a full port without a new plug-in', 'full', 'start'],
    ['a disabled port ignores a plug-in', 'disabled', 'plug-in'],
    ['a disabled port stays disabled on a fault', 'disabled', 'fault'],
    ['a disabled port does not come back on fault-cleared', 'disabled', 'fault-cleared'],
    ['stop the session before disabling', 'charging', 'disable'],
    ['only a disabled port can be enabled', 'available', 'enable'],
    ['no unplug from an empty port', 'available', 'unplug'],
  ];
  it.each(named)('%s', (_why, from, action) => {
    expect(chargerPort.next(from, { type: action })).toMatchObject({ state: from, unexpected: true });
  });
});

describe('charger port: device reports are always taken', () => {
  // Expected iff a repeat, or some legal action leads there.
  const rows: [PortState, PortState, boolean][] = STATES.flatMap((from) =>
    STATES.map((to) => [from, to, !(from === to || LEGAL.some(([f, , t]) => f === from && t === to))] as [PortState, PortState, boolean]),
  );

  it.each(rows)('%s + report %s (unexpected: %s)', (from, to, unexpected) => {
    const step = chargerPort.next(from, { type: 'report', state: to });
    expect(step.state).toBe(to);
    expect(step.changed).toBe(from !== to);
    expect(step.unexpected).toBe(unexpected);
    expect(chargerPort.isExpectedReport(from, to)).toBe(!unexpected);
  });

  const named: [PortState, PortState, boolean][] = [
    ['available', 'charging', true], // missed occupied + start
    ['disabled', 'occupied', true], // disabled leaves only by enable
    ['charging', 'disabled', true],
    ['full', 'charging', true],
    ['charging', 'available', false], // unplugged mid-charge
    ['fault', 'available', false],
  ];
  it.each(named)('%s → %s is unexpected: %s', (from, to, unexpected) => {
    const step = chargerPort.next(from, { type: 'report', state: to });
    expect(step.state).toBe(to);
    expect(step.unexpected).toBe(unexpected);
    if (unexpected) expect(step.note).toBe(`reported ${to} while ${from}: missed a step`);
  });
});

describe('charger port: a whole session', () => {
  it('runs plug-in → start → full → unplug with nothing unexpected', () => {
    const inputs: PortInput[] = [
      { type: 'report', state: 'occupied' },
      { type: 'start' },
      { type: 'report', state: 'charging' },
      { type: 'full' },
      { type: 'unplug' },
    ];
    let state = chargerPort.initial;
    const seen: PortState[] = [];
    for (const input of inputs) {
      const step = chargerPort.next(state, input);
      expect(step.unexpected).toBe(false);
      state = step.state;
      seen.push(state);
    }
    expect(seen).toEqual(['occupied', 'charging', 'charging', 'full', 'available']);
  });
});
