import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { COMMITTEE, MAINTAINERS, STAFF } from '../../auth/roles.js';
import { buyIn, ElevatorCostError, splitCost, splitRunningCosts } from '../../elevator/cost-split.js';
import { floorOfRoom } from '../../elevator/household-floor.js';
import type { Elevators } from '../../elevator/service.js';
import type { Parking } from '../../parking/service.js';
import type { Store } from '../../store/index.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, notFound } from '../errors.js';
import { HouseholdFilter } from '../query.js';
import { monthPublished } from './accounts.js';

const EstateParams = z.object({ estateId: Id });
const LiftParams = EstateParams.extend({ elevatorId: Id });
const DAY = 86_400_000;

/** Elevators for the committee and volunteers: live state, faults, rides, members, passes, the cost split, maintenance. */
export const elevatorRoutes: FastifyPluginAsyncZod<{ store: Store; elevators: Elevators; parking: Parking }> = async (app, { store, elevators, parking }) => {
  const lift = (estateId: string, id: string) => deviceOfEstate(store, estateId, id, { kind: 'elevator' });
  const rules = (estateId: string) => {
    const r = parking.charter(estateId, Date.now())?.document.elevator;
    if (!r) throw notFound(`an elevator section in the charter in force for ${estateId}`);
    return r;
  };
  /** The split's own errors (all exempt, an area missing, no rides) say what to fix: a 400, not a 500. */
  const costly = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ElevatorCostError) throw badRequest(err.message);
      throw err;
    }
  };
  const maintenanceStatus = (elevatorId: string, intervalDays: number) => {
    const last = store.elevators.maintenance(elevatorId, 1)[0];
    const nextDue = last ? last.nextDue : undefined;
    return { last: last ?? null, nextDue: nextDue ?? null, overdue: !last || Date.parse(nextDue!) < Date.now(), intervalDays };
  };
  /** Members with the floor and area the split needs. */
  const memberHouseholds = (estateId: string, elevatorId: string) =>
    store.elevators.members(elevatorId).map((m) => {
      const h = store.estateModel.getHousehold(estateId, m.householdId);
      const floor = h ? floorOfRoom(h.room) : undefined;
      if (floor === undefined) throw badRequest(`household ${m.householdId}: its room gives no floor`);
      return { householdId: m.householdId, floor, areaM2: h?.areaM2 ?? undefined };
    });

  app.get('/api/estates/:estateId/elevators', { config: { roles: STAFF }, schema: { tags: ['elevators'], params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    const interval = parking.charter(req.params.estateId, Date.now())?.document.elevator?.faults.maintenanceIntervalDays ?? 15;
    const items = store.devices.list(req.params.estateId).filter((d) => d.kind === 'elevator').map((d) => ({
      id: d.id,
      name: d.name,
      props: d.props,
      online: d.online,
      state: elevators.liveState(d.id) ?? null,
      openFaults: store.alerts.openForDevice(d.id),
      maintenance: maintenanceStatus(d.id, interval),
    }));
    return { items };
  });

  app.get('/api/estates/:estateId/elevators/:elevatorId/faults', { config: { roles: STAFF }, schema: { tags: ['elevators'], params: LiftParams, querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }) } }, async (req) => {
    lift(req.params.estateId, req.params.elevatorId);
    return { items: store.alerts.forDevice(req.params.elevatorId, req.query.limit) };
  });

  app.get(
    '/api/estates/:estateId/elevators/:elevatorId/rides',
    { config: { roles: STAFF }, schema: { tags: ['elevators'], summary: 'Rides, and counts by floor and by hour', params: LiftParams, querystring: z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }) } },
    async (req) => {
      lift(req.params.estateId, req.params.elevatorId);
      const rides = store.elevators.rides(req.params.elevatorId, req.query.from, req.query.to);
      const byFloor: Record<string, number> = {};
      const byHour = new Array(24).fill(0) as number[];
      for (const r of rides) {
        byFloor[r.toFloor] = (byFloor[r.toFloor] ?? 0) + 1;
        byHour[new Date(Date.parse(r.at) + 8 * 3_600_000).getUTCHours()]!++;
      }
      return { total: rides.length, byFloor, byHour };
    },
  );

  app.get('/api/estates/:estateId/elevators/:elevatorId/members', { config: { roles: STAFF }, schema: { tags: ['elevators'], params: LiftParams } }, async (req) => {
    lift(req.params.estateId, req.params.elevatorId);
    return { items: store.elevators.members(req.params.elevatorId) };
  });
  app.post(
    '/api/estates/:estateId/elevators/:elevatorId/members',
    { config: { roles: COMMITTEE }, schema: { tags: ['elevators'], summary: 'A household that paid for this elevator', params: LiftParams, body: z.object({ householdId: z.string().max(40), kind: z.enum(['founding', 'buy-in']).default('founding'), joinedAt: z.iso.datetime({ offset: true }).optional(), paidFen: z.number().int().min(0).default(0) }) } },
    async (req, reply) => {
      lift(req.params.estateId, req.params.elevatorId);
      if (!store.estateModel.getHousehold(req.params.estateId, req.body.householdId)) throw badRequest(`body.householdId: no household ${req.body.householdId}`);
      const joinedAt = req.body.joinedAt ?? new Date().toISOString();
      // A member's payment is the elevator fund's contribution (open accounts): a month on the notice board stays as published.
      const locked = store.accounts.lockedForDevice(req.params.estateId, req.params.elevatorId, joinedAt);
      if (locked) throw monthPublished('body.joinedAt', locked);
      const added = store.elevators.addMember({ estateId: req.params.estateId, elevatorId: req.params.elevatorId, ...req.body, joinedAt });
      if (!added) throw badRequest(`body.householdId: ${req.body.householdId} is already a member`);
      return reply.code(201).send({ ok: true });
    },
  );

  app.patch(
    '/api/estates/:estateId/elevators/:elevatorId/members/:householdId',
    { config: { roles: COMMITTEE }, schema: { tags: ['elevators'], summary: 'Correct what a member household paid (it is the elevator fund’s contribution); refused once its month is published (公示)', params: LiftParams.extend({ householdId: z.string().max(40) }), body: z.object({ paidFen: z.number().int().min(0) }) } },
    async (req) => {
      const { estateId, elevatorId, householdId } = req.params;
      lift(estateId, elevatorId);
      const m = store.elevators.member(elevatorId, householdId);
      if (!m) throw notFound(`member ${householdId} of elevator ${elevatorId}`);
      const locked = store.accounts.lockedForDevice(estateId, elevatorId, m.joinedAt);
      if (locked) throw monthPublished('params.householdId', locked);
      store.elevators.setMemberPaid(elevatorId, householdId, req.body.paidFen);
      return store.elevators.member(elevatorId, householdId);
    },
  );

  app.post(
    '/api/estates/:estateId/elevator-passes',
    { config: { roles: COMMITTEE }, schema: { tags: ['elevators'], summary: 'A medical or temporary pass for a card, with an expiry', params: EstateParams, body: z.object({ cardId: Id, kind: z.enum(['medical', 'temporary']), floors: z.array(z.number().int()).max(100).optional(), validUntil: z.iso.datetime({ offset: true }), note: z.string().max(200).optional() }) } },
    async (req, reply) => {
      requireEstate(store, req.params.estateId);
      const days = rules(req.params.estateId).access.passes.maxDays;
      if (Date.parse(req.body.validUntil) - Date.now() > days * DAY) throw badRequest(`body.validUntil: a pass lasts at most ${days} days`);
      const pass = { id: `lp-${randomUUID()}`, estateId: req.params.estateId, ...req.body, issuedBy: req.user!.username, createdAt: new Date().toISOString() };
      store.elevators.addPass(pass);
      return reply.code(201).send(pass);
    },
  );
  app.get('/api/estates/:estateId/elevator-passes', { config: { roles: STAFF }, schema: { tags: ['elevators'], params: EstateParams } }, async (req) => ({ items: store.elevators.passes(req.params.estateId) }));

  app.get(
    '/api/estates/:estateId/elevators/:elevatorId/cost-split',
    { config: { roles: ['committee', 'volunteer', 'resident'] }, schema: { tags: ['elevators'], summary: 'Each member household’s share of the build cost, with the formula', params: LiftParams, querystring: z.object({ totalFen: z.coerce.number().int().min(1) }) } },
    async (req) => {
      lift(req.params.estateId, req.params.elevatorId);
      return costly(() => splitCost({ totalFen: req.query.totalFen, households: memberHouseholds(req.params.estateId, req.params.elevatorId), rule: rules(req.params.estateId).cost, subsidy: true }));
    },
  );

  app.get(
    '/api/estates/:estateId/elevators/:elevatorId/buy-in',
    { config: { roles: ['committee', 'resident'] }, schema: { tags: ['elevators'], summary: 'What a household joining now would pay, and what existing members would get back', params: LiftParams, querystring: z.object({ householdId: HouseholdFilter, totalFen: z.coerce.number().int().min(1), completedAt: z.iso.datetime({ offset: true }) }) } },
    async (req) => {
      lift(req.params.estateId, req.params.elevatorId);
      const h = store.estateModel.getHousehold(req.params.estateId, req.query.householdId);
      const floor = h && floorOfRoom(h.room);
      if (!h || floor === undefined) throw badRequest(`querystring.householdId: no household ${req.query.householdId} with a floor`);
      return costly(() => buyIn({ householdId: h.id, floor, areaM2: h.areaM2 ?? undefined, members: memberHouseholds(req.params.estateId, req.params.elevatorId), totalFen: req.query.totalFen, rule: rules(req.params.estateId).cost, completedAtMs: Date.parse(req.query.completedAt), joinAtMs: Date.now() }));
    },
  );

  const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
  app.post(
    '/api/estates/:estateId/elevators/:elevatorId/running-costs',
    { config: { roles: COMMITTEE }, schema: { tags: ['elevators'], params: LiftParams, body: z.object({ month: Month, kind: z.enum(['electricity', 'maintenance', 'inspection', 'other']), fen: z.number().int().min(1), note: z.string().max(200).optional() }) } },
    async (req, reply) => {
      lift(req.params.estateId, req.params.elevatorId);
      const locked = store.accounts.lockedForDevice(req.params.estateId, req.params.elevatorId, new Date(`${req.body.month}-01T00:00:00+08:00`).toISOString());
      if (locked) throw monthPublished('body.month', locked);
      const cost = { id: `rc-${randomUUID()}`, estateId: req.params.estateId, elevatorId: req.params.elevatorId, ...req.body, recordedBy: req.user!.username, recordedAt: new Date().toISOString() };
      store.elevators.addRunningCost(cost);
      return reply.code(201).send(cost);
    },
  );
  app.delete(
    '/api/estates/:estateId/elevators/:elevatorId/running-costs/:costId',
    { config: { roles: COMMITTEE }, schema: { tags: ['elevators'], summary: 'Take back a running cost entered by mistake; refused once its month is published (公示)', params: LiftParams.extend({ costId: z.string().max(80) }) } },
    async (req) => {
      const { estateId, elevatorId, costId } = req.params;
      lift(estateId, elevatorId);
      const cost = store.elevators.runningCost(elevatorId, costId);
      if (!cost) throw notFound(`running cost ${costId} of elevator ${elevatorId}`);
      const locked = store.accounts.lockedForDevice(estateId, elevatorId, new Date(`${cost.month}-01T00:00:00+08:00`).toISOString());
      if (locked) throw monthPublished('params.costId', locked);
      store.elevators.removeRunningCost(elevatorId, costId);
      return { deleted: cost };
    },
  );
  app.get(
    '/api/estates/:estateId/elevators/:elevatorId/running-costs',
    { config: { roles: ['committee', 'volunteer', 'resident'] }, schema: { tags: ['elevators'], summary: 'A month’s running costs and each member’s share', params: LiftParams, querystring: z.object({ month: Month }) } },
    async (req) => {
      lift(req.params.estateId, req.params.elevatorId);
      const items = store.elevators.runningCosts(req.params.elevatorId, req.query.month);
      const [y, m] = req.query.month.split('-').map(Number) as [number, number];
      const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000).toISOString();
      const to = new Date(Date.UTC(m === 12 ? y + 1 : y, m === 12 ? 0 : m, 1) - 8 * 3_600_000).toISOString();
      const rides = store.elevators.rideCountsByHousehold(req.params.elevatorId, from, to);
      const split = items.length ? costly(() => splitRunningCosts({ month: req.query.month, items: items.map((i) => ({ kind: i.kind, fen: i.fen })), households: memberHouseholds(req.params.estateId, req.params.elevatorId), rides, rule: rules(req.params.estateId).cost })) : null;
      return { items, split };
    },
  );

  app.post(
    '/api/estates/:estateId/elevators/:elevatorId/maintenance',
    { config: { roles: MAINTAINERS }, schema: { tags: ['elevators'], summary: 'A routine maintenance visit; the next is due within the charter’s interval (15 days by Chinese rules)', params: LiftParams, body: z.object({ doneBy: z.string().min(1).max(100), doneAt: z.iso.datetime({ offset: true }), what: z.string().min(2).max(500) }) } },
    async (req, reply) => {
      lift(req.params.estateId, req.params.elevatorId);
      const interval = parking.charter(req.params.estateId, Date.now())?.document.elevator?.faults.maintenanceIntervalDays ?? 15;
      if (Date.parse(req.body.doneAt) > Date.now() + 5 * 60_000) throw badRequest('body.doneAt: a maintenance visit is recorded after it happened');
      const doneAt = new Date(req.body.doneAt).toISOString();
      const rec = { id: `mt-${randomUUID()}`, estateId: req.params.estateId, elevatorId: req.params.elevatorId, ...req.body, doneAt, nextDue: new Date(Date.parse(doneAt) + interval * DAY).toISOString(), recordedBy: req.user!.username, recordedAt: new Date().toISOString() };
      store.elevators.addMaintenance(rec);
      return reply.code(201).send(rec);
    },
  );
  app.get('/api/estates/:estateId/elevators/:elevatorId/maintenance', { config: { roles: STAFF }, schema: { tags: ['elevators'], params: LiftParams } }, async (req) => {
    lift(req.params.estateId, req.params.elevatorId);
    const interval = parking.charter(req.params.estateId, Date.now())?.document.elevator?.faults.maintenanceIntervalDays ?? 15;
    return { items: store.elevators.maintenance(req.params.elevatorId, 100), status: maintenanceStatus(req.params.elevatorId, interval) };
  });
};
