import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { DeliveriesRepo, DeliveryPatch } from '../store/deliveries-repo.js';
import { NOTHING_ALLOWED, type HostAllowance } from './address-policy.js';
import { KIND_PROTOCOLS, formatMessage } from './formats.js';
import { createPacer } from './pace.js';
import { maskUrl, scrub } from './sign.js';
import { AddressRefused, guardedFetch, resolveAllowed, systemResolveAll, type ResolveAll } from './transport.js';
import type { Channel, Delivery, DeliveryRecord } from './types.js';

export interface NotifierDeps {
  repo: DeliveriesRepo;
  /**
   * The LAN hosts the committee of the channel's estate allowed (none by default):
   * only they, and public internet addresses, are connected to.
   */
  allowance?: (channelId: string) => HostAllowance;
  /** Name resolution for the connect-time check (tests play a rebinding resolver). */
  resolveAll?: ResolveAll;
  /** A stand-in for the network in unit tests; unset, deliveries go through the address-checked transport. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log: Logger;
  /** Attempts per delivery, the first included. */
  maxAttempts?: number;
  /** First retry waits about this long; each further retry doubles it. */
  baseDelayMs?: number;
  /** Per attempt, reply body included. */
  timeoutMs?: number;
  /** Longest single wait; a Retry-After beyond it ends the delivery as failed instead of holding it. */
  maxWaitMs?: number;
  /** Messages per robot (DingTalk, WeCom) per rolling minute; more wait their turn. */
  robotPerMinute?: number;
}

/** A robot answers in well under a second; 5 s covers an estate's weak uplink without stalling the retries. */
const TIMEOUT_MS = 5_000;
/** DingTalk throttles a robot for 10 minutes after 20 messages a minute; waiting longer than this helps nobody. */
const MAX_WAIT_MS = 60_000;
/** Both DingTalk's and WeCom's documented limit for one group robot. */
const ROBOT_PER_MINUTE = 20;

type Outcome =
  | { ok: true; httpStatus: number }
  | { ok: false; retry: boolean; error: string; httpStatus?: number; retryAfterMs?: number };

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so many estates retrying do not march in step. */
export function backoffMs(attempt: number, baseDelayMs: number, maxWaitMs: number): number {
  const d = Math.min(baseDelayMs * 2 ** (attempt - 1), maxWaitMs);
  return Math.round(d / 2 + Math.random() * (d / 2));
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * What the record says when the address check refuses: not the address, nor
 * anything the host answered — the record is read by staff, and the URL may
 * have been typed to learn what lives inside the estate's network.
 */
export const ADDRESS_REFUSED =
  "未发送：通知地址不是公网地址（本机、局域网、链路本地或云平台元数据地址）；如确需发往小区局域网主机，请居委会将该主机名加入允许的局域网主机 / not sent: the webhook's host is not a public internet address (this server, the LAN, link-local or a cloud metadata service); the committee may allow a LAN host by name";

/** undici hides the useful part in `cause` (ECONNREFUSED, "other side closed"). */
function networkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.cause?.message) return `network error: ${[e.cause.code, e.cause.message].filter(Boolean).join(' ')}`;
  return `network error: ${e?.message ?? String(err)}`;
}

/**
 * Sends alert messages to chat-group robots and JSON webhooks. Each delivery is
 * a row: pending → delivered | failed, with attempts and the last error. Network
 * errors, 5xx and 429 are retried with backoff (Retry-After honoured); any other
 * 4xx, a robot's errcode ≠ 0 or a bad URL is a configuration problem for a
 * person, recorded and not retried. `send` never throws.
 */
