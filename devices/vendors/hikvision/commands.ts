import { z } from 'zod';
import { GateDenyCmd, GateDisplayCmd, GateOpenCmd } from '../../gate/schemas.js';
import { rejectHik, type HikRejection } from './reasons.js';

/**
 * Contract gate commands → the ISAPI requests that carry them, as data: method,
 * path, content type, body. The transport sends them with Digest auth, in
 * order, and reports what the answers prove.
 *
 * Sources (see `devices/vendors/README.md`, Hikvision):
 * - barrier: `PUT /ISAPI/Parking/channels/{ch}/barrierGate`, body exactly as
 *   captured from a unit (fixture `isapi-barriergate-open.request.xml`);
 *   `ctrlMode` open | close | lock | unlock;
 * - arm state: `GET …/barrierGate/barrierGateStatus` (`status.ts`);
 * - voice: `PUT /ISAPI/Parking/channels/{ch}/voiceBroadcastInfo`, `TTSInfo`
 *   text, `[vN]` = volume 1–10 (vendor SDK demo);
 * - LCD: `POST /ISAPI/System/LCDScreen/displayInfo?format=json` in platform
 *   control mode (vendor SDK demo);
 * - whitelist: `licensePlateAuditData` add, `DelLicensePlateAuditData` delete
 *   (fixtures `isapi-lpaudit-add/delete.request.json`), `searchLPListAudit` read.
 */

export type IsapiPurpose = 'barrier' | 'barrier-status' | 'voice' | 'display' | 'whitelist-add' | 'whitelist-delete' | 'whitelist-search';

export interface IsapiRequest {
  purpose: IsapiPurpose;
  method: 'GET' | 'PUT' | 'POST';
  /** Path and query, as it goes on the request line and into the Digest `uri`. */
  path: string;
  contentType?: 'application/xml' | 'application/json';
  body?: string;
}

export type BarrierCtrlMode = 'open' | 'close' | 'lock' | 'unlock';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const Channel = z.number().int().min(1).max(255);

function channelOf(value: number | undefined): number | HikRejection {
  const ch = Channel.safeParse(value ?? 1);
  return ch.success ? ch.data : rejectHik('unencodable', 'channel', 'must be an integer from 1 to 255');
}

/** XML 1.0 text: the five specials escaped, characters XML cannot carry refused. */
function xmlText(s: string, field: string): string | HikRejection {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/.test(s)) return rejectHik('unencodable', field, 'has control characters XML cannot carry');
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function barrierGateRequest(ctrlMode: BarrierCtrlMode, channel?: number): IsapiRequest | HikRejection {
  const ch = channelOf(channel);
  if (typeof ch !== 'number') return ch;
  return {
    purpose: 'barrier',
    method: 'PUT',
    path: `/ISAPI/Parking/channels/${ch}/barrierGate`,
    contentType: 'application/xml',
    // The exact body captured from a unit: no namespace, no version attribute.
    body: `${XML_DECL}<BarrierGate><ctrlMode>${ctrlMode}</ctrlMode></BarrierGate>`,
  };
}

export function barrierGateStatusRequest(channel?: number): IsapiRequest | HikRejection {
  const ch = channelOf(channel);
  if (typeof ch !== 'number') return ch;
  return { purpose: 'barrier-status', method: 'GET', path: `/ISAPI/Parking/channels/${ch}/barrierGate/barrierGateStatus` };
}

/** The voice a text-to-speech camera says. `[`/`]` in the text would read as the volume tag, so they become 【】. */
export function voiceRequest(textToSay: string, opts: { channel?: number; volume?: number } = {}): IsapiRequest | HikRejection {
  const ch = channelOf(opts.channel);
  if (typeof ch !== 'number') return ch;
  if (opts.volume !== undefined && !(Number.isInteger(opts.volume) && opts.volume >= 1 && opts.volume <= 10)) return rejectHik('unencodable', 'volume', 'must be an integer from 1 to 10');
  const said = textToSay.trim().replace(/\[/g, '【').replace(/\]/g, '】');
  if (!said) return rejectHik('unencodable', 'voice', 'empty');
  const body = xmlText(`${opts.volume !== undefined ? `[v${opts.volume}]` : ''}${said}`, 'voice');
  if (typeof body !== 'string') return body;
  return {
    purpose: 'voice',
    method: 'PUT',
    path: `/ISAPI/Parking/channels/${ch}/voiceBroadcastInfo`,
    contentType: 'application/xml',
    body: `${XML_DECL}<VoiceBroadcastInfo><TTSInfo>${body}</TTSInfo></VoiceBroadcastInfo>`,
  };
}

