import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice, startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * Finding 6: the dashboard sent no CSP, no frame protection, no nosniff, no
 * Referrer-Policy, and API answers (names, phones, plates) could be cached.
 * Checked on real answers of a real server: the dashboard's page and its
 * files, the API (answers, refusals, errors, the login itself), the public
 * shed page and its API, and the docs.
 */

let linli: TestLinli;

beforeAll(async () => {
  linli = await startTestLinli({}, { withDashboard: true });
  await registerDevice(linli, 'anju', { id: 'shed-1', kind: 'charger', ports: 4, name: '3号楼充电棚' });
});
afterAll(async () => linli?.stop());

interface Answer {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}
/** The body is read at once: an unread body would hold its connection open past the server's close. */
async function get(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(linli.url + path, { redirect: 'manual', ...init });
  return { url: res.url, status: res.status, headers: res.headers, body: await res.text() };
}

/** `default-src 'self'; …` → { 'default-src': ["'self'"], … } */
function policy(res: Answer): Record<string, string[]> {
  const header = res.headers.get('content-security-policy');
  expect(header, `${res.url}: Content-Security-Policy`).toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectCommonHeaders(res: Answer): void {
  const where = `${new URL(res.url).pathname} (${res.status})`;
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), where).toBe('DENY');
  expect(res.headers.get('referrer-policy'), where).toBe('no-referrer');
  const csp = policy(res);
  expect(csp['frame-ancestors'], where).toEqual(["'none'"]);
  expect(csp['object-src'], where).toEqual(["'none'"]);
  expect(csp['base-uri'], where).toEqual(["'none'"]);
  expect(csp['form-action'], where).toEqual(["'self'"]);
  expect(csp['default-src'], where).toEqual(["'self'"]);
  // Scripts: our own files only, everywhere (no inline, no eval, no other host).
  expect(csp['script-src'], where).toEqual(["'self'"]);
  // An estate serves the dashboard over plain http on its LAN: this directive would break every page there.
  expect(Object.keys(csp), where).not.toContain('upgrade-insecure-requests');
}

describe('security headers on every kind of answer', () => {
  it('the dashboard page and its files: a strict policy (our own scripts and styles only), no framing, nosniff, no referrer', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expectCommonHeaders(page);
    const csp = policy(page);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['connect-src']).toEqual(["'self'"]); // /live and the shed page's socket are same-origin ws:
    const html = page.body;
    // The bundle is self-hosted and the page holds no inline script or style for the policy to refuse.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    for (const asset of [...html.matchAll(/(?:src|href)="(\/[^"?]+\.(?:js|css))/g)].map((m) => m[1]!)) {
      const res = await get(asset);
      expect(res.status, asset).toBe(200);
      expectCommonHeaders(res);
    }
  });

  it('the public shed page (the same page, #/shed/…) and its API answer, for nobody signed in', async () => {
    const page = await get('/');
    expectCommonHeaders(page);
    const api = await get('/api/public/sheds/shed-1');
    expect(api.status).toBe(200);
    expectCommonHeaders(api);
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('every /api answer says Cache-Control: no-store — data, refusals, errors, the login itself', async () => {
    const login = await get('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'committee-pass-1' }) });
    expect(login.status).toBe(200);
    const auth = { authorization: `Bearer ${linli.token}` };
    const answers = [
      login,
      await get('/api/estates', { headers: auth }), // 200 with data
      await get('/api/estates/anju/devices', { headers: auth }),
      await get('/api/estates'), // 401
      await get('/api/estates/nowhere/devices', { headers: auth }), // 404
      await get('/api/estates/anju/parking/decisions?limit=0', { headers: auth }), // 400
      await get('/api/no-such-route', { headers: auth }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 404, 400, 404]);
    for (const res of answers) {
      expect(res.headers.get('cache-control'), `${res.url} ${res.status}`).toBe('no-store');
      expectCommonHeaders(res);
    }
  });

  it('the API docs at /docs: their own policy (Swagger UI sets inline styles), scripts still our own, no framing', async () => {
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expectCommonHeaders(docs);
    expect(policy(docs)['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    for (const path of ['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/json']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expectCommonHeaders(res);
    }
    // The docs' looser styles stay on /docs: the dashboard keeps its own.
    expect(policy(await get('/'))['style-src']).toEqual(["'self'"]);
  });
});
