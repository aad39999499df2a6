import { describe, it, expect } from 'vitest';
import { pointsFor, routeAlert, type RouteDecision, type RouteInput } from '../../server/alerts/routing.js';
import type { Severity } from '../../server/alerts/types.js';
import { aRoster, anAlertsSection, at, MIN } from '../support/roster.js';

const RAISED = at('2025-03-03 09:00'); // Monday: gate chain [wang, li, zhou], elevator [chen], general [liu, wang]
const COMMITTEE = ['lao-zhang', 'lao-he'];
const gateOffline = { kind: 'device.offline', severity: 'high' as Severity, needsPerson: false, deviceKind: 'gate' };
const trapped = { kind: 'elevator.trapped', severity: 'critical' as Severity, needsPerson: true, deviceKind: 'elevator' };

/** Times in minutes since the raise; `claimedAt` in minutes too. */
interface Case {
  alert?: Partial<RouteInput['alert']>;
  roster?: (r: Record<string, any>) => void;
  rules?: (a: Record<string, any>) => void;
  raisedAt?: number;
  now: number;
  claimed?: boolean;
  claimedAt?: number;
}
interface Expected {
  recipients: string[];
  stage: RouteDecision['stage'];
  remindAt?: number;
  escalateAt?: number;
  external?: string[];
  clause?: string;
  says?: string[];
}

function route(c: Case): RouteDecision {
  const raisedAtMs = c.raisedAt ?? RAISED;
  return routeAlert({
    alert: { ...gateOffline, ...c.alert },
    roster: aRoster(c.roster),
    rules: anAlertsSection(c.rules),
    raisedAtMs,
    claimed: c.claimed ?? c.claimedAt !== undefined,
    claimedAtMs: c.claimedAt === undefined ? undefined : raisedAtMs + c.claimedAt * MIN,
    nowMs: raisedAtMs + c.now * MIN,
  });
}

function check(c: Case, e: Expected): void {
  const d = route(c);
  const raised = c.raisedAt ?? RAISED;
  expect(d.recipients).toEqual(e.recipients);
  expect(d.stage).toBe(e.stage);
  expect(d.remindAtMs).toBe(e.remindAt === undefined ? undefined : raised + e.remindAt * MIN);
  expect(d.escalateAtMs).toBe(e.escalateAt === undefined ? undefined : raised + e.escalateAt * MIN);
  expect(d.external).toEqual(e.external ?? []);
  expect(d.clause).toBe(e.clause ?? '7.1');
  for (const s of e.says ?? []) expect(d.explain).toContain(s);
}

type Row = [name: string, c: Case, e: Expected];
const ALL = ['wang', 'li', 'zhou', 'lao-zhang', 'lao-he'];

// prettier-ignore
const TIMELINE: Row[] = [
  ['t=0: the gate volunteer on duty only', { now: 0 }, { recipients: ['wang'], stage: 'duty', remindAt: 5, escalateAt: 10, says: ['门岗值班 wang', '每5分钟提醒', '10分钟时加派下一位'] }],
  ['t=4: nothing new yet', { now: 4 }, { recipients: ['wang'], stage: 'duty', remindAt: 5, escalateAt: 10 }],
  ['t=5: reminder time, the next one at 10', { now: 5 }, { recipients: ['wang'], stage: 'duty', remindAt: 10, escalateAt: 10 }],
  ['t=10: the next person added', { now: 10 }, { recipients: ['wang', 'li'], stage: 'next', remindAt: 15, escalateAt: 20, says: ['加派下一位 li', '20分钟时通知业委会'] }],
  ['t=19: still duty and next', { now: 19 }, { recipients: ['wang', 'li'], stage: 'next', remindAt: 20, escalateAt: 20 }],
  ['t=20: the committee and the rest of the shift', { now: 20 }, { recipients: ALL, stage: 'committee', remindAt: 25, says: ['通知业委会及本班其余人员 zhou、lao-zhang、lao-he'] }],
  ['t=95: reminders go on, nobody left to add', { now: 95 }, { recipients: ALL, stage: 'committee', remindAt: 100 }],
  ['claimed at 7, asked at 7', { now: 7, claimedAt: 7 }, { recipients: ['wang'], stage: 'duty', says: ['已认领'] }],
  ['claimed at 7: no escalation at 12', { now: 12, claimedAt: 7 }, { recipients: ['wang'], stage: 'duty' }],
  ['claimed at 7: no committee at 60', { now: 60, claimedAt: 7 }, { recipients: ['wang'], stage: 'duty' }],
  ['claimed at 15: who was told stays told', { now: 30, claimedAt: 15 }, { recipients: ['wang', 'li'], stage: 'next' }],
  ['claimed with no time: now is the claim', { now: 12, claimed: true }, { recipients: ['wang', 'li'], stage: 'next' }],
];

describe('routeAlert: a gate offline alert over time', () => {
  it.each(TIMELINE)('%s', (_name, c, e) => check(c, e));
});

const EVERYONE = ['chen', 'wang', 'li', 'zhou', 'zhao', 'liu', 'lao-zhang', 'lao-he'];

