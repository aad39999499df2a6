import { z } from 'zod';
import { parseCommand } from '../../parse.js';
import { base64Strict, utf8Strict } from '../bytes.js';
import { reject, type VendorRejection } from '../result.js';
import { decodeFrame, type DecodedFrame } from '../led485/codec.js';
import { MAX_FRAME_BYTES } from '../led485/frame.js';
import { decodeGioIn, decodeIvsResult, type GioContext } from './codec.js';
import { deadLetterFromZod, forSupport, type VendorEvent } from './events.js';
import { decodeAlarmInfoPlate, type DecodedPlate } from './plate.js';
import { encodeReply, type ReplyOptions } from './reply.js';
import { SerialNo } from './schemas.js';

/**
 * 臻识 Vzenith over MQTT (vzicloud open platform "MQTT" documents; R3/R5 "MQTT 对接协议"):
 * the camera is a client of our broker. Pure: topics, the message envelope, the
 * uplinks it publishes and the downlinks we publish; no I/O, nothing throws.
 *
 *     camera → us   {prefix}/message/up/{name}            ivs_result, keep_alive, gpio_in, serial_data, offline_record, barr_gate_status
 *     us → camera   {prefix}/message/down/{name}          gpio_out, serial_data, white_list_operator, …
 *     camera → us   {prefix}/message/down/{name}/reply    {code: 200, id: <the down message's id>}
 *
 * `{prefix}` is `device/{sn}`, `{sn}/device` or `$/device/{sn}` by firmware: a
 * per-camera setting at registration.
 */

export const TOPIC_LAYOUTS = ['device/{sn}', '{sn}/device', '$/device/{sn}'] as const;
export const TopicLayout = z.enum(TOPIC_LAYOUTS);
export type TopicLayout = z.infer<typeof TopicLayout>;

export const UP_NAMES = ['ivs_result', 'keep_alive', 'gpio_in', 'serial_data', 'offline_record', 'barr_gate_status'] as const;
export type UpName = (typeof UP_NAMES)[number];

/** The camera's topic prefix: its sn in the firmware's layout. */
export function topicPrefix(layout: TopicLayout, sn: string): string {
  return layout.replace('{sn}', sn);
}

export const downTopic = (layout: TopicLayout, sn: string, name: string) => `${topicPrefix(layout, sn)}/message/down/${name}`;
export const upTopic = (layout: TopicLayout, sn: string, name: string) => `${topicPrefix(layout, sn)}/message/up/${name}`;

export type VzenithTopic = { ok: true; way: 'up'; name: string } | { ok: true; way: 'reply'; name: string };

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * What a publish of the camera `sn` on `topic` is: an uplink or a reply to one of our
 * downlinks, inside its own prefix; anything else (another sn, a down topic, a wildcard,
 * another layout) is refused with the reason.
 */
export function parseVzenithTopic(layout: TopicLayout, sn: string, topic: string): VzenithTopic | VendorRejection {
  const prefix = topicPrefix(layout, sn) + '/message/';
  if (!topic.startsWith(prefix)) return reject('unknown-message', 'topic', `not under ${prefix}`);
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length === 2 && rest[0] === 'up' && NAME.test(rest[1]!)) return { ok: true, way: 'up', name: rest[1]! };
  if (rest.length === 3 && rest[0] === 'down' && rest[2] === 'reply' && NAME.test(rest[1]!)) return { ok: true, way: 'reply', name: rest[1]! };
  return reject('unknown-message', 'topic', `${prefix}up/{name} or ${prefix}down/{name}/reply expected`);
}

/** A subscription the camera `sn` may hold: its own down topics only (a wildcard after `message/down/` is fine). */
export function mayVzenithSubscribe(layout: TopicLayout, sn: string, filter: string): boolean {
  const down = topicPrefix(layout, sn) + '/message/down/';
  if (!filter.startsWith(down)) return false;
  const tail = filter.slice(down.length);
  return tail === '#' || tail === '+' || /^[a-z][a-z0-9_]{0,39}$/.test(tail);
}

/** The envelope every message has (`id`, `sn`, `name`, `version`, `timestamp`, `payload`); a reply has `code`. */
export const Envelope = z.looseObject({
  id: z.string().max(128).optional(),
  sn: SerialNo.optional(),
  name: z.string().max(40).optional(),
  version: z.string().max(16).optional(),
  timestamp: z.number().optional(),
  bv: z.number().optional(),
  code: z.number().int().optional(),
  payload: z.unknown().optional(),
});

/** The longest MQTT message read: an ivs_result with both images inline is about 1 MB. */
export const MAX_MQTT_BYTES = 4 * 1024 * 1024;

