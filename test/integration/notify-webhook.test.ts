import Database from 'better-sqlite3';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostAllowance } from '../../server/notify/address-policy.js';
import { createNotifier, type NotifierDeps } from '../../server/notify/deliver.js';
import type { Channel, Delivery } from '../../server/notify/types.js';
import { createDeliveriesRepo, type DeliveriesRepo } from '../../server/store/deliveries-repo.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { migrate } from '../../server/store/sqlite.js';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on a free port; `answer` decides each reply from the request and its number (1-based). */
async function receiver(answer: (req: Seen, res: ServerResponse, n: number) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      answer(s, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

/** What DingTalk does with 加签: recompute timestamp + "\n" + secret, HmacSHA256, Base64, and compare. */
function dingtalkChecks(secret: string, s: Seen): boolean {
  const q = new URL(s.url, 'http://x').searchParams;
  const expected = createHmac('sha256', secret).update(`${q.get('timestamp')}\n${secret}`).digest('base64');
  return q.get('sign') === expected;
}

const SECRET = 'json-secret-for-the-estate';
const message = { title: '3号楼电梯困人', text: '轿厢停在 4–5 层之间\n困人按钮已按下', severity: 'critical' as const, url: 'http://linli.local/alerts/a1', atAll: true };

let db: Database.Database;
let repo: DeliveriesRepo;
let waits: number[];
let logLines: string[];
let closers: (() => Promise<void>)[];

/**
 * The receivers here listen on 127.0.0.1: this server itself, which no webhook
 * reaches by default. They are allowed explicitly, as the install's administrator
 * allows a named host (test/security/webhooks-ssrf.test.ts covers the refusals).
 */
const RECEIVERS_ALLOWED: HostAllowance = { hosts: new Set(['127.0.0.1']), loopbackHosts: new Set(['127.0.0.1']) };

function notifier(over: Partial<NotifierDeps> = {}) {
  const n = createNotifier({
    repo,
    allowance: () => RECEIVERS_ALLOWED,
    log: pino({ level: 'debug' }, { write: (s: string) => void logLines.push(s) }),
    sleep: async (ms) => void waits.push(ms),
    ...over,
  });
  closers.push(async () => n.close());
  return n;
}
const send = (channel: Channel, over: Partial<NotifierDeps> = {}): ReturnType<ReturnType<typeof createNotifier>['send']> =>
  notifier(over).send({ alertId: 'alert-a1', recipient: 'li.volunteer', channel, message } satisfies Delivery);

beforeEach(() => {
  db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  repo = createDeliveriesRepo(db);
  waits = [];
  logLines = [];
  closers = [];
});
afterEach(async () => {
  for (const c of closers) await c();
  db.close();
});

describe('webhook delivery to a real HTTP receiver', () => {
  it('500, then a dropped connection, then 200: one record, 3 attempts, delivered; the third body is validly signed', async () => {
    const r = await receiver((_s, res, n) => {
      if (n === 1) return json(res, 500, { error: 'upstream down' });
      if (n === 2) return void res.socket?.destroy();
      json(res, 200, { ok: true });
    });
    closers.push(r.close);
    const rec = await send({ id: 'ch-json', kind: 'json', url: `${r.base}/hooks/linli`, secret: SECRET });

    expect(rec).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200, channelKind: 'json' });
    expect(rec.lastError).toMatch(/^network error/); // the attempt before the success
    expect(repo.listByAlert('alert-a1')).toEqual([rec]);
    expect(r.seen).toHaveLength(3);
    const third = r.seen[2]!;
    const signature = String(third.headers['x-linli-signature']);
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${third.headers['x-linli-timestamp']}.${third.body}`).digest('hex');
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
    expect(Number(third.headers['x-linli-timestamp'])).toBeGreaterThan(Date.parse('2025-01-01'));
    expect(JSON.parse(third.body)).toEqual({ alertId: 'alert-a1', ...message });
    // Two waits, each in its jittered band: [500, 1000] then [1000, 2000].
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[0]).toBeLessThanOrEqual(1000);
    expect(waits[1]).toBeGreaterThanOrEqual(1000);
    expect(waits[1]).toBeLessThanOrEqual(2000);
  });

  it('404: a wrong URL is a config error, failed after 1 attempt', async () => {
    const r = await receiver((_s, res) => json(res, 404, { error: 'no such hook' }));
    closers.push(r.close);
    const rec = await send({ id: 'ch-json', kind: 'json', url: `${r.base}/wrong`, secret: SECRET });
    expect(rec).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 404 });
    expect(rec.lastError).toContain("check the channel's webhook URL");
    expect(r.seen).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(repo.get(rec.id)).toEqual(rec);
  });

  it('DingTalk-style receiver: the right secret is delivered; errcode 310000 "sign not match" is failed with that errmsg', async () => {
    const RIGHT = 'SECright0123456789';
    const r = await receiver((s, res) =>
      dingtalkChecks(RIGHT, s) ? json(res, 200, { errcode: 0, errmsg: 'ok' }) : json(res, 200, { errcode: 310000, errmsg: 'sign not match' }),
    );
    closers.push(r.close);
    const url = `${r.base}/robot/send?access_token=dt-token-abcdef0123456789`;

    const good = await send({ id: 'ch-ding', kind: 'dingtalk', url, secret: RIGHT });
    expect(good).toMatchObject({ status: 'delivered', attempts: 1 });
    const sent = JSON.parse(r.seen[0]!.body);
    expect(sent).toMatchObject({ msgtype: 'markdown', markdown: { title: '【紧急】3号楼电梯困人' }, at: { isAtAll: true } });

    const bad = await send({ id: 'ch-ding-2', kind: 'dingtalk', url, secret: 'SECwrong' });
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 200, lastError: 'errcode 310000: sign not match' });
    expect(r.seen).toHaveLength(2);
    expect(repo.listByAlert('alert-a1').map((d) => d.status)).toEqual(['delivered', 'failed']);
  });

  it('WeCom-style receiver gets text with mentioned_list @all at the key URL', async () => {
    const r = await receiver((s, res) =>
      new URL(s.url, 'http://x').searchParams.get('key') === 'wecom-key-1' ? json(res, 200, { errcode: 0, errmsg: 'ok' }) : json(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' }),
    );
    closers.push(r.close);
    const good = await send({ id: 'ch-wecom', kind: 'wecom', url: `${r.base}/cgi-bin/webhook/send?key=wecom-key-1` });
    expect(good).toMatchObject({ status: 'delivered', attempts: 1, target: `${r.base}/cgi-bin/webhook/send?key=***` });
    expect(JSON.parse(r.seen[0]!.body)).toMatchObject({ msgtype: 'text', text: { mentioned_list: ['@all'] } });
    const bad = await send({ id: 'ch-wecom-2', kind: 'wecom', url: `${r.base}/cgi-bin/webhook/send?key=stale-key` });
    expect(bad).toMatchObject({ status: 'failed', attempts: 1, lastError: 'errcode 93000: invalid webhook url' });
  });

  it('429 with Retry-After: waits exactly what the receiver asked, then delivers', async () => {
    const r = await receiver((_s, res, n) => (n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '7' }) : json(res, 200, {})));
    closers.push(r.close);
    const rec = await send({ id: 'ch-json', kind: 'json', url: `${r.base}/hooks`, secret: SECRET });
    expect(waits).toEqual([7000]);
    expect(rec).toMatchObject({ status: 'delivered', attempts: 2, httpStatus: 200 });
  });

  it('a receiver that never answers: each attempt times out, then failed', async () => {
    const r = await receiver(() => undefined);
    closers.push(r.close);
    const rec = await send({ id: 'ch-json', kind: 'json', url: `${r.base}/hooks` }, { timeoutMs: 150, maxAttempts: 2 });
    expect(rec).toMatchObject({ status: 'failed', attempts: 2, lastError: 'timed out after 150 ms' });
    expect(r.seen).toHaveLength(2);
  });

  it('logs name the channel and host, never the token, key or secret', async () => {
    const r = await receiver((_s, res) => json(res, 503, {}));
    closers.push(r.close);
    await send({ id: 'ch-ding', kind: 'dingtalk', url: `${r.base}/robot/send?access_token=dt-token-abcdef0123456789`, secret: 'SECnever-logged' }, { maxAttempts: 2 });
    const out = logLines.join('\n');
    expect(out).toContain('"channelId":"ch-ding"');
    expect(out).toContain('access_token=***');
    for (const s of ['dt-token-abcdef0123456789', 'SECnever-logged']) expect(out).not.toContain(s);
  });
});
