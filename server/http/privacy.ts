import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { LOOKS_UP_BY_PLATE } from '../auth/roles.js';
import type { Privacy } from '../privacy/personal-data.js';
import type { Role } from '../store/index.js';
import { forbidden } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Why this route's answers are not masked by role: it keeps rules of its own.
     * The only way out of the masking step, so say why (it shows in review).
     */
    unmaskedBecause?: string;
    /** Set from the route's schema: the fields that look a car or card up (`query.plate`, `params.cardId`). */
    lookupFields?: LookupField[];
  }
  interface FastifyInstance {
    /** Every route as declared: method, url and who may call it (the security tests walk it). */
    routeTable: readonly RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  roles?: Role[];
  public?: boolean;
  websocket: boolean;
  unmaskedBecause?: string;
  /** The fields that look a car or card up, from the route's schema. */
  lookupFields: LookupField[];
}

/** Looking up by one of these tells whether a car or a card is registered here. */
const LOOKUP_KEYS = ['plate', 'cardId'] as const;
export type LookupField = `${'params' | 'query'}.${(typeof LOOKUP_KEYS)[number]}`;

/** The keys a route's zod schema (or path) declares; undefined when it cannot tell. */
function schemaKeys(schema: unknown): string[] | undefined {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : undefined;
}

function lookupFieldsOf(route: RouteOptions): LookupField[] {
  const fields: LookupField[] = [];
  const schema = route.schema as { querystring?: unknown } | undefined;
  const query = schema?.querystring === undefined ? [] : (schemaKeys(schema.querystring) ?? [...LOOKUP_KEYS]);
  for (const key of LOOKUP_KEYS) {
    if (route.url.split('/').includes(`:${key}`)) fields.push(`params.${key}`);
    if (query.includes(key)) fields.push(`query.${key}`);
  }
  return fields;
}

/** The lookup a request makes, if any: which field and the value asked for. */
export function lookupOf(req: FastifyRequest): { field: LookupField; key: 'plate' | 'cardId'; value: string } | undefined {
  for (const field of req.routeOptions.config.lookupFields ?? []) {
    const [where, key] = field.split('.') as ['params' | 'query', 'plate' | 'cardId'];
    const value = (req[where] as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'string') return { field, key, value };
  }
  return undefined;
}

const masked = new WeakSet<FastifyRequest>();
const isJson = (type: unknown) => typeof type === 'string' && /[/+]json\b/.test(type);

/**
 * Personal data by role, over every answer of the HTTP API (server/privacy/):
 * - every JSON answer to anyone but the committee (guards, volunteers, residents,
 *   the public, errors included) is masked whole, whatever its keys, before it is
 *   serialised; a route opts out only with `config.unmaskedBecause`;
 * - looking a car or card up by plate or card id is for LOOKS_UP_BY_PLATE only,
 *   on every route whose schema takes `plate` or `cardId` (403 naming the field);
 * - `app.routeTable` lists every route with its roles.
 */
export function installPrivacy(app: FastifyInstance, privacy: Privacy): void {
  const routes: RouteEntry[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as NonNullable<RouteOptions['config']>;
    const lookupFields = lookupFieldsOf(route);
    route.config = { ...config, lookupFields };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, roles: config.roles, public: config.public, websocket: !!(route as { websocket?: boolean }).websocket, unmaskedBecause: config.unmaskedBecause, lookupFields });
    }
  });

  app.addHook('preHandler', async (req) => {
    const user = req.user;
    const lookup = user && lookupOf(req);
    if (lookup && !LOOKS_UP_BY_PLATE.includes(user.role)) {
      const what = lookup.key === 'plate' ? 'plate' : 'card id';
      throw forbidden(`${lookup.field}: a ${user.role} may not look up by ${what} (the answer alone would say whether it is registered here); the committee and guards may`);
    }
  });

  app.addHook('preSerialization', async (req, _reply, payload) => {
    masked.add(req);
    if (req.routeOptions.config?.unmaskedBecause) return payload;
    return privacy.mask(payload, req.user);
  });
  // Answers a handler serialised itself never reached preSerialization.
  app.addHook('onSend', async (req, reply, payload) => {
    if (masked.has(req) || typeof payload !== 'string' || req.routeOptions.config?.unmaskedBecause || privacy.seesAll(req.user) || !isJson(reply.getHeader('content-type'))) return payload;
    try {
      return JSON.stringify(privacy.mask(JSON.parse(payload), req.user));
    } catch {
      return payload; // not JSON after all
    }
  });
}
