import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Direction, Id } from '../../../devices/index.js';
import type { Gateway } from '../../../gateway/index.js';
import { COMMITTEE, OPERATORS, STAFF } from '../../auth/roles.js';
import type { ParkingDirectory } from '../../parking/directory.js';
import { normalizePlate } from '../../parking/plates.js';
import { recordEntry, recordExit } from '../../parking/records.js';
import { stayFee } from '../../parking/exit-rules.js';
import type { Parking } from '../../parking/service.js';
import type { ParkingRepo } from '../../store/parking-repo.js';
import type { Store } from '../../store/index.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, notFound } from '../errors.js';
import { PlateFilter } from '../query.js';

const EstateParams = z.object({ estateId: Id });
const Limit = z.coerce.number().int().min(1).max(1000).default(100);

/**
 * Guards at the gate, the committee reviewing: lanes, decisions, stays, manual opens, payments, unmatched exits.
 * Plates reach anyone but the committee masked (plateRead, candidates, display, explain… whatever the key):
 * the masking step every answer goes through does it (server/http/privacy.ts); a plate filter is for
 * committee and guards only, and audited.
 */
export const parkingRoutes: FastifyPluginAsyncZod<{ store: Store; repo: ParkingRepo; parking: Parking; gateway: Gateway; directory: ParkingDirectory }> = async (app, deps) => {
  const { store, repo, parking, gateway } = deps;
  const estate = (id: string) => requireEstate(store, id);
  const nowIso = () => new Date().toISOString();

  app.get('/api/estates/:estateId/parking/lanes', { config: { roles: STAFF }, schema: { tags: ['parking'], summary: 'Each gate: lot, free spaces, last decision per lane, whether it holds the current offline whitelist', params: EstateParams } }, async (req) => {
    const { estateId } = req.params;
    estate(estateId);
    const c = parking.charter(estateId, Date.now());
    if (!c) return { charterVersion: null, lots: [] };
    const lots = c.document.parking.lots.map((lot) => {
      const occ = repo.occupancy(estateId, lot.id);
      // A stored charter naming another estate's gate shows nothing of it here (its presence, its whitelist).
      const gates = lot.gates.filter((gateId) => parking.isGateOf(estateId, gateId)).map((gateId) => {
        const cfg = repo.gateConfig(gateId);
        const last = (direction: 'in' | 'out') => repo.decisions(estateId, { gateId, limit: 20 }).find((d) => d.direction === direction) ?? null;
        return {
          gateId,
          online: gateway.isOnline(gateId),
          whitelist: cfg ? { version: cfg.version, reportedVersion: cfg.reportedVersion ?? null, upToDate: cfg.reportedVersion === cfg.version, plates: cfg.config.plates.length } : null,
          lastIn: last('in'),
          lastOut: last('out'),
        };
      });
      return { id: lot.id, name: lot.name, capacity: lot.capacity, occupied: occ.total, free: Math.max(0, lot.capacity - occ.total), gates };
    });
    return { charterVersion: c.version, lots };
  });

  app.get(
    '/api/estates/:estateId/parking/decisions',
    { config: { roles: STAFF }, schema: { tags: ['parking'], params: EstateParams, querystring: z.object({ gateId: Id.optional(), plate: PlateFilter.optional(), limit: Limit }) } },
    async (req) => {
      estate(req.params.estateId);
      const items = repo.decisions(req.params.estateId, { ...req.query, plate: req.query.plate && normalizePlate(req.query.plate) });
      return { items };
    },
  );

  app.get(
    '/api/estates/:estateId/parking/stays',
    { config: { roles: OPERATORS }, schema: { tags: ['parking'], params: EstateParams, querystring: z.object({ plate: PlateFilter.optional(), open: z.enum(['true', 'false']).optional(), limit: Limit }) } },
    async (req) => {
      estate(req.params.estateId);
      return { items: repo.stays(req.params.estateId, { plate: req.query.plate && normalizePlate(req.query.plate), open: req.query.open && req.query.open === 'true', limit: req.query.limit }) };
    },
  );

  app.post(
    '/api/estates/:estateId/gates/:gateId/open',
    {
      config: { roles: OPERATORS },
      schema: {
        tags: ['parking'],
        summary: 'Open a gate by hand; the reason is kept and shown to the committee',
        params: EstateParams.extend({ gateId: Id }),
        body: z.object({ direction: Direction, reason: z.string().trim().min(2, 'say why (at least 2 characters)').max(200), plate: z.string().max(10).optional() }),
      },
    },
    async (req, reply) => {
      const { estateId, gateId } = req.params;
      // One of this estate's gates (or one its charter names before it is installed); another estate's is a 404.
      deviceOfEstate(store, estateId, gateId, { kind: 'gate', unregistered: 'allow' });
      const lane = parking.laneFor(estateId, gateId, req.body.direction, nowIso());
      if (!lane) throw notFound(`gate ${gateId} in a lot of the charter in force`);
      const plate = req.body.plate ? normalizePlate(req.body.plate) : undefined;
      const cmdId = parking.sendGate(lane.estateId, gateId, { type: 'open', direction: req.body.direction, ...(plate ? { plate } : {}), display: '人工放行' });
      const id = `man-${cmdId ?? Date.now()}`;
      // Recorded in the gate's own estate (the lane's, checked above), where its committee reads it.
      repo.addManualOpen({ id, estateId: lane.estateId, gateId, direction: req.body.direction, plate, reason: req.body.reason, byUser: req.user!.username, at: lane.at, cmdId });
      if (plate) manualStay(lane, plate, req.body.direction);
      req.log.info({ estateId, gateId, direction: req.body.direction, by: req.user!.username, reason: req.body.reason }, 'gate opened by hand');
      return reply.code(202).send({ id, cmdId: cmdId ?? null });
    },
  );

  /** A hand-opened car with a known plate still gets its stay (entry) or closes it (exit, fee owed unless paid). */
  function manualStay(lane: NonNullable<ReturnType<Parking['laneFor']>>, plate: string, direction: 'in' | 'out'): void {
    const v = deps.directory.vehicles(lane.estateId).get(plate);
    const c = parking.charter(lane.estateId, Date.now())!.document.parking;
    const base = { action: 'open' as const, clause: 'manual', plate, display: '人工放行', explain: '值班人员人工放行' };
    if (direction === 'in') {
      recordEntry(repo, lane, { ...base, vehicleClass: v?.vehicleClass ?? 'temporary', householdId: v?.householdId, billable: !v }, 'manual');
      return;
    }
    const stay = repo.findOpenStay(lane.estateId, plate);
    if (!stay) return;
    const fee = stayFee(stay, c, Date.now());
    recordExit(repo, lane, { ...base, billable: fee.feeFen > 0, stay, feeFen: fee.feeFen, feeExplain: fee.explain, clause: c.tariff.clause }, c.groups.billingStopsWhenGroupCarLeaves, 'manual');
  }

  app.get('/api/estates/:estateId/parking/manual-opens', { config: { roles: COMMITTEE }, schema: { tags: ['parking'], params: EstateParams, querystring: z.object({ limit: Limit }) } }, async (req) => {
    estate(req.params.estateId);
    return { items: repo.manualOpens(req.params.estateId, req.query.limit) };
  });

  const StayParams = EstateParams.extend({ stayId: z.string().max(80) });
  const stayOf = (estateId: string, stayId: string) => {
    const s = repo.getStay(stayId);
    if (!s || s.estateId !== estateId) throw notFound(`stay ${stayId}`);
    return s;
  };

  /** Settle a stay's fee; a car waiting at an exit with its arm down is let out. */
  function settle(estateId: string, stayId: string, payment: 'paid' | 'waived', by: string) {
    const s = stayOf(estateId, stayId);
    if (s.payment === 'paid' || s.payment === 'waived') throw badRequest(`stay ${stayId} is already ${s.payment}`);
    if (s.feeFen === undefined && !s.exitGate) throw badRequest(`stay ${stayId} has no fee yet: the car has not reached an exit`);
    const at = nowIso();
    repo.setPayment(stayId, payment, by, at);
    let cmdId: string | undefined;
    if (!s.exitAt && s.exitGate) {
      cmdId = parking.sendGate(estateId, s.exitGate, { type: 'open', direction: 'out', plate: s.plate, display: payment === 'paid' ? '缴费成功 一路顺风' : '一路顺风' });
      repo.updateStay(stayId, { exitAt: at, exitSource: 'camera' });
    }
    return { stay: repo.getStay(stayId), cmdId: cmdId ?? null };
  }

  app.post(
    '/api/estates/:estateId/parking/stays/:stayId/pay',
    { config: { roles: OPERATORS }, schema: { tags: ['parking'], summary: 'Record the fee as paid (cash at the booth, or a payment provider’s confirmation) and let the car out', params: StayParams, body: z.object({ method: z.enum(['cash', 'online']) }) } },
    async (req) => {
      const r = settle(req.params.estateId, req.params.stayId, 'paid', `${req.user!.username}:${req.body.method}`);
      req.log.info({ stayId: req.params.stayId, by: req.user!.username, method: req.body.method }, 'parking fee paid');
      return r;
    },
  );

  app.post(
    '/api/estates/:estateId/parking/stays/:stayId/waive',
    { config: { roles: OPERATORS }, schema: { tags: ['parking'], summary: 'Waive a fee; who waived it and why are kept', params: StayParams, body: z.object({ reason: z.string().trim().min(2).max(200) }) } },
    async (req) => {
      const r = settle(req.params.estateId, req.params.stayId, 'waived', req.user!.username);
      req.log.info({ stayId: req.params.stayId, by: req.user!.username, reason: req.body.reason }, 'parking fee waived');
      return r;
    },
  );

  app.get('/api/estates/:estateId/parking/unmatched-exits', { config: { roles: OPERATORS }, schema: { tags: ['parking'], summary: 'Exits with no entry on record, with the likeliest cars inside', params: EstateParams } }, async (req) => {
    estate(req.params.estateId);
    return { items: repo.openUnmatched(req.params.estateId) };
  });

  app.post(
    '/api/estates/:estateId/parking/unmatched-exits/:id/resolve',
    {
      config: { roles: OPERATORS },
      schema: {
        tags: ['parking'],
        summary: 'Match an exit to a stay (or close it with the default fee) and let the car out',
        params: EstateParams.extend({ id: z.string().max(80) }),
        body: z.object({ stayId: z.string().max(80).optional(), note: z.string().max(200).optional() }),
      },
    },
    async (req) => {
      const { estateId, id } = req.params;
      const u = repo.getUnmatched(id);
      if (!u || u.estateId !== estateId) throw notFound(`unmatched exit ${id}`);
      const lane = parking.laneFor(estateId, u.gateId, 'out', nowIso());
      if (!lane) throw notFound(`gate ${u.gateId} in the charter in force`);
      const c = parking.charter(estateId, Date.now())!.document.parking;
      const stay = req.body.stayId ? stayOf(estateId, req.body.stayId) : undefined;
      if (stay && stay.exitAt) throw badRequest(`body.stayId: stay ${stay.id} has already left`);
      const fee = stay ? stayFee(stay, c, Date.now()) : { feeFen: c.exit.unmatchedDefaultFeeFen, explain: '无入场记录，收取默认停车费' };
      const closed = recordExit(
        repo,
        lane,
        { action: 'open', clause: c.exit.clause, plate: stay?.plate ?? u.plateRead, display: '一路顺风', explain: fee.explain, billable: fee.feeFen > 0, stay, feeFen: fee.feeFen, feeExplain: fee.explain, unmatched: stay ? undefined : { candidates: [] } },
        c.groups.billingStopsWhenGroupCarLeaves,
        'guard-match',
      );
      repo.resolveUnmatched(id, { by: req.user!.username, at: lane.at, resolution: stay ? `matched ${stay.id}` : 'default fee', stayId: closed?.id });
      const cmdId = parking.sendGate(estateId, u.gateId, { type: 'open', direction: 'out', display: '一路顺风' });
      return { stay: closed, cmdId: cmdId ?? null };
    },
  );

  app.post('/api/estates/:estateId/parking/whitelists/refresh', { config: { roles: COMMITTEE }, schema: { tags: ['parking'], summary: 'Recompile and republish offline whitelists now', params: EstateParams } }, async (req) => {
    estate(req.params.estateId);
    parking.refreshWhitelists(req.params.estateId);
    return { items: repo.gateConfigs(req.params.estateId).map((g) => ({ gateId: g.gateId, version: g.version, reportedVersion: g.reportedVersion ?? null, plates: g.config.plates.length })) };
  });
};
