import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import type { Alerts } from '../../alerts/alerts.js';
import type { AlertEngine } from '../../alerts/engine.js';
import { NotificationPrefs } from '../../alerts/preferences.js';
import { onDuty, Roster, rosterPeople, swapProblem } from '../../alerts/roster.js';
import { localClock } from '../../parking/local-time.js';
import { pointsFor } from '../../alerts/routing.js';
import { AlertsSection } from '../../charter/alerts-schema.js';
import { COMMITTEE, EVERYONE, MAINTAINERS, STAFF, seesPersonalData } from '../../auth/roles.js';
import { maskPersonal } from '../../log.js';
import type { Parking } from '../../parking/service.js';
import type { Store } from '../../store/index.js';
import { deviceOfEstate, personOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { allowedHostEntry, webhookUrlProblem } from '../../notify/webhook-url.js';

const EstateParams = z.object({ estateId: Id });
const Skill = z.enum(['gate', 'charger', 'elevator', 'general']);
const WebhookUrl = z.url({ protocol: /^https?$/, error: '只能是 http:// 或 https:// 地址 / only an http:// or https:// URL' }).max(2000);

/** The volunteers' side of alerts: inbox, claim and resolve, the roster, channels, maintenance mode. */
export const dutyRoutes: FastifyPluginAsyncZod<{ store: Store; alerts: Alerts; engine: AlertEngine; parking: Parking }> = async (app, { store, alerts, engine, parking }) => {
  const rulesOf = (estateId: string) => parking.charter(estateId, Date.now())?.document.alerts ?? AlertsSection.parse({ clause: '7.1' });
  const alertOf = (estateId: string, id: string) => {
    const a = store.alerts.get(id);
    if (!a || a.estateId !== estateId) throw notFound(`alert ${id}`);
    return a;
  };
  const AlertParams = EstateParams.extend({ alertId: z.string().max(80) });

  app.get('/api/estates/:estateId/alerts/inbox', { config: { roles: STAFF }, schema: { tags: ['alerts'], summary: 'Mine (sent to me or claimed by me) and every open one', params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    const open = store.alerts.list(req.params.estateId, { status: 'open', limit: 500 });
    const me = req.user!.username;
    const mine = open.filter((a) => a.claimedBy === me || store.alerts.notified(a.id).has(me));
    return { mine, open: open.filter((a) => !a.claimedBy) };
  });

  app.get('/api/estates/:estateId/alerts/:alertId', { config: { roles: STAFF }, schema: { tags: ['alerts'], summary: 'One alert with its full timeline', params: AlertParams } }, async (req) => {
    const a = alertOf(req.params.estateId, req.params.alertId);
    return { ...a, timeline: store.alerts.events(a.id), deliveries: store.deliveries?.listByAlert(a.id) ?? [] };
  });

  app.post('/api/estates/:estateId/alerts/:alertId/claim', { config: { roles: MAINTAINERS }, schema: { tags: ['alerts'], summary: '我来处理: take it; escalation stops', params: AlertParams } }, async (req) => {
    const a = alertOf(req.params.estateId, req.params.alertId);
    const claimed = alerts.claim(a.id, req.user!.username);
    if (!claimed) throw badRequest(a.claimedBy ? `already claimed by ${a.claimedBy}` : `alert ${a.id} is not open`);
    return claimed;
  });

  app.post(
    '/api/estates/:estateId/alerts/:alertId/resolve',
    { config: { roles: MAINTAINERS }, schema: { tags: ['alerts'], summary: 'Resolved, with a note; the volunteer who claimed it earns the charter’s points', params: AlertParams, body: z.object({ note: z.string().trim().min(2, 'say what was done').max(500) }) } },
    async (req) => {
      const a = alertOf(req.params.estateId, req.params.alertId);
      const closed = alerts.close(a.id, req.user!.username, req.body.note);
      if (!closed) throw badRequest(`alert ${a.id} is already closed`);
      // The points go to whoever claimed it and went, even if a committee member writes the closing note.
      if (closed.claimedBy) store.roster.addPoints(a.estateId, closed.claimedBy, pointsFor(rulesOf(a.estateId), a.severity));
      return closed;
    },
  );

  app.get('/api/estates/:estateId/roster', { config: { roles: EVERYONE }, schema: { tags: ['duty'], params: EstateParams } }, async (req) => ({ roster: store.roster.roster(req.params.estateId) ?? null }));
  app.put('/api/estates/:estateId/roster', { config: { roles: COMMITTEE }, schema: { tags: ['duty'], summary: 'The weekly rotation, swaps, the committee catch-all, the elevator company', params: EstateParams, body: Roster } }, async (req) => {
    requireEstate(store, req.params.estateId);
    // Everyone named is a person of this estate: naming another estate's (or the install's own admin) would
    // hand them this estate's alerts and narrow their live feed to it.
    for (const p of rosterPeople(req.body)) personOfEstate(store, req.params.estateId, p.username, `body.${p.field}`, req.user!);
    // Swaps already past are history, kept as they were; the ones still to come must fit the new rotation.
    const today = localClock(Date.now()).date;
    for (const [i, swap] of req.body.swaps.entries()) {
      const problem = swap.date >= today ? swapProblem(req.body, swap) : undefined;
      if (problem) throw badRequest(`body.swaps.${i}.${problem.field}: ${problem.message}`);
    }
    store.roster.saveRoster(req.params.estateId, req.body, req.user!.username, new Date().toISOString());
    for (const v of req.body.volunteers) store.roster.setSkills(req.params.estateId, v.username, v.skills);
    return { ok: true };
  });
  app.get('/api/estates/:estateId/roster/now', { config: { roles: EVERYONE }, schema: { tags: ['duty'], summary: 'Who is on duty now, per skill (first is on duty, then the next people)', params: EstateParams } }, async (req) => {
    const roster = store.roster.roster(req.params.estateId) as Roster | undefined;
    if (!roster) return { onDuty: null };
    const now = Date.now();
    return { onDuty: Object.fromEntries((['gate', 'charger', 'elevator', 'general'] as const).map((s) => [s, onDuty(roster, s, now)])), committee: roster.committee };
  });
  app.post(
    '/api/estates/:estateId/roster/swaps',
    { config: { roles: MAINTAINERS }, schema: { tags: ['duty'], summary: 'Swap a shift for one date (a volunteer swaps their own)', params: EstateParams, body: z.object({ date: z.iso.date(), skill: Skill, from: z.string().max(32), to: z.string().max(32) }) } },
    async (req) => {
      const roster = store.roster.roster(req.params.estateId) as Roster | undefined;
      if (!roster) throw notFound('a roster for this estate');
      if (req.user!.role !== 'committee' && req.body.from !== req.user!.username) throw forbidden('a volunteer swaps their own shift');
      for (const field of ['from', 'to'] as const) personOfEstate(store, req.params.estateId, req.body[field], `body.${field}`, req.user!);
      const problem = swapProblem(roster, req.body);
      if (problem) throw badRequest(`body.${problem.field}: ${problem.message}`);
      roster.swaps = [...roster.swaps, req.body];
      store.roster.saveRoster(req.params.estateId, roster, req.user!.username, new Date().toISOString());
      return { ok: true };
    },
  );
  app.get('/api/estates/:estateId/volunteers', { config: { roles: STAFF }, schema: { tags: ['duty'], summary: 'Volunteers with their skills and points', params: EstateParams } }, async (req) => ({ items: store.roster.volunteers(req.params.estateId) }));

  app.get('/api/estates/:estateId/notification-channels', { config: { roles: STAFF }, schema: { tags: ['duty'], params: EstateParams } }, async (req) => {
    const all = store.roster.allChannels(req.params.estateId).map(({ secret, url, ...c }) => ({ ...c, url: url.replace(/(access_token|key)=[^&]+/, '$1=***'), hasSecret: !!secret }));
    return { items: req.user!.role === 'committee' ? all : all.filter((c) => c.owner === req.user!.username) };
  });
  app.post(
    '/api/estates/:estateId/notification-channels',
    {
      config: { roles: STAFF },
      schema: { tags: ['duty'], summary: 'A DingTalk / WeCom group robot or a JSON webhook, for me (or, by the committee, for anyone or an external contact)', params: EstateParams, body: z.object({ owner: z.string().max(80).optional(), kind: z.enum(['dingtalk', 'wecom', 'json']), url: WebhookUrl, secret: z.string().max(200).optional(), prefs: NotificationPrefs.default({}) }) },
    },
    async (req, reply) => {
      requireEstate(store, req.params.estateId);
      const owner = req.body.owner ?? req.user!.username;
      if (owner !== req.user!.username && req.user!.role !== 'committee') throw forbidden('body.owner: 只有居委会可以为他人设置通知渠道 / only the committee sets up channels for others');
      // Public internet addresses only, unless the committee named the LAN host; checked again each time a message is sent.
      const problem = await webhookUrlProblem(req.body.url, store.roster.allowanceOf(req.params.estateId));
      if (problem) throw badRequest(`body.url: ${problem}`);
      const ch = { id: `ch-${randomUUID()}`, estateId: req.params.estateId, owner, kind: req.body.kind, url: req.body.url, secret: req.body.secret, prefs: req.body.prefs as Record<string, unknown>, createdAt: new Date().toISOString() };
      store.roster.addChannel(ch);
      return reply.code(201).send({ id: ch.id, owner, kind: ch.kind });
    },
  );
  app.get('/api/estates/:estateId/notification-channels/allowed-hosts', { config: { roles: STAFF }, schema: { tags: ['duty'], summary: 'The LAN hosts this estate’s webhooks may reach besides public addresses', params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    return { items: store.roster.allowedHosts(req.params.estateId) };
  });
  app.put(
    '/api/estates/:estateId/notification-channels/allowed-hosts',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['duty'],
        summary: 'Name the LAN hosts (a NAS, a home server) this estate’s webhooks may reach; replaces the list. This server’s own loopback: the install’s administrator only',
        params: EstateParams,
        body: z.object({ hosts: z.array(z.string().max(253)).max(50) }),
      },
    },
    async (req) => {
      requireEstate(store, req.params.estateId);
      const byInstall = req.user!.estateId === null;
      const hosts = req.body.hosts.map((entry, i) => {
        const c = allowedHostEntry(entry, byInstall);
        if (!c.ok) throw (c.forbidden ? forbidden : badRequest)(`body.hosts.${i}: ${c.message}`);
        return { host: c.host, loopback: c.loopback };
      });
      store.roster.setAllowedHosts(req.params.estateId, [...new Map(hosts.map((h) => [h.host, h])).values()], req.user!.username, new Date().toISOString());
      return { items: store.roster.allowedHosts(req.params.estateId) };
    },
  );

  const DeviceParams = EstateParams.extend({ deviceId: Id });
  app.post(
    '/api/estates/:estateId/devices/:deviceId/maintenance-mode',
    { config: { roles: MAINTAINERS }, schema: { tags: ['duty'], summary: 'Hold this device’s alerts until a time; public pages say 维修中; ends by itself', params: DeviceParams, body: z.object({ until: z.iso.datetime({ offset: true }), reason: z.string().trim().min(2).max(200) }) } },
    async (req) => {
      const d = deviceOfEstate(store, req.params.estateId, req.params.deviceId);
      if (Date.parse(req.body.until) <= Date.now()) throw badRequest('body.until: must be in the future');
      const mode = { deviceId: d.id, estateId: d.estateId, until: new Date(req.body.until).toISOString(), reason: req.body.reason, byUser: req.user!.username, since: new Date().toISOString() };
      store.alerts.setMaintenance(mode);
      store.alerts.recordMaintenancePeriod(mode); // the history uptime reads; maintenance_mode keeps only the current one
      return { deviceId: d.id, until: req.body.until };
    },
  );
  app.delete('/api/estates/:estateId/devices/:deviceId/maintenance-mode', { config: { roles: MAINTAINERS }, schema: { tags: ['duty'], params: DeviceParams } }, async (req) => {
    deviceOfEstate(store, req.params.estateId, req.params.deviceId);
    const m = store.alerts.maintenance(req.params.deviceId);
    if (!m || m.estateId !== req.params.estateId) throw notFound(`maintenance mode for ${req.params.deviceId}`);
    const now = new Date().toISOString();
    store.alerts.setMaintenance({ ...m, until: now });
    store.alerts.endMaintenancePeriod(m.deviceId, now);
    engine.tick(); // ends it now and routes what was held
    return { deviceId: req.params.deviceId, ended: true };
  });

  app.get('/api/estates/:estateId/devices/:deviceId/history', { config: { roles: STAFF }, schema: { tags: ['duty'], summary: 'A device’s alerts, events, commands and presence', params: DeviceParams } }, async (req) => {
    const d = deviceOfEstate(store, req.params.estateId, req.params.deviceId);
    const q = { estateId: d.estateId, deviceId: d.id, limit: 50 };
    const history = {
      device: d,
      maintenance: store.alerts.maintenance(d.id) ?? null,
      alerts: store.alerts.forDevice(d.id, 50),
      events: store.history.messages({ ...q, channel: 'event', withVendorRaw: seesPersonalData(req.user!.role) }),
      commands: store.history.commands(q),
      presence: store.history.presence(q),
    };
    return seesPersonalData(req.user!.role) ? history : maskPersonal(history);
  });
};
