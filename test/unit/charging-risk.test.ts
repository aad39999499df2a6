import { describe, it, expect } from 'vitest';
import { cardsWorthALook, portRisk } from '../../server/charging/risk.js';
import type { SessionSummary, StopReason } from '../../server/charging/types.js';

const H = 3_600_000;
let n = 0;
/** A session; `rise` is max − start temperature. Full sessions reach full unless said otherwise. */
function s(port: number, cardId: string, stopReason: StopReason, rise = 5, reachedFull = stopReason === 'full'): SessionSummary {
  const startedAtMs = ++n * 10 * H;
  return { port, cardId, startedAtMs, endedAtMs: startedAtMs + 6 * H, stopReason, startTempC: 25, maxTempC: 25 + rise, reachedFull };
}
const times = (k: number, make: () => SessionSummary) => Array.from({ length: k }, make);

type PortRow = [name: string, sessions: SessionSummary[], expected: { port: number; flagged: boolean; tempRisePerSessionC?: number; overPowerTrips?: number; neverFullRatio?: number }, why: string[]];

// prettier-ignore
const PORT_ROWS: PortRow[] = [
  ['healthy port', times(5, () => s(1, 'C1', 'full', 6)), { port: 1, flagged: false, tempRisePerSessionC: 6, overPowerTrips: 0, neverFullRatio: 0 }, []],
  ['warms 15 °C a session', times(3, () => s(1, 'C1', 'full', 15)), { port: 1, flagged: true, tempRisePerSessionC: 15 }, ['平均每次升温15°C']],
  ['hot, but only 2 sessions: noise', times(2, () => s(1, 'C1', 'full', 20)), { port: 1, flagged: false, tempRisePerSessionC: 20 }, []],
  ['one over-power trip is not a pattern', [s(1, 'C1', 'over-power'), s(1, 'C2', 'full')], { port: 1, flagged: false, overPowerTrips: 1 }, []],
  ['two over-power trips', [s(1, 'C1', 'over-power'), s(1, 'C2', 'over-power'), s(1, 'C3', 'full')], { port: 1, flagged: true, overPowerTrips: 2 }, ['超功率断电2次']],
  ['one over-temperature stop', [s(1, 'C1', 'over-temperature', 36)], { port: 1, flagged: true }, ['超温断电1次']],
  ['capped without full, 2 of 3', [s(1, 'C1', 'max-time'), s(1, 'C2', 'max-energy'), s(1, 'C3', 'full')], { port: 1, flagged: true, neverFullRatio: 2 / 3 }, ['67%的充电到时限仍未充满']],
  ['early unplugs say nothing', [...times(6, () => s(1, 'C1', 'unplugged')), s(1, 'C2', 'full')], { port: 1, flagged: false, neverFullRatio: 0 }, []],
  ['capped after reaching full is fine', times(4, () => s(1, 'C1', 'max-time', 5, true)), { port: 1, flagged: false, neverFullRatio: 0 }, []],
];

describe('portRisk', () => {
  it.each(PORT_ROWS)('%s', (_name, sessions, expected, why) => {
    const [r] = portRisk(sessions);
    expect(r).toMatchObject(expected);
    expect(r!.why).toHaveLength(why.length);
    why.forEach((w, i) => expect(r!.why[i]).toContain(w));
  });

  it('answers every port, in port order', () => {
    const rs = portRisk([s(3, 'C1', 'full'), s(1, 'C1', 'full'), s(3, 'C2', 'over-power'), s(3, 'C2', 'over-power')]);
    expect(rs.map((r) => [r.port, r.sessions, r.flagged])).toEqual([
      [1, 1, false],
      [3, 3, true],
    ]);
  });
});

type CardRow = [name: string, sessions: SessionSummary[], expected: { cardId: string; overPowerTrips: number; neverFull: number; why: string[] }[]];

// prettier-ignore
const CARD_ROWS: CardRow[] = [
  ['nobody worth a look', [s(1, 'C1', 'full'), s(2, 'C2', 'unplugged'), s(3, 'C3', 'over-power')], []],
  ['over-power on two ports', [s(1, 'C9', 'over-power'), s(4, 'C9', 'over-power'), s(2, 'C1', 'full')], [{ cardId: 'C9', overPowerTrips: 2, neverFull: 0, why: ['超功率断电2次'] }]],
  ['never full, three times', [...times(3, () => s(1, 'C5', 'max-time')), s(1, 'C5', 'full')], [{ cardId: 'C5', overPowerTrips: 0, neverFull: 3, why: ['3次充到时限仍未充满（75%）'] }]],
  ['never full twice is not yet repeated', [s(1, 'C5', 'max-time'), s(1, 'C5', 'max-time')], []],
  ['most trips first', [...times(2, () => s(1, 'C2', 'over-power')), ...times(3, () => s(2, 'C7', 'over-power')), ...times(3, () => s(1, 'C4', 'max-energy'))], [
    { cardId: 'C7', overPowerTrips: 3, neverFull: 0, why: ['超功率断电3次'] },
    { cardId: 'C2', overPowerTrips: 2, neverFull: 0, why: ['超功率断电2次'] },
    { cardId: 'C4', overPowerTrips: 0, neverFull: 3, why: ['3次充到时限仍未充满'] },
  ]],
];

describe('cardsWorthALook', () => {
  it.each(CARD_ROWS)('%s', (_name, sessions, expected) => {
    const rs = cardsWorthALook(sessions);
    expect(rs.map((r) => r.cardId)).toEqual(expected.map((e) => e.cardId));
    rs.forEach((r, i) => {
      const e = expected[i]!;
      expect(r).toMatchObject({ overPowerTrips: e.overPowerTrips, neverFull: e.neverFull });
      expect(r.why).toHaveLength(e.why.length);
      e.why.forEach((w, j) => expect(r.why[j]).toContain(w));
    });
  });
});
