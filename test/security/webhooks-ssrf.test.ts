import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, type HostAllowance } from '../../server/notify/address-policy.js';
import { ADDRESS_REFUSED, createNotifier } from '../../server/notify/deliver.js';
import type { Channel } from '../../server/notify/types.js';
import { webhookUrlProblem } from '../../server/notify/webhook-url.js';
import { A, B, startTwoEstates, type TwoEstates } from './two-estates.js';

/*
 * Finding 4: a volunteer registered a JSON channel to http://127.0.0.1:<port>/…,
 * the server POSTed alerts there and kept the answer where staff read it.
 * Webhooks now reach public internet addresses only, checked when a channel is
 * registered (every address its name resolves to) and again as each message
 * connects (DNS rebinding), unless the committee named a LAN host; some ranges
 * (link-local, metadata, multicast…) never. The receivers in this file listen on
 * 127.0.0.1: they are reached only where a test allows that host explicitly.
 */

let t: TwoEstates;
let receiver: Server;
let port: number;
const received: { url: string; body: string }[] = [];
/** What an internal service answers: it must never reach a delivery record. */
const INTERNAL_SECRET = 'root:x:0:0 internal-admin-token-5f3a';

beforeAll(async () => {
  t = await startTwoEstates();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', body });
      res.writeHead(req.url?.startsWith('/internal') ? 500 : 200, { 'content-type': 'text/plain' }).end(req.url?.startsWith('/internal') ? INTERNAL_SECRET : 'ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await t?.stop();
});

const channels = (estateId: string) => t.as(t.linli.token, 'GET', `/api/estates/${estateId}/notification-channels`);
const register = (who: string, estateId: string, body: Record<string, unknown>) => t.as(who, 'POST', `/api/estates/${estateId}/notification-channels`, { kind: 'json', ...body });
const allow = (who: string, estateId: string, hosts: string[]) => t.as(who, 'PUT', `/api/estates/${estateId}/notification-channels/allowed-hosts`, { hosts });

/** Internal addresses in the forms an attacker writes them: literals, encodings, IPv6 wrappings, names. */
const internalUrls = () => [
  `http://127.0.0.1:${port}/hook`,
  `http://127.1:${port}/hook`,
  `http://2130706433:${port}/hook`, // 127.0.0.1 as one number
  `http://0x7f.0.0.1:${port}/hook`,
  `http://localhost:${port}/hook`, // a name that resolves to loopback
  `http://LOCALHOST.:${port}/hook`,
  `http://[::1]:${port}/hook`,
  `http://[::ffff:127.0.0.1]:${port}/hook`, // IPv4-mapped IPv6
  `http://[::ffff:7f00:1]:${port}/hook`,
  `http://[64:ff9b::7f00:1]:${port}/hook`, // NAT64 of 127.0.0.1
  `http://[2002:7f00:1::]:${port}/hook`, // 6to4 of 127.0.0.1
  `http://0.0.0.0:${port}/hook`,
  `http://[::]:${port}/hook`,
  'http://10.0.0.5/hook',
  'http://172.16.4.1/hook',
  'http://192.168.1.20:8080/hook',
  'http://100.64.0.1/hook', // CGNAT
  'http://[fc00::1]/hook', // ULA
  'http://[fd12:3456::1]/hook',
  'http://[fe80::1]/hook', // link-local
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://169.254.170.2/v2/credentials',
  'http://100.100.100.200/latest/meta-data/', // Alibaba Cloud
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://224.0.0.1/hook',
  'http://255.255.255.255/hook',
  'http://no-such-host.invalid/hook',
];

describe('registering a channel: public internet addresses only', () => {
  it('a volunteer of A is refused every internal address form, 400 naming body.url in Chinese; nothing stored, nothing sent', async () => {
    const vol = t.accounts[A]!.volunteer;
    const refusals: string[] = [];
    for (const url of internalUrls()) {
      const r = await register(vol.token, A, { url });
      if (r.status !== 400 || !/^body\.url: .*[\u4e00-\u9fff]/.test(r.body?.message ?? '')) refusals.push(`${url} → ${r.status} ${r.body?.message}`);
    }
    expect(refusals).toEqual([]);
    expect((await channels(A)).body.items).toEqual([]);
    expect(received).toEqual([]);
  });

  it('only http(s): file:, ftp:, gopher:, javascript: are a 400 naming body.url', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/_x', 'javascript:alert(1)', 'dict://127.0.0.1:11211/stats']) {
      const r = await register(t.accounts[A]!.volunteer.token, A, { url });
      expect(r.status, url).toBe(400);
      expect(r.body.message, url).toMatch(/^body\.url: 只能是 http:\/\/ 或 https:\/\//);
    }
  });

  it('a literal refusal says what the address is; a name refusal does not tell whether the name exists', async () => {
    const vol = t.accounts[A]!.volunteer.token;
    expect((await register(vol, A, { url: 'http://169.254.169.254/' })).body.message).toContain('169.254.169.254 是云平台元数据地址，不能作为通知地址');
    const unknown = (await register(vol, A, { url: 'http://no-such-host.invalid/' })).body.message;
    const loopback = (await register(vol, A, { url: `http://localhost:${port}/` })).body.message;
    expect(unknown.replaceAll('no-such-host.invalid', 'HOST')).toBe(loopback.replaceAll('localhost', 'HOST'));
  });

  it('a public address is accepted; only the committee registers a channel for someone else', async () => {
    const a = t.accounts[A]!;
    expect((await register(a.volunteer.token, A, { url: 'https://93.184.216.34/robot/send?access_token=abc' })).status).toBe(201);
    for (const who of [a.volunteer, a.guard]) {
      const r = await register(who.token, A, { owner: a.committee.username, url: 'https://93.184.216.34/hook' });
      expect(r.status, who.role).toBe(403);
      expect(r.body.message).toMatch(/^body\.owner: 只有居委会/);
    }
    expect((await register(a.committee.token, A, { owner: 'external:anda', url: 'https://93.184.216.34/hook' })).status).toBe(201);
    expect((await register(a.resident.token, A, { url: 'https://93.184.216.34/hook' })).status).toBe(403);
  });
});

