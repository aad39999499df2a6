import type { z } from 'zod';
import { PlateRead } from '../../camera/schemas.js';
import { GateManual, type GatePassage } from '../../gate/schemas.js';
import type { Direction } from '../../envelope.js';
import { rejectHik, type HikRejection } from './reasons.js';
import { child, children, text, type XmlValue } from './xml.js';
import { cleanPlate, mapColor, type PlateStatus } from './plate.js';

/**
 * One `EventNotificationAlert` (open.hikvision.com XML_EventNotificationAlert;
 * Device Network SDK (Traffic) Developer Guide, XML_EventNotificationAlert_ANPR)
 * → what it means for Linli:
 *
 * - `eventType` ANPR, `eventState` active → `plate.read` (a backlog record: see `backlog`);
 * - `eventState` inactive → a heartbeat ("报警上报时为active, 心跳上报时为inactive"): presence, no event;
 * - any other event type (motion, video loss, line crossing…) → `ignored`, typed, not a dead letter.
 */

/** A contract message with the kind it belongs to: the camera reads plates, the gate it drives opens. Same shape as the 臻识 codec's. */
export type HikEvent =
  | { kind: 'camera'; message: z.infer<typeof PlateRead> }
  | { kind: 'gate'; message: z.infer<typeof GatePassage> | z.infer<typeof GateManual> };

export interface NotificationContext {
  /** ISO 8601: when the transport received the request. */
  receivedAt: string;
  /** The lane's direction (registration). The camera's own `direction` is image motion and never used for in/out. */
  direction?: Direction;
  /** The registered serial number (or MAC); the first part of message ids. */
  serialNo?: string;
  /** Minutes east of UTC of the camera's clock, for a `dateTime` without a zone. China: 480. */
  utcOffsetMinutes?: number;
  /** The video channel this registration serves (an NVR forwards several); others are ignored. Any when unset. */
  channel?: number;
}

export type Motion = 'forward' | 'reverse' | 'unknown';

export interface AnprExtras {
  /** `plateColor` as sent. */
  colorRaw?: string;
  plateType?: string;
  newEnergy: boolean;
  /** ANPR `direction`: the vehicle's motion in the picture, kept for support only. */
  motion: Motion;
  /** `EntranceInfo.direction` (enter/leave) as the camera judged it; not used, the lane's direction is registered. */
  entranceDirection?: string;
  vehicleType?: string;
  /** The camera's own list verdict (`listType` white/black/temporary, `vehicleListName` allowList/blockList/otherList). */
  listType?: string;
  vehicleListName?: string;
  uuid?: string;
  /** "times that the same alarm has been uploaded" */
  activePostCount?: number;
  /** `isDataRetransmission`: resent after a network failure. */
  retransmitted: boolean;
  /** `hasMoreData`: a first, short report; the full XML and pictures follow with the same UUID (and the same id here). */
  hasMoreData: boolean;
  /** `barrierGateCtrlType` of a history record: 0 the camera opened the arm, 1 it did not. */
  openedByCamera?: boolean;
  /** Picture names the XML lists (`pictureInfoList`), to match the multipart parts. */
  pictureNames: string[];
}

export interface DecodedAnpr {
  kind: 'plate';
  channel: number;
  /** As read ("" when none). */
  plate: string;
  plateStatus: PlateStatus;
  /** A record pushed late (`alarmDataType` 1 = history, or a retransmission more than a minute old): no `plate.read`. */
  backlog: boolean;
  events: HikEvent[];
  extras: AnprExtras;
  warnings: string[];
}

export type DecodedEvent =
  | DecodedAnpr
  | { kind: 'presence'; eventType: string; channel?: number; ts: string; warnings: string[] }
  | { kind: 'ignored'; eventType: string; eventState: string; channel?: number; why: string };

const E = 'EventNotificationAlert';
/** A retransmitted record older than this at receipt is history, not a car at the barrier now. */
export const LIVE_WINDOW_MS = 60_000;

/** The parsed root → what it means. `root` must be `EventNotificationAlert`. */
export function decodeEvent(root: string, doc: XmlValue, ctx: NotificationContext): DecodedEvent | HikRejection {
  if (root !== E) return rejectHik('unknown-message', '', `root element ${root.slice(0, 40)} is not ${E}`);
  const eventType = text(doc, 'eventType');
  const eventState = text(doc, 'eventState');
  if (!eventType) return rejectHik('schema', `${E}.eventType`, 'required');
  if (!eventState) return rejectHik('schema', `${E}.eventState`, 'required (active or inactive)');
  const channelText = text(doc, 'channelID') ?? text(doc, 'dynChannelID');
  const channel = channelText !== undefined && /^\d{1,4}$/.test(channelText) ? Number(channelText) : undefined;
  if (eventState.toLowerCase() === 'inactive' || /^heart-?beat$/i.test(eventType)) {
    const warnings: string[] = [];
    const ts = readTime(text(doc, 'dateTime'), ctx, warnings);
    return { kind: 'presence', eventType, ...(channel !== undefined ? { channel } : {}), ts: ts.iso, warnings };
  }
  if (eventState.toLowerCase() !== 'active') return rejectHik('schema', `${E}.eventState`, `"${eventState.slice(0, 16)}" is neither active nor inactive`);
  const ignored = (why: string): DecodedEvent => ({ kind: 'ignored', eventType, eventState, ...(channel !== undefined ? { channel } : {}), why });
  if (eventType.toUpperCase() !== 'ANPR') return ignored(`event type ${eventType.slice(0, 40)} is not a plate read`);
  if (ctx.channel !== undefined && channel !== undefined && channel !== ctx.channel) return ignored(`channel ${channel} is not the registered channel ${ctx.channel}`);
  return decodeAnpr(doc, channel ?? 1, ctx);
}

