import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DeviceKind, Id } from '../../../devices/index.js';
import { MAINTAINERS } from '../../auth/roles.js';
import { endOfLocalDate } from '../../parking/local-time.js';
import { loadUptimeInputs } from '../../reports/uptime-data.js';
import { DAY_MS, uptimeReport, type Outage } from '../../reports/uptime.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { badRequest } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
/** A moment, or a local date: `from=2026-03-01` is its midnight (UTC+8), `to=2026-03-31` the end of that day. */
const When = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const UptimeQuery = z.object({
  from: When.optional().describe('default: 30 days before `to`'),
  to: When.optional().describe('default: now; a later time is cut to now (the future is not observed)'),
  kind: DeviceKind.optional(),
  deviceId: Id.optional(),
});
const MAX_PERIOD_MS = 366 * DAY_MS; // a year of per-day figures per device is as much as one answer should carry

const iso = (ms: number) => new Date(ms).toISOString();
const at = (v: string, endOfDay: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? (endOfDay ? endOfLocalDate(v) : Date.parse(`${v}T00:00:00+08:00`)) : Date.parse(v));
const outage = (o: Outage) => ({ from: iso(o.from), to: iso(o.to), cause: o.cause, ms: o.ms, ongoing: o.ongoing, ...(o.decommissioned && { decommissioned: true }) });

/** Issue 7: availability per device and kind, outages, MTTR and the worst week, for the committee to show the households. */
export const uptimeReportRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/api/estates/:estateId/reports/uptime',
    { config: { roles: MAINTAINERS }, schema: { tags: ['reports'], summary: 'Availability over a period from recorded online/offline and faults, each device over the part it was in service; maintenance shown apart', params: EstateParams, querystring: UptimeQuery } },
    async (req) => {
      requireEstate(store, req.params.estateId);
      const now = Date.now();
      const to = Math.min(req.query.to ? at(req.query.to, true) : now, now);
      const from = req.query.from ? at(req.query.from, false) : to - 30 * DAY_MS;
      if (from >= to) throw badRequest('querystring.from: must be before `to` (and before now)');
      if (to - from > MAX_PERIOD_MS) throw badRequest('querystring.from: the period may be at most 366 days; ask for one year at a time');
      const window = { from, to };
      const r = uptimeReport(loadUptimeInputs(store, { estateId: req.params.estateId, window, kind: req.query.kind, deviceId: req.query.deviceId }), window);
      return {
        from: iso(from),
        to: iso(to),
        devices: r.devices.map((d) => ({
          ...d,
          registeredAt: iso(d.registeredAt),
          // Listed with its date, so a reader sees why its figures stop there.
          decommissionedAt: d.decommissionedAt === null ? null : iso(d.decommissionedAt),
          outages: d.outages.map(outage),
          worstWeek: d.worstWeek && { ...d.worstWeek, from: iso(d.worstWeek.from), to: iso(d.worstWeek.to) },
        })),
        kinds: r.kinds,
        worstWeek: r.worstWeek.map((w) => ({ ...w, from: iso(w.from), to: iso(w.to) })),
      };
    },
  );
};
