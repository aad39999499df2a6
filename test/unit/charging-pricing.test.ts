import { describe, it, expect } from 'vitest';
import type { ChargingPricing } from '../../server/charter/charging-schema.js';
import { computeChargeFee, type ChargeLine } from '../../server/charging/pricing.js';
import { aChargingSection, beijing } from '../support/charging.js';

const pricing = (p: Record<string, unknown>): ChargingPricing => aChargingSection((c) => (c.pricing = { clause: '5.4', ...p })).pricing;
const TIERS = [
  { upToW: 300, perHourFen: 50 },
  { upToW: 600, perHourFen: 100 },
  { upToW: 1000, perHourFen: 200 },
];
const OCC = { graceMinutes: 30, perHourFen: 200 };

const p = {
  time: pricing({ mode: 'time', perHourFen: 100 }),
  halfHours: pricing({ mode: 'time', perHourFen: 100, unitMinutes: 30 }),
  oddUnit: pricing({ mode: 'time', perHourFen: 100, unitMinutes: 7 }),
  energy: pricing({ mode: 'energy', perKwhFen: 120 }),
  energy100: pricing({ mode: 'energy', perKwhFen: 100 }),
  energy150: pricing({ mode: 'energy', perKwhFen: 150 }),
  tier: pricing({ mode: 'tier', tiers: TIERS }),
  startFee: pricing({ mode: 'time', perHourFen: 100, startFeeFen: 50 }),
  occupancy: pricing({ mode: 'time', perHourFen: 100, occupancy: OCC }),
  planAll: pricing({ mode: 'time', perHourFen: 100, startFeeFen: 50, occupancy: OCC, planCoversCharging: true }),
  planPays: pricing({ mode: 'time', perHourFen: 100, startFeeFen: 50, occupancy: OCC, planCoversCharging: false }),
};

type Session = { end: string; wh?: number; maxW?: number; full?: string; unplug?: string; paidBy?: 'balance' | 'plan' };
type Row = [name: string, pricing: ChargingPricing, s: Session, totalFen: number, lines: string[]];
const show = (l: ChargeLine) => `${l.kind} ${l.fen}`;

