import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { MAINTAINERS, STAFF, seesPersonalData } from '../../auth/roles.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { notFound } from '../errors.js';
import { TextFilter } from '../query.js';

const EstateParams = z.object({ estateId: Id });
const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});
const MessageQuery = Paging.extend({ deviceId: Id.optional(), type: TextFilter(32).optional() });

/**
 * Events, telemetry, commands, dead letters and presence: newest first, paged by `before`.
 * Plates and card ids in payloads (and in a dead letter's raw excerpt) reach anyone but the
 * committee masked, by the masking step every answer goes through (server/http/privacy.ts).
 */
export const historyRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const checkEstate = (id: string) => requireEstate(store, id);
  const page = <T extends { seq: number }>(items: T[], limit: number) => ({
    items,
    nextBefore: items.length === limit ? items[items.length - 1]!.seq : null,
  });

  for (const channel of ['event', 'telemetry'] as const) {
    app.get(
      channel === 'event' ? '/api/estates/:estateId/events' : '/api/estates/:estateId/telemetry',
      { config: { roles: STAFF }, schema: { tags: ['history'], params: EstateParams, querystring: MessageQuery } },
      async (req) => {
        checkEstate(req.params.estateId);
        // What a vendor device really sent, beside its message: the committee's, for support.
        const withVendorRaw = seesPersonalData(req.user!.role);
        return page(store.history.messages({ ...req.query, estateId: req.params.estateId, channel, withVendorRaw }), req.query.limit);
      },
    );
  }

  app.get(
    '/api/estates/:estateId/commands',
    { config: { roles: STAFF }, schema: { tags: ['history'], params: EstateParams, querystring: Paging.extend({ deviceId: Id.optional(), status: TextFilter(16).optional() }) } },
    async (req) => {
      checkEstate(req.params.estateId);
      return page(store.history.commands({ ...req.query, estateId: req.params.estateId }), req.query.limit);
    },
  );

  app.get(
    '/api/estates/:estateId/dead-letters',
    { config: { roles: MAINTAINERS }, schema: { tags: ['history'], params: EstateParams, querystring: Paging.extend({ deviceId: Id.optional(), reason: TextFilter(32).optional() }) } },
    async (req) => {
      checkEstate(req.params.estateId);
      // The excerpt is the raw payload a device sent: the masking step reads it as text (plates, phones, "cardId": "…").
      return page(store.history.deadLetters({ ...req.query, estateId: req.params.estateId }), req.query.limit);
    },
  );

  app.get(
    '/api/estates/:estateId/presence',
    { config: { roles: MAINTAINERS }, schema: { tags: ['history'], params: EstateParams, querystring: Paging.extend({ deviceId: Id.optional() }) } },
    async (req) => {
      checkEstate(req.params.estateId);
      return page(store.history.presence({ ...req.query, estateId: req.params.estateId }), req.query.limit);
    },
  );
};
