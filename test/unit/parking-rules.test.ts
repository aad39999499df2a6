import { describe, expect, it } from 'vitest';
import { decideEntry } from '../../server/parking/entry-rules.js';
import { decideExit } from '../../server/parking/exit-rules.js';
import type { GateFacts, RegisteredVehicle } from '../../server/parking/facts.js';
import type { Stay, VisitorPass } from '../../server/parking/types.js';
import { aParkingSection } from '../support/charter.js';

// 2026-11-21 10:00 local (UTC+8)
const T = Date.parse('2026-11-21T10:00:00+08:00');
const H = 3_600_000;

const REGISTER: RegisteredVehicle[] = [
  { plate: '鄂A12345', vehicleClass: 'resident', householdId: '3-2-501' },
  { plate: '鄂A22222', vehicleClass: 'resident', householdId: '1-1-101' },
  { plate: '鄂A33333', vehicleClass: 'resident', householdId: '1-1-101' },
  { plate: '鄂B66666', vehicleClass: 'monthly', validUntil: '2026-12-31' },
  { plate: '鄂B77777', vehicleClass: 'monthly', validUntil: '2026-11-18' }, // 3 days ago: inside 7 grace days
  { plate: '鄂B88888', vehicleClass: 'monthly', validUntil: '2026-11-01' }, // 20 days ago: past grace
  { plate: '鄂C99999', vehicleClass: 'blacklist' },
  { plate: '鄂A00S01', vehicleClass: 'internal' },
  { plate: '鄂AD12345', vehicleClass: 'resident', householdId: '5-1-302' },
];

interface FactsOpts {
  plate: string;
  confidence?: number;
  at?: number;
  occupied?: number;
  groupInside?: number;
  spaces?: number;
  pass?: Partial<VisitorPass>;
  arrearsFen?: number;
  edit?: (p: Record<string, any>) => void;
}

function facts(o: FactsOpts): GateFacts {
  const parking = aParkingSection(o.edit);
  const byPlate = new Map(REGISTER.map((v) => [v.plate, v]));
  return {
    atMs: o.at ?? T,
    plateRead: o.plate,
    confidence: o.confidence ?? 0.97,
    charterVersion: 1,
    parking,
    lot: parking.lots[0]!,
    vehicle: (p) => byPlate.get(p),
    registeredPlates: new Set(byPlate.keys()),
    occupancy: { total: o.occupied ?? 10, visitors: 0 },
    groupInside: () => o.groupInside ?? 0,
    householdSpaces: () => o.spaces ?? 0,
    activePass: (p) => (o.pass && p === (o.pass.plate ?? p) ? ({ id: 'pass-1', householdId: '3-2-501', plate: p, validFrom: '', validTo: '2026-11-21T12:00:00.000Z', issuedBy: 'r', createdAt: '', estateId: 'e', ...o.pass } as VisitorPass) : undefined),
    arrearsFen: () => o.arrearsFen ?? 0,
  };
}

