import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChargingSection } from '../support/charging.js';
import { aCharterVersion } from '../support/charter.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { registerDevice } from '../support/linli.js';
import { A, startTwoEstates, type TwoEstates } from './two-estates.js';

/*
 * Finding 8: `GET …/parking/decisions?plate=_` answered 500. The class is "a query
 * filter that reaches the handler or the SQL in a shape nobody expected": a plate
 * normaliser that leaves nothing, LIKE wildcards taken as wildcards, empty strings,
 * over-long values, dates that parse to NaN. The route table itself (the OpenAPI
 * document @fastify/swagger builds from every route's zod schemas) says which
 * fields exist; every GET route's every query field gets every odd value, and
 * nothing may answer 5xx. A 400 must name the field it is about.
 */

const ODD: Record<string, string> = {
  underscore: '_',
  percent: '%',
  empty: '',
  quote: "'",
  nul: '\u0000',
  long: 'x'.repeat(2000),
  province: '鄂',
  nan: 'NaN',
  space: ' ',
  minus: '-1',
  huge: '1e309',
  backslash: '\\',
  like: '%_%',
  sql: "' OR 1=1 --",
  json: '[object Object]',
  badDate: '2025-02-30',
  farDate: '275760-09-14',
  zeroDate: '0000-01-01T00:00:00Z',
};

let t: TwoEstates;
const now = new Date();
const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
/** Values that make each route's baseline call succeed, by path parameter or query field name. */
const PATH: Record<string, string> = { estateId: A, elevatorId: 'lift-a1', assetId: 'gates-a', month, deviceId: 'gate-a1', householdId: '3-2-501', shedId: 'shed-a1', version: '1', plate: '鄂A12345', cardId: 'card-a1' };
const QUERY: Record<string, string> = {
  householdId: '3-2-601', // not yet an elevator member: buy-in has something to compute
  from: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
  to: now.toISOString(),
  completedAt: new Date(now.getTime() - 30 * 86_400_000).toISOString(),
  totalFen: '100000',
  month,
};

interface GetRoute {
  path: string;
  params: string[];
  query: { name: string; required: boolean; schema: any }[];
}

function baselineValue(name: string, schema: any): string {
  if (schema.type === 'integer' || schema.type === 'number') return /^\d+$/.test(QUERY[name] ?? '') ? QUERY[name]! : String(schema.default ?? Math.max(1, schema.minimum ?? 1));
  if (QUERY[name] !== undefined) return QUERY[name]!;
  if (schema.enum) return String(schema.enum[0]);
  if (schema.anyOf) return baselineValue(name, schema.anyOf[0]);
  if (schema.format === 'date-time') return now.toISOString();
  throw new Error(`no baseline value for required query field ${name}: add one to QUERY`);
}

/** Required fields, and a household where the route filters by one (a committee member must name one for visitor passes). */
const baselineOf = (route: GetRoute) =>
  Object.fromEntries(route.query.filter((f) => f.required || f.name === 'householdId').map((f) => [f.name, baselineValue(f.name, f.schema)]));

/** Every GET route under /api from the OpenAPI document, which @fastify/swagger builds from the route table. */
function getRoutes(): GetRoute[] {
  const doc = (t.linli.http as any).swagger() as { paths: Record<string, Record<string, any>> };
  return Object.entries(doc.paths)
    .filter(([p, ops]) => p.startsWith('/api/') && ops.get)
    .map(([p, ops]) => ({
      path: p,
      params: [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      query: (ops.get.parameters ?? []).filter((x: any) => x.in === 'query').map((x: any) => ({ name: x.name, required: !!x.required, schema: x.schema })),
    }));
}

/** The same list read from Fastify's own route tree, so a route hidden from the docs cannot escape the test. */
function routeTreeGets(): string[] {
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of t.linli.http.printRoutes({ commonPrefix: false, method: 'GET' }).split('\n')) {
    const m = /^((?:│   |    )*)(?:├── |└── )(\S+) \(GET/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(full);
    out.push(full);
  }
  return out.filter((p) => p.startsWith('/api/')).map((p) => p.replace(/:(\w+)/g, '{$1}'));
}

const fill = (path: string, values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] ?? PATH[k] ?? k));
const qs = (q: Record<string, string | string[]>) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const one of [v].flat()) u.append(k, one);
  const s = u.toString();
  return s ? `?${s}` : '';
};

/** The first account (the install's admin, then A's committee, guard, volunteer, resident) the route lets in. */
async function callerFor(path: string, baseline: Record<string, string>) {
  const a = t.accounts[A]!;
  for (const token of [t.linli.token, a.committee.token, a.guard.token, a.volunteer.token, a.resident.token]) {
    const r = await t.as(token, 'GET', fill(path, {}) + qs(baseline));
    if (r.status !== 401 && r.status !== 403) return { token, baselineStatus: r.status, baselineBody: r.body };
  }
  throw new Error(`${path}: no account may call it`);
}