export type DecodedMqtt =
  | { kind: 'plate'; name: 'ivs_result' | 'offline_record'; plate: DecodedPlate; warnings: string[] }
  | { kind: 'keep-alive'; warnings: string[] }
  | { kind: 'gio-in'; source: number; value: number; events: VendorEvent[]; warnings: string[] }
  | { kind: 'serial'; serialChannel: number; bytes: Uint8Array; board: DecodedFrame | VendorRejection; warnings: string[] }
  | { kind: 'gate-status'; status: unknown; warnings: string[] }
  /** offline_record as a count of records waiting (the vzicloud 订阅离线数据数量 shape), not a record. */
  | { kind: 'offline-count'; count?: number; warnings: string[] }
  | { kind: 'reply'; name: string; id: string; code: number; warnings: string[] }
  | { kind: 'other'; name: string; warnings: string[] };

export type MqttResult = { ok: true; message: DecodedMqtt; events: VendorEvent[]; raw: unknown } | VendorRejection;

/** The body of a `{type, body}` payload, or the payload itself. */
function bodyOf(payload: unknown): Record<string, unknown> | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const b = p.body;
  return b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : p;
}

const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : undefined);

/**
 * A publish of the camera `sn` on its topic → what it says. `topic` is what
 * `parseVzenithTopic` made of the topic; `ctx` what registration knows (the lane's
 * direction, the loop detector's input).
 */
