import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DeviceKind, Id, kindDef } from '../../../devices/index.js';
import { CommandError, WrongEstateError, hashSecret, newSecret, type Gateway } from '../../../gateway/index.js';
import { COMMITTEE, EVERYONE, OPERATORS, STAFF } from '../../auth/roles.js';
import type { Device, Store } from '../../store/index.js';
import { REGISTRATION_DEVICE_REFS } from '../../estate/estate-scope.js';
import { deviceOfEstate, requireEstate } from '../estate-guard.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import { checkVendorFields, drivesItsGate, pushesHttp, withoutVendorFields, type VendorChoice } from '../../vendors/registration.js';
import { connectFor, newPushToken, secretFor, type Endpoints } from '../../vendors/connect.js';

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
  /** A device bought from a vendor: whose protocol, over what, its serial, and the device that carries it (a gate driven by its camera). */
  vendor: z.object({ name: z.string(), transport: z.enum(['http', 'mqtt', 'tcp']), serialNo: z.string().nullable(), via: z.string().nullable() }).optional(),
});

/** What the committee types into the device: `connect` in the registration's (and rotate-secret's) answer. */
const ConnectOut = z.object({
  pushUrl: z.string().optional(),
  http: z.object({ host: z.string(), port: z.number(), path: z.string(), ssl: z.boolean() }).optional(),
  mqtt: z.object({ host: z.string(), port: z.number(), clientId: z.string(), username: z.string(), password: z.string() }).optional(),
  tcp: z.object({ host: z.string(), port: z.number() }).optional(),
  instructions: z.object({ zh: z.string(), en: z.string() }),
  notice: z.object({ zh: z.string(), en: z.string() }).optional(),
});
const Registered = z.object({ id: z.string(), secret: z.string(), connect: ConnectOut, serves: z.object({ gateId: z.string(), created: z.boolean() }).optional() });

const NO_ENDPOINTS: Endpoints = { httpBase: 'http://127.0.0.1', mqtt: { host: '127.0.0.1', port: 1883 }, tcp: {} };