beforeAll(async () => {
  t = await startTwoEstates();
  const api = (method: string, path: string, body?: unknown) => t.linli.api(method, `/api/estates/${A}${path}`, body);
  await registerDevice(t.linli, A, { id: 'gate-a1', kind: 'gate' });
  await registerDevice(t.linli, A, { id: 'shed-a1', kind: 'charger', ports: 4 });
  await registerDevice(t.linli, A, { id: 'lift-a1', kind: 'elevator', lowestFloor: 1, highestFloor: 7 });
  const charter = aCharterVersion((p) => (p.lots = [{ id: 'lot-a', name: '主停车场', capacity: 20, gates: ['gate-a1'] }]));
  Object.assign(charter.document as any, { charging: aChargingSection(), elevator: { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() } });
  expect((await api('POST', '/charter/versions', charter)).status).toBe(201);
  for (const room of ['301', '501', '601']) expect((await api('POST', '/households', { building: '3', unit: '2', room, areaM2: 80 })).status).toBe(201);
  expect((await api('POST', '/residents', { householdId: '3-2-501', name: '王秀英', phone: '13800001234', username: t.accounts[A]!.resident.username })).status).toBe(201);
  expect((await api('POST', '/residents', { householdId: '3-2-601', name: '李明' })).status).toBe(201);
  expect((await api('POST', '/vehicles', { plate: '鄂A12345', householdId: '3-2-501' })).status).toBe(201);
  expect((await api('POST', '/vehicles', { plate: '鄂A67890', householdId: '3-2-601' })).status).toBe(201);
  expect((await api('POST', '/cards', { cardId: 'card-a1', householdId: '3-2-501' })).status).toBe(201);
  for (const h of ['3-2-301', '3-2-501']) expect((await api('POST', '/elevators/lift-a1/members', { householdId: h })).status).toBe(201);
  expect((await api('POST', '/accounts/assets', { id: 'gates-a', name: '道闸', kind: 'gate', deviceIds: ['gate-a1'] })).status).toBe(201);
});
afterAll(async () => t?.stop());

describe('odd values in query filters never answer 5xx', () => {
  it('the route list is complete: every GET route in the route tree is in the OpenAPI document the test iterates', () => {
    const documented = new Set(getRoutes().map((r) => r.path));
    expect(routeTreeGets().filter((p) => !documented.has(p))).toEqual([]);
    expect(documented.size).toBeGreaterThan(50);
  });

  it('every GET route × every query field × every odd value: < 500, a 400 names the field, and the server stays up', async () => {
    const routes = getRoutes().filter((r) => r.query.length > 0);
    expect(routes.length).toBeGreaterThan(25);
    const fivehundreds: string[] = [];
    const unnamed: string[] = [];
    const baselines: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const baseline = baselineOf(route);
      const { token, baselineStatus, baselineBody } = await callerFor(route.path, baseline);
      // An odd value only tests something if the call would otherwise reach the handler.
      if (baselineStatus !== 200) baselines.push(`${route.path}${qs(baseline)} → ${baselineStatus} ${JSON.stringify(baselineBody).slice(0, 200)}`);
      for (const field of route.query) {
        const variants: [string, string | string[]][] = [...Object.entries(ODD), ['repeated', [ODD.underscore!, 'x']]];
        for (const [label, value] of variants) {
          const url = fill(route.path, {}) + qs({ ...baseline, [field.name]: value });
          const r = await t.as(token, 'GET', url);
          calls++;
          if (r.status >= 500) fivehundreds.push(`${route.path} ${field.name}=${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
          else if (r.status === 400 && !String(r.body?.message ?? '').startsWith(`querystring.${field.name}`)) unnamed.push(`${route.path} ${field.name}=${label}: ${r.body?.message}`);
        }
      }
    }
    expect(baselines, 'every baseline call succeeds').toEqual([]);
    expect(unnamed, 'a 400 names the query field').toEqual([]);
    expect(fivehundreds).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect((await t.linli.api('GET', '/healthz')).body.ok).toBe(true);
  }, 120_000);

  it('LIKE wildcards are searched for, not matched: `_` and `%` in a name or plate search find nothing here, a real fragment finds its row', async () => {
    const committee = t.accounts[A]!.committee;
    const names = async (name: string) => (await t.as(committee, 'GET', `/api/estates/${A}/residents${qs({ name })}`)).body;
    expect((await names('_')).items).toEqual([]);
    expect((await names('%')).items).toEqual([]);
    expect((await names('秀')).items.map((r: any) => r.name)).toEqual(['王秀英']);
    const plates = async (plate: string) => t.as(committee, 'GET', `/api/estates/${A}/vehicles${qs({ plate })}`);
    expect((await plates('a6789')).body.items.map((v: any) => v.plate)).toEqual(['鄂A67890']);
    for (const odd of ['_', '%', '%_%']) {
      const r = await plates(odd);
      expect(r.status === 400 ? r.body.message : r.body.items, odd).toSatisfy((x: unknown) => (typeof x === 'string' ? x.startsWith('querystring.plate') : Array.isArray(x) && x.length === 0));
    }
  });

  it('the reported case: …/parking/decisions?plate=_ and ?plate= are a 400 naming querystring.plate, not a 500', async () => {
    for (const plate of ['_', '']) {
      const r = await t.as(t.accounts[A]!.guard, 'GET', `/api/estates/${A}/parking/decisions${qs({ plate })}`);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.message).toMatch(/^querystring\.plate: /);
    }
  });
});

describe('odd values in path parameters never answer 5xx', () => {
  it('every GET route × every path parameter × every odd value', async () => {
    const fivehundreds: string[] = [];
    for (const route of getRoutes().filter((r) => r.params.length > 0)) {
      const baseline = baselineOf(route);
      const { token } = await callerFor(route.path, baseline);
      for (const param of route.params) {
        for (const [label, value] of Object.entries(ODD)) {
          const r = await t.as(token, 'GET', fill(route.path, { [param]: value }) + qs(baseline));
          if (r.status >= 500) fivehundreds.push(`${route.path} ${param}=${label}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
        }
      }
    }
    expect(fivehundreds).toEqual([]);
    expect((await t.linli.api('GET', '/healthz')).body.ok).toBe(true);
  }, 120_000);
});
