import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLinli, type TestLinli } from '../support/linli.js';

/* With LINLI_METRICS_TOKEN set (as for a server reachable beyond loopback), /metrics wants the token. */
const TOKEN = 'prometheus-scrape-token-1';
let linli: TestLinli;

beforeAll(async () => {
  linli = await startTestLinli({ LINLI_METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await linli?.stop();
});

describe('/metrics with a token', () => {
  it('refuses a scrape without it or with the wrong one, and serves the one with it', async () => {
    expect((await fetch(`${linli.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${linli.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
    const ok = await fetch(`${linli.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('linli_devices_connected');
  });
});
