import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import type { Alerts } from '../../alerts/alerts.js';
import { MAINTAINERS, STAFF } from '../../auth/roles.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { badRequest, notFound } from '../errors.js';

const EstateParams = z.object({ estateId: Id });

/** Alerts as recorded; claiming, the roster and routing come with issue 6. */
export const alertRoutes: FastifyPluginAsyncZod<{ store: Store; alerts: Alerts }> = async (app, { store, alerts }) => {
  app.get(
    '/api/estates/:estateId/alerts',
    { config: { roles: STAFF }, schema: { tags: ['alerts'], params: EstateParams, querystring: z.object({ status: z.enum(['open', 'cleared', 'closed']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }) } },
    async (req) => {
      requireEstate(store, req.params.estateId);
      return { items: store.alerts.list(req.params.estateId, req.query) };
    },
  );

  app.post(
    '/api/estates/:estateId/alerts/:alertId/close',
    {
      config: { roles: MAINTAINERS },
      schema: { tags: ['alerts'], summary: 'A person closes an alert, saying what was done', params: EstateParams.extend({ alertId: z.string().max(80) }), body: z.object({ note: z.string().trim().min(2, 'say what was done').max(500) }) },
    },
    async (req) => {
      const a = store.alerts.get(req.params.alertId);
      if (!a || a.estateId !== req.params.estateId) throw notFound(`alert ${req.params.alertId}`);
      const closed = alerts.close(a.id, req.user!.username, req.body.note);
      if (!closed) throw badRequest(`alert ${a.id} is not open`);
      return closed;
    },
  );
};