function decodeAnpr(doc: XmlValue, channel: number, ctx: NotificationContext): DecodedAnpr | HikRejection {
  const anpr = child(doc, 'ANPR');
  if (anpr === undefined) return rejectHik('schema', `${E}.ANPR`, 'required when eventType is ANPR');
  const F = `${E}.ANPR`;
  const licensePlate = text(anpr, 'licensePlate');
  if (licensePlate === undefined) return rejectHik('schema', `${F}.licensePlate`, 'required');
  const clean = cleanPlate(licensePlate, `${F}.licensePlate`);
  if ('ok' in clean) return clean;
  const confidence = readConfidence(text(anpr, 'confidenceLevel'), `${F}.confidenceLevel`);
  if (typeof confidence !== 'number') return confidence;
  const warnings: string[] = [];
  const colorRaw = text(anpr, 'plateColor');
  const plateType = text(anpr, 'plateType');
  const { color, newEnergy: colorNewEnergy } = mapColor(colorRaw, clean, warnings);
  const newEnergy = colorNewEnergy || plateType === 'newEnergy';
  const time = readTime(text(doc, 'dateTime'), ctx, warnings);
  const uuid = text(doc, 'UUID');
  const id = messageId({ serial: ctx.serialNo ?? text(doc, 'macAddress') ?? '', channel, sec: time.sec, receivedAt: ctx.receivedAt, uuid, plate: clean.plate });
  const extras = readExtras(doc, anpr, { colorRaw, plateType, newEnergy, uuid });
  const retransmittedLate = extras.retransmitted && Math.abs(time.ms - Date.parse(ctx.receivedAt)) > LIVE_WINDOW_MS;
  const backlog = text(anpr, 'alarmDataType') === '1' || retransmittedLate;
  const events: HikEvent[] = [];
  if (backlog) {
    warnings.push(`a record pushed late (${retransmittedLate ? 'retransmitted' : 'history'}): no plate.read, the car is long gone`);
    if (extras.openedByCamera) {
      const manual = GateManual.safeParse({
        id: `${id}.wl`,
        ts: time.iso,
        type: 'gate.manual',
        action: 'open',
        source: 'offline-whitelist',
        ...(clean.plate ? { plate: clean.plate } : {}),
        ...(ctx.direction ? { direction: ctx.direction } : {}),
      });
      if (!manual.success) return rejectHik('schema', 'gate.manual', manual.error.issues[0]!.message);
      events.push({ kind: 'gate', message: manual.data });
    }
  } else {
    const imageRef = pictureUrl(anpr, warnings);
    const read = PlateRead.safeParse({
      id,
      ts: time.iso,
      type: 'plate.read',
      plate: clean.plate,
      color,
      confidence,
      ...(imageRef ? { imageRef } : {}),
      ...(plateType && plateType !== 'unknown' ? { plateType: plateType.slice(0, 32) } : {}),
      newEnergy,
    });
    if (!read.success) {
      const issue = read.error.issues[0]!;
      return rejectHik('schema', ['plate.read', ...issue.path.map(String)].join('.'), issue.message);
    }
    events.push({ kind: 'camera', message: read.data });
  }
  return { kind: 'plate', channel, plate: clean.plate, plateStatus: clean.status, backlog, events, extras, warnings };
}

function readConfidence(value: string | undefined, field: string): number | HikRejection {
  if (value === undefined) return rejectHik('schema', field, 'required (0–100)');
  const n = Number(value);
  if (!/^\d{1,3}(?:\.\d+)?$/.test(value) || !(n >= 0 && n <= 100)) return rejectHik('schema', field, `"${value.slice(0, 16)}" is not a number from 0 to 100`);
  return n / 100;
}