describe('the committee’s LAN allowance: named hosts only, per estate, never loopback by an estate’s own committee', () => {
  it('A’s committee names 192.168.1.20: A’s volunteer may then register it; B’s may not; other LAN addresses stay refused', async () => {
    const a = t.accounts[A]!;
    const put = await allow(a.committee.token, A, ['192.168.1.20', 'NAS.local.']);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.items.map((h: any) => [h.host, h.loopback, h.addedBy])).toEqual([
      ['192.168.1.20', false, a.committee.username],
      ['nas.local', false, a.committee.username],
    ]);
    expect((await register(a.volunteer.token, A, { url: 'http://192.168.1.20:8080/hook' })).status).toBe(201);
    expect((await register(a.volunteer.token, A, { url: 'http://192.168.1.21:8080/hook' })).status).toBe(400);
    expect((await register(t.accounts[B]!.volunteer.token, B, { url: 'http://192.168.1.20:8080/hook' })).status).toBe(400);
  });

  it('refuses entries that can never be allowed, and this server’s own loopback unless the install’s administrator names it', async () => {
    const committee = t.accounts[A]!.committee.token;
    const cases: [string, number, RegExp][] = [
      ['127.0.0.1', 403, /本服务器自己/],
      ['localhost', 403, /本服务器自己/],
      ['::1', 403, /本服务器自己/],
      ['169.254.169.254', 400, /云平台元数据地址，一律不能/],
      ['[fe80::1]', 400, /链路本地地址/],
      ['0.0.0.0', 400, /未指定地址/],
      ['224.0.0.1', 400, /组播地址/],
      ['http://nas.local', 400, /不是主机名或 IP 地址/],
      ['nas.local:8080', 400, /不是主机名或 IP 地址/],
      ['*.local', 400, /不是主机名或 IP 地址/],
    ];
    for (const [host, status, words] of cases) {
      const r = await allow(committee, A, ['192.168.1.20', host]);
      expect(r.status, host).toBe(status);
      expect(r.body.message, host).toMatch(new RegExp(`^body\\.hosts\\.1: .*${words.source}`));
    }
    expect((await allow(t.accounts[A]!.volunteer.token, A, ['192.168.1.30'])).status).toBe(403);
    expect((await allow(t.accounts[B]!.committee.token, A, ['192.168.1.30'])).status).toBe(403); // another estate's committee
    // Nothing of the refused lists was kept.
    expect((await t.as(committee, 'GET', `/api/estates/${A}/notification-channels/allowed-hosts`)).body.items.map((h: any) => h.host)).toEqual(['192.168.1.20', 'nas.local']);
  });
});

/** The server's own notifier, its store's allowance, a real socket: one message to `channel`. */
const sendTo = (channel: Channel) =>
  t.linli.notifier.send({ alertId: 'alert-ssrf', recipient: 'volunteer-sec-a', channel, message: { title: '测试', text: '一行', severity: 'high' } });

