import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { COMMITTEE } from '../../auth/roles.js';
import { endOfLocalDate } from '../../parking/local-time.js';
import { Bucket } from '../../reports/usage-buckets.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { badRequest } from '../errors.js';

const DAY_MS = 86_400_000;
const EstateParams = z.object({ estateId: Id });
/** A moment, or a local date: `from=2026-03-01` is its midnight (UTC+8), `to=2026-03-31` the end of that day. */
const When = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const UsageQuery = z.object({
  from: When.optional().describe('default: 30 days before `to`'),
  to: When.optional().describe('default: now'),
  bucket: Bucket.default('day').describe('local (UTC+8) hour, day, week (from Monday) or month'),
});
/** A year and a bit of hourly buckets (≈ 9,000) is as much as one chart should carry. */
const MAX_PERIOD_MS = 400 * DAY_MS;

const at = (v: string, endOfDay: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? (endOfDay ? endOfLocalDate(v) : Date.parse(`${v}T00:00:00+08:00`)) : Date.parse(v));

const REPORTS = {
  gates: 'Entries and exits, residents vs visitors, peak occupancy and fees per bucket',
  chargers: 'Charging sessions, kWh, revenue and port utilisation per bucket',
  elevators: 'Rides per bucket, and by floor (boardings, alightings) per elevator',
} as const;

/** Issue 7: the committee's usage charts. Every answer is `{estateId, from, to, bucket, …totals, series}`. */
export const usageReportRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  for (const [name, summary] of Object.entries(REPORTS) as [keyof typeof REPORTS, string][]) {
    app.get(
      `/api/estates/:estateId/reports/usage/${name}`,
      { config: { roles: COMMITTEE }, schema: { tags: ['reports'], summary, params: EstateParams, querystring: UsageQuery } },
      async (req) => {
        requireEstate(store, req.params.estateId);
        const to = req.query.to ? at(req.query.to, true) : Date.now();
        const from = req.query.from ? at(req.query.from, false) : to - 30 * DAY_MS;
        if (from >= to) throw badRequest('query.from: must be before `to`');
        if (to - from > MAX_PERIOD_MS) throw badRequest('query.from: the period may be at most 400 days; ask for one year at a time');
        const range = { estateId: req.params.estateId, fromMs: from, toMs: to, bucket: req.query.bucket };
        return { estateId: range.estateId, from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: range.bucket, ...store.usage[name](range) };
      },
    );
  }
};
