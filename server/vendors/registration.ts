import { z } from 'zod';
import type { DeviceKind } from '../../devices/index.js';
import { BoardProfile } from '../../devices/vendors/led485/schemas.js';
import { SerialNo as VzenithSerialNo } from '../../devices/vendors/vzenith/schemas.js';
import { TopicLayout } from '../../devices/vendors/vzenith/mqtt.js';
import { DEFAULT_FAULT_SOURCE, Eid, FaultSource } from '../../devices/vendors/elevatorbox/index.js';

/**
 * What `POST /api/estates/{e}/devices` takes beyond the kind's own fields, for a
 * device bought from a vendor rather than built to the contract (issue 12). Pure:
 * the route validates with it, the store keeps the result, `connect.ts` words
 * what the committee types into the device.
 */

export const VENDORS = ['linli', 'vzenith', 'hikvision', 'juy', 'elevatorcloud'] as const;
export const Vendor = z.enum(VENDORS);
export type Vendor = z.infer<typeof Vendor>;
export const VendorTransport = z.enum(['http', 'mqtt', 'tcp']);
export type VendorTransport = z.infer<typeof VendorTransport>;

/** How a 臻识 camera is set up on its web page, and what Linli does for it; every field has a default. */
export const VzenithSettings = z.strictObject({
  /**
   * 设备注册 on the camera's page: `comet` (comet 轮询, the camera polls and acts on our
   * answer, so a guard's manual open reaches it within a poll) or `plain` (普通心跳: the
   * camera ignores our answer to a heartbeat, so commands ride only in answers to its pushes).
   */
  heartbeat: z.enum(['comet', 'plain']).default('comet'),
  /** Seconds between heartbeats (5 with the camera's 脱机检查 on, 30 without): silent for three, it is offline. */
  heartbeatS: z.number().int().min(1).max(300).default(30),
  /** How long the answer to a plate push waits for the rules' command (they take a few ms). */
  replyWaitMs: z.number().int().min(0).max(3000).default(1500),
  /** How long a comet poll is held open when nothing is queued (the camera sends the next one as soon as it has an answer). */
  cometHoldMs: z.number().int().min(0).max(20_000).default(1000),
  /** How `open` lifts the arm: `info: "ok"` (the output set on the camera's page) or a pulse on one output. */
  open: z
    .discriminatedUnion('via', [z.strictObject({ via: z.literal('info') }), z.strictObject({ via: z.literal('ioctrl'), io: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]), pulseMs: z.number().int().min(100).max(10_000).default(500) })])
    .default({ via: 'info' }),
  /** Who speaks: the RS-485 LED/voice board, or the camera's own speaker. */
  voice: z.discriminatedUnion('via', [z.strictObject({ via: z.literal('board') }), z.strictObject({ via: z.literal('camera'), volume: z.number().int().min(1).max(100).optional(), female: z.boolean().optional() })]).default({ via: 'board' }),
  /** The LED board behind the camera: its address and line limits. */
  board: BoardProfile.optional(),
  /**
   * Over MQTT: the camera's topic layout, by firmware — `device/{sn}/message/up/…` (default),
   * `{sn}/device/message/up/…` or `$/device/{sn}/message/up/…`. Unused over HTTP.
   */
  topics: TopicLayout.default('device/{sn}'),
});
export type VzenithSettings = z.infer<typeof VzenithSettings>;

/** An elevator monitoring box (elevatorcloud-style TCP frames): how its frames are read; every field has a default. */
export const ElevatorboxSettings = z.strictObject({
  /**
   * Whose fault numbering the box's `fault` array uses (devices/vendors/elevatorbox/fault-tables.ts):
   * the same number means different faults per source, so only the registration can say.
   */
  faultSource: FaultSource.default(DEFAULT_FAULT_SOURCE),
  /** The `inposition` value that means "level with a landing": 1 in the protocol document; 0 on firmware that sends its raw sensor flag. */
  flatValue: z.union([z.literal(0), z.literal(1)]).default(1),
  /** Telemetry is kept when the car's state changes, else at most this often (the box sends about twice a second). */
  telemetryEveryS: z.number().int().min(1).max(600).default(10),
  /** Heard from nothing for this long (no info, cping or ping), the box is offline and its connection closed. */
  silenceS: z.number().int().min(10).max(3600).default(90),
});
export type ElevatorboxSettings = z.infer<typeof ElevatorboxSettings>;

