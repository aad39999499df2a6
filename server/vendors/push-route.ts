import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { VendorDevice } from '../store/vendor-repo.js';

type Why = { reason: string; field: string; message: string };

/**
 * The one Fastify route a camera pushes to (`POST /vendor/<vendor>/:token`): public, the
 * token in the path is the credential; any body, read as bytes (never parsed as a form),
 * capped at `maxBytes` (a larger one is a 413 and, for a known camera, a dead letter);
 * errors answered once, internals hidden. The transport's `handle` does the rest.
 */
export function pushRoute(o: {
  vendor: string;
  maxBytes: number;
  /** Why the answer is not masked by role (server/http/privacy.ts): it is the camera's own protocol. */
  unmaskedBecause: string;
  log: Logger;
  cameraOf(token: string): VendorDevice | undefined;
  deadLetter(camera: VendorDevice, body: Buffer, why: Why): Promise<void>;
  handle(req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply): Promise<FastifyReply>;
}): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.maxBytes }, (_req, body, done) => done(null, body));
    app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode ?? 500;
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const camera = o.cameraOf((req.params as { token?: string }).token ?? '');
        const bytes = Number(req.headers['content-length']) || 0;
        if (camera) await o.deadLetter(camera, Buffer.alloc(0), { reason: 'too-large', field: '', message: `payload: ${bytes || 'over'} ${o.maxBytes} bytes, refused before reading` });
        return reply.code(413).send({ code: 'TOO_LARGE', message: `payload: over ${o.maxBytes} bytes` });
      }
      if (status >= 500) o.log.error({ err }, `${o.vendor} push failed`);
      return reply.code(status >= 500 ? 500 : status).send({ code: status >= 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'), message: status >= 500 ? 'internal error' : err.message });
    });
    app.post<{ Params: { token: string } }>(
      `/vendor/${o.vendor}/:token`,
      { bodyLimit: o.maxBytes, config: { public: true, unmaskedBecause: o.unmaskedBecause }, schema: { hide: true } },
      o.handle,
    );
  };
}