/**
 * Text on the camera's LCD in platform-control mode. The SDK demo names the
 * fields (`sence` 1 = 入场有车牌 with `license` and `customInfo`); the wrapper
 * object's name is ISAPI's convention (the resource's name), not seen in a
 * sample: verify against a unit before relying on the LCD.
 */
export function lcdRequest(display: string, plate: string | undefined): IsapiRequest {
  return {
    purpose: 'display',
    method: 'POST',
    path: '/ISAPI/System/LCDScreen/displayInfo?format=json',
    contentType: 'application/json',
    body: JSON.stringify({ DisplayInfo: { sence: 1, license: plate ?? '', customInfo: display } }),
  };
}

export interface GateCommandOptions {
  channel?: number;
  /** TTS volume 1–10 (`[vN]`); the camera's own setting when unset. */
  volume?: number;
  /** Where `display` goes: the camera's LCD, or nowhere (a camera without a screen). Default `lcd`. */
  display?: 'lcd' | 'none';
  /** Epoch ms now, to drop a command whose `expiresAt` has passed. Not checked when unset. */
  now?: number;
}

export interface EncodedGateCommand {
  ok: true;
  cmdId: string;
  /** In order: the arm first (latency), then the screen, then the voice. */
  requests: IsapiRequest[];
  /** For `open`: read the arm after the barrier request; only `open` there proves it moved. */
  confirm?: { request: IsapiRequest; expect: 'open' };
  warnings: string[];
}

const GateCommand = z.discriminatedUnion('type', [GateOpenCmd, GateDenyCmd, GateDisplayCmd]);

/** A contract gate command (`open`, `deny`, `display`) → the ISAPI requests that carry it. */
export function encodeGateCommand(cmd: unknown, opts: GateCommandOptions = {}): EncodedGateCommand | HikRejection {
  const parsed = GateCommand.safeParse(cmd);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return rejectHik(issue.code === 'invalid_union' ? 'unknown-command' : 'schema', issue.path.map(String).join('.'), issue.message);
  }
  const c = parsed.data;
  if (opts.now !== undefined && c.expiresAt !== undefined && Date.parse(c.expiresAt) <= opts.now) return rejectHik('expired', 'expiresAt', `${c.expiresAt} has passed`);
  const warnings: string[] = [];
  const requests: IsapiRequest[] = [];
  let confirm: EncodedGateCommand['confirm'];
  if (c.type === 'open') {
    const barrier = barrierGateRequest('open', opts.channel);
    const status = barrierGateStatusRequest(opts.channel);
    if ('ok' in barrier) return barrier;
    if ('ok' in status) return status;
    requests.push(barrier);
    confirm = { request: status, expect: 'open' };
  }
  // `deny` never moves the arm: a close could come down on the car before it.
  if ((opts.display ?? 'lcd') === 'lcd' && c.display.trim()) requests.push(lcdRequest(c.display, c.type === 'open' ? c.plate : undefined));
  else if (c.display.trim()) warnings.push('display text not shown: the camera is registered without a screen');
  if (c.voice?.trim()) {
    const voice = voiceRequest(c.voice, { channel: opts.channel, volume: opts.volume });
    if ('ok' in voice) return voice;
    requests.push(voice);
  }
  if (requests.length === 0) warnings.push('nothing to send: no arm movement, no screen, no voice');
  return { ok: true, cmdId: c.cmdId, requests, ...(confirm ? { confirm } : {}), warnings };
}

// ── the camera's own whitelist (offline opening) ─────────────────────────────────────────────────

const PlateText = z.string().min(1).max(10).regex(/^[^\s<>"&\\\x00-\x1f]+$/, 'must be a plate without spaces, markup or control characters');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export interface WhitelistEntry {
  plate: string;
  /** First day the plate opens, camera-local (YYYY-MM-DD). Default: today. */
  from?: string;
  /** Last day (YYYY-MM-DD). Default: `FOREVER`. */
  until?: string;
}

export interface WhitelistOptions {
  channel?: number;
  /** Epoch ms now: `createTime` and the default start day, in the camera's local time. */
  now: number;
  /** Minutes east of UTC of the camera's clock. Default 480 (China). */
  utcOffsetMinutes?: number;
  /** `whiteList` (the field-tested sample) or `allowList` (newer TCG/7-series firmware, per an integrator). */
  listType?: 'whiteList' | 'allowList';
}

/** The "no end" date of the integrator sample; a committee's plate list has no expiry. */
export const FOREVER = '5000-12-01';
/** Entries per add request. The API takes a list; no document gives its limit, so keep requests small. */
export const WHITELIST_BATCH = 50;

function localParts(now: number, offsetMin: number): { day: string; time: string } {
  const iso = new Date(now + offsetMin * 60_000).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(0, 19) };
}

