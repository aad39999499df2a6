import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { csvDisposition, statementCsv } from '../../accounts/csv.js';
import { maskName } from '../../accounts/mask.js';
import { instantOf, MONTH_PATTERN } from '../../accounts/months.js';
import { publishMonth } from '../../accounts/publish.js';
import { accountsOverview, monthlyStatement } from '../../accounts/report.js';
import { ASSET_KINDS, COST_CATEGORIES, type ReversibleKind } from '../../accounts/types.js';
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
const Month = z.string().regex(MONTH_PATTERN, 'a month as YYYY-MM, e.g. 2026-03');
/** A statement line's id as the statement gives it (an elevator member's line is member:<elevator>:<household>). */
const LineParams = AssetParams.extend({ lineId: z.string().min(1).max(200) });
const tags = ['accounts'];

/**
 * A record dated in a published month (or before) is refused: the notice board already
 * shows that month. Also for the elevator page's members and running costs, the fund's lines.
 */
export const monthPublished = (field: string, published: string) =>
  new HttpError(409, 'MONTH_PUBLISHED', `${field}: the statement for ${published} is published (公示), so nothing dated in it or before can be added or changed; enter it in the current month with a note of the month it belongs to`);

/**
 * Open accounts (公开账目) for the committee: assets the households paid for,
 * their contributions, income and costs, refunds of prepaid balances, and a
 * monthly statement per asset for the notice board (JSON, or CSV to print).
 * A mistake is corrected by a reversal dated now, never by editing the past;
 * a month published (公示) takes no new line dated in it.
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
      const added = repo.addContribution(c);
      if (added !== 'ok') throw monthPublished('body.at', added.published);
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
      const added = repo.addCost(c);
      if (added !== 'ok') throw monthPublished('body.at', added.published);
      return reply.code(201).send({ ...c, note: c.note ?? null });
    },
  );

  const KEPT_ELSEWHERE: Record<ReversibleKind, string> = {
    contribution: "an elevator member's payment (its paidFen), kept with the elevator's members: the statement reads it from there, so it is corrected there (PATCH /api/estates/:estateId/elevators/:elevatorId/members/:householdId), not reversed here",
    cost: "an elevator's running cost, kept on the elevator's page: the statement reads it from there, so it is taken back there (DELETE /api/estates/:estateId/elevators/:elevatorId/running-costs/:costId), not reversed here",
  };
  for (const [path, kind] of [['contributions', 'contribution'], ['costs', 'cost']] as const)
    app.post(
      `/api/estates/:estateId/accounts/assets/:assetId/${path}/:lineId/reverse`,
      {
        config: { roles: COMMITTEE },
        schema: {
          tags,
          summary: `Cancel an entered ${kind} with a reversal: a new line dated now for minus its amount, naming it and why (the statement already on the notice board stays as it was). Then enter the right figure as a new line`,
          params: LineParams,
          body: z.object({ reason: z.string().trim().min(1).max(200) }),
        },
      },
      async (req, reply) => {
        const { estateId, assetId, lineId } = req.params;
        const asset = assetOf(estateId, assetId);
        const reversalId = `rev-${randomUUID()}`;
        const r = repo.reverse({ id: reversalId, estateId, assetId, kind, lineId, reason: req.body.reason, at: new Date().toISOString(), recordedBy: req.user!.username });
        if (r === 'not-found') {
          if (repo.keptElsewhere(kind, estateId, asset.deviceIds, lineId)) throw new HttpError(409, 'NOT_REVERSIBLE', `params.lineId: ${lineId} is ${KEPT_ELSEWHERE[kind]}`);
          throw notFound(`${kind} ${lineId} of asset ${assetId}`);
        }
        if (r !== 'ok') throw new HttpError(409, 'ALREADY_REVERSED', `params.lineId: ${lineId} was reversed already by ${r.already.id} at ${r.already.at}; a line is reversed once`);
        return reply.code(201).send({ reversalId });
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
        params: AssetParams.extend({ month: Month }),
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
    },
    async (req, reply) => {
      const { estateId, assetId, month } = req.params;
      const asset = assetOf(estateId, assetId);
      const s = monthlyStatement(repo, estateId, asset, month);
      if (req.query.format === 'json') return s;
      // A published month's CSV is the one published, so its digest still checks.
      const csv = repo.publishedCsv(estateId, assetId, month) ?? statementCsv(s, requireEstate(store, estateId).name);
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', csvDisposition(s.asset.name, s.month)).send(csv);
    },
  );

  app.post(
    '/api/estates/:estateId/accounts/assets/:assetId/statements/:month/publish',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags,
        summary: 'Record that a month’s statement was put on the notice board (公示): who, when, its closing balance and the SHA-256 of its CSV. From then on nothing dated in that month or before can be added to the asset',
        params: AssetParams.extend({ month: Month }),
      },
    },
    async (req, reply) => {
      const { estateId, assetId, month } = req.params;
      const asset = assetOf(estateId, assetId);
      const p = publishMonth(repo, estateId, asset, month, { estateName: requireEstate(store, estateId).name, by: req.user!.username, at: new Date().toISOString() });
      if (p === 'not-over') throw new HttpError(409, 'MONTH_NOT_OVER', `params.month: ${month} has not ended yet (local time); publish it once it is over`);
      if (p === 'exists') throw new HttpError(409, 'ALREADY_PUBLISHED', `params.month: the statement for ${month} is published already`);
      if ('failing' in p) throw new HttpError(409, 'NOT_RECONCILED', `params.month: the statement for ${month} does not reconcile (${p.failing.join(', ')}); it cannot go on the notice board until the ledgers agree`);
      return reply.code(201).send({ publishedAt: p.at, publishedBy: p.by, closingFen: p.closingFen, digest: p.digest });
    },
  );
};