// Every session starts D1 10:00.
// prettier-ignore
const ROWS: Row[] = [
  // time: ¥1 per started hour
  ['time: zero minutes', p.time, { end: 'D1 10:00' }, 0, ['time 0']],
  ['time: 59 s is not a minute', p.time, { end: 'D1 10:00:59' }, 0, ['time 0']],
  ['time: 1 min starts an hour', p.time, { end: 'D1 10:01' }, 100, ['time 100']],
  ['time: exactly 60 min', p.time, { end: 'D1 11:00' }, 100, ['time 100']],
  ['time: 61 min = 2 started hours', p.time, { end: 'D1 11:01' }, 200, ['time 200']],
  ['time: 61 min in 30-min units = 3 × 50', p.halfHours, { end: 'D1 11:01' }, 150, ['time 150']],
  // 10 min in 7-min units: 2 units = 14 min × 100/60 = 23.3 → 24
  ['time: odd unit rounds the total up', p.oddUnit, { end: 'D1 10:10' }, 24, ['time 24']],
  ['time: ends at the unplug', p.time, { end: 'D1 11:30', unplug: 'D1 10:45' }, 100, ['time 100']],
  ['time: ends at full, no occupancy fee', p.time, { end: 'D1 14:00', full: 'D1 12:10' }, 300, ['time 300']],
  ['time: ended before it started', p.time, { end: 'D1 09:00' }, 0, ['time 0']],
  // energy
  ['energy: 1 kWh at ¥1.20', p.energy, { end: 'D1 12:00', wh: 1000 }, 120, ['energy 120']],
  ['energy: 333 Wh × ¥1.50 = 49.95 → 50', p.energy150, { end: 'D1 12:00', wh: 333 }, 50, ['energy 50']],
  ['energy: 412.3 Wh × ¥1.20 = 49.476 → 50', p.energy, { end: 'D1 12:00', wh: 412.3 }, 50, ['energy 50']],
  ['energy: float noise is not a fen', p.energy100, { end: 'D1 12:00', wh: (0.1 + 0.2) * 1000 }, 30, ['energy 30']],
  ['energy: nothing drawn', p.energy, { end: 'D1 12:00', wh: 0 }, 0, ['energy 0']],
  // tier by the highest power of the session, 2 h
  ['tier: 250 W → ≤300 W at ¥0.50', p.tier, { end: 'D1 12:00', maxW: 250 }, 100, ['tier 100']],
  ['tier: exactly 300 W stays in the low tier', p.tier, { end: 'D1 12:00', maxW: 300 }, 100, ['tier 100']],
  ['tier: 301 W → ≤600 W at ¥1', p.tier, { end: 'D1 12:00', maxW: 301 }, 200, ['tier 200']],
  ['tier: 1200 W above every tier → top', p.tier, { end: 'D1 12:00', maxW: 1200 }, 400, ['tier 400']],
  ['tier: started hours too', p.tier, { end: 'D1 12:01', maxW: 650 }, 600, ['tier 600']],
  // start fee
  ['start fee + 1 h', p.startFee, { end: 'D1 11:00' }, 150, ['start 50', 'time 100']],
  ['start fee even for a failed start', p.startFee, { end: 'D1 10:00' }, 50, ['start 50', 'time 0']],
  // occupancy after full: 30 min grace, ¥2 per started hour; charging 10:00–12:00 = 200
  ['occupancy: inside the grace', p.occupancy, { end: 'D1 12:20', full: 'D1 12:00' }, 200, ['time 200']],
  ['occupancy: exactly the grace', p.occupancy, { end: 'D1 12:30', full: 'D1 12:00' }, 200, ['time 200']],
  ['occupancy: 1 min beyond', p.occupancy, { end: 'D1 12:31', full: 'D1 12:00' }, 400, ['time 200', 'occupancy 200']],
  ['occupancy: 121 min beyond = 3 h', p.occupancy, { end: 'D1 14:31', full: 'D1 12:00' }, 800, ['time 200', 'occupancy 600']],
  ['occupancy: ends at the unplug after full', p.occupancy, { end: 'D1 15:00', full: 'D1 12:00', unplug: 'D1 13:00' }, 400, ['time 200', 'occupancy 200']],
  ['occupancy: never full, none', p.occupancy, { end: 'D1 15:00' }, 500, ['time 500']],
  // plans
  ['plan covers charging: occupancy only', p.planAll, { end: 'D1 13:30', full: 'D1 12:00', paidBy: 'plan' }, 200, ['start 0', 'time 0', 'occupancy 200']],
  ['plan covers charging: nothing to pay', p.planAll, { end: 'D1 12:10', full: 'D1 12:00', paidBy: 'plan' }, 0, ['start 0', 'time 0']],
  ['plan does not cover: pays all', p.planPays, { end: 'D1 13:30', full: 'D1 12:00', paidBy: 'plan' }, 450, ['start 50', 'time 200', 'occupancy 200']],
  ['balance payer under a covering plan rule', p.planAll, { end: 'D1 13:30', full: 'D1 12:00' }, 450, ['start 50', 'time 200', 'occupancy 200']],
];

describe('computeChargeFee', () => {
  it.each(ROWS)('%s', (_name, pricing, s, totalFen, lines) => {
    const fee = computeChargeFee({
      pricing,
      startedAtMs: beijing('D1 10:00'),
      endedAtMs: beijing(s.end),
      energyWh: s.wh ?? 0,
      maxPowerW: s.maxW ?? 200,
      fullAtMs: s.full ? beijing(s.full) : undefined,
      unpluggedAtMs: s.unplug ? beijing(s.unplug) : undefined,
      paidBy: s.paidBy ?? 'balance',
    });
    expect(fee.lines.map(show)).toEqual(lines);
    expect(fee.totalFen).toBe(totalFen);
    expect(fee.totalFen).toBe(fee.lines.reduce((sum, l) => sum + l.fen, 0));
    expect(fee.clause).toBe('5.4');
    expect(fee.explain).toContain('第5.4条');
  });

  it('explains the bill in one sentence', () => {
    const fee = computeChargeFee({ pricing: p.startFee, startedAtMs: beijing('D1 10:00'), endedAtMs: beijing('D1 11:30'), energyWh: 300, maxPowerW: 200, paidBy: 'balance' });
    expect(fee.explain).toBe('本次充电1小时30分钟：启动费¥0.50，计时1小时30分钟（每小时¥1，不足一小时按一小时计）¥2，合计¥2.50（公约第5.4条）');
  });

  it('tells a plan holder what the plan covered', () => {
    const fee = computeChargeFee({ pricing: p.planAll, startedAtMs: beijing('D1 10:00'), endedAtMs: beijing('D1 13:30'), fullAtMs: beijing('D1 12:00'), energyWh: 800, maxPowerW: 200, paidBy: 'plan' });
    expect(fee.explain).toBe('本次充电2小时：套餐已含充电费，充满后占位超出免费30分钟共1小时（每小时¥2，不足一小时按一小时计）¥2，合计¥2（公约第5.4条）');
  });
});