/** How a Hikvision ISAPI camera is called and heard (`vendorSettings`); every field has a default or may be left out. */
export const HikvisionSettings = z.strictObject({
  /** Seconds between the listening host's heartbeats (set on the camera): silent for three, the camera and its gate are offline. */
  heartbeatS: z.number().int().min(5).max(3600).default(30),
  /** The video channel this lane is (an NVR forwarding several cameras): pushes of other channels are ignored, ISAPI calls go to it. Unset: any channel is read, calls go to 1. */
  channel: z.number().int().min(1).max(255).optional(),
  /** `lcd`: the camera drives a screen (platform-control mode); `none`: it has none, display text is not sent. */
  display: z.enum(['lcd', 'none']).default('lcd'),
  /** Text-to-speech volume 1–10; the camera's own setting when unset. */
  volume: z.number().int().min(1).max(10).optional(),
  /** How long the arm has to read 开到位 after an accepted open before the command is reported failed. */
  confirmWithinMs: z.number().int().min(500).max(8000).default(4000),
});
export type HikvisionSettings = z.infer<typeof HikvisionSettings>;

/** An id a device gives itself (Hikvision serial or MAC, elevator `eid`). */
const DeviceSerial = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1–64 of A-Z a-z 0-9 _ . : - (the serial the device reports)');
const Imei = z.string().regex(/^\d{15}$/, 'must be the controller’s IMEI, 15 digits');

interface VendorRule {
  /** The kinds a device of this vendor can be registered as. */
  kinds: readonly DeviceKind[];
  /** The transports it speaks; the first is the default. */
  transports: readonly VendorTransport[];
  /** What `serialNo` must look like (required when set). */
  serial?: z.ZodType<string>;
  serialHint: string;
  settings?: z.ZodType<Record<string, unknown>>;
  /** Needs an address and a login we use to call it (Hikvision ISAPI). */
  calledByUs?: boolean;
}

export const VENDOR_RULES: Record<Vendor, VendorRule> = {
  linli: { kinds: ['camera', 'gate', 'charger', 'elevator'], transports: ['mqtt'], serialHint: '' },
  vzenith: { kinds: ['camera'], transports: ['http', 'mqtt'], serial: VzenithSerialNo, serialHint: '相机的 serialno（相机网页“设备信息”里的序列号，如 fe71e106-57263272）', settings: VzenithSettings },
  hikvision: { kinds: ['camera'], transports: ['http'], serial: DeviceSerial, serialHint: '相机序列号或 MAC 地址', settings: HikvisionSettings, calledByUs: true },
  juy: { kinds: ['charger'], transports: ['tcp', 'mqtt'], serial: Imei, serialHint: '控制器的 IMEI（15 位数字）' },
  elevatorcloud: { kinds: ['elevator'], transports: ['tcp'], serial: Eid, serialHint: '监测盒登录用的 eid（如 mx12345678，1–32 位字母、数字、_ . -）', settings: ElevatorboxSettings },
};

/** The registration fields this module reads; everything else in the body is the kind's own. */
export const VENDOR_FIELDS = ['vendor', 'serialNo', 'transport', 'address', 'username', 'password', 'vendorSettings'] as const;

export const VendorFields = z.object({
  vendor: Vendor.default('linli'),
  serialNo: z.string().min(1).max(64).optional(),
  transport: VendorTransport.optional(),
  /** Hikvision: where we call the camera (ISAPI), `192.168.1.64`, `192.168.1.64:8080` or an http(s) URL. */
  address: z.string().min(1).max(255).optional(),
  username: z.string().min(1).max(64).optional(),
  /** Hikvision ISAPI password: stored as a secret, never answered, never logged. */
  password: z.string().min(1).max(128).optional(),
  vendorSettings: z.record(z.string(), z.unknown()).optional(),
});
export type VendorFields = z.input<typeof VendorFields>;

export interface VendorChoice {
  vendor: Vendor;
  transport: VendorTransport;
  serialNo: string | null;
  settings: Record<string, unknown>;
  /** Hikvision: how we call the camera. The password travels separately and is never part of `settings`. */
  call?: { address: string; username: string };
  secret?: string;
}

