import { describe, it, expect } from 'vitest';
import type { ChargingSection } from '../../server/charter/charging-schema.js';
import { decideStart } from '../../server/charging/start-rules.js';
import type { ChargingPort } from '../../server/charging/types.js';
import { aChargingSection, beijing } from '../support/charging.js';

/** `n` other ports charging at `w` watts each (ports 2..n+1; the request is for port 1). */
const busy = (n: number, w = 100): ChargingPort[] => Array.from({ length: n }, (_, i) => ({ port: i + 2, powerW: w }));
const curfew = (c: Record<string, unknown>) => aChargingSection((s) => (s.session.curfew = { clause: '5.2.1', from: '23:00', to: '06:00', ...c }));

const cs = {
  plain: aChargingSection(),
  maxWh: aChargingSection((c) => (c.session.maxWh = 1500)),
  portsDeny: aChargingSection((c) => (c.breaker.whenOver = 'deny')),
  wattsOnly: aChargingSection((c) => (c.breaker = { clause: '5.3', maxTotalW: 3000 })),
  noLimits: aChargingSection((c) => (c.breaker = { clause: '5.3' })),
  shedB: aChargingSection((c) => (c.breaker.sheds = { 'shed-b': { clause: '5.3.2', maxChargingPorts: 2 } })),
  shedBDeny: aChargingSection((c) => (c.breaker.sheds = { 'shed-b': { maxTotalW: 1000, whenOver: 'deny' } })),
  deny: curfew({ mode: 'deny' }),
  untilEnd: curfew({ mode: 'limit' }),
  limit120: curfew({ mode: 'limit', limitMinutes: 120 }),
  limit600: curfew({ mode: 'limit', limitMinutes: 600 }),
  noon: curfew({ mode: 'limit', from: '12:00', to: '14:00' }),
  hotShed: aChargingSection((c) => (c.safety.maxAmbientTempC = 45)),
};

type Expected = { action: 'start'; clause: string; maxMinutes: number; maxWh?: number } | { action: 'queue' | 'deny'; clause: string; reason: string };
type Row = [name: string, charging: ChargingSection, at: string, chargingNow: ChargingPort[], expected: Expected, extra?: { shedId?: string; ambientTempC?: number }];

