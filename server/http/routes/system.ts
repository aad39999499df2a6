import type { FastifyPluginAsync } from 'fastify';
import type { HttpDeps } from '../app.js';
import { SESSION_ENDED } from '../../live/hub.js';
import { bearerToken } from '../guard.js';

const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');

/** Health, metrics, the live feed, MQTT over WebSocket and the dashboard files. */
export const systemRoutes: FastifyPluginAsync<HttpDeps> = async (app, deps) => {
  app.get('/healthz', { config: { public: true }, schema: { tags: ['system'] } }, async () => ({
    ok: true,
    uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
    mqtt: { port: deps.gateway.mqttPort, wsPath: '/mqtt' },
    http: { port: (app.server.address() as { port?: number } | null)?.port ?? null },
    devicesOnline: deps.gateway.stats().online,
  }));

  // Counters name devices' kinds and the estate's traffic: readable by a local Prometheus, or by one that has the token.
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const allowed = deps.metricsToken ? bearerToken(req) === deps.metricsToken : isLoopback(req.ip);
    if (!allowed) return reply.code(deps.metricsToken ? 401 : 403).send({ code: 'FORBIDDEN', message: 'metrics: send Authorization: Bearer <LINLI_METRICS_TOKEN>; without that setting only loopback clients may read them' });
    reply.header('content-type', deps.metrics.contentType);
    return deps.metrics.text();
  });

  // Browsers cannot set headers on a WebSocket, so the token comes in the query. The hub keeps the
  // session it was opened with and closes the socket (4401) when that session ends or expires.
  app.get('/live', { websocket: true, config: { public: true }, schema: { hide: true } }, (socket, req) => {
    const token = new URL(req.url, 'http://x').searchParams.get('token');
    const session = token ? deps.auth.authenticateSession(token) : undefined;
    if (!session) {
      socket.close(SESSION_ENDED, 'log in first');
      return;
    }
    // As the REST guard: a one-time password (which the committee member who reset it has seen) opens nothing until it is changed.
    if (session.user.mustChangePassword) {
      socket.close(4403, 'change the one-time password first: POST /api/auth/password');
      return;
    }
    deps.live.add(socket, session.user, { tokenHash: session.tokenHash, expiresAt: session.expiresAt });
  });

  // Devices authenticate inside MQTT (CONNECT), so the HTTP upgrade itself is public.
  app.get('/mqtt', { websocket: true, config: { public: true }, schema: { hide: true } }, (socket, req) => {
    deps.gateway.acceptWebSocket(socket, req.raw);
  });

  const files = deps.dashboard;
  if (files) {
    for (const [path, file] of files) {
      app.get(path, { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
        reply.header('content-type', file.contentType);
        // index.html names its assets with a content hash (?v=…), so they never change under one URL.
        reply.header('cache-control', path === '/' ? 'no-cache' : 'public, max-age=31536000, immutable');
        return reply.send(file.body);
      });
    }
  }
};