function readExtras(doc: XmlValue, anpr: XmlValue, known: { colorRaw?: string; plateType?: string; newEnergy: boolean; uuid?: string }): AnprExtras {
  const motion = (text(anpr, 'direction') ?? 'unknown').toLowerCase();
  const opt = (key: string, v: string | undefined) => (v !== undefined && v !== '' ? { [key]: v.slice(0, 64) } : {});
  const posts = text(doc, 'activePostCount');
  const gateCtrl = text(anpr, 'barrierGateCtrlType');
  const pictureNames = children(child(anpr, 'pictureInfoList'), 'pictureInfo')
    .map((p) => text(p, 'fileName'))
    .filter((n): n is string => !!n)
    .slice(0, 8);
  return {
    ...opt('colorRaw', known.colorRaw),
    ...opt('plateType', known.plateType),
    newEnergy: known.newEnergy,
    motion: motion === 'forward' || motion === 'reverse' ? motion : 'unknown',
    ...opt('entranceDirection', text(child(anpr, 'EntranceInfo'), 'direction')),
    ...opt('vehicleType', text(anpr, 'vehicleType')),
    ...opt('listType', text(anpr, 'listType')),
    ...opt('vehicleListName', text(anpr, 'vehicleListName')),
    ...opt('uuid', known.uuid),
    ...(posts !== undefined && /^\d{1,9}$/.test(posts) ? { activePostCount: Number(posts) } : {}),
    retransmitted: text(doc, 'isDataRetransmission') === 'true',
    hasMoreData: text(anpr, 'hasMoreData') === 'true',
    ...(gateCtrl === '0' || gateCtrl === '1' ? { openedByCamera: gateCtrl === '0' } : {}),
    pictureNames,
  };
}

/** A picture the camera sent as a URL (`dataType` 1) rather than as a part: the contract's `imageRef`. */
function pictureUrl(anpr: XmlValue, warnings: string[]): string | undefined {
  for (const p of children(child(anpr, 'pictureInfoList'), 'pictureInfo')) {
    const url = text(p, 'pictureURL');
    if (text(p, 'dataType') !== '1' || !url) continue;
    if (/^https?:\/\/[^\s"<>]+$/i.test(url) && url.length <= 512) return url;
    warnings.push('a picture URL that is not http(s) or longer than 512 characters: not referenced');
  }
  return undefined;
}

// ── time and ids ──────────────────────────────────────────────────────────────────────────────────

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/;

/** ISAPI `dateTime` (xs:dateTime, "2017-04-22T15:39:01+08:00"); without a zone, the camera's registered offset. */
export function readTime(value: string | undefined, ctx: NotificationContext, warnings: string[]): { iso: string; ms: number; sec?: number } {
  const m = value === undefined ? null : DATE_TIME.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, frac ? Math.floor(Number(frac) * 1000) : 0);
    const check = new Date(local);
    if (check.getUTCMonth() === +mo! - 1 && check.getUTCDate() === +d! && +h! < 24 && +mi! < 60 && +s! < 60) {
      let offsetMin = ctx.utcOffsetMinutes ?? 480;
      if (zone === 'Z') offsetMin = 0;
      else if (zone) {
        const z = zone.replace(':', '');
        offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
      } else warnings.push(`dateTime "${value}" has no zone: UTC${offsetMin >= 0 ? '+' : ''}${offsetMin / 60} assumed`);
      const ms = local - offsetMin * 60_000;
      return { iso: new Date(ms).toISOString(), ms, sec: Math.floor(ms / 1000) };
    }
  }
  warnings.push(value === undefined ? 'dateTime missing: ts is the time of receipt' : `dateTime "${value.slice(0, 40)}" unreadable: ts is the time of receipt`);
  const ms = Date.parse(ctx.receivedAt);
  return { iso: new Date(ms).toISOString(), ms };
}

/** cyrb53: a small, stable, non-cryptographic 53-bit string hash, for ids only. */
function hash53(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The contract id, the same for every upload of one capture so the gateway
 * drops the repeats: `{serial}.{channel}.{capture second}.{UUID}`. The schema
 * says a vehicle captured several times keeps its UUID, and a `hasMoreData`
 * report is followed by the full one with the same UUID; the capture second
 * tells two visits of one car apart. `activePostCount` (which counts uploads)
 * is left out on purpose. A UUID that does not fit an id is hashed; without a
 * UUID the plate stands in. Always ≤ 64 characters of `[A-Za-z0-9_.-]`.
 */
export function messageId(p: { serial: string; channel: number; sec?: number; receivedAt: string; uuid?: string; plate: string }): string {
  // The tail of a serial is its unique part (DS-TCG406-E2023…AACHJ12345678); ids start with a letter or digit.
  const serial = p.serial.replace(/[^A-Za-z0-9_-]/g, '').slice(-24).replace(/^[_-]+/, '') || 'hik';
  const when = p.sec !== undefined ? String(p.sec) : `r${Date.parse(p.receivedAt)}`;
  const uuid = p.uuid ?? '';
  const tail = /^[A-Za-z0-9_-]{1,20}$/.test(uuid) ? uuid : uuid ? `h${hash53(uuid)}` : `p${hash53(p.plate)}`;
  return `${serial}.${p.channel}.${when}.${tail}`;
}