// prettier-ignore
const ROWS: Row[] = [
  ['empty shed, daytime', cs.plain, 'D1 10:00', [], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['maxWh goes with the start', cs.maxWh, 'D1 10:00', [], { action: 'start', clause: '5.2', maxMinutes: 480, maxWh: 1500 }],
  // breaker: at most 8 ports, 3000 W, new session counted as 200 W
  ['7 others charging: the 8th starts', cs.plain, 'D1 10:00', busy(7), { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['8 others charging: queued', cs.plain, 'D1 10:00', busy(8), { action: 'queue', clause: '5.3', reason: '线路满载 排队等待' }],
  ['own port listed is not counted', cs.plain, 'D1 10:00', [{ port: 1, powerW: 0 }, ...busy(7)], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['over the ports, whenOver deny', cs.portsDeny, 'D1 10:00', busy(8), { action: 'deny', clause: '5.3', reason: '线路满载 请稍后再试' }],
  ['2800 W + 200 W = 3000 W fits', cs.wattsOnly, 'D1 10:00', busy(10, 280), { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['2801 W + 200 W is over', cs.wattsOnly, 'D1 10:00', [...busy(9, 280), { port: 20, powerW: 281 }], { action: 'queue', clause: '5.3', reason: '线路满载 排队等待' }],
  ['no limits: 30 ports at 500 W', cs.noLimits, 'D1 10:00', busy(30, 500), { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['shed override: 2 ports in shed-b', cs.shedB, 'D1 10:00', busy(2), { action: 'queue', clause: '5.3.2', reason: '线路满载 排队等待' }, { shedId: 'shed-b' }],
  ['shed override does not touch shed-a', cs.shedB, 'D1 10:00', busy(2), { action: 'start', clause: '5.2', maxMinutes: 480 }, { shedId: 'shed-a' }],
  ['shed override keeps the other limits', cs.shedB, 'D1 10:00', busy(1, 2900), { action: 'queue', clause: '5.3.2', reason: '线路满载 排队等待' }, { shedId: 'shed-b' }],
  ['shed override: 1000 W, deny', cs.shedBDeny, 'D1 10:00', busy(1, 801), { action: 'deny', clause: '5.3', reason: '线路满载 请稍后再试' }, { shedId: 'shed-b' }],
  // curfew 23:00–06:00, deny
  ['deny: 22:59 is before the curfew', cs.deny, 'D1 22:59', [], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['deny: 23:00 starts it', cs.deny, 'D1 23:00', [], { action: 'deny', clause: '5.2.1', reason: '23:00-06:00禁止充电' }],
  ['deny: 02:00 after midnight', cs.deny, 'D2 02:00', [], { action: 'deny', clause: '5.2.1', reason: '23:00-06:00禁止充电' }],
  ['deny: 05:59', cs.deny, 'D2 05:59', [], { action: 'deny', clause: '5.2.1', reason: '23:00-06:00禁止充电' }],
  ['deny: 06:00 is open again', cs.deny, 'D2 06:00', [], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['curfew answers before the breaker', cs.deny, 'D1 23:30', busy(8), { action: 'deny', clause: '5.2.1', reason: '23:00-06:00禁止充电' }],
  // limit until the curfew ends
  ['limit: 23:30 → until 06:00 = 390 min', cs.untilEnd, 'D1 23:30', [], { action: 'start', clause: '5.2.1', maxMinutes: 390 }],
  ['limit: 01:00 → 300 min', cs.untilEnd, 'D2 01:00', [], { action: 'start', clause: '5.2.1', maxMinutes: 300 }],
  ['limit: 05:59:30 → at least 1 min', cs.untilEnd, 'D2 05:59:30', [], { action: 'start', clause: '5.2.1', maxMinutes: 1 }],
  ['limit: 22:00 is outside the curfew', cs.untilEnd, 'D1 22:00', [], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['limit: still over the breaker → queue', cs.untilEnd, 'D1 23:30', busy(8), { action: 'queue', clause: '5.3', reason: '线路满载 排队等待' }],
  // limit by limitMinutes
  ['limit 120: at 23:30', cs.limit120, 'D1 23:30', [], { action: 'start', clause: '5.2.1', maxMinutes: 120 }],
  ['limit 120: at 05:30, not cut to the end', cs.limit120, 'D2 05:30', [], { action: 'start', clause: '5.2.1', maxMinutes: 120 }],
  ['limit 600 > maxMinutes 480: session rule', cs.limit600, 'D1 23:30', [], { action: 'start', clause: '5.2', maxMinutes: 480 }],
  ['daytime window 12:00–14:00 at 13:00', cs.noon, 'D1 13:00', [], { action: 'start', clause: '5.2.1', maxMinutes: 60 }],
  // the shed's own temperature
  ['shed at 50 °C > 45 °C', cs.hotShed, 'D1 14:00', [], { action: 'deny', clause: '5.6', reason: '棚内温度过高 暂停充电' }, { ambientTempC: 50 }],
  ['shed at exactly 45 °C', cs.hotShed, 'D1 14:00', [], { action: 'start', clause: '5.2', maxMinutes: 480 }, { ambientTempC: 45 }],
];

describe('decideStart', () => {
  it.each(ROWS)('%s', (_name, charging, at, chargingNow, expected, extra) => {
    const d = decideStart({ charging, shedId: extra?.shedId ?? 'shed-a', port: 1, atMs: beijing(at), chargingNow, ambientTempC: extra?.ambientTempC });
    expect(d).toMatchObject(expected);
    expect(d.explain).toContain(`第${expected.clause}条`);
    if (d.action === 'start' && expected.action === 'start' && expected.maxWh === undefined) expect(d.maxWh).toBeUndefined();
    if (d.action !== 'start') expect([...d.reason].length).toBeLessThanOrEqual(20);
  });
});
