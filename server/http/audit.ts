import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditRepo } from '../store/audit-repo.js';
import { lookupOf } from './privacy.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The estate a change belongs to when its route names none (a person's login: their estate's). */
    auditEstateId?: string;
  }
}

/** Never copied into the audit log. */
const SECRET_FIELDS = new Set(['password', 'oldPassword', 'newPassword', 'secret', 'token']);
const MAX_DETAIL_CHARS = 2000;
const VERB: Record<string, string> = { POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

/** `/api/estates/:estateId/charter/versions` + POST → `charter.versions.create`. */
export function actionOf(method: string, routeUrl: string): string {
  const path = routeUrl
    .replace(/^\/api\/estates\/:estateId\/?/, '')
    .replace(/^\/api\//, '')
    .split('/')
    .filter((p) => p && !p.startsWith(':'))
    .join('.');
  const last = routeUrl.split('/').at(-1) ?? '';
  // A POST to a verb-like last segment (…/open, …/pay, …/claim) is that action itself.
  return method === 'POST' && !last.startsWith(':') && !/s$/.test(last) ? path : `${path}.${VERB[method] ?? method.toLowerCase()}`;
}

function detailOf(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !SECRET_FIELDS.has(k)));
  const text = JSON.stringify(kept);
  return text.length <= MAX_DETAIL_CHARS ? kept : { truncated: true, fields: Object.keys(kept) };
}

/**
 * The audit trail the committee reads: every change a person makes through the
 * API (the charter, the estate, a device, a fee, a manual gate open…), and every
 * look-up by plate or card id (a plate's history, a car or card found by its
 * number), on every route that takes one. One hook, so a new route cannot forget it.
 */
export function installAudit(app: FastifyInstance, repo: AuditRepo): void {
  app.addHook('onResponse', async (req, reply) => {
    const user = req.user;
    const route = req.routeOptions.url;
    if (!user || !route || reply.statusCode >= 400) return;
    const params = (req.params ?? {}) as Record<string, string>;
    const target = Object.entries(params).filter(([k]) => k !== 'estateId').map(([, v]) => v).join('/') || undefined;
    const base = { estateId: params.estateId ?? req.auditEstateId, at: new Date().toISOString(), username: user.username, role: user.role, route: `${req.method} ${route}`, status: reply.statusCode };
    if (req.method !== 'GET') {
      repo.add({ ...base, action: actionOf(req.method, route), target, detail: detailOf(req) });
    } else {
      const lookup = lookupOf(req);
      if (lookup?.value) repo.add({ ...base, action: lookup.key === 'plate' ? 'parking.plate-history.read' : 'cards.lookup.read', target: lookup.value, detail: {} });
    }
  });
}
