import Fastify, { LogController, type FastifyBaseLogger, type FastifyPluginAsync } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Gateway } from '../../gateway/index.js';
import type { Auth } from '../auth/sessions.js';
import type { LiveHub } from '../live/hub.js';
import type { Privacy } from '../privacy/personal-data.js';
import type { Store } from '../store/index.js';
import { HttpError } from './errors.js';
import { installGuard } from './guard.js';
import { installAudit } from './audit.js';
import { installSecurityHeaders } from './security-headers.js';
import { installPrivacy } from './privacy.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { createLoginThrottle } from '../auth/login-throttle.js';
import { deviceRoutes } from './routes/devices.js';
import { estateModelRoutes } from './routes/estate-model.js';
import { historyRoutes } from './routes/history.js';
import { systemRoutes } from './routes/system.js';
import { charterRoutes } from './routes/charter.js';
import { parkingRoutes } from './routes/parking.js';
import { visitorPassRoutes } from './routes/visitor-passes.js';
import { chargingRoutes } from './routes/charging.js';
import { alertRoutes } from './routes/alerts.js';
import { elevatorRoutes } from './routes/elevators.js';
import { dutyRoutes } from './routes/duty.js';
import { uptimeReportRoutes } from './routes/reports-uptime.js';
import { usageReportRoutes } from './routes/reports-usage.js';
import { accountRoutes } from './routes/accounts.js';
import { noticeBoardRoutes } from './routes/notice-board.js';
import type { AlertEngine } from '../alerts/engine.js';
import type { Elevators } from '../elevator/service.js';
import type { Alerts } from '../alerts/alerts.js';
import type { Charging } from '../charging/service.js';
import type { Parking } from '../parking/service.js';
import type { ParkingDirectory } from '../parking/directory.js';
import type { Endpoints } from '../vendors/connect.js';

export interface HttpDeps {
  store: Store;
  gateway: Gateway;
  auth: Auth;
  live: LiveHub;
  /** Masks personal data in every answer to anyone but the committee. */
  privacy: Privacy;
  metrics: { text(): Promise<string>; contentType: string };
  /** `/metrics` wants this bearer token; without one, only loopback clients may read it. */
  metricsToken?: string;
  log: Logger;
  dashboard?: Map<string, { body: Buffer | string; contentType: string }>;
  startedAt: number;
  parking: Parking;
  directory: ParkingDirectory;
  charging: Charging;
  alerts: Alerts;
  elevators: Elevators;
  engine: AlertEngine;
  /** Vendor transports' routes (HTTP push endpoints) and where devices reach this server. */
  vendors?: { routes: FastifyPluginAsync[]; endpoints: () => Endpoints };
}

/** The whole HTTP surface as one Fastify instance: API, /live, /mqtt, /docs, the dashboard. */
export async function buildHttp(deps: HttpDeps) {
  const app = Fastify({
    loggerInstance: deps.log.child({ module: 'http' }) as FastifyBaseLogger,
    // A line per request would drown the estate's own log; errors and audit lines still reach it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0]!;
      const where = err.validationContext ?? 'body';
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return reply.code(400).send({ code: 'BAD_REQUEST', message: `${where}${path ? '.' + path : ''}: ${issue.message}` });
    }
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ code: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ code: (err as { code?: string }).code ?? 'BAD_REQUEST', message: (err as Error).message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ code: 'INTERNAL', message: 'internal error; it has been logged — try again, and tell the committee if it keeps happening' });
  });

  // Before any route: helmet's hooks reach only routes added after it.
  await installSecurityHeaders(app);
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'Linli 邻里 API', version: '1' }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } },
    transform: jsonSchemaTransform,
  });
  // Swagger UI's own routes are public documentation.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), public: true, unmaskedBecause: 'the API documentation, generated from the route schemas: no one’s data' };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', validatorUrl: null } });
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });

  installGuard(app, deps.auth);
  installAudit(app, deps.store.audit);
  installPrivacy(app, deps.privacy);
  // Wrong passwords are counted in the store: a restart keeps a lock.
  await app.register(authRoutes, { auth: deps.auth, estates: deps.store.estates, throttle: createLoginThrottle({ failures: deps.store.loginFailures }) });
  await app.register(deviceRoutes, { store: deps.store, gateway: deps.gateway, endpoints: deps.vendors?.endpoints });
  // Devices bought from vendors push to their own paths (a token in the path is the credential).
  for (const routes of deps.vendors?.routes ?? []) await app.register(routes);
  await app.register(historyRoutes, { store: deps.store });
  await app.register(estateModelRoutes, {
    store: deps.store,
    // Whenever the register changes, gates get a fresh offline whitelist at once (refresh also drops the plate cache).
    onChange: (estateId) => {
      deps.privacy.invalidate(estateId); // its plates, cards, names and phones are masked from the next answer on
      deps.parking.refreshWhitelists(estateId);
    },
  });
  await app.register(charterRoutes, { store: deps.store, charters: deps.store.charters, parking: deps.parking });
  await app.register(parkingRoutes, { store: deps.store, repo: deps.store.parking, parking: deps.parking, gateway: deps.gateway, directory: deps.directory });
  await app.register(visitorPassRoutes, { repo: deps.store.parking, parking: deps.parking, directory: deps.directory, store: deps.store });
  await app.register(chargingRoutes, { store: deps.store, charging: deps.charging, parking: deps.parking, directory: deps.directory, live: deps.live });
  // The duty routes first: /alerts/inbox must not be taken for an alert id.
  await app.register(dutyRoutes, { store: deps.store, alerts: deps.alerts, engine: deps.engine, parking: deps.parking });
  await app.register(alertRoutes, { store: deps.store, alerts: deps.alerts });
  await app.register(elevatorRoutes, { store: deps.store, elevators: deps.elevators, parking: deps.parking });
  await app.register(auditRoutes, { store: deps.store });
  await app.register(uptimeReportRoutes, { store: deps.store });
  await app.register(usageReportRoutes, { store: deps.store });
  await app.register(accountRoutes, { store: deps.store });
  await app.register(noticeBoardRoutes, { store: deps.store });
  await app.register(systemRoutes, deps);
  return app;
}
