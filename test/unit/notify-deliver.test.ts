import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { backoffMs, createNotifier, parseRetryAfter, type NotifierDeps } from '../../server/notify/deliver.js';
import type { Channel, Delivery } from '../../server/notify/types.js';
import { createDeliveriesRepo, type DeliveriesRepo } from '../../server/store/deliveries-repo.js';
import { MIGRATIONS } from '../../server/store/migrations/index.js';
import { migrate } from '../../server/store/sqlite.js';

const T0 = Date.parse('2025-03-01T08:00:00Z');
const TOKEN = 'dt-access-token-0123456789abcdef';
const SECRET = 'SECdingtalk-secret-0123456789';
const dingtalk: Channel = { id: 'ch-ding', kind: 'dingtalk', url: `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, secret: SECRET };

function setup(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, over: Partial<NotifierDeps> = {}) {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS);
  const repo = createDeliveriesRepo(db);
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  const waits: number[] = [];
  const calls: { url: string; init: RequestInit }[] = [];
  const notifier = createNotifier({
    repo,
    log,
    now: () => T0,
    sleep: async (ms) => void waits.push(ms),
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return fetchImpl(url, init);
    }) as typeof fetch,
    ...over,
  });
  return { repo, notifier, lines, waits, calls };
}

const delivery = (channel: Channel = dingtalk): Delivery => ({
  alertId: 'alert-1',
  recipient: 'wang.volunteer',
  channel,
  message: { title: '3号楼电梯困人', text: '轿厢停在 4–5 层之间', severity: 'critical', atAll: true },
});
const ok = () => new Response(JSON.stringify({ errcode: 0, errmsg: 'ok' }), { status: 200 });

describe('notifier (fake fetch, real repo)', () => {
  it('records a delivered robot message with its masked target, and the signed URL it used', async () => {
    const { notifier, repo, calls } = setup(async () => ok());
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'delivered', attempts: 1, httpStatus: 200, channelKind: 'dingtalk', recipient: 'wang.volunteer', deliveredAt: '2025-03-01T08:00:00.000Z' });
    expect(rec.target).toBe('https://oapi.dingtalk.com/robot/send?access_token=***');
    expect(repo.listByAlert('alert-1')).toEqual([rec]);
    expect(calls[0]!.url).toMatch(new RegExp(`access_token=${TOKEN}&timestamp=${T0}&sign=`));
    expect(JSON.parse(calls[0]!.init.body as string).at).toEqual({ isAtAll: true });
  });

  it('a 200 that is not an errcode reply is a failure for a robot (a captive portal, a wrong host)', async () => {
    const { notifier } = setup(async () => new Response('<html>登录</html>', { status: 200 }));
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rec.lastError).toMatch(/^unexpected reply \(not JSON\)/);
  });

  it('a redirect is not followed: the credential stays with the host it was made for', async () => {
    const { notifier, calls } = setup(async () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }));
    const rec = await notifier.send(delivery({ id: 'ch-json', kind: 'json', url: 'https://hooks.example.cn/linli' }));
    expect(rec).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 302 });
    expect(calls[0]!.init.redirect).toBe('manual');
  });

  it('a URL that is not http(s) is a config error: nothing sent, recorded', async () => {
    const { notifier, calls } = setup(async () => ok());
    const rec = await notifier.send(delivery({ id: 'ch-bad', kind: 'wecom', url: 'ftp://qyapi.weixin.qq.com/x?key=abc' }));
    expect(rec).toMatchObject({ status: 'failed', attempts: 0 });
    expect(rec.lastError).toContain('not a valid http(s) URL');
    expect(calls).toHaveLength(0);
  });

  it('gives up after maxAttempts with growing, jittered waits', async () => {
    const { notifier, waits } = setup(async () => new Response('busy', { status: 503 }), { maxAttempts: 4, baseDelayMs: 1000 });
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'failed', attempts: 4, httpStatus: 503, lastError: 'HTTP 503: busy' });
    expect(waits).toHaveLength(3);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(w).toBeLessThanOrEqual(1000 * 2 ** i);
    });
  });

  it('the record describes the last attempt: no HTTP status when it got no answer', async () => {
    let n = 0;
    const { notifier, repo } = setup(async () => {
      if (++n === 1) return new Response('oops', { status: 500 });
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    }, { maxAttempts: 2 });
    const rec = await notifier.send(delivery());
    expect(rec).toStrictEqual(repo.get(rec.id));
    expect(rec).toMatchObject({ status: 'failed', attempts: 2, lastError: 'network error: ECONNRESET socket hang up' });
    expect(rec).not.toHaveProperty('httpStatus');
  });

  it('a Retry-After longer than a delivery is held ends it as failed, saying why', async () => {
    const { notifier, waits } = setup(async () => new Response('', { status: 429, headers: { 'retry-after': '600' } }));
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 429 });
    expect(rec.lastError).toContain('asked to wait 600 s');
    expect(waits).toEqual([]);
  });

  it('close() stops retries; the record says the server was shutting down', async () => {
    let notifier!: ReturnType<typeof setup>['notifier'];
    const s = setup(async () => new Response('', { status: 500 }), {
      sleep: async () => notifier.close(),
    });
    notifier = s.notifier;
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'failed', attempts: 1, lastError: 'not sent: the server is shutting down' });
    expect(s.calls).toHaveLength(1);
  });

  it('never throws, even when the database refuses the record', async () => {
    const broken = { insert: () => { throw new Error('SQLITE_FULL: database or disk is full'); } } as unknown as DeliveriesRepo;
    const { notifier } = setup(async () => ok(), { repo: broken });
    const rec = await notifier.send(delivery());
    expect(rec).toMatchObject({ status: 'failed', lastError: 'delivery not recorded: SQLITE_FULL: database or disk is full' });
  });

  it('never logs the access_token, the key or a secret', async () => {
    const wecom: Channel = { id: 'ch-wecom', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0123456789' };
    const { notifier, lines } = setup(async (url) => (url.includes('wecom') ? new Response('', { status: 500 }) : new Response('x', { status: 404 })), { maxAttempts: 2 });
    await notifier.send(delivery());
    await notifier.send(delivery(wecom));
    const out = lines.join('\n');
    expect(out).toContain('webhook delivery failed');
    expect(out).toContain('access_token=***');
    for (const s of [TOKEN, SECRET, 'wecom-key-0123456789']) expect(out).not.toContain(s);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['7', 7000],
    [' 0 ', 0],
    ['Sat, 01 Mar 2025 08:00:30 GMT', 30_000],
    ['Sat, 01 Mar 2025 07:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (v, ms) => {
    expect(parseRetryAfter(v, T0)).toBe(ms);
  });
});

describe('backoffMs', () => {
  it('doubles per attempt, half of it random, capped', () => {
    for (let i = 0; i < 50; i++) {
      const w = backoffMs(3, 1000, 60_000);
      expect(w).toBeGreaterThanOrEqual(2000);
      expect(w).toBeLessThanOrEqual(4000);
      expect(backoffMs(20, 1000, 60_000)).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('robot pacing', () => {
  it('sends at most 20 messages a minute to one robot: the 21st waits for the first to leave the minute, none is dropped', async () => {
    let clock = T0;
    const sentAt: number[] = [];
    const { notifier, repo } = setup(
      async () => {
        sentAt.push(clock);
        return ok();
      },
      { now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    const recs = [];
    for (let i = 0; i < 25; i++) {
      recs.push(await notifier.send({ ...delivery(), alertId: `alert-${i}` }));
      clock += 1_000; // an incident: one alert a second
    }
    expect(recs.every((r) => r.status === 'delivered')).toBe(true);
    expect(sentAt).toHaveLength(25);
    // The first 20 went at T0 + 0…19 s; the 21st had to wait until T0 + 60 s, the next ones a second apart after it.
    expect(sentAt.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => T0 + i * 1_000));
    expect(sentAt.slice(20)).toEqual([60, 61, 62, 63, 64].map((s) => T0 + s * 1_000));
    for (let i = 0; i + 20 < sentAt.length; i++) expect(sentAt[i + 20]! - sentAt[i]!).toBeGreaterThanOrEqual(60_000);
    expect(repo.listByAlert('alert-24')[0]).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('does not pace plain JSON webhooks (the receiver is ours to size)', async () => {
    let clock = T0;
    const sentAt: number[] = [];
    const json: Channel = { id: 'ch-json', kind: 'json', url: 'https://hooks.example.org/linli' };
    const { notifier } = setup(
      async () => {
        sentAt.push(clock);
        return new Response('{}', { status: 200 });
      },
      { now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    for (let i = 0; i < 25; i++) await notifier.send(delivery(json));
    expect(sentAt).toEqual(Array(25).fill(T0));
  });
});
