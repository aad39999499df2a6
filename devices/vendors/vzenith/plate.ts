import type { z } from 'zod';
import { PlateRead, type PlateColor as PlateColorSchema } from '../../camera/schemas.js';
import { GateManual } from '../../gate/schemas.js';
import type { Direction } from '../../envelope.js';
import { base64Strict, utf8Strict } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { AlarmInfoPlate, type PlateResult } from './schemas.js';
import { deadLetterFromZod, type VendorEvent } from './events.js';

/** What the lane's registration says, and the time we received the push. */
export interface PushContext {
  /** ISO 8601: when the transport received it. The id of a message without a vendor id, and a fallback `ts`. */
  receivedAt: string;
  /** The lane's direction (registration). The camera's own `direction` is image motion and never used for this. */
  direction?: Direction;
  /** Minutes east of UTC of the camera's wall clock (`dec*` fields). China: 480. */
  utcOffsetMinutes?: number;
}

export type Motion = 'unknown' | 'left' | 'right' | 'up' | 'down';

export interface PlateImage {
  /** `full` = the scene (`imageFile`), `plate` = the plate crop (`imageFragmentFile`). */
  role: 'full' | 'plate';
  bytes: Uint8Array;
}

export interface DecodedPlate {
  kind: 'plate';
  serialNo: string;
  plateId?: number;
  /** `isoffline: 1`: a backlog record pushed after an outage; it must be answered with `ContinuePushOffline`. */
  offline: boolean;
  /** As read ("" when the camera found none). */
  plate: string;
  /** plate.read for a live read; gate.manual when the camera's own whitelist opened the arm. */
  events: VendorEvent[];
  /** Inline images, to be stored by the transport and referred to; never inside a contract message. */
  images: PlateImage[];
  /** A path on the camera's web server (§4.8), for a transport that knows the camera's address and port. */
  cameraImagePath?: string;
  extras: {
    colorCode?: number;
    plateType?: number;
    newEnergy: boolean;
    fakePlate: boolean;
    triggerType?: number;
    motion: Motion;
    openedBy?: 'server' | 'offline-whitelist';
  };
  warnings: string[];
}

/** §3.3 车牌颜色 → contract colours. 6 (yellow-green, large new-energy vehicles) has no contract colour; green says new-energy. */
const COLORS: Record<number, z.infer<typeof PlateColorSchema>> = { 0: 'unknown', 1: 'blue', 2: 'yellow', 3: 'white', 4: 'black', 5: 'green', 6: 'green' };
const MOTIONS: Motion[] = ['unknown', 'left', 'right', 'up', 'down'];
/** §3.2 车牌类型 19 新能源, 20 大型新能源, 24 新标准新能源. */
const NEW_ENERGY_TYPES = new Set([19, 20, 24]);
/** §3.1: 65 车滞留恢复 and 66 车折返 report a car leaving the lane, not a plate to decide on. */
const NOT_A_READ_TRIGGERS = new Set([65, 66]);
/** The longest inline image taken (a 1080p JPEG is ~0.5 MB). */
export const MAX_IMAGE_BYTES = 3 * 1024 * 1024;
const NO_PLATE = '_无_';
const PR = 'AlarmInfoPlate.result.PlateResult';

/**
 * `AlarmInfoPlate` → contract events. `licenseEncoding: 'base64'` for the MQTT
 * `ivs_result` payload, whose license is base64 UTF-8.
 */
export function decodeAlarmInfoPlate(
  json: unknown,
  ctx: PushContext,
  licenseEncoding: 'text' | 'base64' = 'text',
): DecodedPlate | VendorRejection {
  const parsed = AlarmInfoPlate.safeParse(json);
  if (!parsed.success) return deadLetterFromZod(parsed.error, 'AlarmInfoPlate');
  const a = parsed.data;
  const r = a.result.PlateResult;
  if (r.is_encrypted === 1) return reject('schema', `${PR}.is_encrypted`, 'encrypted plate results cannot be read; switch encryption off on the camera');
  const plate = readLicense(r.license, licenseEncoding);
  if (typeof plate !== 'string') return plate;
  const warnings: string[] = [];
  const time = readTime(r, ctx, warnings);
  const plateId = r.plateid === undefined ? undefined : Number(r.plateid);
  const id = messageId(a.serialno, plateId, time.sec, ctx.receivedAt);
  const offline = r.isoffline === 1 || r.isoffline === true;
  const extras = readExtras(r);
  const { imageRef, cameraImagePath } = imageReference(r, warnings);
  const events = plateEvents({ id, ts: time.ts, plate, r, extras, offline, imageRef, direction: ctx.direction }, warnings);
  if (!Array.isArray(events)) return events;
  const images = readImages(r, warnings);
  return { kind: 'plate', serialNo: a.serialno, plateId, offline, plate, events, images, cameraImagePath, extras, warnings };
}

function readExtras(r: PlateResult): DecodedPlate['extras'] {
  const ctrl = (r.gioouts ?? []).map((g) => g.ctrltype);
  const colorCode = r.colorType ?? r.plates?.[0]?.color;
  return {
    colorCode,
    plateType: r.type,
    newEnergy: (r.type !== undefined && NEW_ENERGY_TYPES.has(r.type)) || colorCode === 5 || colorCode === 6,
    fakePlate: r.is_fake_plate === 1,
    triggerType: r.triggerType,
    motion: MOTIONS[r.direction ?? 0] ?? 'unknown',
    openedBy: ctrl.includes(2) ? 'offline-whitelist' : ctrl.includes(1) ? 'server' : undefined,
  };
}

