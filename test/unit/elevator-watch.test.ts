import { describe, it, expect } from 'vitest';
import { ElevatorTelemetry } from '../../devices/index.js';
import { createElevatorWatch, type DerivedFaultCode, type WatchReading } from '../../server/elevator/watch.js';
import { anElevatorFaultRules } from '../support/elevator.js';

const RULES = anElevatorFaultRules(); // 6.5: door open 120 s, stopped between floors 30 s
const T0 = Date.parse('2026-11-21T08:00:00+08:00');
const s = (seconds: number) => T0 + seconds * 1000;

type Patch = Partial<Omit<WatchReading, 'atMs'>>;
const at = (seconds: number, patch: Patch = {}): WatchReading => ({ atMs: s(seconds), floor: 3, direction: 'idle', doorOpen: false, running: false, ...patch });

const OPEN: Patch = { doorOpen: true };
const BETWEEN: Patch = { inDoorZone: false };
const LEVEL: Patch = { inDoorZone: true };
const UP: Patch = { running: true, direction: 'up' };

/** Feeds the readings; returns the codes raised and cleared by the last one. */
function run(readings: WatchReading[], rules = RULES) {
  const w = createElevatorWatch(rules);
  let out = w.observe(readings[0]!);
  for (const r of readings.slice(1)) out = w.observe(r);
  return { raised: out.raised.map((f) => f.code), cleared: out.cleared.map((f) => f.code), active: out.active.map((f) => f.code), out };
}

type Codes = DerivedFaultCode[];
// [name, readings, raised by the last, cleared by the last, active after]
type Row = [string, WatchReading[], Codes, Codes, Codes];

const DOOR_LONG: DerivedFaultCode = 'door-open-too-long';
const STUCK: DerivedFaultCode = 'stopped-outside-door-zone';
const DOOR_RUN: DerivedFaultCode = 'door-open-while-running';

// prettier-ignore
const TABLE: Row[] = [
  // door open too long: 120 s
  ['door open 119 s: not yet',                 [at(0, OPEN), at(119, OPEN)],                          [],          [],          []],
  ['door open exactly 120 s: raised',          [at(0, OPEN), at(120, OPEN)],                          [DOOR_LONG], [],          [DOOR_LONG]],
  ['door still open at 180 s: not raised again', [at(0, OPEN), at(120, OPEN), at(180, OPEN)],         [],          [],          [DOOR_LONG]],
  ['door shuts: cleared',                      [at(0, OPEN), at(120, OPEN), at(125)],                 [],          [DOOR_LONG], []],
  ['door shut and reopened: the clock restarts', [at(0, OPEN), at(100), at(101, OPEN), at(220, OPEN)], [],          [],          []],
  ['the first reading is the baseline',        [at(10, OPEN), at(129, OPEN)],                         [],          [],          []],
  // stopped between floors: 30 s, door shut, inDoorZone false
  ['between floors 29 s: not yet',             [at(0, BETWEEN), at(29, BETWEEN)],                     [],          [],          []],
  ['between floors exactly 30 s: raised',      [at(0, BETWEEN), at(30, BETWEEN)],                     [STUCK],     [],          [STUCK]],
  ['re-levels into a door zone: cleared',      [at(0, BETWEEN), at(30, BETWEEN), at(40, LEVEL)],      [],          [STUCK],     []],
  ['starts moving again: cleared',             [at(0, BETWEEN), at(30, BETWEEN), at(40, { ...UP, ...BETWEEN })], [], [STUCK], []],
  ['door opens (rescue at a landing): cleared', [at(0, BETWEEN), at(30, BETWEEN), at(45, { ...OPEN, ...BETWEEN })], [], [STUCK], []],
  ['parked at a landing for an hour: nothing', [at(0, LEVEL), at(3600, LEVEL)],                       [],          [],          []],
  ['no inDoorZone from the controller: not derived', [at(0), at(3600)],                               [],          [],          []],
  ['inDoorZone goes missing: neither raised nor cleared', [at(0, BETWEEN), at(30, BETWEEN), at(60)],  [],          [],          [STUCK]],
  ['missing mid-count, then false again: counts from the start', [at(0, BETWEEN), at(20), at(30, BETWEEN)], [STUCK], [],     [STUCK]],
  ['running between floors is not stopped',    [at(0, { ...UP, ...BETWEEN }), at(60, { ...UP, ...BETWEEN })], [],     [],          []],
  // moving with the door open: at once, no limit
  ['door opens while running: raised at once', [at(0, UP), at(1, { ...UP, ...OPEN })],                [DOOR_RUN],  [],          [DOOR_RUN]],
  ['first reading already unsafe: raised',     [at(0, { ...UP, ...OPEN })],                           [DOOR_RUN],  [],          [DOOR_RUN]],
  ['car stops, door still open: cleared',      [at(0, UP), at(1, { ...UP, ...OPEN }), at(2, OPEN)],   [],          [DOOR_RUN],  []],
  ['door shuts while running: cleared',        [at(0, UP), at(1, { ...UP, ...OPEN }), at(2, UP)],     [],          [DOOR_RUN],  []],
  // more than one
  ['open 120 s while running: both active',    [at(0, { ...UP, ...OPEN }), at(120, { ...UP, ...OPEN })], [DOOR_LONG], [],        [DOOR_RUN, DOOR_LONG]],
  ['stops and shuts: both cleared',            [at(0, { ...UP, ...OPEN }), at(120, { ...UP, ...OPEN }), at(121)], [], [DOOR_RUN, DOOR_LONG], []],
];

