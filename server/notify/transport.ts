import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { allowConnect, type AddressClass, type HostAllowance } from './address-policy.js';

/*
 * The one way webhooks leave the server: node:http(s) with a `lookup` of our
 * own. Node connects to exactly the address that lookup hands back, so the
 * address checked is the address connected to: a name that resolved to a
 * public address when the channel was registered and to 127.0.0.1 now (DNS
 * rebinding) is refused at this moment, with nothing sent. A URL with an IP
 * literal skips lookup in node:net, so literals are checked before the request.
 */

/** `dns.lookup` with `{ all: true }`, as a promise: injectable so tests can play a rebinding resolver. */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveAll: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** A webhook's host is (or resolves to) an address the estate does not allow. Not retried: a person must act. */
export class AddressRefused extends Error {
  override name = 'AddressRefused';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly cls: AddressClass,
  ) {
    super(`refused to connect: ${host} is a ${cls} address (${address})`);
  }
}

/** Every address `host` resolves to must be allowed: one private answer among public ones is refused too. */
export async function resolveAllowed(host: string, allowance: HostAllowance, resolveAll: ResolveAll): Promise<LookupAddress[]> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolveAll(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  for (const a of addresses) {
    const v = allowConnect(bare, a.address, allowance);
    if (!v.ok) throw new AddressRefused(bare, a.address, v.cls);
  }
  return addresses;
}

/** The `lookup` node:net calls for a host name; answers only with addresses `resolveAllowed` passed. */
function guardedLookup(allowance: HostAllowance, resolveAll: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, allowance, resolveAll).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
        callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** A reply is read up to this much: the notifier keeps 200 characters of it. */
const MAX_REPLY_BYTES = 64 * 1024;
const NULL_BODY = new Set([101, 204, 205, 304]);

export interface GuardedInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/**
 * POSTs like `fetch` (a `Response`, redirects not followed, errors as
 * `TypeError('fetch failed', { cause })`), connecting only where `allowance`
 * lets `url`'s host go. Refusals reject with `AddressRefused` before any byte is sent.
 */
export async function guardedFetch(url: string, init: GuardedInit, allowance: HostAllowance, resolveAll: ResolveAll = systemResolveAll): Promise<Response> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${u.protocol}`);
  // node:net skips `lookup` for an IP literal: check it here, once, for good (a literal cannot rebind).
  if (isIP(u.hostname.replace(/^\[(.*)\]$/, '$1'))) await resolveAllowed(u.hostname, allowance, resolveAll);
  init.signal.throwIfAborted();
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const fail = (err: unknown) => reject(err instanceof AddressRefused || (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }));
    const req = send(u, {
      method: init.method,
      headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
      // A fresh connection per request: a kept-alive socket would skip the check.
      agent: false,
      lookup: guardedLookup(allowance, resolveAll),
      signal: init.signal,
    });
    // A refusal from our lookup arrives here as the socket's error, before anything was written.
    req.on('error', (err) => fail(init.signal.aborted ? init.signal.reason : err));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_REPLY_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('error', fail);
      res.on('end', () => {
        try {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of [v].flat()) headers.append(k, one);
          // Response() refuses a status outside 200–599; a receiver that sends one is broken, not us.
          const status = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode <= 599 ? res.statusCode : 502;
          const body = NULL_BODY.has(status) ? null : Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES);
          resolve(new Response(body, { status, headers }));
        } catch (err) {
          fail(err);
        }
      });
    });
    req.end(init.body);
  });
}
