import { isIP } from 'node:net';

/*
 * Where a webhook may point. The server POSTs alerts to a URL a person typed,
 * from inside the estate's network, and keeps the outcome where staff read it:
 * left open, that is a way to reach the server itself, the estate's LAN and a
 * cloud's metadata service (server-side request forgery). Only public internet
 * addresses pass, unless the committee has named a LAN host; some ranges never pass.
 */

export type AddressClass =
  | 'public'
  /** RFC 1918, CGNAT 100.64/10, ULA fc00::/7 and similar: the estate's LAN. */
  | 'private'
  /** 127/8, ::1: this server itself. */
  | 'loopback'
  /** 169.254/16, fe80::/10: a link's own addresses, where clouds keep their metadata service. */
  | 'link-local'
  /** Clouds' instance metadata (credentials!), wherever they put it. */
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  /** Broadcast, documentation, benchmarking, Teredo…: nothing a webhook lives on. */
  | 'reserved';

/** Never allowed, whatever the committee lists. */
export const NEVER: ReadonlySet<AddressClass> = new Set(['link-local', 'metadata', 'unspecified', 'multicast', 'reserved']);

type Range = readonly [prefix: string, bits: number, cls: AddressClass];

// Checked in order: the first match wins, so metadata comes before the range it sits in.
const V4: readonly Range[] = [
  ['169.254.169.254', 32, 'metadata'], // AWS, GCP, Azure, OpenStack, Huawei Cloud
  ['169.254.170.2', 32, 'metadata'], // AWS ECS task credentials
  ['169.254.0.23', 32, 'metadata'], // Tencent Cloud
  ['100.100.100.200', 32, 'metadata'], // Alibaba Cloud (inside CGNAT)
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT (RFC 6598): an ISP's or a VPN's inside
  ['192.0.0.0', 24, 'private'], // IETF protocol assignments (RFC 6890)
  ['198.18.0.0', 15, 'private'], // benchmarking (RFC 2544)
  ['192.0.2.0', 24, 'reserved'], // documentation (RFC 5737)
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255
];

const V6: readonly Range[] = [
  ['fd00:ec2::254', 128, 'metadata'], // AWS over IPv6
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64 (RFC 8215)
  ['fc00::', 7, 'private'], // unique local (ULA)
  ['fec0::', 10, 'private'], // site-local, deprecated but still routed in some LANs
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 32, 'reserved'], // Teredo: an IPv4 address hidden inside
  ['2001:db8::', 32, 'reserved'], // documentation
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** `::ffff:1.2.3.4`, `fe80::1%eth0` → eight 16-bit groups. Call only with what isIP() calls 6. */
function v6Groups(ip: string): number[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const v6ToBig = (groups: number[]) => groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n);

function inV4(n: number, [prefix, bits]: Range): boolean {
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits);
  return ((n & mask) >>> 0) === ((v4ToInt(prefix) & mask) >>> 0);
}

function inV6(n: bigint, [prefix, bits]: Range): boolean {
  const shift = BigInt(128 - bits);
  return n >> shift === v6ToBig(v6Groups(prefix)) >> shift;
}

const intToV4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * The IPv4 address an IPv6 one carries, where packets to it end up at that IPv4
 * address: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
 * (64:ff9b::/96) and 6to4 (2002::/16). `::ffff:127.0.0.1` is loopback.
 */
function embeddedV4(g: number[]): string | undefined {
  const low32 = ((g[6]! << 16) | g[7]!) >>> 0;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return intToV4(low32);
  if (zeros(0, 6) && low32 > 1) return intToV4(low32);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return intToV4(low32);
  if (g[0] === 0x2002) return intToV4(((g[1]! << 16) | g[2]!) >>> 0);
  return undefined;
}

/** What kind of address `ip` is (an IPv4 or IPv6 literal, as a resolver returns it). Anything unparseable is `reserved`. */
export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip.split('%')[0]!);
  if (family === 4) {
    const n = v4ToInt(ip);
    return V4.find((r) => inV4(n, r))?.[2] ?? 'public';
  }
  if (family === 6) {
    const g = v6Groups(ip);
    const v4 = embeddedV4(g);
    if (v4) return classifyAddress(v4);
    const n = v6ToBig(g);
    return V6.find((r) => inV6(n, r))?.[2] ?? 'public';
  }
  return 'reserved';
}

/**
 * The hosts the committee allowed for an estate's webhooks, by name as written
 * in the URL (`nas.local`, `192.168.1.20`). A listed host may be on the LAN;
 * `loopback` ones (listed by the install's administrator) may be this server itself.
 */
export interface HostAllowance {
  hosts: ReadonlySet<string>;
  loopbackHosts: ReadonlySet<string>;
}

export const NOTHING_ALLOWED: HostAllowance = { hosts: new Set(), loopbackHosts: new Set() };

/** The host as URLs compare it: lower case, no brackets, no trailing dot, IPv4 forms made canonical. */
export function normalizeHost(host: string): string | undefined {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  try {
    const u = new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`);
    if (u.port || u.username || u.pathname !== '/') return undefined;
    return u.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

export type Verdict = { ok: true } | { ok: false; cls: AddressClass };

/** May the webhook of host `host` (as in its URL) connect to `address`? */
export function allowConnect(host: string, address: string, allowance: HostAllowance): Verdict {
  const cls = classifyAddress(address);
  if (cls === 'public') return { ok: true };
  if (NEVER.has(cls)) return { ok: false, cls };
  const name = normalizeHost(host) ?? host;
  if (cls === 'private' && (allowance.hosts.has(name) || allowance.loopbackHosts.has(name))) return { ok: true };
  if (cls === 'loopback' && allowance.loopbackHosts.has(name)) return { ok: true };
  return { ok: false, cls };
}
