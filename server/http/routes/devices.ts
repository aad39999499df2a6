import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DeviceKind, Id, kindDef } from '../../../devices/index.js';
import { CommandError, WrongEstateError, hashSecret, newSecret, type Gateway } from '../../../gateway/index.js';
import { COMMITTEE, EVERYONE, OPERATORS, STAFF } from '../../auth/roles.js';
import type { Device, Store } from '../../store/index.js';
import { REGISTRATION_DEVICE_REFS } from '../../estate/estate-scope.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
const DeviceParams = EstateParams.extend({ deviceId: Id });

const DeviceOut = z.object({
  id: z.string(),
  estateId: z.string(),
  kind: DeviceKind,
  name: z.string(),
  props: z.record(z.string(), z.unknown()),
  status: z.enum(['active', 'decommissioned']),
  online: z.boolean(),
  lastSeen: z.string().nullable(),
  lastEvent: z.object({ type: z.string(), at: z.string() }).nullable(),
  fw: z.string().nullable(),
});

export const deviceRoutes: FastifyPluginAsyncZod<{ store: Store; gateway: Gateway }> = async (app, { store, gateway }) => {
  const estate = (id: string) => requireEstate(store, id);
  const device = (estateId: string, id: string): Device => deviceOfEstate(store, estateId, id);
  // The store's `online` is the debounced truth; the gateway knows about connections made since.
  const withPresence = (d: Device) => ({ ...d, online: d.status === 'active' && (gateway.isOnline(d.id) || d.online) });

  app.post(
    '/api/estates',
    { config: { roles: COMMITTEE }, schema: { tags: ['estates'], body: z.object({ id: Id, name: z.string().min(1).max(100) }) } },
    async (req, reply) => {
      if (req.user!.estateId !== null) throw forbidden(`a committee member of estate ${req.user!.estateId} cannot add estates`);
      const created = store.estates.createEstate(req.body);
      if (created === 'exists') throw conflict(`estate ${req.body.id}`);
      return reply.code(201).send({ id: created.id, name: created.name });
    },
  );
  app.get('/api/estates', { config: { roles: EVERYONE }, schema: { tags: ['estates'] } }, async (req) => ({
    // An account of one estate is shown that one: its dashboard's estate picker offers no other.
    items: store.estates.listEstates().filter((e) => req.user!.estateId === null || e.id === req.user!.estateId).map(({ id, name }) => ({ id, name })),
  }));

  app.post(
    '/api/estates/:estateId/devices',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['devices'],
        summary: 'Register a device; its secret is in this answer and nowhere else',
        params: EstateParams,
        body: z.looseObject({ id: Id, kind: DeviceKind, name: z.string().min(1).max(100).optional() }),
        response: { 201: z.object({ id: z.string(), secret: z.string() }) },
      },
    },
    async (req, reply) => {
      estate(req.params.estateId);
      const { id, kind, name, ...rest } = req.body;
      const props = kindDef(kind).registration.safeParse(rest);
      if (!props.success) {
        const issue = props.error.issues[0]!;
        throw badRequest(`body.${issue.path.join('.')}: ${issue.message}`);
      }
      // A camera's gate (any field naming another device) is of this estate, or not installed yet.
      for (const [field, refKind] of Object.entries(REGISTRATION_DEVICE_REFS[kind] ?? {})) {
        const ref = (props.data as Record<string, unknown>)[field];
        if (typeof ref === 'string') deviceOfEstate(store, req.params.estateId, ref, { kind: refKind, field: `body.${field}`, unregistered: 'allow' });
      }
      const secret = newSecret();
      const created = store.devices.register({ id, estateId: req.params.estateId, kind, name: name ?? id, props: props.data, secretHash: await hashSecret(secret) });
      if (created === 'exists') throw conflict(`device ${id}`);
      req.log.info({ deviceId: id, kind, by: req.user!.username }, 'device registered');
      return reply.code(201).send({ id, secret });
    },
  );

  app.get(
    '/api/estates/:estateId/devices',
    { config: { roles: STAFF }, schema: { tags: ['devices'], params: EstateParams, response: { 200: z.object({ items: z.array(DeviceOut) }) } } },
    async (req) => {
      estate(req.params.estateId);
      return { items: store.devices.list(req.params.estateId).map(withPresence) };
    },
  );
  app.get(
    '/api/estates/:estateId/devices/:deviceId',
    { config: { roles: STAFF }, schema: { tags: ['devices'], params: DeviceParams } },
    async (req) => {
      const d = device(req.params.estateId, req.params.deviceId);
      return { ...withPresence(d), counters: store.history.counters(d.id) };
    },
  );

  app.post(
    '/api/estates/:estateId/devices/:deviceId/rotate-secret',
    { config: { roles: COMMITTEE }, schema: { tags: ['devices'], params: DeviceParams, response: { 200: z.object({ id: z.string(), secret: z.string() }) } } },
    async (req) => {
      const d = device(req.params.estateId, req.params.deviceId);
      if (d.status !== 'active') throw badRequest(`device ${d.id} is decommissioned`);
      const secret = newSecret();
      store.devices.setSecretHash(d.id, await hashSecret(secret));
      gateway.disconnect(d.id);
      req.log.info({ deviceId: d.id, by: req.user!.username }, 'device secret rotated');
      return { id: d.id, secret };
    },
  );
  app.post(
    '/api/estates/:estateId/devices/:deviceId/decommission',
    { config: { roles: COMMITTEE }, schema: { tags: ['devices'], params: DeviceParams } },
    async (req) => {
      const d = device(req.params.estateId, req.params.deviceId);
      store.devices.decommission(d.id, new Date().toISOString());
      gateway.disconnect(d.id);
      req.log.info({ deviceId: d.id, by: req.user!.username }, 'device decommissioned');
      return { id: d.id, status: 'decommissioned' as const };
    },
  );

  app.post(
    '/api/estates/:estateId/devices/:deviceId/commands',
    {
      config: { roles: OPERATORS },
      schema: {
        tags: ['devices'],
        summary: 'Send a command; the outcome arrives on /live and in /commands',
        params: DeviceParams,
        body: z.looseObject({ type: z.string().min(1).max(32), ttlS: z.number().int().min(1).max(600).optional() }),
      },
    },
    async (req, reply) => {
      const d = device(req.params.estateId, req.params.deviceId);
      if (d.status !== 'active') throw badRequest(`device ${d.id} is decommissioned`);
      const { ttlS, ...cmd } = req.body;
      try {
        const { cmdId } = gateway.sendCommand(d.id, cmd, { estateId: req.params.estateId, ttlMs: ttlS ? ttlS * 1000 : undefined, requestedBy: req.user!.username });
        return reply.code(202).send({ cmdId });
      } catch (err) {
        if (err instanceof CommandError) throw badRequest(`body.${err.message}`);
        if (err instanceof WrongEstateError) throw notFound(`device ${d.id} in estate ${req.params.estateId}`);
        throw err;
      }
    },
  );
};
