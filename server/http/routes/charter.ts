import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { COMMITTEE, EVERYONE } from '../../auth/roles.js';
import { deviceRefsIn, fieldPath } from '../../charter/device-refs.js';
import { diffCharter } from '../../charter/diff.js';
import { CharterDocument, NewCharterVersion } from '../../charter/schema.js';
import type { Parking } from '../../parking/service.js';
import type { CharterRepo } from '../../store/charter-repo.js';
import type { Store } from '../../store/index.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, notFound } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
/** A new version may not take effect in the past: decisions already made cite the version then in force. */
const BACKDATE_TOLERANCE_MS = 5 * 60_000;

export const charterRoutes: FastifyPluginAsyncZod<{ store: Store; charters: CharterRepo; parking: Parking }> = async (app, { store, charters, parking }) => {
  const estate = (id: string) => requireEstate(store, id);

  app.get('/api/estates/:estateId/charter', { config: { roles: EVERYONE }, schema: { tags: ['charter'], summary: 'The charter version in force now', params: EstateParams } }, async (req) => {
    estate(req.params.estateId);
    const v = charters.inForce(req.params.estateId, new Date().toISOString());
    if (!v) throw notFound(`a charter in force for estate ${req.params.estateId} (adopt one: POST …/charter/versions)`);
    return v;
  });

  app.get('/api/estates/:estateId/charter/versions', { config: { roles: EVERYONE }, schema: { tags: ['charter'], summary: 'Every version, oldest first, with how it was adopted', params: EstateParams } }, async (req) => {
    estate(req.params.estateId);
    return { items: charters.list(req.params.estateId) };
  });

  app.get(
    '/api/estates/:estateId/charter/versions/:version',
    { config: { roles: EVERYONE }, schema: { tags: ['charter'], params: EstateParams.extend({ version: z.coerce.number().int().min(1) }) } },
    async (req) => charters.get(req.params.estateId, req.params.version) ?? (() => { throw notFound(`charter version ${req.params.version}`); })(),
  );

  app.get(
    '/api/estates/:estateId/charter/diff',
    { config: { roles: EVERYONE }, schema: { tags: ['charter'], summary: 'What changed between two versions', params: EstateParams, querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }) } },
    async (req) => {
      const a = charters.get(req.params.estateId, req.query.from);
      const b = charters.get(req.params.estateId, req.query.to);
      if (!a || !b) throw notFound(`charter version ${!a ? req.query.from : req.query.to}`);
      return { from: a.version, to: b.version, changes: diffCharter({ effectiveFrom: a.effectiveFrom, adoption: a.adoption, document: a.document }, { effectiveFrom: b.effectiveFrom, adoption: b.adoption, document: b.document }) };
    },
  );

  app.post(
    '/api/estates/:estateId/charter/versions',
    { config: { roles: COMMITTEE }, schema: { tags: ['charter'], summary: 'Adopt a new version; it supersedes the current one from effectiveFrom', params: EstateParams, body: NewCharterVersion } },
    async (req, reply) => {
      estate(req.params.estateId);
      // Every device the document names (a lot's gates, a shed's limits) is one of this estate's, or not installed yet.
      for (const ref of deviceRefsIn(CharterDocument, req.body.document)) {
        deviceOfEstate(store, req.params.estateId, ref.deviceId, { kind: ref.kind, field: `body.document.${fieldPath(ref.path)}`, unregistered: 'allow' });
      }
      const existing = charters.list(req.params.estateId);
      const from = Date.parse(req.body.effectiveFrom);
      const latest = existing.at(-1);
      if (latest && from < Math.max(Date.parse(latest.effectiveFrom), Date.now() - BACKDATE_TOLERANCE_MS)) {
        throw badRequest('body.effectiveFrom: a new version takes effect now or later, and after the version it supersedes');
      }
      const v = charters.add({ estateId: req.params.estateId, effectiveFrom: new Date(from).toISOString(), adoption: req.body.adoption, document: req.body.document, createdBy: req.user!.username, createdAt: new Date().toISOString() });
      req.log.info({ estateId: v.estateId, version: v.version, by: req.user!.username }, 'charter version adopted');
      parking.charterChanged(v.estateId);
      return reply.code(201).send(v);
    },
  );
};
