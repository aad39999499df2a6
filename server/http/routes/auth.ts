import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { COMMITTEE, EVERYONE, ROLES } from '../../auth/roles.js';
import { createLoginThrottle, type LoginThrottle } from '../../auth/login-throttle.js';
import { weaknessZh, type WeakPassword } from '../../auth/password-strength.js';
import type { Auth } from '../../auth/sessions.js';
import type { EstateRepo } from '../../store/index.js';
import { Id } from '../../../devices/index.js';
import { badRequest, conflict, forbidden, HttpError, notFound, unauthorized } from '../errors.js';
import { bearerToken } from '../guard.js';

const UserOut = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  mustChangePassword: z.boolean(),
  estateId: z.string().nullable().describe('the estate this account belongs to; null: every estate'),
});
const PersonOut = UserOut.extend({ disabled: z.boolean().describe('the login is switched off') });
const Username = z.string().regex(/^[a-z0-9][a-z0-9_.-]{1,31}$/, 'lowercase letters, digits, _ . - (2 to 32)');
const Password = z.string().min(8, 'at least 8 characters').max(128);

/**
 * 400 WEAK_PASSWORD: the field, why (in Chinese, as the person reads it) and how to pick a better
 * one; `warning` and `suggestions` are zxcvbn's keys, which the dashboard words in either language.
 */
function refuseWeak(reply: FastifyReply, field: string, weak: WeakPassword) {
  return reply.code(400).send({ code: 'WEAK_PASSWORD', message: `${field}: ${weaknessZh(weak)}`, score: weak.score, warning: weak.warning, suggestions: weak.suggestions });
}

/**
 * Sessions end here (logout, password changed or reset, login switched off) through `auth`, which tells
 * the live feed: every `/live` socket of an ended session closes with 4401 at once.
 */
