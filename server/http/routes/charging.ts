import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { Id } from '../../../devices/index.js';
import { COMMITTEE, MAINTAINERS, STAFF, seesPersonalData } from '../../auth/roles.js';
import { cardsWorthALook, portRisk } from '../../charging/risk.js';
import type { Charging } from '../../charging/service.js';
import { shedView } from '../../charging/shed-view.js';
import { chargingUsage } from '../../charging/usage.js';
import type { LiveHub } from '../../live/hub.js';
import { maskPersonal } from '../../log.js';
import type { ParkingDirectory } from '../../parking/directory.js';
import type { Parking } from '../../parking/service.js';
import type { Store } from '../../store/index.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { HouseholdFilter } from '../query.js';

const EstateParams = z.object({ estateId: Id });
const ShedParams = z.object({ shedId: Id });

/** Sheds for residents (public, no login), their own sessions, the committee's accounts and reports. */
export const chargingRoutes: FastifyPluginAsyncZod<{ store: Store; charging: Charging; parking: Parking; directory: ParkingDirectory; live: LiveHub }> = async (app, deps) => {
  const { store, charging } = deps;
  /** A shed anyone may look at (the public page names no estate): any estate's, while in service. */
  const shedOf = (shedId: string) => {
    const d = store.devices.get(shedId);
    if (!d || d.kind !== 'charger' || d.status !== 'active') throw notFound(`charging shed ${shedId}`);
    return d;
  };
  /** A shed of the estate in the path, in service; another estate's is a 404. */
  const shedOfEstate = (estateId: string, shedId: string) => {
    const d = deviceOfEstate(store, estateId, shedId, { kind: 'charger' });
    if (d.status !== 'active') throw notFound(`charging shed ${shedId}`);
    return d;
  };
  const view = (shedId: string) => {
    const d = shedOf(shedId);
    const v = shedView({ ports: Number(d.props.ports ?? 10), records: store.charging.ports(shedId), active: store.charging.activeSessions(shedId), recentMinutes: store.charging.recentDurationsMin(shedId), nowMs: Date.now() });
    // A safety alarm still open is what a resident at the shed most needs to know.
    const alarm = store.alerts.forDevice(shedId, 20).find((a) => a.status === 'open' && a.severity === 'critical');
    const m = store.alerts.maintenance(shedId);
    const maintenance = m && Date.parse(m.until) > Date.now() ? { until: m.until, reason: m.reason } : null; // 维修中
    return { shedId, name: d.name, estate: store.estates.getEstate(d.estateId)?.name ?? d.estateId, ...v, alarm: alarm ? { title: alarm.title, since: alarm.raisedAt } : null, maintenance };
  };

  // Public: a QR code at the shed leads here. Port states only: no card, no household, no name.
  app.get('/api/public/sheds/:shedId', { config: { public: true }, schema: { tags: ['charging'], summary: 'Which ports are free right now (no login)', params: ShedParams } }, async (req) => view(req.params.shedId));

  const watchers = new Map<string, Set<WebSocket>>();
  app.get('/public/sheds/:shedId/live', { websocket: true, config: { public: true }, schema: { hide: true } }, (socket, req) => {
    const shedId = (req.params as { shedId: string }).shedId;
    try {
      socket.send(JSON.stringify({ type: 'shed', ...view(shedId) }));
    } catch {
      socket.close(4404, 'no such shed');
      return;
    }
    const set = watchers.get(shedId) ?? new Set();
    watchers.set(shedId, set.add(socket));
    socket.on('close', () => set.delete(socket));
  });
  deps.live.tap((msg) => {
    const shedId = msg.deviceId as string | undefined;
    if (msg.kind !== 'charger' || !shedId || !watchers.get(shedId)?.size) return;
    if (!['shed.changed', 'charging.session.started', 'charging.session.ended', 'charging.session.full'].includes(msg.type)) return;
    const text = JSON.stringify({ type: 'shed', ...view(shedId) });
    for (const ws of watchers.get(shedId)!) ws.send(text);
  });

  app.get('/api/estates/:estateId/charging/sheds', { config: { roles: ['committee', 'volunteer', 'guard', 'resident'] }, schema: { tags: ['charging'], params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    return { items: store.devices.list(req.params.estateId).filter((d) => d.kind === 'charger' && d.status === 'active').map((d) => view(d.id)) };
  });

  const SessionQuery = z.object({ shedId: Id.optional(), householdId: HouseholdFilter.optional(), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });
  app.get('/api/estates/:estateId/charging/sessions', { config: { roles: STAFF }, schema: { tags: ['charging'], params: EstateParams, querystring: SessionQuery } }, async (req) => {
    requireEstate(store, req.params.estateId);
    const items = store.charging.sessions(req.params.estateId, { ...req.query, fromIso: req.query.from, toIso: req.query.to });
    return { items: seesPersonalData(req.user!.role) ? items : items.map((s) => maskPersonal(s)) };
  });

  const myHouseholds = (estateId: string, username: string) => deps.directory.householdsOfUser(estateId, username);
  app.get('/api/estates/:estateId/charging/my-sessions', { config: { roles: ['resident'] }, schema: { tags: ['charging'], params: EstateParams } }, async (req) => ({
    items: myHouseholds(req.params.estateId, req.user!.username).flatMap((h) => store.charging.sessions(req.params.estateId, { householdId: h, limit: 200 })),
  }));

  app.post('/api/estates/:estateId/charging/sessions/:sessionId/stop', { config: { roles: ['resident', 'committee'] }, schema: { tags: ['charging'], summary: 'Stop a charging session (a resident: their own)', params: EstateParams.extend({ sessionId: z.string().max(80) }) } }, async (req) => {
    const s = store.charging.getSession(req.params.sessionId);
    if (!s || s.estateId !== req.params.estateId) throw notFound(`session ${req.params.sessionId}`);
    if (req.user!.role === 'resident' && !myHouseholds(s.estateId, req.user!.username).includes(s.householdId)) throw forbidden('this is not your session');
    if (s.status !== 'charging' && s.status !== 'starting') throw badRequest(`session ${s.id} has already ended`);
    return charging.residentStop(s);
  });

  app.post('/api/estates/:estateId/charging/sheds/:shedId/notify-free', { config: { roles: ['resident'] }, schema: { tags: ['charging'], summary: 'Tell me (live) when a port of this shed frees up', params: EstateParams.extend({ shedId: Id }) } }, async (req, reply) => {
    shedOfEstate(req.params.estateId, req.params.shedId);
    store.charging.addPortFreeRequest({ id: `pf-${Date.now()}-${req.user!.username}`, estateId: req.params.estateId, shedId: req.params.shedId, username: req.user!.username, createdAt: new Date().toISOString() });
    return reply.code(202).send({ ok: true });
  });

  const HouseholdParams = EstateParams.extend({ householdId: z.string().max(40) });
  const ownOrCommittee = (estateId: string, householdId: string, user: { role: string; username: string }) => {
    if (user.role !== 'committee' && !myHouseholds(estateId, user.username).includes(householdId)) throw forbidden('this is not your household');
  };
  app.get('/api/estates/:estateId/charging/accounts/:householdId', { config: { roles: ['resident', 'committee'] }, schema: { tags: ['charging'], params: HouseholdParams } }, async (req) => {
    ownOrCommittee(req.params.estateId, req.params.householdId, req.user!);
    const a = store.charging.account(req.params.estateId, req.params.householdId);
    return { householdId: req.params.householdId, balanceFen: a?.balanceFen ?? 0, planId: a?.planId ?? null, planValidUntil: a?.planValidUntil ?? null, ledger: store.charging.ledger(req.params.estateId, req.params.householdId) };
  });
  app.post(
    '/api/estates/:estateId/charging/accounts/:householdId/topup',
    { config: { roles: COMMITTEE }, schema: { tags: ['charging'], summary: 'Credit a prepaid balance (money handed to the committee)', params: HouseholdParams, body: z.object({ amountFen: z.number().int().min(1).max(1_000_000), note: z.string().max(100).optional() }) } },
    async (req) => {
      requireEstate(store, req.params.estateId);
      if (!store.estateModel.getHousehold(req.params.estateId, req.params.householdId)) throw notFound(`household ${req.params.householdId}`);
      store.charging.move({ estateId: req.params.estateId, householdId: req.params.householdId, kind: 'topup', amountFen: req.body.amountFen, by: req.user!.username, note: req.body.note, at: new Date().toISOString() });
      req.log.info({ householdId: req.params.householdId, amountFen: req.body.amountFen, by: req.user!.username }, 'charging balance topped up');
      return { balanceFen: store.charging.account(req.params.estateId, req.params.householdId)!.balanceFen };
    },
  );
  app.post(
    '/api/estates/:estateId/charging/accounts/:householdId/plan',
    { config: { roles: ['resident', 'committee'] }, schema: { tags: ['charging'], summary: 'Buy a plan from the balance', params: HouseholdParams, body: z.object({ planId: z.string().max(40) }) } },
    async (req) => {
      ownOrCommittee(req.params.estateId, req.params.householdId, req.user!);
      const charter = deps.parking.charter(req.params.estateId, Date.now())?.document.charging;
      const plan = charter?.access.plans.find((p) => p.id === req.body.planId);
      if (!plan) throw badRequest(`body.planId: no plan ${req.body.planId} in the charter in force`);
      const a = store.charging.account(req.params.estateId, req.params.householdId);
      if ((a?.balanceFen ?? 0) < plan.priceFen) throw badRequest(`body.planId: balance too low for ${plan.name} (needs ${plan.priceFen} fen)`);
      const from = Math.max(Date.now(), a?.planValidUntil ? Date.parse(a.planValidUntil) : 0);
      const validUntil = new Date(from + plan.days * 86_400_000).toISOString();
      store.charging.setPlan({ estateId: req.params.estateId, householdId: req.params.householdId, planId: plan.id, validUntil, priceFen: plan.priceFen, by: req.user!.username, at: new Date().toISOString() });
      return { planId: plan.id, validUntil };
    },
  );

  const Period = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), shedId: Id.optional() });
  app.get('/api/estates/:estateId/charging/usage', { config: { roles: COMMITTEE }, schema: { tags: ['charging'], summary: 'Sessions, kWh, revenue, faults and utilisation by hour, per shed and port', params: EstateParams, querystring: Period } }, async (req) => {
    requireEstate(store, req.params.estateId);
    const sheds = store.devices.list(req.params.estateId).filter((d) => d.kind === 'charger' && (!req.query.shedId || d.id === req.query.shedId)).map((d) => ({ shedId: d.id, ports: Number(d.props.ports ?? 10) }));
    const sessions = store.charging.sessions(req.params.estateId, { shedId: req.query.shedId, fromIso: req.query.from, toIso: req.query.to, limit: 1_000_000 });
    return chargingUsage(sessions, sheds, Date.parse(req.query.from), Date.parse(req.query.to));
  });

  app.get('/api/estates/:estateId/charging/risk', { config: { roles: MAINTAINERS }, schema: { tags: ['charging'], summary: 'Ports and cards worth a volunteer’s look', params: EstateParams, querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }) } }, async (req) => {
    requireEstate(store, req.params.estateId);
    const since = new Date(Date.now() - req.query.days * 86_400_000).toISOString();
    const sessions = store.charging.sessions(req.params.estateId, { fromIso: since, limit: 1_000_000 }).filter((s) => s.status === 'ended' && s.startedAt && s.endedAt);
    const rows = sessions.map((s) => ({ shedId: s.shedId, port: s.port, startedAtMs: Date.parse(s.startedAt!), endedAtMs: Date.parse(s.endedAt!), stopReason: s.stopReason ?? '', startTempC: s.startTempC ?? 0, maxTempC: s.maxTempC ?? 0, reachedFull: s.stopReason === 'full' || !!s.fullAt, cardId: s.cardId }));
    const byShed = new Map<string, typeof rows>();
    for (const r of rows) byShed.set(r.shedId, [...(byShed.get(r.shedId) ?? []), r]);
    const ports = [...byShed].flatMap(([shedId, rs]) => portRisk(rs as never).map((p: object) => ({ shedId, ...p })));
    const cards = cardsWorthALook(rows as never);
    return seesPersonalData(req.user!.role) ? { ports, cards } : { ports, cards: maskPersonal(cards) };
  });
};
