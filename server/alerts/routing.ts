import type { AlertsSection } from '../charter/alerts-schema.js';
import { dutyFor, skillFor, type Roster, type Skill } from './roster.js';
import type { Severity } from './types.js';

/**
 * Who hears about an alert, and when (alerts section of the charter). A pure
 * function of the time since the alert was raised and whether someone claimed it,
 * so the caller may ask on the raise and on every timer tick and get the same
 * answer: `recipients` only grows, and the new names are the ones to notify.
 */

export type RouteStage = 'duty' | 'next' | 'committee' | 'everyone';

export interface RouteInput {
  alert: { kind: string; severity: Severity; needsPerson: boolean; deviceKind: string };
  roster: Roster;
  rules: AlertsSection;
  raisedAtMs: number;
  claimed: boolean;
  /** When it was claimed: escalation stops there. Absent with `claimed`: `nowMs`. */
  claimedAtMs?: number;
  nowMs: number;
}

export interface RouteDecision {
  /** Usernames told so far (accumulating); on-duty first, in the order they were added. */
  recipients: string[];
  /** Channel ids outside the roster told so far: the elevator company on an all-hands alert. */
  external: string[];
  stage: RouteStage;
  /** The next reminder to `recipients`; undefined once claimed. */
  remindAtMs?: number;
  /** When `recipients` next grows; undefined once claimed or when nobody is left to add. */
  escalateAtMs?: number;
  clause: string;
  /** Chinese, for the alert's history and the notification. */
  explain: string;
}

const MIN = 60_000;
const SKILL_ZH: Record<Skill, string> = { gate: '门岗', charger: '充电棚', elevator: '电梯', general: '综合' };

interface Step {
  afterMs: number;
  stage: RouteStage;
  add: string[];
  say: string;
}

const names = (ns: string[]) => ns.join('、');

/** The escalation plan for an ordinary alert; a step that would tell nobody new is left out. */
function plan(chain: string[], roster: Roster, rules: AlertsSection, skill: Skill, covering: Skill): Step[] {
  if (chain.length === 0) {
    return [{ afterMs: 0, stage: 'committee', add: roster.committee, say: `此时无人${SKILL_ZH[skill]}值班，直接通知业委会 ${names(roster.committee)}` }];
  }
  const duty = covering === skill ? `${SKILL_ZH[skill]}值班` : `${SKILL_ZH[covering]}值班（代${SKILL_ZH[skill]}）`;
  const [first, next, ...rest] = chain as [string, ...string[]];
  const steps: Step[] = [{ afterMs: 0, stage: 'duty', add: [first], say: `通知${duty} ${first}` }];
  if (next) steps.push({ afterMs: rules.escalateAfterMin * MIN, stage: 'next', add: [next], say: `${rules.escalateAfterMin}分钟无人认领，加派下一位 ${next}` });
  const told = new Set([first, next]);
  const late = [...rest, ...roster.committee].filter((n) => !told.has(n));
  const also = rest.length > 0 ? '及本班其余人员' : '';
  if (late.length > 0) steps.push({ afterMs: rules.committeeAfterMin * MIN, stage: 'committee', add: late, say: `${rules.committeeAfterMin}分钟无人认领，通知业委会${also} ${names(late)}` });
  return steps;
}

function allHands(input: RouteInput, chain: string[]): Step[] {
  const { roster, alert } = input;
  const everyone = [...chain, ...roster.volunteers.map((v) => v.username), ...roster.committee];
  const company = roster.elevatorCompany ? `及电梯维保单位${roster.elevatorCompany.name}` : '（未登记电梯维保单位）';
  return [{ afterMs: 0, stage: 'everyone', add: everyone, say: `${alert.kind} 须立即处理：通知全体志愿者、业委会${company}` }];
}

function nextReminder(raisedAtMs: number, elapsedMs: number, everyMin: number): number {
  const every = everyMin * MIN;
  return raisedAtMs + (Math.floor(elapsedMs / every) + 1) * every;
}

/**
 * Route an alert at `nowMs`. The chain is the one on duty when the alert was raised,
 * so a shift change does not reshuffle who has been told. All-hands kinds
 * (`rules.allHandsKinds`, e.g. 电梯困人) go to every volunteer, the committee and the
 * elevator company at once. Reminders come every `remindEveryMin` until claimed; a
 * claim freezes the recipients as they were at the claim.
 */
export function routeAlert(input: RouteInput): RouteDecision {
  const { alert, roster, rules, raisedAtMs, claimed, nowMs } = input;
  const skill = skillFor(alert.deviceKind);
  const { chain, skill: covering } = dutyFor(roster, skill, raisedAtMs);
  const isAllHands = rules.allHandsKinds.includes(alert.kind);
  const steps = isAllHands ? allHands(input, chain) : plan(chain, roster, rules, skill, covering);

  const until = claimed ? Math.min(input.claimedAtMs ?? nowMs, nowMs) : nowMs;
  const elapsed = Math.max(0, until - raisedAtMs);
  const reached = steps.filter((s) => s.afterMs <= elapsed);
  const pending = steps.find((s) => s.afterMs > elapsed);
  const last = reached[reached.length - 1]!; // every plan starts at 0

  const after = claimed
    ? '已认领，停止提醒与升级'
    : [`每${rules.remindEveryMin}分钟提醒直至认领`, pending && `${Math.round(pending.afterMs / MIN)}分钟时${pending.stage === 'next' ? '加派下一位' : '通知业委会'}`]
        .filter(Boolean)
        .join('；');
  const person = alert.needsPerson ? '（须有人到场确认后关闭）' : '';
  return {
    recipients: [...new Set(reached.flatMap((s) => s.add))],
    external: isAllHands && roster.elevatorCompany ? [roster.elevatorCompany.contact] : [],
    stage: last.stage,
    remindAtMs: claimed ? undefined : nextReminder(raisedAtMs, elapsed, rules.remindEveryMin),
    escalateAtMs: claimed || !pending ? undefined : raisedAtMs + pending.afterMs,
    clause: isAllHands ? (rules.allHandsClause ?? rules.clause) : rules.clause,
    explain: `${reached.map((s) => s.say).join('；')}${person}。${after}。`,
  };
}

/** Points a volunteer earns for resolving an alert of this severity (`rules.pointsClause`). */
export function pointsFor(rules: AlertsSection, severity: Severity): number {
  return rules.pointsPerResolved[severity];
}