describe('sending: checked again as each message connects', () => {
  it('allowed by the install’s administrator, the 127.0.0.1 receiver gets the message; once the allowance is withdrawn, the stored channel reaches nothing', async () => {
    expect((await allow(t.linli.token, A, ['127.0.0.1'])).status).toBe(200);
    const vol = t.accounts[A]!.volunteer.token;
    const r = await register(vol, A, { url: `http://127.0.0.1:${port}/hook/allowed` });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const stored = t.linli.store.roster.allChannels(A).find((c) => c.id === r.body.id)!;
    const before = received.length;
    expect(await sendTo(stored)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(received.slice(before).map((x) => x.url)).toEqual(['/hook/allowed']);

    expect((await allow(t.linli.token, A, [])).status).toBe(200);
    const refused = await sendTo(stored);
    expect(refused).toMatchObject({ status: 'failed', lastError: ADDRESS_REFUSED });
    expect(received.length).toBe(before + 1);
  });

  it('a channel stored before this check (to 127.0.0.1, to localhost by name) is refused when it sends: nothing reaches the receiver, and its answer never reaches the record', async () => {
    const at = new Date().toISOString();
    const legacy = [`http://127.0.0.1:${port}/internal/admin`, `http://localhost:${port}/internal/admin`, `http://[::ffff:127.0.0.1]:${port}/internal/admin`];
    const before = received.length;
    for (const [i, url] of legacy.entries()) {
      const ch = { id: `ch-legacy-${i}`, estateId: A, owner: 'volunteer-sec-a', kind: 'json' as const, url, prefs: {}, createdAt: at };
      t.linli.store.roster.addChannel(ch);
      const rec = await sendTo(ch);
      expect(rec, url).toMatchObject({ status: 'failed', lastError: ADDRESS_REFUSED });
      // What staff read (the alert's deliveries) says neither the address it resolved to nor anything the host answered.
      const row = t.linli.store.deliveries!.get(rec.id)!;
      expect(JSON.stringify(row)).not.toContain(INTERNAL_SECRET);
      expect(row.lastError).not.toMatch(/127\.0\.0\.1|::1|ECONNREFUSED/);
    }
    expect(received.length).toBe(before);
  });
});

describe('DNS rebinding: the address connected to is the address checked', () => {
  /** A resolver under an attacker's control: public at registration, 127.0.0.1 a moment later. */
  function rebinding(answers: LookupAddress[][]) {
    let n = 0;
    return async (_host: string) => answers[Math.min(n++, answers.length - 1)]!;
  }
  const PUBLIC = [{ address: '93.184.216.34', family: 4 }];
  const LOOPBACK = [{ address: '127.0.0.1', family: 4 }];
  const channel = (): Channel => ({ id: 'ch-rebind', kind: 'json', url: `http://hooks.attacker.example:${port}/rebound` });
  const notifierWith = (resolveAll: (h: string) => Promise<LookupAddress[]>, allowance: HostAllowance) => {
    const n = createNotifier({ repo: t.linli.store.deliveries!, log: pino({ level: 'silent' }), resolveAll, allowance: () => allowance, maxAttempts: 1 });
    return (c: Channel) => n.send({ alertId: 'alert-rebind', recipient: 'x', channel: c, message: { title: 't', text: 'x', severity: 'low' } });
  };
  const nothing: HostAllowance = { hosts: new Set(), loopbackHosts: new Set() };

  it('public when registered, 127.0.0.1 when sent: registration passes, the send is refused, nothing reaches 127.0.0.1', async () => {
    const resolveAll = rebinding([PUBLIC, LOOPBACK]);
    expect(await webhookUrlProblem(channel().url, nothing, resolveAll)).toBeUndefined();
    const before = received.length;
    const rec = await notifierWith(resolveAll, nothing)(channel());
    expect(rec).toMatchObject({ status: 'failed', lastError: ADDRESS_REFUSED });
    expect(received.length).toBe(before);
  });

  it('one internal answer among public ones is refused, at registration and at send', async () => {
    const mixed = [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }];
    expect(await webhookUrlProblem(channel().url, nothing, async () => mixed)).toMatch(/不是公网|非公网/);
    expect(await notifierWith(async () => mixed, nothing)(channel())).toMatchObject({ status: 'failed', lastError: ADDRESS_REFUSED });
  });

  it('control: the same name, allowed as a loopback host, is delivered — to the very address the lookup answered', async () => {
    const before = received.length;
    const allowed: HostAllowance = { hosts: new Set(['hooks.attacker.example']), loopbackHosts: new Set(['hooks.attacker.example']) };
    const rec = await notifierWith(rebinding([LOOPBACK]), allowed)(channel());
    expect(rec).toMatchObject({ status: 'delivered' });
    expect(received.slice(before).map((x) => x.url)).toEqual(['/rebound']);
  });
});

describe('address classes', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['10.255.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['not-an-address', 'reserved'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });
});
