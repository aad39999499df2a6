import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import type { AuthUser } from '../../auth/sessions.js';
import type { ParkingDirectory } from '../../parking/directory.js';
import { issueVisitorPass } from '../../parking/passes.js';
import type { Parking } from '../../parking/service.js';
import type { ParkingRepo } from '../../store/parking-repo.js';
import type { Store } from '../../store/index.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { HouseholdFilter } from '../query.js';

const EstateParams = z.object({ estateId: Id });

/** Residents register visitors' cars and see their own stays; the committee can do it for any household. */
export const visitorPassRoutes: FastifyPluginAsyncZod<{ repo: ParkingRepo; parking: Parking; directory: ParkingDirectory; store: Store }> = async (app, { repo, parking, directory, store }) => {
  /** Which household a request acts for: a resident's own (the only one, or the one named), the committee's choice. */
  function householdFor(estateId: string, user: AuthUser, asked: string | undefined, field = 'body.householdId'): string {
    if (user.role === 'committee') {
      if (!asked) throw badRequest(`${field}: required when the committee acts for a household`);
      return asked;
    }
    const own = directory.householdsOfUser(estateId, user.username);
    if (own.length === 0) throw forbidden('your account is not linked to a household of this estate: ask the committee');
    if (asked && !own.includes(asked)) throw forbidden(`household ${asked} is not yours`);
    return asked ?? own[0]!;
  }

  app.post(
    '/api/estates/:estateId/visitor-passes',
    {
      config: { roles: ['resident', 'committee'] },
      schema: {
        tags: ['parking'],
        summary: 'Register a visitor’s car for a time window (counts against the household’s monthly quota)',
        params: EstateParams,
        body: z.object({ plate: z.string().min(1).max(12), validFrom: z.iso.datetime({ offset: true }), validTo: z.iso.datetime({ offset: true }), householdId: z.string().max(40).optional() }),
      },
    },
    async (req, reply) => {
      const { estateId } = req.params;
      const c = parking.charter(estateId, Date.now());
      if (!c) throw notFound(`a charter in force for estate ${estateId}`);
      const householdId = householdFor(estateId, req.user!, req.body.householdId);
      const r = issueVisitorPass(repo, c.document.parking, { estateId, householdId, plate: req.body.plate, validFrom: Date.parse(req.body.validFrom), validTo: Date.parse(req.body.validTo), by: req.user!.username, now: Date.now() });
      if (!r.ok) throw badRequest(`body.${r.message}`);
      req.log.info({ estateId, householdId, passId: r.pass.id, by: req.user!.username }, 'visitor pass issued');
      return reply.code(201).send({ ...r.pass, usedThisMonth: r.usedThisMonth, quota: r.quota });
    },
  );

  app.get(
    '/api/estates/:estateId/visitor-passes',
    { config: { roles: ['resident', 'committee'] }, schema: { tags: ['parking'], params: EstateParams, querystring: z.object({ householdId: HouseholdFilter.optional() }) } },
    async (req) => ({ items: repo.passesOf(req.params.estateId, householdFor(req.params.estateId, req.user!, req.query.householdId, 'querystring.householdId')) }),
  );

  app.delete(
    '/api/estates/:estateId/visitor-passes/:passId',
    { config: { roles: ['resident', 'committee'] }, schema: { tags: ['parking'], params: EstateParams.extend({ passId: z.string().max(80) }) } },
    async (req) => {
      const pass = repo.getPass(req.params.passId);
      if (!pass || pass.estateId !== req.params.estateId) throw notFound(`pass ${req.params.passId}`);
      householdFor(req.params.estateId, req.user!, pass.householdId);
      if (!repo.cancelPass(pass.id, new Date().toISOString())) throw badRequest(`pass ${pass.id} is already cancelled`);
      return { id: pass.id, cancelled: true };
    },
  );

  app.get('/api/estates/:estateId/parking/my-stays', { config: { roles: ['resident'] }, schema: { tags: ['parking'], summary: 'A resident’s own households’ stays and fees', params: EstateParams } }, async (req) => {
    const households = directory.householdsOfUser(req.params.estateId, req.user!.username);
    return { items: households.flatMap((h) => repo.stays(req.params.estateId, { householdId: h, limit: 200 })) };
  });

  app.get('/api/me/households', { config: { roles: ['resident', 'committee', 'volunteer', 'guard'] }, schema: { tags: ['estate'], summary: 'The households my account is linked to, in every estate' } }, async (req) => ({
    items: store.estateModel.residentsOfUser(req.user!.username).map((r) => ({ estateId: r.estateId, householdId: r.householdId, residentId: r.id, isPrimary: r.isPrimary })),
  }));
};