describe('entry decisions cite their clause', () => {
  it.each([
    // what                                   facts                                                                 action   clause  class        billable  display contains
    ['a resident car',                         { plate: '鄂A12345' },                                                'open',  '2.1', 'resident',  false, '业主车辆'],
    ['a new-energy resident car',              { plate: '鄂AD12345' },                                               'open',  '2.1', 'resident',  false, '业主车辆'],
    ['a monthly pass in date',                 { plate: '鄂B66666' },                                                'open',  '2.2', 'monthly',   false, '月租车'],
    ['a monthly pass expired, within grace',   { plate: '鄂B77777' },                                                'open',  '2.2', 'monthly',   false, '月租已到期'],
    ['a monthly pass expired, after grace',    { plate: '鄂B88888' },                                                'open',  '2.7', 'temporary', true,  '临时车'],
    ['a visitor inside the pass window',       { plate: '湘A88888', pass: {} },                                      'open',  '2.6', 'visitor',   false, '访客'],
    ['a visitor with no pass (outside window)',{ plate: '湘A88888' },                                                'open',  '2.7', 'temporary', true,  '免费30分钟'],
    ['a visitor who must pay by the charter',  { plate: '湘A88888', pass: {}, edit: (p: any): void => void (p.classes.visitor.free = false) }, 'open', '2.6', 'visitor', true, '访客'],
    ['a stranger when visitor spaces are full',{ plate: '湘A88888', occupied: 80 },                                  'deny',  '2.7', 'temporary', false, '车位已满 余位0'],
    ['a stranger sees the free spaces left',   { plate: '湘A88888', occupied: 10 },                                  'open',  '2.7', 'temporary', true,  '余位69'],
    ['a resident when visitor spaces are full',{ plate: '鄂A12345', occupied: 80 },                                  'open',  '2.1', 'resident',  false, '业主车辆'],
    ['strangers not allowed at all',           { plate: '湘A88888', edit: (p: any): void => void (p.classes.temporary.allowed = false) }, 'deny', '2.7', 'temporary', false, '非本小区'],
    ['a blacklisted car',                      { plate: '鄂C99999' },                                                'deny',  '2.4', 'blacklist', false, '禁止通行'],
    ['a police plate, unregistered',           { plate: '鄂A1234警' },                                               'open',  '2.5', 'emergency', false, '紧急车辆'],
    ['a service vehicle',                      { plate: '鄂A00S01' },                                                'open',  '2.3', 'internal',  false, '内部车辆'],
    ['arrears shown at entry',                 { plate: '湘A88888', arrearsFen: 600 },                               'open',  '2.7', 'temporary', true,  '欠费¥6'],
    ['arrears at the charter’s limit',         { plate: '湘A88888', arrearsFen: 2000, edit: (p: any): void => void (p.arrears.denyEntryAtFen = 2000) }, 'deny', '3.3', 'temporary', false, '请先补缴欠费 ¥20'],
  ] as const)('%s', (_what, o, action, clause, vehicleClass, billable, display) => {
    const d = decideEntry(facts(o as FactsOpts));
    expect({ action: d.action, clause: d.clause, vehicleClass: d.vehicleClass, billable: d.billable }).toEqual({ action, clause, vehicleClass, billable });
    expect(d.display).toContain(display);
    expect(d.explain.length).toBeGreaterThan(5);
  });

  describe('一位多车: a household with 1 space and 2 cars, one inside', () => {
    const g = { plate: '鄂A33333', spaces: 1, groupInside: 1 };
    it.each([
      ['may not enter when the switch says no', { overflowMayEnter: false }, 'deny', false, false],
      ['enters and pays the temporary tariff', { overflowMayEnter: true, overflowPaysTemporary: true }, 'open', true, true],
      ['enters free when the charter says so', { overflowMayEnter: true, overflowPaysTemporary: false }, 'open', false, true],
    ] as const)('%s', (_w, groups, action, billable, overflow) => {
      const d = decideEntry(facts({ ...g, edit: (p) => Object.assign(p.groups, groups) }));
      expect(d).toMatchObject({ action, clause: '2.8', billable, vehicleClass: 'resident' });
      expect(d.overflow ?? false).toBe(overflow && action === 'open');
    });
    it('a group car enters normally while the household has a free space', () => {
      const d = decideEntry(facts({ ...g, groupInside: 0 }));
      expect(d).toMatchObject({ action: 'open', clause: '2.1', billable: false });
      expect(d.overflow ?? false).toBe(false);
    });
  });

  describe('plates as read', () => {
    it.each([
      ['empty read asks the guard', '', 0.9, 'guard', '2.9', undefined],
      ['garbage asks the guard, showing what was read', '###', 0.9, 'guard', '2.9', '###'],
      ['fuzzy above threshold opens as the registered car (5 read as S)', '鄂A1234S', 0.97, 'open', '2.1', '鄂A12345'],
      ['fuzzy below threshold asks the guard with candidates', '鄂A1234S', 0.55, 'guard', '2.9', '鄂A1234S'],
    ] as const)('%s', (_w, plate, confidence, action, clause, matched) => {
      const d = decideEntry(facts({ plate, confidence }));
      expect({ action: d.action, clause: d.clause, plate: d.plate }).toEqual({ action, clause, plate: matched });
      if (action === 'guard' && plate.startsWith('鄂')) expect(d.candidates?.[0]?.plate).toBe('鄂A12345');
    });
  });

  describe('time-windowed passes (office spaces for residents at night)', () => {
    const edit = (p: any): void => void (p.windowPasses = [{ id: 'office-night', clause: '2.10', name: '写字楼夜间车位', plates: ['湘A88888'], lotId: 'lot-main', from: '18:00', to: '08:00' }]);
    it.each([
      ['at 19:00 the pass applies', Date.parse('2026-11-21T19:00:00+08:00'), 'open', '2.10', 'window'],
      ['at 07:30 next morning it still applies', Date.parse('2026-11-22T07:30:00+08:00'), 'open', '2.10', 'window'],
      ['at 12:00 it does not: a temporary car', Date.parse('2026-11-21T12:00:00+08:00'), 'open', '2.7', 'temporary'],
    ] as const)('%s', (_w, at, action, clause, vehicleClass) => {
      expect(decideEntry(facts({ plate: '湘A88888', at, edit }))).toMatchObject({ action, clause, vehicleClass });
    });
  });
});