describe('elevator watch: derived faults', () => {
  it.each(TABLE)('%s', (_name, readings, raised, cleared, active) => {
    const r = run(readings);
    expect(r.raised).toEqual(raised);
    expect(r.cleared).toEqual(cleared);
    expect(r.active).toEqual(active);
  });

  it.each([
    ['door-open-too-long', { doorOpenTooLongS: 60 }, [at(0, OPEN), at(59, OPEN), at(60, OPEN)]],
    ['stopped-outside-door-zone', { stoppedBetweenFloorsS: 10 }, [at(0, BETWEEN), at(9, BETWEEN), at(10, BETWEEN)]],
  ] as const)('%s follows the charter limit %o', (code, edit, readings) => {
    const w = createElevatorWatch(anElevatorFaultRules((r) => Object.assign(r, edit)));
    expect(w.observe(readings[0]).raised).toEqual([]);
    expect(w.observe(readings[1]).raised).toEqual([]);
    expect(w.observe(readings[2]).raised.map((f) => f.code)).toEqual([code]);
  });
});

describe('elevator watch: what a raised fault carries', () => {
  it.each([
    [STUCK, [at(0, BETWEEN), at(30, BETWEEN)], { severity: 'critical', zh: '非平层停梯', needsPerson: false, sinceMs: s(0) }, '30秒'],
    [DOOR_LONG, [at(0, OPEN), at(125, OPEN)], { severity: 'medium', zh: '长时间开门', needsPerson: false, sinceMs: s(0) }, '125秒'],
    [DOOR_RUN, [at(0, UP), at(7, { ...UP, ...OPEN })], { severity: 'critical', zh: '运行中开门', needsPerson: true, sinceMs: s(7) }, '派人检查'],
  ] as const)('%s', (code, readings, expected, explainHas) => {
    const f = run([...readings]).out.raised[0]!;
    expect(f).toMatchObject({ code, clause: '6.5', floor: 3, ...expected });
    expect(f.explain).toContain('第6.5条');
    expect(f.explain).toContain(explainHas);
  });

  it('clears the same fault it raised', () => {
    const w = createElevatorWatch(RULES);
    w.observe(at(0, OPEN));
    const [raised] = w.observe(at(120, OPEN)).raised;
    expect(w.observe(at(130)).cleared).toEqual([raised]);
  });
});

describe('elevator watch: time and order', () => {
  it('tick raises a timed fault when the controller goes quiet', () => {
    const w = createElevatorWatch(RULES);
    expect(w.tick(s(0))).toBeUndefined();
    w.observe(at(0, BETWEEN));
    expect(w.tick(s(29))!.raised).toEqual([]);
    expect(w.tick(s(30))!.raised.map((f) => f.code)).toEqual([STUCK]);
    expect(w.tick(s(40))!.raised).toEqual([]);
    expect(w.observe(at(41, LEVEL)).cleared.map((f) => f.code)).toEqual([STUCK]);
  });

  it('tick does not raise from a reading without inDoorZone', () => {
    const w = createElevatorWatch(RULES);
    w.observe(at(0));
    expect(w.tick(s(3600))!.raised).toEqual([]);
  });

  it('ignores a reading older than the last one', () => {
    const w = createElevatorWatch(RULES);
    w.observe(at(0, OPEN));
    w.observe(at(100));
    const stale = w.observe(at(50, OPEN));
    expect(stale).toMatchObject({ raised: [], cleared: [], state: { doorOpen: false, doorCycles: 0 } });
    expect(w.observe(at(219, OPEN)).raised).toEqual([]); // the door opened at 219 s, not 50 s
  });
});

describe('elevator watch: runs and door cycles from elevatorRun', () => {
  it('counts a ride from 1 to 5, resuming counters a store kept', () => {
    const w = createElevatorWatch(RULES, { doorCycles: 500, runs: 120 });
    const ride = [
      at(0, { floor: 1, ...OPEN, inDoorZone: true }),
      at(5, { floor: 1, inDoorZone: true }),
      at(6, { floor: 2, ...UP, inDoorZone: false }),
      at(12, { floor: 5, inDoorZone: true }),
      at(13, { floor: 5, ...OPEN, inDoorZone: true }),
    ];
    let last;
    for (const r of ride) {
      last = w.observe(r);
      expect(last.raised).toEqual([]);
    }
    expect(last!.state).toEqual({ floor: 5, direction: 'idle', doorOpen: true, running: false, doorCycles: 501, runs: 121 });
  });
});

describe('elevator telemetry: inDoorZone, an addition to contract v1', () => {
  const msg = { id: 'lift-3-000001', ts: '2026-11-21T08:00:00Z', floor: 3, direction: 'idle', doorOpen: false, running: false };
  it.each([
    ['absent: an older controller still validates', {}, true],
    ['true', { inDoorZone: true }, true],
    ['false', { inDoorZone: false }, true],
    ['not a boolean', { inDoorZone: 'yes' }, false],
  ] as const)('%s', (_name, extra, ok) => {
    expect(ElevatorTelemetry.safeParse({ ...msg, ...extra }).success).toBe(ok);
  });
});