export const deviceRoutes: FastifyPluginAsyncZod<{ store: Store; gateway: Gateway; endpoints?: () => Endpoints }> = async (app, { store, gateway, endpoints = () => NO_ENDPOINTS }) => {
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
        summary: 'Register a device; its secret (and a vendor device’s push URL) is in this answer and nowhere else',
        description:
          'A device bought from a vendor also takes `vendor` (linli default, vzenith, hikvision, juy, elevatorcloud), `serialNo`, `transport` (http | mqtt | tcp), ' +
          'for hikvision `address`, `username`, `password` (a secret: never answered again), and `vendorSettings`. `connect` says what to type into the device, in Chinese and English. ' +
          'A vendor camera drives its lane’s arm: its `gateId`, if not registered yet, is registered with it as a gate reached through the camera (`serves`).',
        params: EstateParams,
        body: z.looseObject({ id: Id, kind: DeviceKind, name: z.string().min(1).max(100).optional() }),
        response: { 201: Registered },
      },
    },
    async (req, reply) => {
      estate(req.params.estateId);
      const { id, kind, name, ...body } = req.body;
      const vendor = checkVendorFields(kind, body);
      if (!vendor.ok) throw badRequest(vendor.message);
      const choice = vendor.choice;
      const props = kindDef(kind).registration.safeParse(withoutVendorFields(body));
      if (!props.success) {
        const issue = props.error.issues[0]!;
        throw badRequest(`body.${issue.path.join('.')}: ${issue.message}`);
      }
      // A camera's gate (any field naming another device) is of this estate, or not installed yet.
      for (const [field, refKind] of Object.entries(REGISTRATION_DEVICE_REFS[kind] ?? {})) {
        const ref = (props.data as Record<string, unknown>)[field];
        if (typeof ref === 'string') deviceOfEstate(store, req.params.estateId, ref, { kind: refKind, field: `body.${field}`, unregistered: 'allow' });
      }
      const secret = secretFor(choice, newSecret);
      const device = { id, estateId: req.params.estateId, kind, name: name ?? id, props: props.data as Record<string, unknown>, secretHash: await hashSecret(secret) };
      if (choice.vendor === 'linli') {
        const created = store.devices.register(device);
        if (created === 'exists') throw conflict(`device ${id}`);
        req.log.info({ deviceId: id, kind, by: req.user!.username }, 'device registered');
        return reply.code(201).send({ id, secret, connect: connectFor({ id, secret, choice, endpoints: endpoints(), running: gateway.hasTransport }) });
      }
      const gateId = drivesItsGate(choice, kind) ? (props.data as { gateId?: string }).gateId : undefined;
      if (gateId === id) throw badRequest(`body.gateId: names the camera itself; name the lane's gate (it is registered with the camera when new)`);
      // The camera's relay and RS-485 port drive its lane's arm and LED board: a gate not registered yet is registered with it, reached through it.
      const newGate = gateId !== undefined && !store.devices.info(gateId);
      const push = pushesHttp(choice) ? newPushToken() : undefined;
      const created = store.vendors.register({
        device,
        vendor: { vendor: choice.vendor, transport: choice.transport, serialNo: choice.serialNo, settings: { ...choice.settings, ...(choice.call ? { call: choice.call } : {}) }, tokenHash: push?.hash, secret: choice.secret },
        serves: newGate ? { id: gateId, kind: 'gate', name: `${name ?? id} 道闸`, props: { servedBy: id }, secretHash: await hashSecret(newSecret()) } : undefined,
      });
      if (created === 'exists') throw conflict(`device ${id}`);
      if (created === 'serves-exists') throw conflict(`body.gateId: device ${gateId} was registered meanwhile; register the camera again`);
      if (created === 'serial-taken') throw conflict(`body.serialNo: a ${choice.vendor} device with serial ${choice.serialNo} is already registered`);
      req.log.info({ deviceId: id, kind, vendor: choice.vendor, transport: choice.transport, servesGate: newGate ? gateId : undefined, by: req.user!.username }, 'vendor device registered');
      const connect = connectFor({ id, secret, choice, token: push?.token, gateId, endpoints: endpoints(), running: gateway.hasTransport });
      return reply.code(201).send({ id, secret, connect, ...(gateId ? { serves: { gateId, created: newGate } } : {}) });
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
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['devices'],
        summary: 'A new secret (and, for a device that pushes to us, a new push URL: the old one stops working at once)',
        params: DeviceParams,
        response: { 200: z.object({ id: z.string(), secret: z.string(), connect: ConnectOut.optional() }) },
      },
    },
    async (req) => {
      const d = device(req.params.estateId, req.params.deviceId);
      if (d.status !== 'active') throw badRequest(`device ${d.id} is decommissioned`);
      const v = store.vendors.get(d.id);
      const secret = secretFor(v ? { vendor: v.vendor as VendorChoice['vendor'], transport: v.transport } : { vendor: 'linli', transport: 'mqtt' }, newSecret);
      store.devices.setSecretHash(d.id, await hashSecret(secret));
      const choice = v && !v.via ? { vendor: v.vendor as VendorChoice['vendor'], transport: v.transport, serialNo: v.serialNo, settings: v.settings } : undefined;
      const push = choice && pushesHttp(choice) ? newPushToken() : undefined;
      if (push) store.vendors.setTokenHash(d.id, push.hash);
      for (const id of [d.id, ...store.vendors.carried(d.id)]) gateway.disconnect(id);
      req.log.info({ deviceId: d.id, by: req.user!.username }, 'device secret rotated');
      const gateId = typeof d.props.gateId === 'string' ? d.props.gateId : undefined;
      const connect = choice ? connectFor({ id: d.id, secret, choice, token: push?.token, gateId, endpoints: endpoints(), running: gateway.hasTransport }) : undefined;
      return { id: d.id, secret, ...(connect ? { connect } : {}) };
    },
  );
  app.post(
    '/api/estates/:estateId/devices/:deviceId/decommission',
    { config: { roles: COMMITTEE }, schema: { tags: ['devices'], params: DeviceParams } },
    async (req) => {
      const d = device(req.params.estateId, req.params.deviceId);
      // A gate driven by a vendor camera has no connection of its own: it goes with the camera.
      for (const id of [d.id, ...store.vendors.carried(d.id)]) {
        store.devices.decommission(id, new Date().toISOString());
        gateway.disconnect(id);
      }
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
