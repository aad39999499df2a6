import { describe, it, expect } from 'vitest';
import {
  elevatorRun,
  type ElevatorObservation,
  type ElevatorReading,
  type ElevatorRunState,
} from '../../devices/elevator/index.js';

const stopped: ElevatorReading = { floor: 1, direction: 'idle', doorOpen: false, running: false };
const reading = (patch: Partial<ElevatorReading> = {}): ElevatorReading => ({ ...stopped, ...patch });
const state = (patch: Partial<ElevatorRunState> = {}): ElevatorRunState => ({ ...stopped, doorCycles: 10, runs: 20, ...patch });

const DOOR: ElevatorObservation = 'door-open-while-running';
const DIR: ElevatorObservation = 'running-without-direction';
const up = { running: true, direction: 'up' } as const;
const down = { running: true, direction: 'down' } as const;
const adrift = { running: true, direction: 'idle' } as const;
const open = { doorOpen: true } as const;

type Obs = ElevatorObservation[];
// [name, previous state, reading, doorCycles, runs, observations, raised, cleared]
type Row = [string, ElevatorRunState, ElevatorReading, number, number, Obs, Obs, Obs];

describe('elevator: folding a reading into the state', () => {
  const table: Row[] = [
    ['nothing changes', state(), reading(), 10, 20, [], [], []],
    ['door opens: one cycle', state(), reading(open), 11, 20, [], [], []],
    ['door stays open: no new cycle', state(open), reading(open), 10, 20, [], [], []],
    ['door closes: no new cycle', state(open), reading(), 10, 20, [], [], []],
    ['car starts: one run', state(), reading(up), 10, 21, [], [], []],
    ['car keeps running: no new run', state(up), reading({ ...up, floor: 3 }), 10, 20, [], [], []],
    ['car stops: no new run', state(down), reading({ floor: -1 }), 10, 20, [], [], []],
    ['starts with the door open: counts both, raises', state(), reading({ ...up, ...open }), 11, 21, [DOOR], [DOOR], []],
    ['door opens mid-run: raised', state(down), reading({ ...down, ...open }), 11, 20, [DOOR], [DOOR], []],
    ['still open while running: not raised again', state({ ...down, ...open }), reading({ ...down, ...open }), 10, 20, [DOOR], [], []],
    ['car stops with the door open: cleared', state({ ...down, ...open }), reading(open), 10, 20, [], [], [DOOR]],
    ['running with no direction: raised', state(), reading(adrift), 10, 21, [DIR], [DIR], []],
    ['direction comes back: cleared', state(adrift), reading(up), 10, 20, [], [], [DIR]],
    ['both at once', state(), reading({ ...adrift, ...open }), 11, 21, [DOOR, DIR], [DOOR, DIR], []],
    ['one clears, one stays', state({ ...adrift, ...open }), reading(adrift), 10, 20, [DIR], [], [DOOR]],
  ];

  it.each(table)('%s', (_name, prev, next, doorCycles, runs, observations, raised, cleared) => {
    const out = elevatorRun.fold(prev, next);
    expect(out).toEqual({ state: { ...next, doorCycles, runs }, observations, raised, cleared });
  });

  it('does not change the state it was given', () => {
    const prev = state();
    const copy = structuredClone(prev);
    elevatorRun.fold(prev, reading({ ...up, ...open, floor: 2 }));
    expect(prev).toEqual(copy);
  });

  it('keeps only the four reading fields of a full telemetry message', () => {
    const message = { id: 'lift-3-000001', ts: '2026-11-21T08:00:00Z', type: 'telemetry' as const, ...up, floor: 4, doorOpen: false, loadPct: 55 };
    const expected = { floor: 4, direction: 'up', doorOpen: false, running: true, doorCycles: 10, runs: 21 };
    expect(elevatorRun.fold(state(), message).state).toEqual(expected);
  });
});

describe('elevator: the first reading is the baseline', () => {
  const table: [string, ElevatorReading, ElevatorObservation[]][] = [
    ['stopped, door shut', reading(), []],
    ['already running: not counted as a run', reading(up), []],
    ['door already open: not counted as a cycle', reading(open), []],
    ['already unsafe: raised at once', reading({ ...up, ...open }), [DOOR]],
  ];
  it.each(table)('%s', (_name, first, raised) => {
    const out = elevatorRun.fold(undefined, first);
    expect(out.state).toEqual({ ...first, doorCycles: 0, runs: 0 });
    expect(out.raised).toEqual(raised);
    expect(out.observations).toEqual(raised);
    expect(out.cleared).toEqual([]);
  });

  it('can resume counters kept by a store', () => {
    const resumed = elevatorRun.initial(reading({ floor: 6 }), { doorCycles: 5000, runs: 1200 });
    expect(resumed).toEqual({ ...reading({ floor: 6 }), doorCycles: 5000, runs: 1200 });
  });
});

describe('elevator: a ride from 1 to 5', () => {
  it('counts one run and two door openings', () => {
    const ride: ElevatorReading[] = [
      reading(open), // baseline: a resident getting in
      reading(),
      reading({ ...up, floor: 2 }),
      reading({ ...up, floor: 4 }),
      reading({ floor: 5 }),
      reading({ ...open, floor: 5 }),
      reading({ floor: 5 }),
      reading({ ...open, floor: 5 }), // someone pressed open again
    ];
    let s: ElevatorRunState | undefined;
    for (const r of ride) {
      const out = elevatorRun.fold(s, r);
      expect(out.observations).toEqual([]);
      s = out.state;
    }
    expect(s).toEqual({ floor: 5, direction: 'idle', doorOpen: true, running: false, doorCycles: 2, runs: 1 });
  });
});
