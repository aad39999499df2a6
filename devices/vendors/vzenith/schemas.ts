import { z } from 'zod';

/**
 * 臻识 Vzenith HTTP push, as the vendor's "HTTP 推送" protocol (§2.1–2.6, code
 * tables §3) and the fixtures show it. Objects are loose: firmware adds fields
 * (R5 `car_brand`, MQTT `oss_type`…) and a field we do not read must not turn a
 * plate into a dead letter. Only what the codec reads is typed.
 */

const int = z.number().int();

/** `serialno`, e.g. "fe71e106-57263272". Bounded so that serialno.plateid.sec stays a contract id (≤ 64). */
export const SerialNo = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/, 'must be 1–32 of A-Z a-z 0-9 _ . - (a camera serial)');

export const Timeval = z.looseObject({
  /** Epoch seconds. */
  sec: int.min(0).optional(),
  /** Microseconds (the vendor's comment says milliseconds; the samples hold 687772). */
  usec: int.min(0).max(999_999).optional(),
  decyear: int.optional(),
  decmon: int.optional(),
  decday: int.optional(),
  dechour: int.optional(),
  decmin: int.optional(),
  decsec: int.optional(),
});

/** §3.7 开闸类型: 0 not opened, 1 opened by the server, 2 opened by the camera's offline whitelist. */
export const GioOut = z.looseObject({
  ctrltype: int.optional(),
  /** A string in the R5 sample ("0"), a number in the offline-record sample (1). */
  ionum: z.union([z.string().max(4), int]).optional(),
});

const Base64Field = z.string();

export const PlateResult = z.looseObject({
  /** "_无_" when no plate was found; base64 (UTF-8) in MQTT `ivs_result`. */
  license: z.string().max(256),
  /** §3.3 车牌颜色. */
  colorType: int.optional(),
  /** 1–100 (0 in the no-plate sample). */
  confidence: z.number().min(0).max(100),
  /** §3.5 运动方向: the plate's motion in the image, not the lane's in/out. */
  direction: int.optional(),
  plateid: z.union([int.min(0), z.string().regex(/^\d{1,12}$/)]).optional(),
  isoffline: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
  gioouts: z.array(GioOut).max(16).optional(),
  timeStamp: z.looseObject({ Timeval }).optional(),
  /** §3.2 车牌类型. */
  type: int.optional(),
  /** §3.1 触发类型. */
  triggerType: int.optional(),
  is_fake_plate: int.optional(),
  /** MQTT firmware: 1 means the plate fields are encrypted, which we cannot read. */
  is_encrypted: int.optional(),
  imageFile: Base64Field.optional(),
  imageFileLen: int.optional(),
  imageFragmentFile: Base64Field.optional(),
  imageFragmentFileLen: int.optional(),
  full_image_content: Base64Field.optional(),
  small_image_content: Base64Field.optional(),
  /** A path on the camera's own web server (§4.8), or an object-store key on cloud firmware. */
  imagePath: z.string().max(1024).optional(),
  imageAbsolutePath: z.string().max(1024).optional(),
  plates: z.array(z.looseObject({ color: int.optional(), license: z.string().max(256).optional(), type: int.optional() })).max(16).optional(),
});
export type PlateResult = z.infer<typeof PlateResult>;

export const AlarmInfoPlate = z.looseObject({
  serialno: SerialNo,
  deviceName: z.string().max(128).optional(),
  ipaddr: z.string().max(64).optional(),
  result: z.looseObject({ PlateResult }),
});
export type AlarmInfoPlate = z.infer<typeof AlarmInfoPlate>;

/** §2.2: an IO input changed. `source` 0–3 = IO input 1–4, 4 = TCP trigger; `value` = the input's state then. */
export const AlarmGioIn = z.looseObject({
  serialno: SerialNo,
  deviceName: z.string().max(128).optional(),
  ipaddr: z.string().max(64).optional(),
  result: z.looseObject({
    TriggerResult: z.looseObject({ source: int.min(0).max(4), value: int.min(0).max(1) }),
  }),
});

/** §2.3: bytes that arrived on the camera's RS-485 port (e.g. the board's replies), base64. */
export const SerialData = z.looseObject({
  serialno: SerialNo,
  serialChannel: int.min(0).max(1),
  data: z.string(),
  dataLen: int.min(0),
});

/** §2.4: a snapshot the server asked for. */
export const TriggerImage = z.looseObject({
  ipaddr: z.string().max(64).optional(),
  TriggerImage: z.looseObject({ imageFile: z.string(), imageFileLen: int.min(0).optional() }),
});

/** A clone's (YM) answer to a command carried in a reply, e.g. `manualTrigger`. */
export const CommandResult = z.looseObject({
  cmd: z.string().max(64),
  state_code: int,
  msgId: z.string().max(128).optional(),
  error_msg: z.string().max(256).optional(),
  serialno: SerialNo.optional(),
});

/** §2.5 heartbeat / comet poll, a form. `user_name` and `pass_wd` are never read into this. */
export const HeartbeatFields = z.strictObject({
  serialno: SerialNo,
  device_name: z.string().max(128).optional(),
  ipaddr: z.string().max(64).optional(),
  port: z.string().regex(/^\d{1,5}$/, 'must be a port number').optional(),
  channel_num: z.string().regex(/^\d{1,3}$/, 'must be a number').optional(),
});

/** §2.6 what a server may answer to a push or a poll (the parts we build or read). */
export const SerialItem = z.looseObject({ serialChannel: int.min(0).max(1), data: z.string(), dataLen: int.min(0) });
export const IoCtrl = z.looseObject({ io: int.min(0).max(3), value: int.min(0).max(2), delay: int.min(0).max(600_000).optional() });
export const VoicePlay = z.looseObject({
  type: z.literal('ps_voice_play'),
  voice: z.string(),
  voice_interval: int.optional(),
  voice_volume: int.min(0).max(100).optional(),
  voice_male: int.min(0).max(1).optional(),
});
export const ResponseBody = z.looseObject({
  info: z.string().max(16).optional(),
  content: z.string().max(1024).optional(),
  is_pay: z.string().max(16).optional(),
  plateid: int.optional(),
  serialData: z.array(SerialItem).max(16).optional(),
  ivs_ioctrl: IoCtrl.optional(),
  playserver_json_request: VoicePlay.optional(),
  ContinuePushOffline: z.looseObject({ plateid: int.min(0), continue: z.union([z.literal(0), z.literal(1)]) }).optional(),
  manualTrigger: z.string().max(16).optional(),
  msgId: z.string().max(128).optional(),
  module: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
  body: z.looseObject({ scene_name: z.string().optional(), custom: z.array(z.string()).max(16).optional(), qrcode_text: z.string().optional() }).optional(),
});
export type ResponseBody = z.infer<typeof ResponseBody>;
