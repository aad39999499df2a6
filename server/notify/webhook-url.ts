import { isIP } from 'node:net';
import { classifyAddress, NEVER, normalizeHost, type AddressClass, type HostAllowance } from './address-policy.js';
import { AddressRefused, resolveAllowed, systemResolveAll, type ResolveAll } from './transport.js';

/*
 * The checks a person meets when registering a channel or naming a LAN host:
 * the same policy the transport applies when it connects, said in words a
 * committee member acts on ("中文 / English", the dashboard shows the Chinese half).
 */

const CLASS_ZH: Record<AddressClass, string> = {
  public: '公网地址',
  private: '局域网地址',
  loopback: '本机回环地址',
  'link-local': '链路本地地址',
  metadata: '云平台元数据地址',
  unspecified: '未指定地址',
  multicast: '组播地址',
  reserved: '保留地址',
};

/** A name lookup that does not answer within this is a refusal: the person tries again. */
const RESOLVE_TIMEOUT_MS = 5_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

const LAN_HINT_ZH = '如确需发往小区局域网主机，请居委会先将它加入“允许的局域网主机”';
const LAN_HINT_EN = 'the committee may allow a LAN host by name first';

/**
 * Why `url` may not be a webhook of an estate with `allowance`, or undefined if it may.
 * Every address its host resolves to is checked (dns.lookup, all of them). A name that
 * does not resolve and one that resolves somewhere refused get the same words: the
 * answer must not tell a volunteer which names exist inside the estate's network.
 */
export async function webhookUrlProblem(url: string, allowance: HostAllowance, resolveAll: ResolveAll = systemResolveAll): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '不是有效的网址 / not a valid URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return '只能是 http:// 或 https:// 地址 / only an http:// or https:// URL';
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    await withTimeout(resolveAllowed(host, allowance, resolveAll), RESOLVE_TIMEOUT_MS);
    return undefined;
  } catch (err) {
    if (isIP(host) && err instanceof AddressRefused) {
      const never = NEVER.has(err.cls);
      return `${host} 是${CLASS_ZH[err.cls]}，${never ? '不能作为通知地址' : `不能作为通知地址；${LAN_HINT_ZH}`} / ${host} is a ${err.cls} address: ${never ? 'never allowed for a webhook' : `not allowed for a webhook; ${LAN_HINT_EN}`}`;
    }
    return `${host} 无法解析，或指向本机、局域网、云平台元数据等非公网地址；${LAN_HINT_ZH} / ${host} does not resolve, or resolves to an address that is not a public internet address; ${LAN_HINT_EN}`;
  }
}

/** A DNS name: letters, digits, hyphens, dots (`nas.local`, `nas-2.home.arpa`). */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export type AllowedHostCheck = { ok: true; host: string; loopback: boolean } | { ok: false; forbidden?: boolean; message: string };

/**
 * One entry of the committee's LAN allowance: a host name or an IP literal, as
 * in a URL (no scheme, port or path). Ranges that are never allowed are refused
 * here too; this server's own loopback only by the install's administrator.
 */
export function allowedHostEntry(entry: string, byInstall: boolean): AllowedHostCheck {
  const host = normalizeHost(entry);
  if (!host || (!isIP(host) && !HOST_NAME.test(host))) {
    return { ok: false, message: `“${entry}” 不是主机名或 IP 地址（只写主机，如 nas.local 或 192.168.1.20，不带 http:// 和端口） / not a host name or IP address (the host alone, e.g. nas.local or 192.168.1.20)` };
  }
  const loopbackName = host === 'localhost' || host.endsWith('.localhost');
  const cls = isIP(host) ? classifyAddress(host) : loopbackName ? 'loopback' : undefined;
  if (cls && NEVER.has(cls)) return { ok: false, message: `${host} 是${CLASS_ZH[cls]}，一律不能作为通知地址 / ${host} is a ${cls} address: never allowed for a webhook` };
  if (cls === 'loopback' && !byInstall) {
    return { ok: false, forbidden: true, message: `${host} 是本服务器自己，只有系统管理员（不属于任何小区的账号）可以允许 / ${host} is this server itself: only the install's administrator (an account of no estate) may allow it` };
  }
  return { ok: true, host, loopback: byInstall };
}
