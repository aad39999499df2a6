import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../store/index.js';
import type { Auth, AuthUser } from '../auth/sessions.js';
import { forbidden, unauthorized } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Every route declares it, or declares `public: true`. */
    roles?: Role[];
    public?: boolean;
    /** Allowed while the caller still has to replace a one-time password. */
    allowWithOneTimePassword?: boolean;
  }
  interface FastifyRequest {
    user?: AuthUser;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return undefined;
}

/**
 * The role guard. A route with neither `roles` nor `public` is refused: forgetting
 * to declare who may call a route must fail closed. An account that belongs to
 * one estate is refused every other estate's routes.
 */
export function installGuard(app: FastifyInstance, auth: Auth): void {
  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    if (config.public || req.routeOptions.url === undefined) return;
    if (!config.roles) throw forbidden('this route declares no roles');
    const token = bearerToken(req);
    const user = token ? auth.authenticate(token) : undefined;
    if (!user) throw unauthorized();
    if (user.mustChangePassword && !config.allowWithOneTimePassword) {
      throw forbidden('change the one-time password first: POST /api/auth/password');
    }
    if (!config.roles.includes(user.role)) throw forbidden(`a ${user.role} may not do this (allowed: ${config.roles.join(', ')})`);
    // Every route about one estate names it as :estateId: an account of another estate stops here, whatever its role.
    const estateId = (req.params as { estateId?: string } | undefined)?.estateId;
    if (estateId !== undefined && user.estateId !== null && user.estateId !== estateId) throw forbidden(`this account belongs to estate ${user.estateId}`);
    req.user = user;
  });
}
