import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Gateway } from '../../gateway/index.js';
import { decodeUplink, encodeLoginReply, loginReplyFor, splitFrames } from '../../devices/vendors/juy/index.js';
import { toHex } from '../../devices/vendors/bytes.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorRepo } from '../store/vendor-repo.js';
import { createJuySessions } from './juy-session.js';

/**
 * JUY-class shed controllers over raw TCP (vendor "TCP 通信协议" V1.2): our own
 * listener. Decoding is `devices/vendors/juy`; past this file the controller is
 * an ordinary `charger`, through the gateway's vendor seam: its port states,
 * swipes, end reports and readings reach the charging rules as typed events, and
 * the rules' `start` / `stop` / `deny` come back through `sendCommand()` to
 * `deliver`, which writes 0x83 / 0x84 / the 0x87 refusal on its socket.
 *
 * - A connection is nobody's until its 0x81 login names a registered IMEI
 *   (`serialNo` of a `juy`/`tcp` charger): answered ok, or "illegal module" and
 *   closed. A frame naming another IMEI afterwards is a dead letter.
 * - A heartbeat is presence (silent for three intervals: offline) and the port
 *   list, whose changes become `port.state`.
 * - An end report (0x85) is stored, then answered (the device resends it every
 *   10 s until answered; a resend has the same id and is dropped as a duplicate).
 * - The conversation itself (pending commands, orders, swipes, port lists) is
 *   `juy-session.ts`, shared with JUY over MQTT.
 * - Bad frames are dead letters with the codec's reason; the connection stays up
 *   until the stream is hopeless (too many bad bytes with no good frame between).
 */

export const TRANSPORT = 'juy-tcp';
/** The heartbeat interval we ask for in the login answer (10–250 s). */
export const HEARTBEAT_S = 60;
/** A connection that sends no login within this is closed. */
const LOGIN_WAIT_MS = 30_000;
/** Bad bytes since the last good frame before the stream is taken as hopeless and closed. */
const HOPELESS_BYTES = 16 * 1024;
/** Frames waiting for the store, per connection: a device sending faster than we store is cut off. */
const MAX_QUEUED_FRAMES = 256;
/** Dead letters stored per connection per minute; more are only counted. */
const DEAD_LETTERS_PER_MINUTE = 60;
/** Bytes waiting to be written to a device that does not read: cut off. */
const MAX_WRITE_BACKLOG = 64 * 1024;

export interface JuyTcpDeps {
  gateway: Gateway;
  vendors: VendorRepo;
  devices: DeviceRepo;
  log: Logger;
  now: () => number;
  port: number;
  host: string;
  maxConnections?: number;
  /** The heartbeat interval asked for at login (s); presence times out after three. */
  heartbeatS?: number;
  /**
   * The session running on a port, as the charging records know it: a stop names its order
   * (`orderNoFor(sessionId)`) even when this process did not send the start (a restart).
   */
  sessionOnPort?: (deviceId: string, port: number) => string | undefined;
}

interface Conn {
  socket: Socket;
  remote: string;
  rest: Uint8Array;
  imei?: string;
  deviceId?: string;
  ports?: number;
  /** The device switched to the IMEI format (login answered 0xF0): our frames carry its IMEI too. */
  imeiFormat: boolean;
  queue: Promise<void>;
  queued: number;
  badBytes: number;
  deadLetters: { windowStart: number; count: number };
  closed: boolean;
}

