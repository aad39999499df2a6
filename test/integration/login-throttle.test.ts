import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, passwordFor, startTestLinli, type TestLinli } from '../support/linli.js';

/* Password guessing at the real login route: five wrong tries, then 429 with Retry-After — even for the right password. */
let linli: TestLinli;

beforeAll(async () => {
  linli = await startTestLinli();
});
afterAll(async () => {
  await linli?.stop();
});

const login = (username: string, password: string) =>
  fetch(`${linli.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('POST /api/auth/login under guessing', () => {
  it('refuses the sixth try for 15 minutes with 429 and Retry-After, while other usernames still sign in', async () => {
    const created = await linli.api('POST', '/api/users', { username: 'guard-li', password: passwordFor('guard-li'), role: 'guard', displayName: '李师傅' });
    expect(created.status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await login('guard-li', `guess-${i}`)).status).toBe(401);

    const locked = await login('guard-li', passwordFor('guard-li')); // right password, but too late
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await locked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });

    expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});
