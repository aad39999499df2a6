import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Id } from '../../../devices/index.js';
import { MONTH_PATTERN } from '../../accounts/months.js';
import { csvDisposition } from '../../accounts/csv.js';
import { ASSET_KINDS } from '../../accounts/types.js';
import { EVERYONE } from '../../auth/roles.js';
import type { Store } from '../../store/index.js';
import { requireEstate } from '../estate-guard.js';
import { notFound } from '../errors.js';

const EstateParams = z.object({ estateId: Id });
const MonthParams = EstateParams.extend({ assetId: Id, month: z.string().regex(MONTH_PATTERN, 'a month as YYYY-MM, e.g. 2026-03') });
const Item = z.object({
  assetId: z.string(),
  assetName: z.string(),
  assetKind: z.enum(ASSET_KINDS),
  month: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string().optional().describe('the committee member who published it; committee callers only'),
  closingFen: z.number().int(),
  digest: z.string().describe('SHA-256 of the CSV bytes, hex'),
});
const tags = ['notice-board'];


/**
 * 公示栏 online: the statements the committee published (公示), for every
 * signed-in person, as on the paper copy by the building door. Only what was
 * published is served, and exactly as it was published: the CSV kept at 公示
 * (names and plates masked then), never a month recomputed, so a resident's
 * copy has the digest the paper shows. An unpublished month is a 404 even for
 * the committee here: its figures can still change (they have their own page).
 */
export const noticeBoardRoutes: FastifyPluginAsyncZod<{ store: Store }> = async (app, { store }) => {
  const repo = store.accounts;

  app.get(
    '/api/estates/:estateId/notice-board',
    { config: { roles: EVERYONE }, schema: { tags, summary: 'The months published (公示) per asset, newest month first', params: EstateParams, response: { 200: z.object({ items: z.array(Item) }) } } },
    async (req) => {
      requireEstate(store, req.params.estateId);
      // Who published is a username: the committee's to know, not every neighbour's.
      const committee = req.user!.role === 'committee';
      return { items: repo.publications(req.params.estateId).map(({ publishedBy, ...p }) => (committee ? { ...p, publishedBy } : p)) };
    },
  );

  app.get(
    '/api/estates/:estateId/notice-board/:assetId/:month',
    { config: { roles: EVERYONE }, schema: { tags, summary: 'A published month’s statement: the CSV published, byte for byte (UTF-8 with BOM), its SHA-256 in X-Linli-Digest', params: MonthParams } },
    async (req, reply) => {
      const { estateId, assetId, month } = req.params;
      requireEstate(store, estateId);
      const f = repo.publishedFile(estateId, assetId, month);
      if (!f) throw notFound(`a published (公示) statement for ${month} of asset ${assetId}`);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('x-linli-digest', `sha256=${f.digest}`)
        .header('content-disposition', csvDisposition(f.assetName, month, 'inline'))
        .send(f.csv);
    },
  );
};
