import type { Logger } from 'pino';
import type { Gateway } from '../../gateway/index.js';
import { decodeMqtt, isImei, juyTopic, juyTopicFilters, parseJuyTopic } from '../../devices/vendors/juy/index.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorRepo } from '../store/vendor-repo.js';
import { juyMqttUsername } from './connect.js';
import { createJuySessions } from './juy-session.js';

/**
 * JUY-class shed controllers over MQTT on our broker (vendor document, "MQTT 主题定义"):
 * the same 5AA5 frames as over TCP, one per publish, on `JUY/D2S/{IMEI}/{CMD}/DEV` (up) and
 * `JUY/S2D/{IMEI}/{CMD}/SERVER` (down). The board connects with its IMEI as client id, the
 * IMEI's last 10 digits as user name and a 10-character secret as password (its 0x8C caps
 * both at 10 ASCII bytes); the gateway checks the secret with scrypt as for any device.
 * The ACL keeps a board inside its own IMEI. Frames are read by `devices/vendors/juy` and
 * the conversation (pending commands, orders, swipes, port lists) is `juy-session.ts`.
 * Past this file the board is an ordinary `charger`.
 */

export const TRANSPORT = 'juy-mqtt';
export const HEARTBEAT_S = 60;
/** Dead letters stored per device per minute; more are only counted. */
const DEAD_LETTERS_PER_MINUTE = 60;

export interface JuyMqttDeps {
  gateway: Gateway;
  vendors: VendorRepo;
  devices: DeviceRepo;
  log: Logger;
  now: () => number;
  heartbeatS?: number;
  sessionOnPort?: (deviceId: string, port: number) => string | undefined;
}

export function createJuyMqtt(deps: JuyMqttDeps) {
  const log = deps.log.child({ module: TRANSPORT });
  const heartbeatS = deps.heartbeatS ?? HEARTBEAT_S;
  const sessions = createJuySessions({ gateway: deps.gateway, log, now: deps.now, source: TRANSPORT, transport: 'mqtt', heartbeatS, sessionOnPort: deps.sessionOnPort });
  const stats = { publishes: 0, deadLetters: 0, deadLettersNotStored: 0, commands: 0, logins: 0 };
  const letterWindows = new Map<string, { start: number; count: number }>();
  const iso = (ms = deps.now()) => new Date(ms).toISOString();

  /** The board's IMEI and registered ports, if `deviceId` is a JUY charger on MQTT. */
  function boardOf(deviceId: string): { imei: string; ports?: number } | undefined {
    const v = deps.vendors.get(deviceId);
    if (!v || v.vendor !== 'juy' || v.transport !== 'mqtt' || !v.serialNo) return undefined;
    const ports = Number((deps.devices.info(deviceId)?.props as { ports?: number } | undefined)?.ports) || undefined;
    return { imei: v.serialNo, ...(ports ? { ports } : {}) };
  }

  const unregisterTransport = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload, via) {
      stats.commands++;
      const cmdId = String(payload.cmdId);
      const board = boardOf(via);
      if (!board) return sessions.ack(device, cmdId, false, `not deliverable: ${via} is not a JUY controller on MQTT`);
      if (!deps.gateway.mqttConnected(via)) return sessions.ack(device, cmdId, false, 'not connected: the shed controller is offline');
      const enc = sessions.encode(device, payload, via, { imei: board.imei, imeiFormat: false, ports: board.ports });
      if (!enc.ok) return;
      deps.gateway.publishVendor(juyTopic('down', board.imei, enc.bytes[4]!), Buffer.from(enc.bytes), (err) => enc.written(err));
    },
    forget(deviceId) {
      sessions.forget(deviceId);
    },
  });

  async function deadLetter(deviceId: string, why: { reason: string; field: string; message: string }, bytes: Buffer): Promise<void> {
    stats.deadLetters++;
    const now = deps.now();
    let w = letterWindows.get(deviceId);
    if (!w || now - w.start > 60_000) letterWindows.set(deviceId, (w = { start: now, count: 0 }));
    if (++w.count > DEAD_LETTERS_PER_MINUTE) return void stats.deadLettersNotStored++;
    await deps.gateway.vendorIntake.deadLetter(TRANSPORT, deviceId, why, bytes.subarray(0, 2048), bytes.length);
  }

  const unregisterMqtt = deps.gateway.registerVendorMqtt(TRANSPORT, {
    identify(clientId) {
      if (!isImei(clientId)) return undefined;
      const v = deps.vendors.bySerial('juy', clientId);
      return v && v.transport === 'mqtt' ? v.deviceId : undefined;
    },
    username(record, username) {
      const board = boardOf(record.id);
      return !!board && username === juyMqttUsername(board.imei);
    },
    checkPublish(session, topic) {
      const board = boardOf(session.deviceId);
      if (!board) return { ok: false, why: 'not a JUY controller on MQTT' };
      const t = parseJuyTopic(topic);
      if ('ok' in t) return { ok: false, why: t.message };
      if (t.imei !== board.imei) return { ok: false, why: 'another controller’s IMEI' };
      if (t.direction !== 'up') return { ok: false, why: 'a controller publishes on JUY/D2S/…/DEV only' };
      return { ok: true };
    },
    checkSubscribe(session, filter) {
      const board = boardOf(session.deviceId);
      if (!board) return false;
      const own = juyTopicFilters(board.imei).subscribe; // JUY/S2D/{IMEI}/+/SERVER
      if (filter === own || filter === `JUY/S2D/${board.imei}/#`) return true;
      const t = parseJuyTopic(filter);
      return !('ok' in t) && t.direction === 'down' && t.imei === board.imei;
    },
    async onPublish(session, topic, payload) {
      stats.publishes++;
      const board = boardOf(session.deviceId);
      if (!board) return;
      let d: ReturnType<typeof decodeMqtt>;
      try {
        d = decodeMqtt(topic, payload, { receivedAt: iso(), ...(board.ports ? { ports: board.ports } : {}), pending: sessions.pending(session.deviceId) });
      } catch (err) {
        log.error({ err, deviceId: session.deviceId }, 'juy codec threw');
        d = { ok: false, reason: 'schema', field: '', message: 'payload: could not be read' };
      }
      if (!d.ok) return deadLetter(session.deviceId, d, payload);
      if (d.warnings.length) log.debug({ deviceId: session.deviceId, command: d.name, warnings: d.warnings }, 'juy frame read with warnings');
      if (d.detail.kind === 'login') {
        stats.logins++;
        log.info({ deviceId: session.deviceId, firmware: d.detail.firmware, ports: d.detail.ports }, 'JUY controller logged in over MQTT');
      }
      const reply = await sessions.handle(session.deviceId, d);
      if (reply) deps.gateway.publishVendor(juyTopic('down', board.imei, reply[4]!), Buffer.from(reply));
    },
    connected(session) {
      sessions.reconnected(session.deviceId);
    },
  });

  return {
    stats: () => ({ ...stats }),
    close(): void {
      unregisterMqtt();
      unregisterTransport();
    },
  };
}

export type JuyMqtt = ReturnType<typeof createJuyMqtt>;