export async function startJuyTcp(deps: JuyTcpDeps) {
  const log = deps.log.child({ module: TRANSPORT });
  const heartbeatS = deps.heartbeatS ?? HEARTBEAT_S;
  const silenceMs = heartbeatS * 3000;
  /** The live connection of each logged-in device. */
  const byDevice = new Map<string, Conn>();
  /** The conversation with each board (pending commands, orders, swipes, port lists): the same over TCP and MQTT. */
  const sessions = createJuySessions({ gateway: deps.gateway, log, now: deps.now, source: TRANSPORT, transport: 'tcp', heartbeatS, sessionOnPort: deps.sessionOnPort });
  const conns = new Set<Conn>();
  const stats = { connections: 0, logins: 0, refusedLogins: 0, frames: 0, deadLetters: 0, deadLettersNotStored: 0, hopeless: 0, commands: 0 };
  let closing = false;

  const iso = (ms = deps.now()) => new Date(ms).toISOString();

  function write(c: Conn, bytes: Uint8Array, done?: (err?: Error | null) => void): void {
    if (c.closed || c.socket.destroyed) return void done?.(new Error('connection closed'));
    if (c.socket.writableLength > MAX_WRITE_BACKLOG) {
      log.warn({ deviceId: c.deviceId, remote: c.remote }, 'device does not read its socket: closed');
      c.socket.destroy();
      return void done?.(new Error('connection closed'));
    }
    c.socket.write(bytes, done);
  }

  async function deadLetter(c: Conn, why: { reason: string; field: string; message: string }, bytes: Uint8Array): Promise<void> {
    stats.deadLetters++;
    if (!c.deviceId) return; // nobody's yet: counted and logged only
    const now = deps.now();
    if (now - c.deadLetters.windowStart > 60_000) c.deadLetters = { windowStart: now, count: 0 };
    if (++c.deadLetters.count > DEAD_LETTERS_PER_MINUTE) {
      stats.deadLettersNotStored++;
      return;
    }
    const excerpt = Buffer.from(bytes.subarray(0, 2048));
    const deviceId = c.deviceId;
    await Promise.resolve()
      .then(() => deps.gateway.vendorIntake.deadLetter(TRANSPORT, deviceId, why, excerpt, bytes.length))
      .catch((err: Error) => log.warn({ err: err.message }, 'dead letter not stored'));
  }

  const unregister = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload, via) {
      stats.commands++;
      const cmdId = String(payload.cmdId);
      const c = byDevice.get(via);
      if (!c || c.closed) return sessions.ack(device, cmdId, false, 'not connected: the shed controller is offline');
      const enc = sessions.encode(device, payload, via, { imei: c.imei, imeiFormat: c.imeiFormat, ports: c.ports });
      if (enc.ok) write(c, enc.bytes, enc.written);
    },
    forget(deviceId) {
      sessions.forget(deviceId);
      const c = byDevice.get(deviceId);
      if (c) c.socket.destroy();
    },
  });

  function login(c: Conn, frame: Uint8Array): void {
    const d = decodeUplink(frame, { receivedAt: iso() });
    if (!d.ok) {
      log.info({ remote: c.remote, reason: d.reason, message: d.message }, 'bad login frame');
      stats.deadLetters++;
      return;
    }
    if (d.detail.kind !== 'login') {
      log.info({ remote: c.remote, command: d.name }, 'frame before login: ignored');
      return;
    }
    const v = deps.vendors.bySerial('juy', d.detail.imei);
    const info = v && deps.devices.info(v.deviceId);
    const registered = !!v && v.transport === 'tcp' && info?.status === 'active' && info.kind === 'charger';
    const reply = encodeLoginReply(loginReplyFor(d.detail, { registered, transport: 'tcp', heartbeatS }));
    if (!(reply instanceof Uint8Array)) return void c.socket.destroy();
    if (!registered) {
      stats.refusedLogins++;
      log.info({ remote: c.remote, imei: d.detail.imei }, 'JUY login of an IMEI not registered: refused');
      c.socket.end(reply);
      c.closed = true;
      return;
    }
    stats.logins++;
    const deviceId = v!.deviceId;
    const old = byDevice.get(deviceId);
    if (old && old !== c) {
      old.deviceId = undefined; // its close must not take the device offline
      old.socket.destroy();
    }
    c.imei = d.detail.imei;
    c.deviceId = deviceId;
    c.ports = Number((info!.props as { ports?: number }).ports) || undefined;
    c.imeiFormat = reply[reply.length - 2] === 0xf0;
    sessions.reconnected(deviceId);
    byDevice.set(deviceId, c);
    c.socket.setTimeout(silenceMs);
    write(c, reply);
    deps.gateway.vendorIntake.seen([deviceId], silenceMs);
    log.info({ deviceId, remote: c.remote, firmware: d.detail.firmware, ports: d.detail.ports, imeiFormat: c.imeiFormat }, 'JUY controller logged in');
  }

  async function handleFrame(c: Conn, frame: Uint8Array): Promise<void> {
    if (c.closed) return;
    if (!c.deviceId) return login(c, frame);
    const deviceId = c.deviceId;
    let d: ReturnType<typeof decodeUplink>;
    try {
      d = decodeUplink(frame, { receivedAt: iso(), imei: c.imei, ...(c.ports ? { ports: c.ports } : {}), pending: sessions.pending(deviceId) });
    } catch (err) {
      log.error({ err, deviceId }, 'juy codec threw');
      d = { ok: false, reason: 'schema', field: '', message: 'payload: could not be read' };
    }
    if (!d.ok) return deadLetter(c, d, frame);
    if (d.warnings.length) log.debug({ deviceId, command: d.name, warnings: d.warnings }, 'juy frame read with warnings');
    deps.gateway.vendorIntake.seen([deviceId], silenceMs);
    // Answered only once stored: an end report unanswered is resent, never lost.
    const reply = await sessions.handle(deviceId, d);
    if (reply) write(c, reply);
  }

  function onData(c: Conn, chunk: Buffer): void {
    if (c.closed) return;
    const buffer = c.rest.length ? Buffer.concat([c.rest, chunk]) : chunk;
    const split = splitFrames(buffer);
    c.rest = split.rest;
    for (const r of split.rejected) void deadLetter(c, r, r.bytes);
    const garbageBytes = split.garbage.reduce((n, g) => n + g.length, 0);
    if (split.garbage.length) {
      const bytes = Buffer.concat(split.garbage.map((g) => Buffer.from(g)));
      void deadLetter(c, { reason: 'unknown-message', field: '', message: `payload: ${bytes.length} bytes outside any 5A A5 frame (${toHex(bytes.subarray(0, 16))}${bytes.length > 16 ? '…' : ''})` }, bytes);
    }
    if (split.frames.length) c.badBytes = 0;
    else c.badBytes += garbageBytes + split.rejected.reduce((n, r) => n + r.bytes.length, 0);
    if (c.badBytes > HOPELESS_BYTES || (!c.deviceId && c.badBytes > 4096)) {
      stats.hopeless++;
      log.info({ deviceId: c.deviceId, remote: c.remote, badBytes: c.badBytes }, 'JUY stream hopeless: closed');
      c.socket.destroy();
      return;
    }
    for (const f of split.frames) {
      stats.frames++;
      if (++c.queued > MAX_QUEUED_FRAMES) {
        log.warn({ deviceId: c.deviceId, remote: c.remote }, 'frames arrive faster than they are stored: closed');
        c.socket.destroy();
        return;
      }
      c.queue = c.queue
        .then(() => handleFrame(c, f))
        .catch((err: Error) => {
          // Not stored (closing, store failure): nothing answered, so the device resends.
          log.warn({ err: err.message, deviceId: c.deviceId }, 'juy frame not stored');
        })
        .finally(() => void c.queued--);
    }
  }

  function accept(socket: Socket): void {
    if (closing) return void socket.destroy();
    stats.connections++;
    const c: Conn = {
      socket,
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      rest: new Uint8Array(0),
      imeiFormat: false,
      queue: Promise.resolve(),
      queued: 0,
      badBytes: 0,
      deadLetters: { windowStart: deps.now(), count: 0 },
      closed: false,
    };
    conns.add(c);
    socket.setNoDelay(true);
    socket.setTimeout(LOGIN_WAIT_MS);
    // A login is due within LOGIN_WAIT_MS however busy the connection is otherwise.
    const loginDue = setTimeout(() => {
      if (!c.deviceId && !socket.destroyed) {
        log.info({ remote: c.remote }, 'no JUY login in time: closed');
        socket.destroy();
      }
    }, LOGIN_WAIT_MS);
    loginDue.unref();
    socket.on('timeout', () => {
      log.info({ deviceId: c.deviceId, remote: c.remote }, c.deviceId ? 'JUY controller silent: closed' : 'no JUY login: closed');
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        onData(c, chunk);
      } catch (err) {
        log.error({ err, deviceId: c.deviceId }, 'juy stream failed: closed');
        socket.destroy();
      }
    });
    socket.on('error', (err) => log.debug({ err: err.message, remote: c.remote }, 'juy socket error'));
    socket.on('close', () => {
      clearTimeout(loginDue);
      c.closed = true;
      conns.delete(c);
      const id = c.deviceId;
      if (id && byDevice.get(id) === c) {
        byDevice.delete(id);
        if (!closing) deps.gateway.vendorIntake.gone([id], 'disconnected');
      }
    });
  }

  const server: Server = createServer(accept);
  server.maxConnections = deps.maxConnections ?? 2000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  log.info({ juyTcpPort: port, host: deps.host }, 'JUY TCP listening');

  return {
    port,
    stats: () => ({ ...stats, open: conns.size, loggedIn: byDevice.size }),
    /** Whether a device's controller is connected and logged in now. */
    connected: (deviceId: string) => byDevice.has(deviceId),
    async close(): Promise<void> {
      closing = true;
      unregister();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of conns) c.socket.destroy();
      await closed;
    },
  };
}

export type JuyTcp = Awaited<ReturnType<typeof startJuyTcp>>;
