import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { COMMITTEE } from '../../auth/roles.js';
import { endOfLocalDate } from '../../parking/local-time.js';
import { Bucket, DAY_MS, MAX_RANGE_MS } from '../../reports/usage-buckets.js';
import { CHARGER_SERIES, ELEVATOR_SERIES, GATE_SERIES } from '../../reports/usage-reports.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { badRequest } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
/** A moment, or a local date: `from=2026-03-01` is its midnight (UTC+8), `to=2026-03-31` the end of that day. */
const When = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const UsageQuery = z.object({
  from: When.optional().describe('default: 30 days before `to`'),
  to: When.optional().describe('default: now'),
  bucket: Bucket.default('day').describe('local (UTC+8) hour, day, week (from Monday) or month'),
});

const at = (v: string, endOfDay: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? (endOfDay ? endOfLocalDate(v) : Date.parse(`${v}T00:00:00+08:00`)) : Date.parse(v));

const REPORTS = {
  gates: { summary: 'Entries and exits, residents vs visitors, peak occupancy and fees per bucket', series: GATE_SERIES },
  chargers: { summary: 'Charging sessions, kWh, revenue and port utilisation per bucket', series: CHARGER_SERIES },
  elevators: { summary: 'Rides per bucket, and by floor (boardings, alightings) per elevator', series: ELEVATOR_SERIES },
} as const;

/** A year of hourly buckets as one object per bucket would repeat every field name 8,760 times: one array per field instead. */
const description = (series: readonly string[]) =>
  'The answer is `{estateId, from, to, bucket, …totals, series}`. `series` is columnar: an object of equal-length arrays, ' +
  '`bucket` the local (UTC+8) bucket labels in order (`2026-03-01 08:00`, `2026-03-01`, the Monday `2026-02-23` starting a week, `2026-03`) ' +
  `and ${series.map((f) => `\`${f}\``).join(', ')} each the figure of the bucket at the same index. Every bucket of the range is listed, those without traffic too (their counts 0).`;

/** Issue 7: the committee's usage charts. */
export const usageReportRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  for (const [name, { summary, series }] of Object.entries(REPORTS) as [keyof typeof REPORTS, (typeof REPORTS)[keyof typeof REPORTS]][]) {
    app.get(
      `/api/estates/:estateId/reports/usage/${name}`,
      { config: { roles: COMMITTEE }, schema: { tags: ['reports'], summary, description: description(series), params: EstateParams, querystring: UsageQuery } },
      async (req) => {
        requireEstate(store, req.params.estateId);
        const to = req.query.to ? at(req.query.to, true) : Date.now();
        const from = req.query.from ? at(req.query.from, false) : to - 30 * DAY_MS;
        if (from >= to) throw badRequest('querystring.from: must be before `to`');
        if (to - from > MAX_RANGE_MS) throw badRequest('querystring.from: the period may be at most 400 days; ask for one year at a time');
        const range = { estateId: req.params.estateId, fromMs: from, toMs: to, bucket: req.query.bucket };
        return { estateId: range.estateId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: range.bucket, ...store.usage[name](range) };
      },
    );
  }
};
