import { describe, it, expect } from 'vitest';
import { decideRide, type RideDecision, type RideInput } from '../../server/elevator/access.js';
import { ElevatorAccess, ElevatorFaultRules } from '../../server/charter/elevator-access-schema.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';

const AT = Date.parse('2026-11-21T18:00:00+08:00');
const DAY = 24 * 3_600_000;

const access = anElevatorAccess(); // 6.1 members own+ground, 6.2 passes, 6.3 ¥1 per ride to ground+own, ttl 10 s
const allFloors = anElevatorAccess((a) => (a.memberFloors = 'all'));
const noPayPerRide = anElevatorAccess((a) => delete a.payPerRide);
const payAnyFloor = anElevatorAccess((a) => (a.payPerRide.floors = 'any'));
const twoGrounds = anElevatorAccess((a) => (a.groundFloors = [1, -1]));

type Input = Omit<RideInput, 'atMs' | 'elevator' | 'access'> & { access?: RideInput['access'] };
const card = (edit: Partial<NonNullable<RideInput['card']>> = {}) => ({ cardId: 'E501', householdId: '3-2-501', status: 'active' as const, purposes: ['elevator', 'charger'], ...edit });
const base: Input = { card: card(), household: { id: '3-2-501', floor: 5 }, member: true };
const input = (edit: Partial<Input> = {}): Input => ({ ...base, ...edit });
const stranger = (edit: Partial<Input> = {}): Input => input({ member: false, ...edit });
const medical = (days: number, floors?: number[]) => ({ kind: 'medical' as const, validUntilMs: AT + days * DAY, ...(floors && { floors }) });
const temporary = (days: number, floors?: number[]) => ({ kind: 'temporary' as const, validUntilMs: AT + days * DAY, ...(floors && { floors }) });

type Expected =
  | { action: 'grant'; floors: number[]; clause: string; chargeFen?: number }
  | { action: 'deny'; reason: string; clause: string };
type Row = [name: string, i: Input, expected: Expected, explainHas?: string];

// The elevator in every row serves B1 (-1) to 7.
// prettier-ignore
const ROWS: Row[] = [
  ['member: own floor and the ground floor',       input(),                                          { action: 'grant', floors: [1, 5], clause: '6.1' }, '出资住户'],
  ['member, ground floors 1 and B1',               input({ access: twoGrounds }),                    { action: 'grant', floors: [-1, 1, 5], clause: '6.1' }],
  ["member with 'all': every floor, no floor 0",   input({ access: allFloors }),                     { action: 'grant', floors: [-1, 1, 2, 3, 4, 5, 6, 7], clause: '6.1' }, '所有楼层'],
  ['member of another building: ground only',      input({ household: undefined }),                  { action: 'grant', floors: [1], clause: '6.1' }, '不在此楼'],
  ['member registered above the top floor',        input({ household: { id: '3-2-501', floor: 9 } }), { action: 'grant', floors: [1], clause: '6.1' }, '超出本梯'],
  ['member with an expired pass rides as a member', input({ pass: medical(-1) }),                    { action: 'grant', floors: [1, 5], clause: '6.1' }],
  ['non-member, no pay-per-ride: denied',          stranger({ access: noPayPerRide }),               { action: 'deny', reason: '非出资住户 请联系业委会', clause: '6.1' }, '补缴分摊费用'],
  ['non-member pays per ride: charged',            stranger({ balanceFen: 500 }),                    { action: 'grant', floors: [1, 5], clause: '6.3', chargeFen: 100 }, '¥1'],
  ['non-member, balance exactly one ride',         stranger({ balanceFen: 100 }),                    { action: 'grant', floors: [1, 5], clause: '6.3', chargeFen: 100 }],
  ['non-member pays per ride, any floor',          stranger({ access: payAnyFloor, balanceFen: 100 }), { action: 'grant', floors: [-1, 1, 2, 3, 4, 5, 6, 7], clause: '6.3', chargeFen: 100 }],
  ['non-member, balance short',                    stranger({ balanceFen: 50 }),                     { action: 'deny', reason: '余额不足 ¥0.50', clause: '6.3' }, '请充值'],
  ['non-member, no account',                       stranger(),                                       { action: 'deny', reason: '余额不足 ¥0', clause: '6.3' }],
  ['medical pass in date: own floor and ground',   stranger({ pass: medical(10) }),                  { action: 'grant', floors: [1, 5], clause: '6.2' }, '医疗通行证'],
  ['medical pass in date: not charged',            stranger({ pass: medical(10), balanceFen: 5000 }), { action: 'grant', floors: [1, 5], clause: '6.2' }],
  ['medical pass with its own floors',             stranger({ pass: medical(10, [3]) }),             { action: 'grant', floors: [1, 3], clause: '6.2' }],
  ['medical pass ends at this instant: expired',   stranger({ pass: medical(0), access: noPayPerRide }), { action: 'deny', reason: '通行证已过期', clause: '6.2' }],
  ['medical pass expired',                         stranger({ pass: medical(-1), access: noPayPerRide }), { action: 'deny', reason: '通行证已过期', clause: '6.2' }, '2026-11-20 18:00'],
  ['medical pass expired, short balance',          stranger({ pass: medical(-1), balanceFen: 20 }),  { action: 'deny', reason: '通行证已过期', clause: '6.2' }, '¥0.20'],
  ['medical pass expired, pays per ride',          stranger({ pass: medical(-1), balanceFen: 300 }), { action: 'grant', floors: [1, 5], clause: '6.3', chargeFen: 100 }],
  ['temporary pass (a carer)',                     stranger({ pass: temporary(1, [6]), household: undefined }), { action: 'grant', floors: [1, 6], clause: '6.2' }, '临时通行证'],
  ['temporary pass expired',                       stranger({ pass: temporary(-2), access: noPayPerRide }), { action: 'deny', reason: '通行证已过期', clause: '6.2' }],
  ['frozen card, member or not',                   input({ card: card({ status: 'frozen' }) }),      { action: 'deny', reason: '卡已冻结', clause: '6.1' }, '冻结'],
  ['frozen card with a valid pass',                stranger({ card: card({ status: 'frozen' }), pass: medical(10) }), { action: 'deny', reason: '卡已冻结', clause: '6.1' }],
  ['unregistered card',                            input({ card: undefined, household: undefined }), { action: 'deny', reason: '卡未登记', clause: '6.1' }, '没有登记'],
  ['card with no household',                       input({ card: card({ householdId: '' }) }),       { action: 'deny', reason: '卡未登记', clause: '6.1' }],
  ['card without the elevator purpose',            input({ card: card({ purposes: ['charger'] }) }), { action: 'deny', reason: '此卡未开通电梯', clause: '6.1' }, '电梯用途'],
];

