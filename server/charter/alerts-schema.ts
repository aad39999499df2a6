import { z } from 'zod';
import { Clause } from './parking-schema.js';

/**
 * The alerts section of the charter (值班与告警处理): how long an unclaimed alert
 * waits before the next volunteer and then the committee are told, how often the
 * people told are reminded, which alerts go to everyone at once, and the points a
 * volunteer earns for resolving one. `server/alerts/routing.ts` reads it and cites
 * its clauses. Maintenance is done by resident volunteers, so the escalation times
 * are the committee's promise to residents, not a contract's service level.
 */

const Minutes = z.number().int().min(1).max(24 * 60);
const Points = z.number().int().min(0).max(100);

export const AlertsSection = z
  .object({
    clause: Clause.describe('值班与逐级通知条款 (duty roster and escalation)'),
    escalateAfterMin: Minutes.default(10).describe('无人认领多少分钟后加派值班表上的下一位 (unclaimed this long: the next person too)'),
    committeeAfterMin: Minutes.default(20).describe('无人认领多少分钟后通知业委会 (unclaimed this long: the committee too)'),
    remindEveryMin: Minutes.default(5).describe('认领前每隔多少分钟提醒一次 (remind every … minutes until claimed)'),
    allHandsClause: Clause.optional().describe('全员通知的条款；不填引用总条款 (clause for all-hands alerts; absent: `clause`)'),
    allHandsKinds: z
      .array(z.string().min(1).max(64))
      .default(['elevator.trapped', 'elevator.emergency-call'])
      .describe('立即通知全体志愿者、业委会和电梯维保单位的告警，如 电梯困人 (alerts everyone and the elevator company hear at once)'),
    pointsClause: Clause.optional().describe('志愿积分条款 (volunteer points)'),
    pointsPerResolved: z
      .object({
        critical: Points.default(5),
        high: Points.default(3),
        medium: Points.default(2),
        low: Points.default(1),
      })
      .prefault({})
      .describe('处理一条告警所得积分，按严重程度 (points for resolving an alert, by severity)'),
  })
  .refine((s) => s.escalateAfterMin < s.committeeAfterMin, {
    message: 'escalateAfterMin must be less than committeeAfterMin: the next volunteer is told before the committee',
    path: ['committeeAfterMin'],
  })
  .describe('告警值班与升级 (alert duty and escalation)');
export type AlertsSection = z.infer<typeof AlertsSection>;
/** What a charter file may leave out (the defaults fill it in). */
export type AlertsSectionInput = z.input<typeof AlertsSection>;