export const authRoutes: FastifyPluginAsyncZod<{ auth: Auth; estates: Pick<EstateRepo, 'getEstate'>; throttle?: LoginThrottle }> = async (app, { auth, estates, throttle = createLoginThrottle() }) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true, unmaskedBecause: 'the caller’s own account, just proven by their password' },
      schema: {
        tags: ['auth'],
        summary: 'Log in; the token goes in `Authorization: Bearer <token>`. After 5 wrong passwords for one username from one address in 15 minutes (or 30 over all usernames), 429 with Retry-After',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) }),
        response: { 200: z.object({ token: z.string(), user: UserOut }), 429: z.object({ code: z.literal('TOO_MANY_ATTEMPTS'), message: z.string() }) },
      },
    },
    async (req, reply) => {
      const { username } = req.body;
      const waitMs = throttle.retryAfterMs(username, req.ip);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        return reply.code(429).header('retry-after', String(seconds)).send({ code: 'TOO_MANY_ATTEMPTS', message: `too many wrong passwords: try again in ${seconds} s` });
      }
      const result = await auth.login(username, req.body.password);
      if (!result) {
        throttle.failed(username, req.ip);
        throw unauthorized('wrong username or password');
      }
      throttle.succeeded(username, req.ip);
      return result;
    },
  );

  app.get('/api/auth/me', { config: { roles: EVERYONE, allowWithOneTimePassword: true }, schema: { tags: ['auth'], response: { 200: UserOut } } }, async (req) => req.user!);

  app.post(
    '/api/auth/password',
    {
      config: { roles: EVERYONE, allowWithOneTimePassword: true },
      schema: {
        tags: ['auth'],
        summary: 'Change one’s password. Refused (400 WEAK_PASSWORD) if it is easy to guess. Every other session of the person ends (their `/live` sockets close with 4401); this one stays',
        body: z.object({ oldPassword: z.string().max(128), newPassword: Password }),
      },
    },
    async (req, reply) => {
      if (req.body.oldPassword === req.body.newPassword) throw badRequest('body.newPassword: must differ from the old password');
      const changed = await auth.changePassword(req.user!.username, req.body.oldPassword, req.body.newPassword, bearerToken(req));
      if (changed === 'wrong-old') throw unauthorized('body.oldPassword: wrong password');
      if (changed !== 'changed') return refuseWeak(reply, 'body.newPassword', changed.weak);
      return { ok: true };
    },
  );

  app.post('/api/auth/logout', { config: { roles: EVERYONE, allowWithOneTimePassword: true }, schema: { tags: ['auth'], summary: 'End this session; its `/live` sockets close with 4401' } }, async (req) => {
    auth.logout(bearerToken(req)!);
    return { ok: true };
  });

  app.post(
    '/api/users',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['auth'],
        summary: 'Add a person (committee member, volunteer, guard, resident). A password easy to guess (common, or built from the username, name or estate) is refused: 400 WEAK_PASSWORD',
        body: z.object({
          username: Username,
          password: Password,
          role: z.enum(ROLES),
          displayName: z.string().min(1).max(64).optional(),
          // A password someone else chose is changed at first login unless the committee says otherwise.
          mustChangePassword: z.boolean().default(true),
          estateId: Id.optional().describe('the estate the person belongs to (refused everywhere else); a committee member of one estate can only add people to it'),
        }),
      },
    },
    async (req, reply) => {
      const mine = req.user!.estateId;
      if (mine !== null && req.body.estateId !== undefined && req.body.estateId !== mine) throw forbidden(`body.estateId: this account adds people to estate ${mine} only`);
      const estateId = req.body.estateId ?? mine;
      if (estateId !== null && !estates.getEstate(estateId)) throw badRequest(`body.estateId: no estate ${estateId}`);
      const created = await auth.createUser({ ...req.body, estateId, mustChange: req.body.mustChangePassword });
      if (created === 'exists') throw conflict(`user ${req.body.username}`);
      if ('weak' in created) return refuseWeak(reply, 'body.password', created.weak);
      req.auditEstateId = estateId ?? undefined; // the route names no estate: the entry goes to the new person's
      return reply.code(201).send({ username: created.username, role: created.role, estateId: created.estateId });
    },
  );

  app.get('/api/users', { config: { roles: COMMITTEE }, schema: { tags: ['auth'], response: { 200: z.object({ items: z.array(PersonOut) }) } } }, async (req) => ({
    // A committee member of one estate sees that estate's people only.
    items: auth.listUsers().filter((u) => req.user!.estateId === null || u.estateId === req.user!.estateId),
  }));

  /**
   * The person a committee member may manage: anyone for the install's own, else
   * only their estate's people — and 404 for the rest, so a committee member of
   * one estate learns nothing of another's.
   */
  function managed(req: FastifyRequest, username: string) {
    const mine = req.user!.estateId;
    const person = auth.getPerson(username);
    if (!person || (mine !== null && person.estateId !== mine)) throw notFound(`params.username: user ${username}`);
    // The route names no estate: the audit entry goes to the person's, whose committee reads who changed their login.
    req.auditEstateId = person.estateId ?? undefined;
    return person;
  }
  const Target = z.object({ username: z.string().min(1).max(64) });

  app.post(
    '/api/users/:username/reset-password',
    {
      config: { roles: COMMITTEE },
      schema: {
        tags: ['auth'],
        summary: 'A forgotten password: a one-time password, shown only in this answer, to be changed at the next login; every session of that person ends',
        params: Target,
        response: { 200: z.object({ oneTimePassword: z.string() }) },
      },
    },
    async (req) => {
      const { username } = managed(req, req.params.username);
      // Its sessions end, and with them any open dashboard's live feed.
      return { oneTimePassword: await auth.resetPassword(username) };
    },
  );

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(
      `/api/users/:username/${verb}`,
      {
        config: { roles: COMMITTEE },
        schema: {
          tags: ['auth'],
          summary: disabled ? 'Switch a login off (someone moved away): every session ends at once; not one’s own, nor the install’s last committee account' : 'Switch a login on again',
          params: Target,
          response: { 200: z.object({ username: z.string(), disabled: z.boolean() }) },
        },
      },
      async (req) => {
        const { username } = managed(req, req.params.username);
        if (disabled && username === req.user!.username) throw badRequest('params.username: you cannot disable your own account');
        if (auth.setDisabled(username, disabled) === 'last-committee') {
          throw new HttpError(409, 'CONFLICT', `params.username: ${username} is the install's last committee account that can log in; enable or add another first`);
        }
        return { username, disabled };
      },
    );
  }
};