describe('exit decisions', () => {
  const stay = (o: Partial<Stay>): Stay => ({ id: 's1', estateId: 'e', lotId: 'lot-main', plate: '湘A88888', vehicleClass: 'temporary', overflow: false, entryAt: new Date(T - 2 * H - 15 * 60_000).toISOString(), entrySource: 'camera', payment: 'none', ...o, billingFrom: o.billingFrom ?? o.entryAt ?? new Date(T - 2 * H - 15 * 60_000).toISOString() });
  const exit = (plate: string, stays: Stay[], edit?: (p: any) => void, at = T) =>
    decideExit({ atMs: at, plateRead: plate, confidence: 0.97, charterVersion: 1, parking: aParkingSection(edit), openStays: new Map(stays.map((s) => [s.plate, s])) });

  it.each([
    // 2h15m: 30 free, first 60 ¥5, then 45 min = 2 started half hours ¥2 → ¥7
    ['a temporary car pays before the arm lifts', undefined, 'deny', 700, '请缴费 ¥7', '3.1'],
    ['or is let out with the fee owed, by the charter', (p: any): void => void (p.exit.payment = 'owe'), 'open', 700, '已记欠费', '3.1'],
  ] as const)('%s', (_w, edit, action, fee, display, clause) => {
    const d = exit('湘A88888', [stay({})], edit);
    expect({ action: d.action, feeFen: d.feeFen, clause: d.clause }).toEqual({ action, feeFen: fee, clause });
    expect(d.display).toContain(display);
  });

  it('a resident leaves free', () => {
    const d = exit('鄂A12345', [stay({ plate: '鄂A12345', vehicleClass: 'resident', billingFrom: undefined })]);
    expect(d).toMatchObject({ action: 'open', feeFen: 0, display: '一路顺风' });
  });

  it('an overflow car whose billing stopped when a group car left pays only until then', () => {
    // 08:00 in, billing stopped 08:40 (daytime): 30 free + 10 min → the first period, ¥5; still inside at 10:00
    const entry = new Date(T - 2 * H).toISOString();
    const stopped = new Date(T - 2 * H + 40 * 60_000).toISOString();
    const d = exit('鄂A33333', [stay({ plate: '鄂A33333', vehicleClass: 'resident', overflow: true, entryAt: entry, billingFrom: entry, billingTo: stopped })]);
    expect(d).toMatchObject({ action: 'deny', feeFen: 500 });
  });

  it('an exit with no entry goes to the guard with the likeliest cars inside', () => {
    const d = exit('鄂A1234S', [stay({ plate: '鄂A12345' }), stay({ id: 's2', plate: '京N99999' })]);
    // 鄂A1234S is close enough to 鄂A12345 to match it outright at confidence 0.97, so use a plate nobody inside resembles
    expect(d.stay?.plate).toBe('鄂A12345');
    const u = exit('粤Z11111', [stay({ plate: '鄂A12345' }), stay({ id: 's2', plate: '京N99999' })]);
    expect(u).toMatchObject({ action: 'guard', clause: '3.2' });
    expect(u.unmatched!.candidates).toHaveLength(2);
  });

  it('or is charged the charter’s default fee', () => {
    const d = exit('粤Z11111', [], (p) => (p.exit.unmatched = 'charge-default'));
    expect(d).toMatchObject({ action: 'deny', clause: '3.2', feeFen: 1000, display: '无入场记录 请缴费 ¥10' });
  });

  it('fees across midnight use the night rate and its cap', () => {
    // 21:50 → 07:10: 30 free to 22:20… day part 21:50–22:00 is inside free time; night 22:00–07:00 capped at ¥5;
    // 07:00–07:10 day: first period ¥5 → ¥10 total (the tariff tests hold the full arithmetic).
    const entry = new Date(Date.parse('2026-11-20T21:50:00+08:00')).toISOString();
    const d = exit('湘A88888', [stay({ entryAt: entry, billingFrom: entry })], undefined, Date.parse('2026-11-21T07:10:00+08:00'));
    expect(d.feeFen).toBeGreaterThan(0);
    expect(d.feeFen).toBeLessThanOrEqual(2000); // daily cap
    expect(d.feeExplain).toMatch(/夜/);
  });
});
