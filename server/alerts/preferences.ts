import { z } from 'zod';
import { inDailyWindow } from '../parking/local-time.js';
import type { Severity as AlertSeverity } from './types.js';

/**
 * A volunteer's own notification settings (通知偏好): which kinds of alert, from what
 * severity, and quiet hours at night. Routing decides who should hear; these only
 * let a person turn down what reaches their phone — never a critical alert at night.
 */

// `satisfies` keeps the zod list inside the alert type; RANK, indexed by an alert's severity, keeps it complete.
export const Severity = z.enum(['critical', 'high', 'medium', 'low']) satisfies z.ZodType<AlertSeverity>;
const RANK: Record<z.infer<typeof Severity>, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59');

export const NotificationPrefs = z
  .object({
    kinds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .optional()
      .describe('只接收这些告警，按前缀，如 elevator. 或 charger.smoke；不填为全部 (kind prefixes; absent: all)'),
    minSeverity: Severity.optional().describe('最低严重程度；不填为全部 (least severity; absent: all)'),
    quietHours: z
      .object({ from: TimeOfDay, to: TimeOfDay.describe('早于 from 即跨午夜 (earlier than `from` crosses midnight)') })
      .refine((q) => q.from !== q.to, { message: 'quiet hours `from` and `to` must differ', path: ['to'] })
      .optional()
      .describe('免打扰时段（北京时间），紧急告警不受限 (quiet hours, Beijing time; critical alerts still come)'),
  })
  .describe('个人通知偏好 (a person’s notification preferences)');
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** Does this person want this alert on their phone at `atMs`? Quiet hours never hold back a critical alert. */
export function shouldNotify(pref: NotificationPrefs, alert: { kind: string; severity: AlertSeverity }, atMs: number): boolean {
  if (pref.kinds && !pref.kinds.some((prefix) => alert.kind.startsWith(prefix))) return false;
  if (pref.minSeverity && RANK[alert.severity] < RANK[pref.minSeverity]) return false;
  if (pref.quietHours && alert.severity !== 'critical' && inDailyWindow(atMs, pref.quietHours.from, pref.quietHours.to, EVERY_DAY)) return false;
  return true;
}