describe('decideRide', () => {
  it.each(ROWS)('%s', (_name, i, expected, explainHas) => {
    const d: RideDecision = decideRide({ access, ...i, elevator: { elevatorId: 'lift-3-2', lowestFloor: -1, highestFloor: 7 }, atMs: AT });
    expect(d).toEqual({ ...expected, ...(expected.action === 'grant' && { ttlS: 10 }), explain: expect.stringContaining(`第${expected.clause}条`) });
    if (explainHas) expect(d.explain).toContain(explainHas);
    if (d.action === 'deny') expect([...d.reason].length).toBeLessThanOrEqual(16);
  });

  it('denies when the ground floors lie outside the range and the household has none', () => {
    const d = decideRide({ access, ...input({ household: undefined }), elevator: { elevatorId: 'lift-x', lowestFloor: 2, highestFloor: 7 }, atMs: AT });
    expect(d).toMatchObject({ action: 'deny', reason: '无可选楼层 请联系业委会', clause: '6.1' });
  });

  it('grant ttl defaults to 30 s', () => {
    const d = decideRide({ access: anElevatorAccess((a) => delete a.grantTtlS), ...input(), elevator: { elevatorId: 'l', lowestFloor: 1, highestFloor: 6 }, atMs: AT });
    expect(d).toMatchObject({ action: 'grant', ttlS: 30 });
  });
});

describe('the charter schemas', () => {
  it('fills the defaults', () => {
    expect(ElevatorAccess.parse({ clause: '6.1', passes: { clause: '6.2' } })).toEqual({
      clause: '6.1',
      groundFloors: [1],
      memberFloors: 'own-and-ground',
      passes: { clause: '6.2', maxDays: 30 },
      grantTtlS: 30,
    });
    expect(ElevatorFaultRules.parse({ clause: '6.5' })).toEqual({ clause: '6.5', doorOpenTooLongS: 120, stoppedBetweenFloorsS: 30, maintenanceIntervalDays: 15 });
  });

  it.each([
    ['maintenance less often than every 15 days (TSG T5002)', () => anElevatorFaultRules((r) => (r.maintenanceIntervalDays = 30))],
    ['a clause that is not a number', () => anElevatorAccess((a) => (a.clause = 'six'))],
    ['no ground floor', () => anElevatorAccess((a) => (a.groundFloors = []))],
    ['a grant longer than the contract allows', () => anElevatorAccess((a) => (a.grantTtlS = 601))],
  ])('rejects %s', (_name, build) => {
    expect(build).toThrow();
  });
});
