import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { COMMITTEE } from '../../auth/roles.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { TextFilter } from '../query.js';

/** The committee's audit list: who changed what, who opened a gate by hand, who read a car's full history. */
export const auditRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/api/estates/:estateId/audit',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['audit'],
        params: z.object({ estateId: Id }),
        querystring: z.object({ username: TextFilter(64).optional(), action: TextFilter(80).optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      },
    },
    async (req) => {
      requireEstate(store, req.params.estateId);
      return { items: store.audit.list(req.params.estateId, { ...req.query, fromIso: req.query.from, toIso: req.query.to }) };
    },
  );
};