export function createNotifier(deps: NotifierDeps) {
  const log = deps.log.child({ module: 'notify' });
  const allowanceOf = deps.allowance ?? (() => NOTHING_ALLOWED);
  const resolveAll = deps.resolveAll ?? systemResolveAll;
  const doFetch = (channel: Channel, url: string, init: { method: string; headers: Record<string, string>; body: string; redirect: 'manual'; signal: AbortSignal }) =>
    deps.fetch ? deps.fetch(url, init) : guardedFetch(url, init, allowanceOf(channel.id), resolveAll);
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 5;
  const baseDelayMs = deps.baseDelayMs ?? 1_000;
  const timeoutMs = deps.timeoutMs ?? TIMEOUT_MS;
  const maxWaitMs = deps.maxWaitMs ?? MAX_WAIT_MS;
  const closing = new AbortController();
  const sleep =
    deps.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        closing.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      }));
  const iso = () => new Date(now()).toISOString();
  const robots = createPacer({ limit: deps.robotPerMinute ?? ROBOT_PER_MINUTE, windowMs: 60_000, now, sleep, aborted: () => closing.signal.aborted });

  async function attempt(channel: Channel, raw: string): Promise<Outcome> {
    // Keyed by URL: two channels pointing at one robot share its limit.
    if (channel.kind !== 'json') await robots.slot(channel.url);
    const req = KIND_PROTOCOLS[channel.kind].request(channel, raw, now());
    const hide = (s: string) => scrub(s, [req.url, channel.url, channel.secret]);
    try {
      const res = await doFetch(channel, req.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...req.headers },
        body: raw,
        // A redirect is a moved webhook: a person updates the URL; following it would resend the credential elsewhere.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]),
      });
      const text = await res.text();
      const httpStatus = res.status;
      if (httpStatus === 429) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
        return { ok: false, retry: true, httpStatus, retryAfterMs, error: 'HTTP 429: rate limited by the receiver' };
      }
      if (httpStatus >= 500) return { ok: false, retry: true, httpStatus, error: hide(`HTTP ${httpStatus}: ${text.slice(0, 200)}`) };
      if (httpStatus < 200 || httpStatus >= 300) {
        return { ok: false, retry: false, httpStatus, error: hide(`HTTP ${httpStatus}: ${text.slice(0, 200)} — check the channel's webhook URL`) };
      }
      const replyError = KIND_PROTOCOLS[channel.kind].replyError(text);
      return replyError ? { ok: false, retry: false, httpStatus, error: hide(replyError) } : { ok: true, httpStatus };
    } catch (err) {
      if (err instanceof AddressRefused) {
        log.error({ channelId: channel.id, host: err.host, address: err.address, addressClass: err.cls }, 'webhook refused: its host is not an address this estate allows');
        return { ok: false, retry: false, error: ADDRESS_REFUSED };
      }
      if (closing.signal.aborted) return { ok: false, retry: false, error: 'not sent: the server is shutting down' };
      if ((err as Error)?.name === 'TimeoutError') return { ok: false, retry: true, error: `timed out after ${timeoutMs} ms` };
      return { ok: false, retry: true, error: hide(networkError(err)) };
    }
  }

  async function literalRefused(channel: Channel): Promise<AddressRefused | undefined> {
    const host = new URL(channel.url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (!isIP(host)) return undefined;
    return resolveAllowed(host, allowanceOf(channel.id), resolveAll).then(
      () => undefined,
      (err: unknown) => (err instanceof AddressRefused ? err : undefined),
    );
  }

  async function run(rec: DeliveryRecord, d: Delivery): Promise<DeliveryRecord> {
    const ctx = { deliveryId: rec.id, alertId: d.alertId, channelId: d.channel.id, kind: d.channel.kind, target: rec.target };
    /** The row is the truth: what the caller gets back is what a volunteer will see. */
    const save = (patch: DeliveryPatch) => {
      deps.repo.update(rec.id, { ...patch, updatedAt: iso() });
      return deps.repo.get(rec.id) ?? rec;
    };
    if (!isHttpUrl(d.channel.url)) {
      log.error(ctx, 'webhook URL is not an http(s) URL; not sent');
      return save({ status: 'failed', lastError: "the channel's webhook URL is not a valid http(s) URL; fix it in the channel settings" });
    }
    // A literal address is refused before anything else, whichever transport sends (names are checked as they connect).
    const refused = await literalRefused(d.channel);
    if (refused) {
      log.error({ ...ctx, address: refused.address, addressClass: refused.cls }, 'webhook refused: its host is not an address this estate allows');
      return save({ status: 'failed', attempts: 0, lastError: ADDRESS_REFUSED });
    }
    const raw = JSON.stringify(formatMessage(d.channel.kind, d.message, { alertId: d.alertId }).body);
    for (let n = 1; ; n++) {
      if (closing.signal.aborted) return save({ status: 'failed', lastError: 'not sent: the server is shutting down' });
      const out = await attempt(d.channel, raw);
      if (out.ok) {
        log.info({ ...ctx, attempts: n, httpStatus: out.httpStatus }, 'webhook delivered');
        return save({ attempts: n, httpStatus: out.httpStatus, status: 'delivered', deliveredAt: iso() });
      }
      save({ attempts: n, lastError: out.error, httpStatus: out.httpStatus ?? null });
      const waitMs = out.retryAfterMs ?? backoffMs(n, baseDelayMs, maxWaitMs);
      const tooLong = out.retry && n < maxAttempts && waitMs > maxWaitMs;
      if (!out.retry || n >= maxAttempts || tooLong) {
        const lastError = tooLong ? `${out.error}; asked to wait ${Math.ceil(waitMs / 1000)} s, longer than a delivery is held` : out.error;
        log.error({ ...ctx, attempts: n, httpStatus: out.httpStatus, error: lastError }, 'webhook delivery failed');
        return save({ status: 'failed', lastError });
      }
      log.warn({ ...ctx, attempt: n, httpStatus: out.httpStatus, error: out.error, waitMs }, 'webhook attempt failed; retrying');
      await sleep(waitMs);
    }
  }

  return {
    async send(d: Delivery): Promise<DeliveryRecord> {
      const at = iso();
      const rec: DeliveryRecord = {
        id: `dlv-${randomUUID()}`,
        alertId: d.alertId,
        recipient: d.recipient,
        channelId: d.channel.id,
        channelKind: d.channel.kind,
        target: maskUrl(d.channel.url),
        status: 'pending',
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      };
      try {
        deps.repo.insert(rec);
        return await run(rec, d);
      } catch (err) {
        // The database refused the record (disk full, closed at shutdown): the caller still gets an answer.
        const lastError = `delivery not recorded: ${scrub((err as Error)?.message ?? String(err), [d.channel.url, d.channel.secret])}`;
        log.error({ deliveryId: rec.id, alertId: d.alertId, channelId: d.channel.id, error: lastError }, 'webhook delivery failed');
        return { ...rec, status: 'failed', lastError };
      }
    },
    /** Stops retries and aborts requests in flight; their records end as failed. */
    close(): void {
      closing.abort();
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
