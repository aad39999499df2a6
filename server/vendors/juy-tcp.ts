import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { DeviceSession, Gateway } from '../../gateway/index.js';
import {
  decodeUplink,
  diffPortStates,
  encodeDeny,
  encodeLoginReply,
  encodeStart,
  encodeStop,
  loginReplyFor,
  splitFrames,
  type DecodedUplink,
  type EncodedCommand,
  type PendingCommand,
  type PortReading,
} from '../../devices/vendors/juy/index.js';
import { toHex } from '../../devices/vendors/bytes.js';
import type { VendorRejection } from '../../devices/vendors/result.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorRepo } from '../store/vendor-repo.js';

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
/** A swipe is answered (start or deny) for this long; a later command for the port does not name its card. */
const SWIPE_MEMORY_MS = 60_000;

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
  previousPorts?: PortReading[];
  queue: Promise<void>;
  queued: number;
  badBytes: number;
  deadLetters: { windowStart: number; count: number };
  closed: boolean;
}

interface DeviceState {
  /** start/stop sent and not yet answered. */
  pending: (PendingCommand & { sentAtMs: number })[];
  /** The order running on each port (from our starts and the device's own local starts). */
  orders: Map<number, number>;
  /** The card of the latest swipe on each port, for the start or deny that answers it. */
  swipes: Map<number, { cardId: string; atMs: number }>;
}