interface EventInput {
  id: string;
  ts: string;
  plate: string;
  r: PlateResult;
  extras: DecodedPlate['extras'];
  offline: boolean;
  imageRef?: string;
  direction?: Direction;
}

/** A live read is a plate.read; a whitelist open (live or backlog) is also a gate.manual; a backlog read alone is nothing. */
function plateEvents(e: EventInput, warnings: string[]): VendorEvent[] | VendorRejection {
  const events: VendorEvent[] = [];
  const { r, extras } = e;
  if (e.offline) {
    warnings.push(extras.openedBy === 'offline-whitelist' ? 'offline record: the camera opened by its whitelist' : 'offline record: the camera did not open; kept for support, no event');
  } else if (r.triggerType !== undefined && NOT_A_READ_TRIGGERS.has(r.triggerType)) {
    warnings.push(`triggerType ${r.triggerType} reports a car leaving the lane, not a read: no plate.read`);
  } else {
    const read: z.input<typeof PlateRead> = {
      id: e.id,
      ts: e.ts,
      type: 'plate.read',
      plate: e.plate,
      color: COLORS[extras.colorCode ?? 0] ?? 'unknown',
      confidence: r.confidence / 100,
      ...(e.imageRef ? { imageRef: e.imageRef } : {}),
    };
    const ok = PlateRead.safeParse(read);
    if (!ok.success) return deadLetterFromZod(ok.error, 'plate.read');
    events.push({ kind: 'camera', message: ok.data });
  }
  if (extras.openedBy === 'offline-whitelist') {
    const manual = GateManual.safeParse({
      id: `${e.id}.wl`,
      ts: e.ts,
      type: 'gate.manual',
      action: 'open',
      source: 'offline-whitelist',
      ...(e.plate ? { plate: e.plate } : {}),
      ...(e.direction ? { direction: e.direction } : {}),
    });
    if (!manual.success) return deadLetterFromZod(manual.error, 'gate.manual');
    events.push({ kind: 'gate', message: manual.data });
  }
  return events;
}

function readLicense(license: string, encoding: 'text' | 'base64'): string | VendorRejection {
  let text = license;
  if (encoding === 'base64') {
    const bytes = base64Strict(license, `${PR}.license`, 256);
    if (!(bytes instanceof Uint8Array)) return bytes;
    const decoded = utf8Strict(bytes, `${PR}.license`);
    if (typeof decoded !== 'string') return decoded;
    text = decoded;
  }
  if (text === NO_PLATE) return '';
  if ([...text].length > 10) return reject('schema', `${PR}.license`, `"${text.slice(0, 16)}" is longer than a plate (10 characters)`);
  return text;
}

/**
 * The contract id: serialno.plateid.sec. `plateid` is the vendor's record id
 * (duplicates of a backlog record carry the same one, §2.1.2 note); the capture
 * second is added because nothing in the documents says plateid never restarts,
 * and the gateway ignores a repeated id forever.
 */
function messageId(serialNo: string, plateId: number | undefined, sec: number | undefined, receivedAt: string): string {
  if (plateId !== undefined) return sec !== undefined ? `${serialNo}.${plateId}.${sec}` : `${serialNo}.${plateId}`;
  if (sec !== undefined) return `${serialNo}.t${sec}`;
  return `${serialNo}.r${Date.parse(receivedAt)}`;
}

function readTime(r: PlateResult, ctx: PushContext, warnings: string[]): { ts: string; sec?: number } {
  const tv = r.timeStamp?.Timeval;
  if (!tv?.sec) {
    warnings.push('timeStamp.Timeval.sec missing: ts is the time of receipt');
    return { ts: ctx.receivedAt };
  }
  const ms = tv.sec * 1000 + Math.floor((tv.usec ?? 0) / 1000);
  const { decyear: y, decmon: mo, decday: d, dechour: h, decmin: mi, decsec: s } = tv;
  if ([y, mo, d, h, mi, s].every((v) => v !== undefined)) {
    const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - (ctx.utcOffsetMinutes ?? 480) * 60_000;
    const apart = Math.abs(wall - tv.sec * 1000) / 1000;
    if (apart > 300) warnings.push(`timeStamp: sec and the dec* fields disagree by ${Math.round(apart)} s; sec is used`);
  }
  return { ts: new Date(ms).toISOString(), sec: tv.sec };
}

function imageReference(r: PlateResult, warnings: string[]): { imageRef?: string; cameraImagePath?: string } {
  for (const path of [r.imageAbsolutePath, r.imagePath]) {
    if (path && /^https?:\/\//i.test(path)) {
      if (path.length <= 512) return { imageRef: path };
      warnings.push('image URL longer than 512 characters: not referenced');
    }
  }
  return r.imagePath ? { cameraImagePath: r.imagePath } : {};
}

function readImages(r: PlateResult, warnings: string[]): PlateImage[] {
  const images: PlateImage[] = [];
  const take = (role: PlateImage['role'], field: string, b64: string | undefined, declared: number | undefined) => {
    if (!b64) return;
    const bytes = base64Strict(b64, `${PR}.${field}`, MAX_IMAGE_BYTES);
    if (!(bytes instanceof Uint8Array)) return void warnings.push(`${bytes.message} (image dropped)`);
    if (declared && declared !== bytes.length) warnings.push(`${PR}.${field}: ${bytes.length} bytes, the camera declared ${declared}`);
    images.push({ role, bytes });
  };
  take('full', 'imageFile', r.imageFile || r.full_image_content, r.imageFileLen);
  take('plate', 'imageFragmentFile', r.imageFragmentFile || r.small_image_content, r.imageFragmentFileLen);
  return images;
}
