import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/*
 * Security headers on every answer, through @fastify/helmet (the maintained
 * plugin, not hand-written headers). The dashboard is one self-hosted bundle
 * with no inline script or style, so its policy allows our own origin only;
 * nobody else's page may frame it (the gate-open button is one tap).
 */

type Directives = Record<string, string[]>;

/**
 * The dashboard, the public shed page and the API. `useDefaults: false` keeps
 * helmet's `upgrade-insecure-requests` out: an estate serves the dashboard over
 * plain http on its LAN (http://192.168.1.20:3000), where that directive would
 * send every script request to an https port nobody listens on.
 */
export const DASHBOARD_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  // `<link rel="icon" href="data:,">`: no favicon request at all.
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // 'self' covers ws: and wss: to the same host (CSP3), so /live and the shed page's socket need nothing more.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI at /docs: swagger-ui-bundle.js adds a <style> element of its own
 * (Chromium reports a style-src-elem violation without 'unsafe-inline'; a hash
 * of it would break silently with each swagger-ui release). Scripts stay our
 * own files; nothing is fetched from elsewhere (the validator badge is off in app.ts).
 */
export const DOCS_CSP: Directives = { ...DASHBOARD_CSP, 'style-src': ["'self'", "'unsafe-inline'"] };

const helmetOptions = (directives: Directives) => ({
  contentSecurityPolicy: { useDefaults: false, directives },
  frameguard: { action: 'deny' as const },
  referrerPolicy: { policy: 'no-referrer' as const },
  // Behind an https proxy browsers keep to https for half a year; over plain http they ignore it.
  // Not includeSubDomains: the estate's domain may host things that are not ours.
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
});

/** Registers helmet for every route (call before any route is added), /docs with its own policy, and no-store on /api. */
export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), helmet: helmetOptions(DOCS_CSP) } as typeof route.config;
  });
  await app.register(fastifyHelmet, { global: true, ...helmetOptions(DASHBOARD_CSP) });
  // Answers carry residents' names, phones and plates: no browser or proxy cache keeps them (a shared phone, a kiosk).
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
