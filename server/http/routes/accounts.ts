import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { csvDisposition, statementCsv } from '../../accounts/csv.js';
import { maskName } from '../../accounts/mask.js';
import { instantOf, MONTH_PATTERN } from '../../accounts/months.js';
import { accountsOverview, monthlyStatement } from '../../accounts/report.js';
import { ASSET_KINDS, COST_CATEGORIES } from '../../accounts/types.js';
import { COMMITTEE } from '../../auth/roles.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { badRequest, conflict, HttpError, notFound } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
const AssetParams = EstateParams.extend({ assetId: Id });
/** Positive integer fen, at most ¥10,000,000: an elevator costs a few hundred thousand yuan. */
const Fen = z.number().int().min(1).max(1_000_000_000);
/** A receipt's local date (2026-03-05) or an exact time with its offset. */
const At = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const Note = z.string().trim().max(200).optional();
const HouseholdId = z.string().min(1).max(40);
const tags = ['accounts'];

/**
 * Open accounts (公开账目) for the committee: assets the households paid for,
 * their contributions, income and costs, refunds of prepaid balances, and a
 * monthly statement per asset for the notice board (JSON, or CSV to print).
 */
export const accountRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const repo = store.accounts;
  const assetOf = (estateId: string, assetId: string) => {
    requireEstate(store, estateId);
    const a = repo.assets(estateId).find((x) => x.id === assetId);
    if (!a) throw notFound(`asset ${assetId} in estate ${estateId}`);
    return a;
  };
  const householdOf = (estateId: string, householdId: string) => {
    if (!store.estateModel.getHousehold(estateId, householdId)) throw badRequest(`body.householdId: no household ${householdId} in estate ${estateId}`);
  };

  app.get('/api/estates/:estateId/accounts/assets', { config: { roles: COMMITTEE }, schema: { tags, summary: 'Every asset’s fund over all time, prepaid balances held for households, unallocated income', params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    return accountsOverview(repo, req.params.estateId);
  });

  app.post(
    '/api/estates/:estateId/accounts/assets',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags,
        summary: 'A crowdfunded asset and the devices whose income is its own (a device belongs to one asset at most)',
        params: EstateParams,
        body: z.object({ id: Id.optional(), name: z.string().trim().min(1).max(60), kind: z.enum(ASSET_KINDS), deviceIds: z.array(Id).max(100) }),
      },
    },
    async (req, reply) => {
      const { estateId } = req.params;
      requireEstate(store, estateId);
      const deviceIds = [...new Set(req.body.deviceIds)];
      for (const d of deviceIds) if (store.devices.get(d)?.estateId !== estateId) throw badRequest(`body.deviceIds: ${d} is not a device of estate ${estateId}`);
      const id = req.body.id ?? `asset-${randomUUID().slice(0, 8)}`;
      const added = repo.addAsset({ estateId, id, name: req.body.name, kind: req.body.kind, deviceIds, createdBy: req.user!.username, createdAt: new Date().toISOString() });
      if (added === 'exists') throw conflict(`body.id: asset ${id}`);
      if (added !== 'ok') throw new HttpError(409, 'DEVICE_IN_OTHER_ASSET', `body.deviceIds: ${added.deviceTaken} already belongs to asset ${added.by}; a device's income can count for one asset only`);
      return reply.code(201).send(accountsOverview(repo, estateId).assets.find((a) => a.id === id));
    },
  );

  app.post(
    '/api/estates/:estateId/accounts/assets/:assetId/contributions',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags,
        summary: 'Money a household gave towards an asset (捐资/集资). An elevator member’s payment is its paidFen on the elevator’s page, not here',
        params: AssetParams,
        body: z.object({ householdId: HouseholdId, amountFen: Fen, at: At, note: Note }),
      },
    },
    async (req, reply) => {
      const { estateId, assetId } = req.params;
      const asset = assetOf(estateId, assetId);
      householdOf(estateId, req.body.householdId);
      // Members' paidFen already counts as this asset's contribution (and feeds the buy-in sums): a second record would count it twice.
      if (repo.isElevatorMember(estateId, req.body.householdId, asset.deviceIds))
        throw new HttpError(409, 'ELEVATOR_MEMBER', `body.householdId: ${req.body.householdId} is a member of an elevator of this asset; its payment is the member's paidFen (POST /api/estates/${estateId}/elevators/:elevatorId/members), already counted here`);
      const c = { id: `contrib-${randomUUID()}`, estateId, assetId, ...req.body, at: instantOf(req.body.at), recordedBy: req.user!.username, recordedAt: new Date().toISOString() };
      repo.addContribution(c);
      return reply.code(201).send({ ...c, note: c.note ?? null });
    },
  );

  app.post(
    '/api/estates/:estateId/accounts/assets/:assetId/costs',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags,
        summary: 'A cost paid from an asset’s fund. An elevator’s monthly running costs entered on its page are counted already',
        params: AssetParams,
        body: z.object({ category: z.enum(COST_CATEGORIES), amountFen: Fen, at: At, note: Note }),
      },
    },
    async (req, reply) => {
      const { estateId, assetId } = req.params;
      assetOf(estateId, assetId);
      const c = { id: `cost-${randomUUID()}`, estateId, assetId, ...req.body, at: instantOf(req.body.at), recordedBy: req.user!.username, recordedAt: new Date().toISOString() };
      repo.addCost(c);
      return reply.code(201).send({ ...c, note: c.note ?? null });
    },
  );

  app.get('/api/estates/:estateId/accounts/prepaid', { config: { roles: COMMITTEE }, schema: { tags, summary: 'Prepaid balances held for households (refundable, not income)', params: EstateParams } }, async (req) => {
    requireEstate(store, req.params.estateId);
    return repo.snapshot(() => {
      const households = repo.prepaidAccounts(req.params.estateId).map((h) => ({ ...h, name: maskName(h.name) }));
      return { totalFen: repo.balances(req.params.estateId).accountsFen, households };
    });
  });

  app.post(
    '/api/estates/:estateId/accounts/refunds',
    { config: { roles: COMMITTEE }, schema: { tags, summary: 'Hand prepaid money back to a household: debited from its balance with a refund line, never below zero', params: EstateParams, body: z.object({ householdId: HouseholdId, amountFen: Fen, note: Note }) } },
    async (req, reply) => {
      const { estateId } = req.params;
      requireEstate(store, estateId);
      householdOf(estateId, req.body.householdId);
      const r = store.charging.refund({ estateId, ...req.body, by: req.user!.username, at: new Date().toISOString() });
      if (!r.ok) throw new HttpError(409, 'OVER_BALANCE', `body.amountFen: ${req.body.amountFen} fen is more than the balance of ${r.balanceFen} fen of household ${req.body.householdId}`);
      req.log.info({ householdId: req.body.householdId, amountFen: req.body.amountFen, by: req.user!.username }, 'prepaid balance refunded');
      return reply.code(201).send({ refundId: r.refundId, balanceFen: r.balanceFen });
    },
  );

  app.get(
    '/api/estates/:estateId/accounts/assets/:assetId/statements/:month',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags,
        summary: 'An asset’s statement for a local month, reconciled to the ledgers; ?format=csv for the notice board (UTF-8 with BOM)',
        params: AssetParams.extend({ month: z.string().regex(MONTH_PATTERN, 'a month as YYYY-MM, e.g. 2026-03') }),
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
    },
    async (req, reply) => {
      const { estateId, assetId, month } = req.params;
      const asset = assetOf(estateId, assetId);
      const s = monthlyStatement(repo, estateId, asset, month);
      if (req.query.format === 'json') return s;
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', csvDisposition(s)).send(statementCsv(s, requireEstate(store, estateId).name));
    },
  );
};
