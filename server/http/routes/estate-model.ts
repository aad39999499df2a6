import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { COMMITTEE, EVERYONE, STAFF, seesPersonalData } from '../../auth/roles.js';
import * as api from '../../estate/api.js';
import { importHouseholds } from '../../estate/import.js';
import { householdIdOf, vehicleProblem } from '../../estate/model.js';
import { maskCard, maskPlate } from '../../log.js';
import { normalizePlate, validatePlate } from '../../parking/plates.js';
import type { Card, Vehicle } from '../../store/estate-model-types.js';
import type { Store } from '../../store/index.js';
import { personOfEstate } from '../estate-guard.js';
import { HttpError, badRequest, conflict, forbidden, notFound } from '../errors.js';

/** Committees keep spreadsheets of a few thousand households; 5 MB is far above that and far below trouble. */
const CSV_LIMIT = 5 * 1024 * 1024;

const E = '/api/estates/:estateId';

/**
 * The estate register: households, residents, vehicles, cards, and the CSV
 * import. The committee edits; volunteers and guards read (plates and card ids
 * masked for roles that need not see them); a resident sees their own vehicles.
 */
export const estateModelRoutes: FastifyPluginAsyncZod<{
  store: Store;
  /** Told after every change to an estate's register (e.g. so parking drops its cached plates at once). */
  onChange?: (estateId: string) => void;
}> = async (app, { store, onChange }) => {
  const repo = store.estateModel;
  app.addContentTypeParser(['text/csv', 'application/vnd.ms-excel'], { parseAs: 'buffer', bodyLimit: CSV_LIMIT }, (_req, body, done) => done(null, body));

  const estate = (id: string) => {
    if (!store.estates.getEstate(id)) throw notFound(`estate ${id}`);
  };
  const household = (estateId: string, id: string) => repo.getHousehold(estateId, id) ?? (() => { throw notFound(`household ${id} in estate ${estateId}`); })();
  const referenced = (estateId: string, id: string, field: string) => {
    if (!repo.getHousehold(estateId, id)) throw badRequest(`${field}: no household ${id} in estate ${estateId}; create it first`);
  };
  const sees = (req: FastifyRequest) => seesPersonalData(req.user!.role);
  const vehicleView = (req: FastifyRequest) => (v: Vehicle) => (sees(req) ? v : { ...v, plate: maskPlate(v.plate) });
  const cardView = (req: FastifyRequest) => (c: Card) => (sees(req) ? c : { ...c, cardId: maskCard(c.cardId) });
  const paged = <T, U>(r: { items: T[]; total: number }, q: { limit: number; offset: number }, view: (t: T) => U) => ({ ...r, items: r.items.map(view), ...q });
  // Every change by a person is logged (an audit table comes later). Plates and card ids are masked in the log.
  const audit = (req: FastifyRequest, what: 'household' | 'resident' | 'vehicle' | 'card', action: string, id: string) => {
    req.log.info({ by: req.user!.username, what, id: what === 'vehicle' ? maskPlate(id) : what === 'card' ? maskCard(id) : id }, `${what} ${action}`);
    onChange?.((req.params as { estateId: string }).estateId);
  };

  // ── households ────────────────────────────────────────────────────────────
  app.get(`${E}/households`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.EstateParams, querystring: api.HouseholdQuery, response: { 200: api.pageOf(api.HouseholdSummaryOut) } } }, async (req) => {
    estate(req.params.estateId);
    const { limit, offset, building, unit } = req.query;
    return paged(repo.listHouseholds({ estateId: req.params.estateId, limit, offset, building, unit }), { limit, offset }, (h) => (sees(req) ? h : { ...h, plates: h.plates.map(maskPlate) }));
  });
  app.get(`${E}/households/:householdId`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.HouseholdParams, response: { 200: api.HouseholdDetailOut } } }, async (req) => {
    const { estateId, householdId } = req.params;
    const h = household(estateId, householdId);
    const all = { estateId, householdId, limit: 1000, offset: 0 };
    return {
      ...h,
      residents: repo.listResidents(all).items,
      vehicles: repo.listVehicles(all).items.map(vehicleView(req)),
      cards: repo.listCards(all).items.map(cardView(req)),
    };
  });
  app.post(`${E}/households`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.EstateParams, body: api.HouseholdCreate, response: { 201: api.HouseholdOut } } }, async (req, reply) => {
    estate(req.params.estateId);
    const created = repo.createHousehold(req.params.estateId, req.body);
    if (created === 'exists') throw conflict(`household ${householdIdOf(req.body)}`);
    audit(req, 'household', 'created', created.id);
    return reply.code(201).send(created);
  });
  app.patch(`${E}/households/:householdId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.HouseholdParams, body: api.HouseholdPatch, response: { 200: api.HouseholdOut } } }, async (req) => {
    const { estateId, householdId } = req.params;
    household(estateId, householdId);
    const updated = repo.updateHousehold(estateId, householdId, req.body)!;
    audit(req, 'household', 'updated', householdId);
    return updated;
  });
  app.delete(`${E}/households/:householdId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.HouseholdParams, querystring: api.DeleteQuery } }, async (req) => {
    const { estateId, householdId } = req.params;
    household(estateId, householdId);
    const removed = repo.dependents(estateId, householdId);
    if (removed.residents + removed.vehicles + removed.cards > 0 && req.query.cascade !== 'true') {
      const what = `${removed.residents} resident(s), ${removed.vehicles} vehicle(s), ${removed.cards} card(s)`;
      throw new HttpError(409, 'HAS_DEPENDENTS', `household ${householdId} still has ${what}: remove them first, or delete with ?cascade=true to remove them too`);
    }
    repo.deleteHousehold(estateId, householdId, true);
    audit(req, 'household', req.query.cascade === 'true' ? 'deleted with its residents, vehicles and cards' : 'deleted', householdId);
    return { id: householdId, removed };
  });

  // ── residents ─────────────────────────────────────────────────────────────
  const resident = (estateId: string, id: string) => repo.getResident(estateId, id) ?? (() => { throw notFound(`resident ${id} in estate ${estateId}`); })();
  app.get(`${E}/residents`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.EstateParams, querystring: api.ResidentQuery, response: { 200: api.pageOf(api.ResidentOut) } } }, async (req) => {
    estate(req.params.estateId);
    const { limit, offset, ...f } = req.query;
    return paged(repo.listResidents({ estateId: req.params.estateId, limit, offset, ...f }), { limit, offset }, (r) => r);
  });
  app.get(`${E}/residents/:residentId`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.ResidentParams, response: { 200: api.ResidentOut } } }, async (req) =>
    resident(req.params.estateId, req.params.residentId),
  );
  app.post(`${E}/residents`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.EstateParams, body: api.ResidentCreate, response: { 201: api.ResidentOut } } }, async (req, reply) => {
    const { estateId } = req.params;
    estate(estateId);
    referenced(estateId, req.body.householdId, 'body.householdId');
    // The login a resident record links is one of this estate's: it gives that person the household's news and plates.
    if (req.body.username) personOfEstate(store, estateId, req.body.username, 'body.username', req.user!);
    const created = repo.createResident(estateId, req.body);
    audit(req, 'resident', 'created', created.id);
    return reply.code(201).send(created);
  });
  app.patch(`${E}/residents/:residentId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.ResidentParams, body: api.ResidentPatch, response: { 200: api.ResidentOut } } }, async (req) => {
    const { estateId, residentId } = req.params;
    resident(estateId, residentId);
    if (req.body.username) personOfEstate(store, estateId, req.body.username, 'body.username', req.user!);
    const updated = repo.updateResident(estateId, residentId, req.body)!;
    audit(req, 'resident', 'updated', residentId);
    return updated;
  });
  app.delete(`${E}/residents/:residentId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.ResidentParams } }, async (req) => {
    const { estateId, residentId } = req.params;
    resident(estateId, residentId);
    repo.deleteResident(estateId, residentId);
    audit(req, 'resident', 'deleted', residentId);
    return { id: residentId };
  });

  // ── vehicles ──────────────────────────────────────────────────────────────
  const vehicle = (estateId: string, raw: string) => {
    const plate = normalizePlate(raw);
    return repo.getVehicle(estateId, plate) ?? (() => { throw notFound(`vehicle ${plate} in estate ${estateId}`); })();
  };
  const keepsRules = (estateId: string, v: Parameters<typeof vehicleProblem>[0]) => {
    if (v.householdId) referenced(estateId, v.householdId, 'body.householdId');
    const problem = vehicleProblem(v);
    if (problem) throw badRequest(`body.${problem.field}: ${problem.message}`);
  };
  app.get(`${E}/vehicles`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.EstateParams, querystring: api.VehicleQuery, response: { 200: api.pageOf(api.VehicleOut) } } }, async (req) => {
    estate(req.params.estateId);
    const { limit, offset, plate, ...f } = req.query;
    // A search by plate answers whether a car is registered: the committee and guards only (server/http/privacy.ts, for every route).
    const search = plate === undefined ? undefined : normalizePlate(plate);
    return paged(repo.listVehicles({ estateId: req.params.estateId, limit, offset, plate: search, ...f }), { limit, offset }, vehicleView(req));
  });
  app.get(`${E}/vehicles/:plate`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.VehicleParams, response: { 200: api.VehicleOut } } }, async (req) =>
    vehicle(req.params.estateId, req.params.plate),
  );
  app.post(`${E}/vehicles`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.EstateParams, body: api.VehicleCreate, response: { 201: api.VehicleOut } } }, async (req, reply) => {
    const { estateId } = req.params;
    estate(estateId);
    const check = validatePlate(req.body.plate);
    if (!check.ok) throw badRequest(`body.plate: ${check.reason}`);
    const v = { ...req.body, plate: check.plate, householdId: req.body.householdId ?? null, validFrom: req.body.validFrom ?? null, validUntil: req.body.validUntil ?? null };
    keepsRules(estateId, v);
    const created = repo.createVehicle(estateId, v);
    if (created === 'exists') throw conflict(`vehicle ${check.plate}`);
    audit(req, 'vehicle', 'created', created.plate);
    return reply.code(201).send(created);
  });
  app.patch(`${E}/vehicles/:plate`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.VehicleParams, body: api.VehiclePatch, response: { 200: api.VehicleOut } } }, async (req) => {
    const { estateId } = req.params;
    const cur = vehicle(estateId, req.params.plate);
    const patch = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined)) as typeof req.body;
    keepsRules(estateId, { ...cur, ...patch });
    const updated = repo.updateVehicle(estateId, cur.plate, patch)!;
    audit(req, 'vehicle', 'updated', cur.plate);
    return updated;
  });
  app.delete(`${E}/vehicles/:plate`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.VehicleParams } }, async (req) => {
    const v = vehicle(req.params.estateId, req.params.plate);
    repo.deleteVehicle(req.params.estateId, v.plate);
    audit(req, 'vehicle', 'deleted', v.plate);
    return { plate: v.plate };
  });

  // ── cards ─────────────────────────────────────────────────────────────────
  const card = (estateId: string, id: string) => repo.getCard(estateId, id) ?? (() => { throw notFound(`card ${id} in estate ${estateId}`); })();
  const cardRules = (estateId: string, c: { householdId: string; residentId?: string | null }) => {
    referenced(estateId, c.householdId, 'body.householdId');
    if (!c.residentId) return;
    const r = repo.getResident(estateId, c.residentId);
    if (r?.householdId !== c.householdId) throw badRequest(`body.residentId: ${c.residentId} is not a resident of household ${c.householdId} (set residentId to null, or to one of theirs)`);
  };
  app.get(`${E}/cards`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.EstateParams, querystring: api.CardQuery, response: { 200: api.pageOf(api.CardOut) } } }, async (req) => {
    estate(req.params.estateId);
    const { limit, offset, ...f } = req.query;
    return paged(repo.listCards({ estateId: req.params.estateId, limit, offset, ...f }), { limit, offset }, cardView(req));
  });
  app.get(`${E}/cards/:cardId`, { config: { roles: STAFF }, schema: { tags: ['estate'], params: api.CardParams, response: { 200: api.CardOut } } }, async (req) =>
    card(req.params.estateId, req.params.cardId),
  );
  app.post(`${E}/cards`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.EstateParams, body: api.CardCreate, response: { 201: api.CardOut } } }, async (req, reply) => {
    const { estateId } = req.params;
    estate(estateId);
    cardRules(estateId, req.body);
    const purposes = req.body.purposes && [...new Set(req.body.purposes)];
    const created = repo.createCard(estateId, { ...req.body, purposes });
    if (created === 'exists') throw conflict(`card ${req.body.cardId}`);
    audit(req, 'card', 'created', created.cardId);
    return reply.code(201).send(created);
  });
  app.patch(`${E}/cards/:cardId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.CardParams, body: api.CardPatch, response: { 200: api.CardOut } } }, async (req) => {
    const { estateId, cardId } = req.params;
    const cur = card(estateId, cardId);
    const patch = { ...req.body, purposes: req.body.purposes && [...new Set(req.body.purposes)] };
    cardRules(estateId, { householdId: patch.householdId ?? cur.householdId, residentId: patch.residentId === undefined ? cur.residentId : patch.residentId });
    const updated = repo.updateCard(estateId, cardId, patch)!;
    audit(req, 'card', 'updated', cardId);
    return updated;
  });
  app.delete(`${E}/cards/:cardId`, { config: { roles: COMMITTEE }, schema: { tags: ['estate'], params: api.CardParams } }, async (req) => {
    card(req.params.estateId, req.params.cardId);
    repo.deleteCard(req.params.estateId, req.params.cardId);
    audit(req, 'card', 'deleted', req.params.cardId);
    return { cardId: req.params.cardId };
  });

  // ── a resident's own vehicles ─────────────────────────────────────────────
  app.get('/api/me/vehicles', { config: { roles: EVERYONE }, schema: { tags: ['estate'], summary: 'Vehicles of the households linked to my account', response: { 200: z.object({ items: z.array(api.VehicleOut) }) } } }, async (req) => {
    const households = new Map(repo.residentsOfUser(req.user!.username).map((r) => [`${r.estateId}\0${r.householdId}`, r] as const));
    // Their own plates, in full: it is their data.
    const items = [...households.values()].flatMap((r) => repo.listVehicles({ estateId: r.estateId, householdId: r.householdId, limit: 1000, offset: 0 }).items);
    return { items };
  });

  // ── CSV import ────────────────────────────────────────────────────────────
  app.post(
    `${E}/import/households`,
    {
      config: { roles: COMMITTEE },
      bodyLimit: CSV_LIMIT,
      schema: {
        tags: ['estate'],
        summary: 'Import households (with residents, plates, cards) from a CSV spreadsheet: all rows or none',
        description: 'Body: the file, Content-Type: text/csv (UTF-8 with or without BOM, or GBK). See server/README.md for the columns.',
        params: api.EstateParams,
        querystring: api.ImportQuery,
        response: { 200: api.ImportOk, 422: api.ImportFailed },
      },
    },
    async (req, reply) => {
      const { estateId } = req.params;
      estate(estateId);
      const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      if (!Buffer.isBuffer(body)) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the spreadsheet itself as the body, with Content-Type: text/csv');
      const charset = /charset="?([^;"\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
      const dryRun = req.query.dryRun === 'true';
      const out = importHouseholds(repo, estateId, body, { dryRun, charset });
      if (!out.ok) {
        const { ok: _, ...rest } = out;
        const message = `${out.errorCount} problem(s) in the file; nothing was imported. Fix the lines listed and send the whole file again.`;
        return reply.code(422).send({ code: 'IMPORT_INVALID' as const, message, imported: 0 as const, ...rest });
      }
      const { ok: _, ...result } = out;
      if (!dryRun) {
        req.log.info({ by: req.user!.username, what: 'import', id: estateId, imported: out.imported }, 'households imported');
        onChange?.(estateId);
      }
      return result;
    },
  );
};
