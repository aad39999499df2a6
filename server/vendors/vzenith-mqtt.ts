import type { Logger } from 'pino';
import type { DeviceSession, Gateway } from '../../gateway/index.js';
import type { VendorEvent } from '../../devices/vendors/vzenith/events.js';
import { decodeMqtt, encodeMqttCommand, mayVzenithSubscribe, parseVzenithTopic, type TopicLayout } from '../../devices/vendors/vzenith/mqtt.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorDevice, VendorRepo } from '../store/vendor-repo.js';
import { VzenithSettings } from './registration.js';

/**
 * 臻识 Vzenith over MQTT: the camera is a client of our own broker (client id and user
 * name its Linli id, password its device secret, checked with scrypt by the gateway like a
 * contract device's). It publishes on `{prefix}/message/up/{name}` and reads
 * `{prefix}/message/down/{name}`, `{prefix}` being its sn in its firmware's layout
 * (registration `vendorSettings.topics`). Decoding is `devices/vendors/vzenith/mqtt.ts`;
 * past this file the camera is an ordinary `camera` (plate.read) and the gate it drives an
 * ordinary `gate` (gate.passage, gate.manual), through the gateway's vendor seam.
 *
 * - The gateway's ACL asks `checkPublish` / `checkSubscribe`: a camera stays inside its
 *   own sn; a publish elsewhere is acked, dropped and counted (`refused.publish`), a
 *   subscription elsewhere granted 0x80. Its publishes never reach the contract intake
 *   nor any other client.
 * - A publish is taken (stored, or a dead letter with the codec's reason) before its
 *   PUBACK: a QoS 1 plate read is never lost.
 * - The gate's commands become `gpio_out` (the arm) and `serial_data` (LED/voice board
 *   frames) on the camera's down topics; the camera's `…/reply` with code 200 to the
 *   first of them is the ack ("the camera ran it"; the arm's position is not reported).
 * - The camera is online while connected; the gate it drives with it.
 */

export const TRANSPORT = 'vzenith-mqtt';
const MAX_RAW_CHARS = 16 * 1024;
/** A reply later than this is not matched to its command (the gateway has resent or failed it by then). */
const REPLY_WAIT_MS = 60_000;

export interface VzenithMqttDeps {
  gateway: Gateway;
  vendors: VendorRepo;
  devices: DeviceRepo;
  log: Logger;
  now: () => number;
}

interface Pending {
  device: DeviceSession;
  cmdId: string;
  name: string;
  sentAtMs: number;
  note: string;
}