export async function startJuyTcp(deps: JuyTcpDeps) {
  const log = deps.log.child({ module: TRANSPORT });
  const heartbeatS = deps.heartbeatS ?? HEARTBEAT_S;
  const silenceMs = heartbeatS * 3000;
  /** The live connection of each logged-in device. */
  const byDevice = new Map<string, Conn>();
  const state = new Map<string, DeviceState>();
  const conns = new Set<Conn>();
  const stats = { connections: 0, logins: 0, refusedLogins: 0, frames: 0, deadLetters: 0, deadLettersNotStored: 0, hopeless: 0, commands: 0 };
  let closing = false;

  const iso = (ms = deps.now()) => new Date(ms).toISOString();
  const stateOf = (deviceId: string): DeviceState => {
    let s = state.get(deviceId);
    if (!s) state.set(deviceId, (s = { pending: [], orders: new Map(), swipes: new Map() }));
    return s;
  };

  function write(c: Conn, bytes: Uint8Array, done?: (err?: Error | null) => void): void {
    if (c.closed || c.socket.destroyed) return void done?.(new Error('connection closed'));
    if (c.socket.writableLength > MAX_WRITE_BACKLOG) {
      log.warn({ deviceId: c.deviceId, remote: c.remote }, 'device does not read its socket: closed');
      c.socket.destroy();
      return void done?.(new Error('connection closed'));
    }
    c.socket.write(bytes, done);
  }

  function ack(device: DeviceSession | string, cmdId: string, ok: boolean, words: string): void {
    const deviceId = typeof device === 'string' ? device : device.deviceId;
    const message = { id: `${cmdId}.${ok ? 'w' : 'x'}`, ts: iso(), type: 'ack', cmdId, ok, ...(ok ? { note: words.slice(0, 200) } : { error: words.slice(0, 200) }) };
    // The seam refuses a device gone meanwhile by throwing at once: never out of a socket callback.
    Promise.resolve()
      .then(() => deps.gateway.vendorIntake.submit(TRANSPORT, deviceId, 'ack', message))
      .catch((err: Error) => log.warn({ err: err.message, cmdId }, 'ack not stored'));
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
      if (!c || c.closed) return ack(device, cmdId, false, 'not connected: the shed controller is offline');
      const st = stateOf(via);
      const port = Number(payload.port);
      const addressed = { ...(c.imeiFormat && c.imei ? { imei: c.imei } : {}), ...(c.ports ? { ports: c.ports } : {}) };
      const swipe = st.swipes.get(port);
      const card = swipe && deps.now() - swipe.atMs < SWIPE_MEMORY_MS ? swipe.cardId : undefined;
      let encoded: EncodedCommand | VendorRejection;
      if (payload.type === 'start') encoded = encodeStart(payload, { ...addressed, ...(card ? { cardId: card } : {}) });
      else if (payload.type === 'stop') {
        const sessionId = st.orders.has(port) ? undefined : deps.sessionOnPort?.(via, port);
        encoded = encodeStop(payload, { ...addressed, ...(st.orders.has(port) ? { orderNo: st.orders.get(port)! } : sessionId ? { sessionId } : {}) });
      }
      else if (payload.type === 'deny') {
        if (!card) return ack(device, cmdId, false, `deny: no swipe on port ${port} to answer (a JUY board is refused only in answer to its 0x87)`);
        encoded = encodeDeny(payload, { ...addressed, cardId: card });
      } else return ack(device, cmdId, false, `unencodable: a JUY controller takes start, stop and deny, not ${String(payload.type).slice(0, 20)}`);
      if (!encoded.ok) return ack(device, cmdId, false, `${encoded.reason}: ${encoded.message}`);
      const enc = encoded;
      if (enc.pending) {
        st.pending = [...st.pending.filter((p) => p.cmdId !== cmdId && deps.now() - p.sentAtMs < 60_000).slice(-200), { ...enc.pending, sentAtMs: deps.now() }];
        if (payload.type === 'start' && enc.orderNo !== undefined) st.orders.set(port, enc.orderNo);
      }
      if (payload.type !== 'stop') st.swipes.delete(port);
      write(c, enc.bytes, (err) => {
        if (err) {
          st.pending = st.pending.filter((p) => p.cmdId !== cmdId);
          return ack(device, cmdId, false, 'not written: the connection closed');
        }
        // The device never answers a refusal: written is all that can be proved.
        if (payload.type === 'deny') ack(device, cmdId, true, 'written to the controller (0x87 refusal); the device does not answer it');
      });
    },
    forget(deviceId) {
      state.delete(deviceId);
      const c = byDevice.get(deviceId);
      if (c) c.socket.destroy();
    },
  });

  /** The frame beside its messages, for support: JSON text (`vendor_raw` holds JSON), the bytes in hex. */
  const rawOf = (d: DecodedUplink) => ({ vendor: 'juy', raw: JSON.stringify({ command: d.name, hex: d.raw }) });

  async function submitAll(c: Conn, d: DecodedUplink): Promise<void> {
    const raw = rawOf(d);
    for (const m of d.messages) {
      if (m.channel === 'status') continue; // presence comes from seen()
      await deps.gateway.vendorIntake.submit(TRANSPORT, c.deviceId!, m.channel, m.message as unknown as Record<string, unknown>, raw);
    }
  }

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
    c.previousPorts = undefined;
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
    const st = stateOf(deviceId);
    let d: ReturnType<typeof decodeUplink>;
    try {
      d = decodeUplink(frame, { receivedAt: iso(), imei: c.imei, ...(c.ports ? { ports: c.ports } : {}), pending: st.pending.map(({ sentAtMs: _, ...p }) => p) });
    } catch (err) {
      log.error({ err, deviceId }, 'juy codec threw');
      d = { ok: false, reason: 'schema', field: '', message: 'payload: could not be read' };
    }
    if (!d.ok) return deadLetter(c, d, frame);
    if (d.warnings.length) log.debug({ deviceId, command: d.name, warnings: d.warnings }, 'juy frame read with warnings');
    deps.gateway.vendorIntake.seen([deviceId], silenceMs);
    const detail = d.detail;
    switch (detail.kind) {
      case 'login':
        // The same device again on this connection: answered again, its port list starts over.
        c.previousPorts = undefined;
        write(c, (encodeLoginReply(loginReplyFor(detail, { registered: true, transport: 'tcp', heartbeatS })) as Uint8Array));
        return;
      case 'heartbeat': {
        const events = diffPortStates(c.previousPorts, detail.ports, { id: d.id, ts: d.ts });
        for (const e of events) await deps.gateway.vendorIntake.submit(TRANSPORT, deviceId, 'event', e as unknown as Record<string, unknown>, rawOf(d));
        c.previousPorts = detail.ports;
        break;
      }
      case 'card-auth':
        if (detail.answer === 'start-or-deny') st.swipes.set(detail.port, { cardId: detail.cardId, atMs: deps.now() });
        else log.info({ deviceId, port: detail.port }, 'card balance query: not answered (the balance is not the transport’s to tell)');
        await submitAll(c, d);
        break;
      case 'start-answer':
      case 'stop-answer':
        await submitAll(c, d);
        if (detail.cmdId) st.pending = st.pending.filter((p) => p.cmdId !== detail.cmdId);
        if (detail.kind === 'stop-answer' && detail.ok && st.orders.get(detail.port) === detail.orderNo) st.orders.delete(detail.port);
        break;
      case 'end':
        await submitAll(c, d);
        if (st.orders.get(detail.port) === detail.orderNo) st.orders.delete(detail.port);
        break;
      case 'local-start':
        st.orders.set(detail.port, detail.orderNo);
        await submitAll(c, d);
        break;
      default:
        await submitAll(c, d);
    }
    // Answered only once stored: an end report unanswered is resent, never lost.
    if (d.reply) write(c, d.reply);
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