/** `PUT …/licensePlateAuditData/record?format=json`, in batches; the body's keys in the sample's order. */
export function whitelistAddRequests(entries: WhitelistEntry[], opts: WhitelistOptions): IsapiRequest[] | HikRejection {
  const ch = channelOf(opts.channel);
  if (typeof ch !== 'number') return ch;
  const { day, time } = localParts(opts.now, opts.utcOffsetMinutes ?? 480);
  const rows: Record<string, string>[] = [];
  for (const [i, e] of entries.entries()) {
    const plate = PlateText.safeParse(e.plate);
    if (!plate.success) return rejectHik('unencodable', `entries.${i}.plate`, plate.error.issues[0]!.message);
    for (const key of ['from', 'until'] as const) {
      const v = e[key];
      if (v !== undefined && !Day.safeParse(v).success) return rejectHik('unencodable', `entries.${i}.${key}`, 'must be YYYY-MM-DD');
    }
    rows.push({
      LicensePlate: plate.data,
      listType: opts.listType ?? 'whiteList',
      createTime: time,
      effectiveStartDate: e.from ?? day,
      effectiveTime: e.until ?? FOREVER,
      id: '',
    });
  }
  const requests: IsapiRequest[] = [];
  for (let i = 0; i < rows.length; i += WHITELIST_BATCH) {
    requests.push({
      purpose: 'whitelist-add',
      method: 'PUT',
      path: `/ISAPI/Traffic/channels/${ch}/licensePlateAuditData/record?format=json`,
      contentType: 'application/json',
      body: JSON.stringify({ LicensePlateInfoList: rows.slice(i, i + WHITELIST_BATCH) }),
    });
  }
  return requests;
}

/** `PUT …/DelLicensePlateAuditData?format=json` for one plate (the condition holds one plate). */
export function whitelistDeleteRequest(plate: string, opts: { channel?: number } = {}): IsapiRequest | HikRejection {
  const ch = channelOf(opts.channel);
  if (typeof ch !== 'number') return ch;
  const p = PlateText.safeParse(plate);
  if (!p.success) return rejectHik('unencodable', 'plate', p.error.issues[0]!.message);
  return {
    purpose: 'whitelist-delete',
    method: 'PUT',
    path: `/ISAPI/Traffic/channels/${ch}/DelLicensePlateAuditData?format=json`,
    contentType: 'application/json',
    body: JSON.stringify({ deleteAllEnabled: false, CompoundCond: { plateColor: '', licensePlate: p.data } }),
  };
}

/** One page of the plates the camera holds: `POST …/searchLPListAudit` (integrator code; the answer is read by `decodeWhitelistPage`). */
export function whitelistSearchRequest(opts: { channel?: number; searchId: string; position: number; max?: number }): IsapiRequest | HikRejection {
  const ch = channelOf(opts.channel);
  if (typeof ch !== 'number') return ch;
  if (!/^[A-Za-z0-9-]{1,64}$/.test(opts.searchId)) return rejectHik('unencodable', 'searchId', 'must be 1–64 letters, digits or dashes');
  if (!Number.isInteger(opts.position) || opts.position < 0) return rejectHik('unencodable', 'position', 'must be a whole number ≥ 0');
  const max = opts.max ?? 50;
  if (!Number.isInteger(max) || max < 1 || max > 500) return rejectHik('unencodable', 'max', 'must be 1–500');
  return {
    purpose: 'whitelist-search',
    method: 'POST',
    path: `/ISAPI/Traffic/channels/${ch}/searchLPListAudit`,
    contentType: 'application/xml',
    body: `${XML_DECL}<LPListAuditSearchDescription><searchID>${opts.searchId}</searchID><maxResults>${max}</maxResults><searchResultPosition>${opts.position}</searchResultPosition></LPListAuditSearchDescription>`,
  };
}

/** What to add and what to remove so the camera holds exactly `wanted` (plates compared as sent). */
export function whitelistDiff(held: readonly string[], wanted: readonly string[]): { add: string[]; remove: string[] } {
  const h = new Set(held);
  const w = new Set(wanted);
  return { add: [...w].filter((p) => !h.has(p)), remove: [...h].filter((p) => !w.has(p)) };
}
