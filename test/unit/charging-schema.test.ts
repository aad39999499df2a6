import { describe, it, expect } from 'vitest';
import { ChargingSection } from '../../server/charter/charging-schema.js';
import { CharterDocument } from '../../server/charter/schema.js';
import { parkingInput } from '../support/charter.js';
import { aChargingSection, chargingInput } from '../support/charging.js';

type Row = [name: string, edit: (c: Record<string, any>) => void, errorPath: string | undefined];

// prettier-ignore
const ROWS: Row[] = [
  ['the builder’s charter', () => {}, undefined],
  ['a curfew across midnight', (c) => (c.session.curfew = { clause: '5.2.1', from: '23:00', to: '06:00', mode: 'deny' }), undefined],
  ['a curfew from = to', (c) => (c.session.curfew = { clause: '5.2.1', from: '23:00', to: '23:00', mode: 'deny' }), 'session.curfew.to'],
  ['a time of day 24:00', (c) => (c.session.curfew = { clause: '5.2.1', from: '24:00', to: '06:00', mode: 'deny' }), 'session.curfew.from'],
  ['energy pricing', (c) => (c.pricing = { clause: '5.4', mode: 'energy', perKwhFen: 120 }), undefined],
  ['energy pricing without its price', (c) => (c.pricing = { clause: '5.4', mode: 'energy' }), 'pricing.perKwhFen'],
  ['tiers that rise', (c) => (c.pricing = { clause: '5.4', mode: 'tier', tiers: [{ upToW: 300, perHourFen: 50 }, { upToW: 600, perHourFen: 100 }] }), undefined],
  ['tiers out of order', (c) => (c.pricing = { clause: '5.4', mode: 'tier', tiers: [{ upToW: 600, perHourFen: 100 }, { upToW: 300, perHourFen: 50 }] }), 'pricing.tiers'],
  ['fen must be whole', (c) => (c.access.minBalanceFen = 99.5), 'access.minBalanceFen'],
  ['unplug above full', (c) => (c.detection.unplugBelowW = 20), 'detection.fullBelowW'],
  ['a clause that is not a number', (c) => (c.safety.clause = '第五条'), 'safety.clause'],
  ['a shed id that is not an id', (c) => (c.breaker.sheds = { '充电棚': { maxChargingPorts: 2 } }), 'breaker.sheds.充电棚'],
];

describe('ChargingSection', () => {
  it.each(ROWS)('%s', (_name, edit, errorPath) => {
    const input = chargingInput();
    edit(input);
    const r = ChargingSection.safeParse(input);
    if (!errorPath) return expect(r.success).toBe(true);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(errorPath);
  });

  it('fills the defaults a committee may leave out', () => {
    const c = ChargingSection.parse({
      access: { clause: '5.1' },
      session: { clause: '5.2' },
      breaker: { clause: '5.3' },
      pricing: { clause: '5.4', mode: 'time', perHourFen: 100 },
      detection: { clause: '5.5' },
      safety: { clause: '5.6' },
    });
    expect(c).toMatchObject({
      access: { payment: 'balance-or-plan', minBalanceFen: 100, plans: [] },
      session: { maxMinutes: 480 },
      breaker: { whenOver: 'queue', newSessionW: 200, sheds: {} },
      pricing: { unitMinutes: 60, planCoversCharging: true },
      detection: { fullBelowW: 15, fullForMinutes: 10, unplugBelowW: 3, overPowerW: 1000 },
      safety: { maxPortTempC: 60 },
    });
  });

  it('is an optional section of the charter', () => {
    expect(CharterDocument.parse({ parking: parkingInput() }).charging).toBeUndefined();
    expect(CharterDocument.parse({ parking: parkingInput(), charging: chargingInput() }).charging).toEqual(aChargingSection());
  });
});