export function decodeMqtt(topic: VzenithTopic, sn: string, bytes: Uint8Array, ctx: GioContext): MqttResult {
  if (bytes.length > MAX_MQTT_BYTES) return reject('too-large', '', `${bytes.length} bytes is over the ${MAX_MQTT_BYTES}-byte limit`);
  const text = utf8Strict(bytes, '');
  if (typeof text !== 'string') return text;
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return reject('not-json', '', `not JSON (${(err as Error).message.slice(0, 80)})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return reject('not-object', '', 'must be one JSON object');
  const env = Envelope.safeParse(json);
  if (!env.success) return deadLetterFromZod(env.error, '');
  const e = env.data;
  const warnings: string[] = [];
  if (e.sn !== undefined && e.sn !== sn) return reject('schema', 'sn', `${e.sn} is not the camera of this topic (${sn})`);
  if (e.name !== undefined && e.name !== topic.name) warnings.push(`name ${e.name.slice(0, 40)} differs from the topic's ${topic.name}`);
  const raw = forSupport(json);
  const ok = (message: DecodedMqtt, events: VendorEvent[] = []): MqttResult => ({ ok: true, message, events, raw });

  if (topic.way === 'reply') {
    if (e.id === undefined) return reject('schema', 'id', 'a reply names the message it answers');
    if (e.code === undefined) return reject('schema', 'code', 'required in a reply');
    return ok({ kind: 'reply', name: topic.name, id: e.id, code: e.code, warnings });
  }
  const body = bodyOf(e.payload);
  switch (topic.name) {
    case 'ivs_result': {
      const p = decodeIvsResult(json, ctx);
      if ('ok' in p) return p;
      if (p.serialNo !== sn) warnings.push(`AlarmInfoPlate.serialno ${p.serialNo} differs from the topic's sn ${sn}`);
      return ok({ kind: 'plate', name: 'ivs_result', plate: p, warnings: [...warnings, ...p.warnings] }, p.events);
    }
    case 'offline_record': {
      // A backlog record (AlarmInfoPlate with isoffline) becomes what the camera did (gate.manual); a count is only logged.
      const a = (e.payload as { AlarmInfoPlate?: unknown } | undefined)?.AlarmInfoPlate;
      if (a !== undefined) {
        const p = decodeAlarmInfoPlate(a, ctx, 'base64');
        if ('ok' in p) return p;
        if (!p.offline) {
          // Sent on offline_record, it is a backlog record whatever its flag says: never a live read that opens now.
          const manual = p.events.filter((ev) => ev.kind === 'gate');
          return ok({ kind: 'plate', name: 'offline_record', plate: { ...p, offline: true, events: manual }, warnings: [...warnings, 'offline_record without isoffline: read as a backlog record'] }, manual);
        }
        return ok({ kind: 'plate', name: 'offline_record', plate: p, warnings: [...warnings, ...p.warnings] }, p.events);
      }
      const count = int(body?.count ?? body?.offline_count ?? body?.num);
      return ok({ kind: 'offline-count', ...(count !== undefined ? { count } : {}), warnings });
    }
    case 'keep_alive':
      return ok({ kind: 'keep-alive', warnings });
    case 'gpio_in': {
      const source = int(body?.source ?? body?.io);
      const value = int(body?.value);
      if (source === undefined) return reject('schema', 'payload.body.source', 'required: the IO input (0–3)');
      if (value === undefined) return reject('schema', 'payload.body.value', 'required: the input state (0 or 1)');
      const g = decodeGioIn({ serialno: sn, result: { TriggerResult: { source, value } } }, ctx);
      if ('ok' in g) return { ...g, field: `payload.body.${g.field.replace(/^AlarmGioIn\.(result\.TriggerResult\.)?/, '')}`, message: g.message };
      if (g.kind !== 'gio-in') return reject('schema', 'payload', 'not an IO input');
      return ok({ kind: 'gio-in', source, value, events: g.events, warnings: [...warnings, ...g.warnings] }, g.events);
    }
    case 'serial_data': {
      const data = body?.data;
      if (typeof data !== 'string') return reject('schema', 'payload.body.data', 'required: the bytes in base64');
      const b = base64Strict(data, 'payload.body.data', 4096);
      if (!(b instanceof Uint8Array)) return b;
      const len = int(body?.dataLen);
      if (len !== undefined && len !== b.length) return reject('bad-length', 'payload.body.dataLen', `says ${len} bytes, data holds ${b.length}`);
      const board = b.length <= MAX_FRAME_BYTES ? decodeFrame(b, 'board') : reject('too-large', 'payload.body.data', 'longer than a board frame');
      return ok({ kind: 'serial', serialChannel: int(body?.serialChannel) ?? 0, bytes: b, board: board.ok ? board.frame : board, warnings });
    }
    case 'barr_gate_status':
      return ok({ kind: 'gate-status', status: body ?? null, warnings });
    default:
      return ok({ kind: 'other', name: topic.name, warnings: [...warnings, `${topic.name}: not read by Linli`] });
  }
}

/** One message we publish on the camera's down topic. */
export interface DownMessage {
  name: string;
  topic: string;
  id: string;
  body: Record<string, unknown>;
  /** The bytes to publish (UTF-8 JSON, key order as the vendor's examples). */
  json: string;
}

export interface DownOptions extends ReplyOptions {
  layout: TopicLayout;
  sn: string;
  /** The id the camera echoes in its reply: the message's, unique. */
  id: string;
  /** Epoch seconds. */
  timestamp: number;
}

/** The envelope of a downlink, keys in the order of the vendor's examples (mqtt-gpio_out-open.json). */
export function downMessage(name: string, body: Record<string, unknown>, o: Pick<DownOptions, 'layout' | 'sn' | 'id' | 'timestamp'>): DownMessage {
  const envelope = { id: o.id, sn: o.sn, name, version: '1.0', timestamp: o.timestamp, payload: { type: name, body } };
  return { name, topic: downTopic(o.layout, o.sn, name), id: o.id, body, json: JSON.stringify(envelope) };
}

export type EncodedMqttCommand = { ok: true; messages: DownMessage[]; dropped: { what: 'display' | 'voice'; rejection: VendorRejection }[]; warnings: string[] } | VendorRejection;

/**
 * A contract gate command (`open`, `deny`, `display`) → the downlinks that carry it:
 * `gpio_out` (value 2: a pulse of `delay` ms on output `io`) to lift the arm, and one
 * `serial_data` per RS-485 frame for the LED/voice board (the same frames as in the
 * HTTP answer). Message ids are `{id}` for the first and `{id}.{n}` after.
 * `open.via: 'info'` (HTTP's `info: ok`) has no MQTT twin: it pulses output 0 for 1500 ms.
 */
export function encodeMqttCommand(command: unknown, o: DownOptions): EncodedMqttCommand {
  const parsed = parseCommand('gate', command);
  if (!parsed.ok) return reject(parsed.reason === 'unknown-type' ? 'unknown-command' : 'schema', parsed.field, parsed.message.replace(/^[^:]*: /, ''));
  const reply = encodeReply({ command }, { ...o, voice: o.voice?.via === 'camera' ? { via: 'board' } : o.voice });
  if (!reply.ok) return reply;
  const r = (reply.body as { Response_AlarmInfoPlate?: Record<string, unknown> }).Response_AlarmInfoPlate ?? {};
  const warnings = [...reply.warnings];
  if (o.voice?.via === 'camera') warnings.push('voice on the camera’s own speaker is not sent over MQTT: the board speaks it');
  const messages: DownMessage[] = [];
  const next = () => (messages.length === 0 ? o.id : `${o.id}.${messages.length}`);
  const cmd = parsed.message as { type: string };
  if (cmd.type === 'open') {
    const open = o.open ?? { via: 'info' };
    const gpio = open.via === 'ioctrl' ? { delay: open.pulseMs, io: open.io, value: 2 } : { delay: 1500, io: 0, value: 2 };
    messages.push(downMessage('gpio_out', gpio, { ...o, id: next() }));
  }
  for (const s of (r.serialData as { serialChannel: number; data: string; dataLen: number }[] | undefined) ?? []) {
    messages.push(downMessage('serial_data', { serialChannel: s.serialChannel, data: s.data, dataLen: s.dataLen }, { ...o, id: next() }));
  }
  return { ok: true, messages, dropped: reply.dropped, warnings };
}

/** `white_list_operator` `delete` of one plate (mqtt-white_list_operator-delete.json). */
export function encodeWhitelistDelete(plate: string, o: Pick<DownOptions, 'layout' | 'sn' | 'id' | 'timestamp'>): DownMessage {
  return downMessage('white_list_operator', { operator_type: 'delete', plate }, o);
}