// prettier-ignore
const CASES: Row[] = [
  ['trapped: everyone and the company at once', { alert: trapped, now: 0 }, { recipients: EVERYONE, stage: 'everyone', remindAt: 5, external: ['sms:otis-hotline'], clause: '7.2', says: ['全体志愿者', '奥的斯维保', '须有人到场确认'] }],
  ['trapped at t=30: the same people, still reminded', { alert: trapped, now: 30 }, { recipients: EVERYONE, stage: 'everyone', remindAt: 35, external: ['sms:otis-hotline'], clause: '7.2' }],
  ['trapped and claimed: no reminders', { alert: trapped, now: 3, claimedAt: 2 }, { recipients: EVERYONE, stage: 'everyone', external: ['sms:otis-hotline'], clause: '7.2' }],
  ['emergency call is all-hands too', { alert: { ...trapped, kind: 'elevator.emergency-call' }, now: 0 }, { recipients: EVERYONE, stage: 'everyone', remindAt: 5, external: ['sms:otis-hotline'], clause: '7.2' }],
  ['trapped at night: the volunteers and committee still', { alert: trapped, raisedAt: at('2025-03-05 03:00'), now: 0 }, { recipients: ['wang', 'li', 'zhou', 'chen', 'zhao', 'liu', 'lao-zhang', 'lao-he'], stage: 'everyone', remindAt: 5, external: ['sms:otis-hotline'], clause: '7.2' }],
  ['trapped with no company on file', { alert: trapped, roster: (r) => delete r.elevatorCompany, now: 0 }, { recipients: EVERYONE, stage: 'everyone', remindAt: 5, clause: '7.2', says: ['未登记电梯维保单位'] }],
  ['the charter may add all-hands kinds', { alert: { kind: 'charger.smoke', severity: 'critical', deviceKind: 'charger' }, rules: (a) => (a.allHandsKinds = ['elevator.trapped', 'charger.smoke']), now: 0 }, { recipients: ['liu', 'wang', 'li', 'zhou', 'chen', 'zhao', 'lao-zhang', 'lao-he'], stage: 'everyone', remindAt: 5, external: ['sms:otis-hotline'], clause: '7.2' }],
  ['an elevator fault that is not all-hands: the one on duty', { alert: { kind: 'elevator.door-fault', deviceKind: 'elevator' }, now: 0 }, { recipients: ['chen'], stage: 'duty', remindAt: 5, escalateAt: 20 }],
  ['a one-person chain skips “next”', { alert: { kind: 'elevator.door-fault', deviceKind: 'elevator' }, now: 10 }, { recipients: ['chen'], stage: 'duty', remindAt: 15, escalateAt: 20 }],
  ['…and reaches the committee at 20', { alert: { kind: 'elevator.door-fault', deviceKind: 'elevator' }, now: 20 }, { recipients: ['chen', ...COMMITTEE], stage: 'committee', remindAt: 25, says: ['20分钟无人认领，通知业委会 lao-zhang'] }],
  ['a camera is a gate matter', { alert: { deviceKind: 'camera' }, now: 0 }, { recipients: ['wang'], stage: 'duty', remindAt: 5, escalateAt: 10 }],
  ['a charger with no charger shift: general', { alert: { kind: 'charger.over-temperature', deviceKind: 'charger' }, now: 10 }, { recipients: ['liu', 'wang'], stage: 'next', remindAt: 15, escalateAt: 20, says: ['综合值班（代充电棚） liu'] }],
  ['an unknown device kind: general', { alert: { deviceKind: 'water-pump' }, now: 0 }, { recipients: ['liu'], stage: 'duty', remindAt: 5, escalateAt: 10 }],
  ['nobody on duty: the committee at once', { raisedAt: at('2025-03-05 10:00'), now: 0 }, { recipients: COMMITTEE, stage: 'committee', remindAt: 5, says: ['无人门岗值班', '业委会'] }],
  ['the chain is the one on duty at the raise', { raisedAt: at('2025-03-03 19:55'), now: 10 }, { recipients: ['wang', 'li'], stage: 'next', remindAt: 15, escalateAt: 20 }],
  ['a committee member on duty is told once', { roster: (r) => r.committee.unshift('li'), now: 20 }, { recipients: ALL, stage: 'committee', remindAt: 25 }],
  ['the charter’s own times', { rules: (a) => Object.assign(a, { escalateAfterMin: 3, committeeAfterMin: 6, remindEveryMin: 2 }), now: 4 }, { recipients: ['wang', 'li'], stage: 'next', remindAt: 6, escalateAt: 6 }],
  ['a clock before the raise counts as the raise', { now: -3 }, { recipients: ['wang'], stage: 'duty', remindAt: 5, escalateAt: 10 }],
];

describe('routeAlert: who hears', () => {
  it.each(CASES)('%s', (_name, c, e) => check(c, e));
});

describe('routeAlert: recipients only grow', () => {
  it.each([
    ['gate offline', gateOffline],
    ['trapped', trapped],
  ])('%s, minute by minute', (_name, alert) => {
    let told: string[] = [];
    for (let m = 0; m <= 40; m++) {
      const { recipients } = route({ alert, now: m });
      expect(recipients.slice(0, told.length)).toEqual(told);
      told = recipients;
    }
  });
});

describe('pointsFor', () => {
  it.each([
    ['critical', undefined, 5],
    ['high', undefined, 3],
    ['medium', undefined, 2],
    ['low', undefined, 1],
    ['critical', 10, 10],
  ] as [Severity, number | undefined, number][])('%s (charter %s) → %d', (severity, critical, points) => {
    const rules = anAlertsSection((a) => critical !== undefined && (a.pointsPerResolved = { critical }));
    expect(pointsFor(rules, severity)).toBe(points);
  });
});