export type VendorCheck = { ok: true; choice: VendorChoice } | { ok: false; field: string; message: string };

const fail = (field: string, message: string): VendorCheck => ({ ok: false, field: `body.${field}`, message: `body.${field}: ${message}` });

/** `192.168.1.64`, `cam.local:8080`, `http://192.168.1.64:80/` → a URL with http(s) and a host, or undefined. */
export function callAddress(address: string): string | undefined {
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(address) ? address : `http://${address}`);
    if (!['http:', 'https:'].includes(url.protocol) || !url.hostname || url.username || url.password) return undefined;
    return `${url.protocol}//${url.host}`;
  } catch {
    return undefined;
  }
}

/** Checks the vendor fields of a registration against its kind; the message names the field. */
export function checkVendorFields(kind: DeviceKind, body: Record<string, unknown>): VendorCheck {
  const parsed = VendorFields.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(issue.path.join('.'), issue.message);
  }
  const f = parsed.data;
  const rule = VENDOR_RULES[f.vendor];
  if (!rule.kinds.includes(kind)) return fail('vendor', `a ${f.vendor} device is registered as ${rule.kinds.join(' or ')}, not as a ${kind}`);
  const transport = f.transport ?? rule.transports[0]!;
  if (!rule.transports.includes(transport)) return fail('transport', `a ${f.vendor} ${kind} speaks ${rule.transports.join(' or ')}, not ${transport}`);
  let serialNo: string | null = null;
  if (rule.serial) {
    if (f.serialNo === undefined) return fail('serialNo', `required for a ${f.vendor} device: ${rule.serialHint}`);
    const s = rule.serial.safeParse(f.serialNo);
    if (!s.success) return fail('serialNo', s.error.issues[0]!.message);
    serialNo = s.data;
  } else if (f.serialNo !== undefined) serialNo = f.serialNo;
  let settings: Record<string, unknown> = {};
  if (rule.settings) {
    const s = rule.settings.safeParse(f.vendorSettings ?? {});
    if (!s.success) {
      const issue = s.error.issues[0]!;
      return fail(['vendorSettings', ...issue.path.map(String)].join('.'), issue.message);
    }
    settings = s.data;
  } else if (f.vendorSettings !== undefined && Object.keys(f.vendorSettings).length > 0) return fail('vendorSettings', `a ${f.vendor} device takes none`);
  if (rule.calledByUs) {
    if (f.address === undefined) return fail('address', `required for a ${f.vendor} camera: its address on the estate's network, e.g. 192.168.1.64`);
    const address = callAddress(f.address);
    if (!address) return fail('address', 'must be a host or host:port, or an http(s) URL without a login in it');
    if (f.username === undefined) return fail('username', `required for a ${f.vendor} camera: the login Linli uses to call it`);
    if (f.password === undefined) return fail('password', `required for a ${f.vendor} camera: the password of that login (kept as a secret, never shown again)`);
    return { ok: true, choice: { vendor: f.vendor, transport, serialNo, settings, call: { address, username: f.username }, secret: f.password } };
  }
  for (const field of ['address', 'username', 'password'] as const) {
    if (f[field] !== undefined) return fail(field, `only a camera Linli calls (hikvision) takes one; a ${f.vendor} device does not`);
  }
  return { ok: true, choice: { vendor: f.vendor, transport, serialNo, settings } };
}

/** The body without the vendor fields: what the kind's own registration schema reads. */
export function withoutVendorFields(body: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...body };
  for (const k of VENDOR_FIELDS) delete rest[k];
  return rest;
}

/** Whether the device pushes to a URL of ours (and so gets a push token). */
export const pushesHttp = (c: Pick<VendorChoice, 'vendor' | 'transport'>) => c.transport === 'http' && (c.vendor === 'vzenith' || c.vendor === 'hikvision');

/** A camera whose relay and RS-485 port drive its lane's arm and LED board: it serves its `gateId`. */
export const drivesItsGate = (c: Pick<VendorChoice, 'vendor' | 'transport'>, kind: DeviceKind) => kind === 'camera' && c.vendor !== 'linli';