export function createVzenithMqtt(deps: VzenithMqttDeps) {
  const log = deps.log.child({ module: TRANSPORT });
  /** Our down message id → the command it carries, until the camera replies. */
  const pending = new Map<string, Pending>();
  /** Cameras connected now: the timer that keeps the gates they drive online. */
  const keepers = new Map<string, NodeJS.Timeout>();
  const stats = { publishes: 0, deadLetters: 0, refused: 0, commands: 0, replies: 0 };
  const iso = (ms = deps.now()) => new Date(ms).toISOString();

  function cameraOf(deviceId: string): (VendorDevice & { serialNo: string; layout: TopicLayout; settings: VzenithSettings }) | undefined {
    const v = deps.vendors.get(deviceId);
    if (!v || v.vendor !== 'vzenith' || v.transport !== 'mqtt' || !v.serialNo) return undefined;
    const parsed = VzenithSettings.safeParse(v.settings);
    const settings = parsed.success ? parsed.data : VzenithSettings.parse({});
    return { ...v, serialNo: v.serialNo, layout: settings.topics, settings };
  }

  function ack(device: DeviceSession, cmdId: string, ok: boolean, words: string): void {
    const message = { id: `${cmdId}.${ok ? 'r' : 'x'}`, ts: iso(), type: 'ack', cmdId, ok, ...(ok ? { note: words.slice(0, 200) } : { error: words.slice(0, 200) }) };
    deps.gateway.vendorIntake.submit(TRANSPORT, device.deviceId, 'ack', message).catch((err: Error) => log.warn({ err: err.message, cmdId }, 'ack not stored'));
  }

  function sweep(): void {
    const now = deps.now();
    for (const [id, p] of pending) if (now - p.sentAtMs > REPLY_WAIT_MS) pending.delete(id);
  }

  const unregisterTransport = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload, via) {
      stats.commands++;
      const cmdId = String(payload.cmdId);
      const cam = cameraOf(via);
      if (!cam) return ack(device, cmdId, false, `not deliverable: ${via} is not a 臻识 camera on MQTT`);
      if (!deps.gateway.mqttConnected(via)) return ack(device, cmdId, false, 'not connected: the camera is offline');
      const encoded = encodeMqttCommand(payload, {
        layout: cam.layout,
        sn: cam.serialNo,
        id: cmdId,
        timestamp: Math.floor(deps.now() / 1000),
        now: iso(),
        open: cam.settings.open,
        voice: cam.settings.voice,
        ...(cam.settings.board ? { board: cam.settings.board } : {}),
      });
      if (!encoded.ok) return ack(device, cmdId, false, `${encoded.reason}: ${encoded.message}`);
      if (encoded.messages.length === 0) return ack(device, cmdId, true, 'nothing to send to the camera for this command');
      const dropped = encoded.dropped.map((d) => `${d.what} dropped (${d.rejection.reason})`).join('; ');
      sweep();
      const first = encoded.messages[0]!;
      pending.set(first.id, { device, cmdId, name: first.name, sentAtMs: deps.now(), note: dropped });
      for (const m of encoded.messages) {
        deps.gateway.publishVendor(m.topic, Buffer.from(m.json), (err) => {
          if (err && m === first && pending.delete(first.id)) ack(device, cmdId, false, 'not published on the camera’s topic');
        });
      }
      log.debug({ deviceId: device.deviceId, via, cmdId, messages: encoded.messages.map((m) => m.name) }, 'command published to the camera');
    },
    forget(deviceId) {
      for (const [id, p] of pending) if (p.device.deviceId === deviceId) pending.delete(id);
    },
  });

  const rawOf = (raw: unknown): { vendor: string; raw: string } => {
    const text = JSON.stringify(raw);
    return { vendor: 'vzenith', raw: text.length <= MAX_RAW_CHARS ? text : JSON.stringify({ cut: true, chars: text.length, head: text.slice(0, MAX_RAW_CHARS) }) };
  };

  async function submitEvents(camera: string, gateId: string | undefined, events: VendorEvent[], raw: { vendor: string; raw: string }): Promise<void> {
    for (const e of events) {
      // The camera reads plates; what the arm did belongs to the gate it drives.
      const target = e.kind === 'camera' ? camera : gateId;
      if (!target) {
        log.info({ deviceId: camera, type: e.message.type }, 'camera drives no gate of its own: event not kept');
        continue;
      }
      await deps.gateway.vendorIntake.submit(TRANSPORT, target, 'event', e.message as unknown as Record<string, unknown>, raw);
    }
  }

  async function deadLetter(deviceId: string, why: { reason: string; field: string; message: string }, bytes: Buffer): Promise<void> {
    stats.deadLetters++;
    await deps.gateway.vendorIntake.deadLetter(TRANSPORT, deviceId, why, bytes.subarray(0, 2048), bytes.length);
  }

  const gateOf = (cameraId: string): string | undefined => {
    const lane = deps.devices.info(cameraId)?.props as { gateId?: string } | undefined;
    return lane?.gateId && deps.vendors.carried(cameraId).includes(lane.gateId) ? lane.gateId : undefined;
  };

  const unregisterMqtt = deps.gateway.registerVendorMqtt(TRANSPORT, {
    checkPublish(session, topic) {
      const cam = cameraOf(session.deviceId);
      if (!cam) return { ok: false, why: 'not a 臻识 camera on MQTT' };
      const t = parseVzenithTopic(cam.layout, cam.serialNo, topic);
      if (!t.ok) {
        stats.refused++;
        return { ok: false, why: `outside the camera’s own topics (${t.message})` };
      }
      return { ok: true };
    },
    checkSubscribe(session, filter) {
      const cam = cameraOf(session.deviceId);
      const ok = !!cam && mayVzenithSubscribe(cam.layout, cam.serialNo, filter);
      if (!ok) stats.refused++;
      return ok;
    },
    async onPublish(session, topic, payload) {
      stats.publishes++;
      const cam = cameraOf(session.deviceId);
      if (!cam) return;
      const t = parseVzenithTopic(cam.layout, cam.serialNo, topic);
      if (!t.ok) return;
      const lane = deps.devices.info(cam.deviceId)?.props as { direction?: 'in' | 'out' } | undefined;
      let d: ReturnType<typeof decodeMqtt>;
      try {
        d = decodeMqtt(t, cam.serialNo, payload, { receivedAt: iso(), direction: lane?.direction, utcOffsetMinutes: 480 });
      } catch (err) {
        log.error({ err, deviceId: cam.deviceId }, 'vzenith mqtt codec threw');
        d = { ok: false, reason: 'schema', field: '', message: 'payload: could not be read' };
      }
      if (!d.ok) return deadLetter(cam.deviceId, { reason: d.reason, field: d.field, message: `${t.name}: ${d.message}` }, payload);
      const m = d.message;
      if (m.warnings.length) log.debug({ deviceId: cam.deviceId, name: t.name, warnings: m.warnings }, 'vzenith mqtt message read with warnings');
      switch (m.kind) {
        case 'reply': {
          stats.replies++;
          const p = pending.get(m.id);
          if (!p) return void log.debug({ deviceId: cam.deviceId, id: m.id.slice(0, 64) }, 'reply to no command waiting');
          pending.delete(m.id);
          if (m.code === 200) ack(p.device, p.cmdId, true, `the camera answered 200 to ${p.name}; it does not report whether the arm moved${p.note ? `; ${p.note}` : ''}`);
          else ack(p.device, p.cmdId, false, `the camera answered ${m.code} to ${p.name}`);
          return;
        }
        case 'plate':
        case 'gio-in':
          return submitEvents(cam.deviceId, gateOf(cam.deviceId), d.events, rawOf(d.raw));
        default:
          log.debug({ deviceId: cam.deviceId, kind: m.kind }, 'vzenith mqtt message: no event');
      }
    },
    connected(session) {
      const cam = cameraOf(session.deviceId);
      if (!cam) return;
      const carried = deps.vendors.carried(cam.deviceId);
      if (!carried.length) return;
      // The gate has no connection of its own: it is online while its camera is connected.
      const silenceMs = cam.settings.heartbeatS * 3000;
      deps.gateway.vendorIntake.seen(carried, silenceMs);
      clearInterval(keepers.get(cam.deviceId));
      const t = setInterval(() => deps.gateway.vendorIntake.seen(deps.vendors.carried(cam.deviceId), silenceMs), Math.max(1000, silenceMs / 3));
      t.unref();
      keepers.set(cam.deviceId, t);
    },
    disconnected(session) {
      clearInterval(keepers.get(session.deviceId));
      keepers.delete(session.deviceId);
      deps.gateway.vendorIntake.gone(deps.vendors.carried(session.deviceId), 'disconnected');
    },
  });

  return {
    stats: () => ({ ...stats, pending: pending.size, connected: keepers.size }),
    close(): void {
      for (const t of keepers.values()) clearInterval(t);
      keepers.clear();
      pending.clear();
      unregisterMqtt();
      unregisterTransport();
    },
  };
}

export type VzenithMqtt = ReturnType<typeof createVzenithMqtt>;
