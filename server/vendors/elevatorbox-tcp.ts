import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Gateway } from '../../gateway/index.js';
import {
  applyInfo,
  decodeBoxFrame,
  encodeCping,
  encodeKick,
  encodeLoginReply,
  encodeNeedLogin,
  encodePing,
  splitFrames,
  MAX_FRAME_BYTES,
  type BoxMessage,
  type BoxRejection,
  type FaultState,
  type Telemetry,
} from '../../devices/vendors/elevatorbox/index.js';
import type { Alert } from '../alerts/types.js';
import type { Device, DeviceInfo } from '../store/types.js';
import type { VendorDevice } from '../store/vendor-repo.js';
import { ElevatorboxSettings } from './registration.js';

/**
 * Elevator monitoring boxes over TCP (elevatorcloud-style `#10#{json}#13#` frames,
 * devices/vendors/elevatorbox): our own listener on `LINLI_ELEVATOR_TCP_PORT`.
 * On connect the server writes `need_login`; the box logs in with its `eid` (the
 * `serialNo` it was registered with), then sends `info` about twice a second and
 * `cping` now and then. Past this file the box is an ordinary `elevator`: its
 * telemetry (throttled: on change, else every `telemetryEveryS`) and its fault set,
 * turned into `fault` raise/clear events by difference, go through the gateway's
 * vendor seam, with the frame's text kept beside each event.
 *
 * One connection is one box; nothing one socket sends can reach another box's
 * state, and any error ends that socket only.
 */

export const TRANSPORT = 'elevatorcloud-tcp';
export const VENDOR = 'elevatorcloud';

export interface ElevatorboxTcpDeps {
  gateway: Pick<Gateway, 'vendorIntake' | 'registerTransport'>;
  devices: { info(id: string): DeviceInfo | undefined; list(estateId: string): Device[] };
  estateIds: () => string[];
  vendors: { get(deviceId: string): VendorDevice | undefined };
  /** Open alerts of a lift: the fault state a restarted server starts from, so a clear after a restart is not lost. */
  openAlerts: (deviceId: string) => Alert[];
  log: Logger;
  now: () => number;
}

export interface ElevatorboxTcpOptions {
  host: string;
  /** 0 picks a free one. */
  port: number;
  /** Sockets at once, logged in or not; more are closed on arrival. */
  maxConnections?: number;
  /** A connection that has not logged in by then is closed. */
  loginTimeoutMs?: number;
  /** A logged-in box quiet for this long gets our `ping`. */
  pingAfterMs?: number;
  /** Bad frames a logged-in box may send in a minute before it is kicked (code 2, illegal data) and closed. */
  maxBadFrames?: number;
  /** How often the idle/login timers are checked. */
  sweepMs?: number;
}

interface Conn {
  socket: Socket;
  id: number;
  openedAt: number;
  lastHeardAt: number;
  pingedAt?: number;
  rest: Uint8Array;
  /** Bad frames since `badSince` (a window of BAD_FRAME_WINDOW_MS). */
  badFrames: number;
  badSince: number;
  box?: Box;
  closed: boolean;
}

interface Box {
  deviceId: string;
  eid: string;
  settings: ElevatorboxSettings;
}

interface Lift {
  state: FaultState;
  lastTelemetry?: { key: string; atMs: number };
}

const DEFAULTS = { maxConnections: 2000, loginTimeoutMs: 30_000, pingAfterMs: 30_000, maxBadFrames: 50, sweepMs: 1000 };
const BAD_FRAME_WINDOW_MS = 60_000;
/** A box that does not read what we write (its buffer keeps growing) is closed. */
const MAX_UNSENT_BYTES = 64 * 1024;
/**
 * The eid → device index is rebuilt on a miss (a box registered a moment ago), at most this
 * often: a flood of unknown eids costs at most 20 scans a second. A miss inside that window is
 * answered `res_id` 2 (unknown error: the box retries), never 1 (no such device).
 */
const INDEX_REBUILD_MIN_MS = 50;

export async function startElevatorboxTcp(deps: ElevatorboxTcpDeps, options: ElevatorboxTcpOptions) {
  const opts = { ...DEFAULTS, ...options };
  const log = deps.log.child({ module: 'elevatorbox-tcp' });
  const conns = new Set<Conn>();
  /** The connection each box is logged in on: a second login with the same eid kicks the first. */
  const byDevice = new Map<string, Conn>();
  /** Fault state per lift, kept across connections (not per socket). */
  const lifts = new Map<string, Lift>();
  const stats = { connections: 0, logins: 0, refusedLogins: 0, refusedConnections: 0, kicked: 0, frames: 0, deadLetters: 0, telemetryKept: 0, telemetryThrottled: 0, events: 0 };
  let seq = 0;
  let index: { at: number; byEid: Map<string, string> } | undefined;
  let closing = false;

  const iso = (ms: number) => new Date(ms).toISOString();

  /** eid → device id of an active box registered for this transport; `busy` when it could not be checked just now. */
  function deviceOfEid(eid: string): string | undefined | 'busy' {
    const lookup = () => index!.byEid.get(eid);
    if (index && lookup() === undefined && deps.now() - index.at < INDEX_REBUILD_MIN_MS) return 'busy';
    if (!index || lookup() === undefined) {
      const byEid = new Map<string, string>();
      for (const e of deps.estateIds()) {
        for (const d of deps.devices.list(e)) {
          if (d.status === 'active' && d.kind === 'elevator' && d.vendor?.name === VENDOR && d.vendor.transport === 'tcp' && d.vendor.serialNo) byEid.set(d.vendor.serialNo, d.id);
        }
      }
      index = { at: deps.now(), byEid };
    }
    const id = lookup();
    if (id === undefined) return undefined;
    // Decommissioned since the index was built: not a box of ours any more.
    const info = deps.devices.info(id);
    return info?.status === 'active' ? id : undefined;
  }

  function settingsOf(deviceId: string): ElevatorboxSettings {
    const parsed = ElevatorboxSettings.safeParse(deps.vendors.get(deviceId)?.settings ?? {});
    return parsed.success ? parsed.data : ElevatorboxSettings.parse({});
  }

  /** The lift's fault state: kept in memory, first made from the server's open alerts of that lift. */
  function liftOf(box: Box): Lift {
    let lift = lifts.get(box.deviceId);
    if (lift) return lift;
    const epoch = deps.now().toString(36);
    const open: Record<string, string> = {};
    let n = 0;
    for (const a of deps.openAlerts(box.deviceId)) {
      // The device already said it is over (a person still has to close it), or the gateway derived it from telemetry: not the box's to clear.
      if (a.deviceClearedAt || a.detail?.derived === true || !a.kind.startsWith('elevator.')) continue;
      const code = a.kind.slice('elevator.'.length);
      const key = code === 'emergency-call' ? 'event:emergency.call' : `fault:${code}`;
      open[key] = `${box.eid}.${epoch}.r${++n}`;
    }
    lift = { state: { epoch, seq: 0, open } };
    lifts.set(box.deviceId, lift);
    if (n) log.info({ deviceId: box.deviceId, open: Object.keys(open) }, 'fault state of the lift taken from its open alerts');
    return lift;
  }

  function write(c: Conn, bytes: Uint8Array): void {
    if (c.closed || c.socket.destroyed) return;
    // Whole frames in one write: one firmware drops a frame whose #13# is not in the same read.
    c.socket.write(bytes);
    if (c.socket.writableLength > MAX_UNSENT_BYTES) end(c, 'does not read what we send');
  }

  function end(c: Conn, why: string, last?: Uint8Array): void {
    if (c.closed) return;
    c.closed = true;
    log.debug({ conn: c.id, deviceId: c.box?.deviceId, why }, 'box connection closed');
    if (last && !c.socket.destroyed) c.socket.end(last);
    else c.socket.end();
    // A socket that will not finish closing goes anyway.
    setTimeout(() => c.socket.destroy(), 2000).unref();
  }

  function onClose(c: Conn): void {
    c.closed = true;
    conns.delete(c);
    if (c.box && byDevice.get(c.box.deviceId) === c) {
      byDevice.delete(c.box.deviceId);
      // Its connection is gone: offline through the same debounce as a dropped MQTT client.
      if (!closing) deps.gateway.vendorIntake.gone([c.box.deviceId], 'disconnected');
    }
  }

  function deadLetter(c: Conn, why: Pick<BoxRejection, 'reason' | 'field' | 'message'>, excerpt: Uint8Array, bytes: number): void {
    stats.deadLetters++;
    const box = c.box;
    if (!box) return;
    deps.gateway.vendorIntake
      .deadLetter(TRANSPORT, box.deviceId, { reason: why.reason, field: why.field, message: why.message }, Buffer.from(excerpt.subarray(0, 1024)), bytes)
      .catch((err: Error) => log.warn({ err: err.message, deviceId: box.deviceId }, 'dead letter not stored'));
  }

  /** A frame that is not what the protocol allows here: a dead letter, and past a limit the box is kicked. */
  function bad(c: Conn, why: Pick<BoxRejection, 'reason' | 'field' | 'message'>, excerpt: Uint8Array, bytes: number): void {
    if (!c.box) {
      // Nobody to file it under: a connection that has not logged in sends nothing but a login.
      stats.refusedConnections++;
      log.info({ conn: c.id, ip: c.socket.remoteAddress, reason: why.reason, message: why.message.slice(0, 160) }, 'box refused before login');
      return end(c, `before login: ${why.reason}`, encodeKick(2));
    }
    deadLetter(c, why, excerpt, bytes);
    const now = deps.now();
    if (now - c.badSince >= BAD_FRAME_WINDOW_MS) {
      c.badSince = now;
      c.badFrames = 0;
    }
    if (++c.badFrames > opts.maxBadFrames) {
      stats.kicked++;
      log.warn({ deviceId: c.box.deviceId, badFrames: c.badFrames }, 'box kicked: too many bad frames');
      end(c, 'too many bad frames', encodeKick(2));
    }
  }

  function onData(c: Conn, chunk: Buffer): void {
    if (c.closed) return;
    const input = c.rest.length ? Buffer.concat([c.rest, chunk]) : chunk;
    const split = splitFrames(input);
    c.rest = split.rest;
    for (const g of split.garbage) {
      bad(c, g, new Uint8Array(0), g.bytes);
      if (c.closed) return;
    }
    for (const frame of split.frames) {
      onFrame(c, frame);
      if (c.closed) return;
    }
  }

  function onFrame(c: Conn, frame: Uint8Array): void {
    stats.frames++;
    const receivedMs = deps.now();
    const receivedAt = iso(receivedMs);
    const box = c.box;
    const decoded = decodeBoxFrame(frame, { receivedAt, ...(box ? { eid: box.eid, flatValue: box.settings.flatValue } : {}) });
    if (!decoded.ok) return bad(c, decoded, frame, frame.length);
    const m = decoded.message;
    if (m.type === 'login') return login(c, m.eid);
    if (!box) {
      // The box's own heartbeat may cross our need_login; only `info` must wait for a login (the document).
      if (m.type === 'cping') return write(c, encodeCping());
      if (m.type === 'ping') return;
      return bad(c, { reason: 'schema', field: 'type', message: `type: ${m.type} before a login` }, frame, frame.length);
    }
    c.lastHeardAt = receivedMs;
    c.pingedAt = undefined;
    deps.gateway.vendorIntake.seen([box.deviceId], box.settings.silenceS * 1000);
    if (m.type === 'cping') return write(c, encodeCping());
    if (m.type === 'ping') return; // the answer to ours
    info(c, box, m, frame, receivedMs, receivedAt);
  }

  function login(c: Conn, eid: string): void {
    if (c.box) {
      // The same box again on its own connection: answered, nothing changes; another eid is not this box.
      if (c.box.eid === eid) return write(c, encodeLoginReply(0));
      return bad(c, { reason: 'schema', field: 'eid', message: `eid: ${eid} on a connection logged in as ${c.box.eid}` }, new Uint8Array(0), 0);
    }
    const deviceId = deviceOfEid(eid);
    if (deviceId === 'busy') {
      log.debug({ conn: c.id, eid }, 'box login not checked now (index rebuilt a moment ago): try again');
      return end(c, 'busy', encodeLoginReply(2));
    }
    if (!deviceId) {
      stats.refusedLogins++;
      log.info({ conn: c.id, ip: c.socket.remoteAddress, eid }, 'box login refused: no elevator registered with this eid');
      return end(c, 'unknown eid', encodeLoginReply(1));
    }
    const box: Box = { deviceId, eid, settings: settingsOf(deviceId) };
    const old = byDevice.get(deviceId);
    if (old && old !== c) {
      // The document's kick 1: the same id logged in elsewhere. The newest connection is the box (it reconnected).
      stats.kicked++;
      log.info({ deviceId, old: old.id, new: c.id }, 'box logged in again: the old connection is kicked');
      old.box = undefined;
      end(old, 'logged in elsewhere', encodeKick(1));
    }
    c.box = box;
    c.lastHeardAt = deps.now();
    byDevice.set(deviceId, c);
    stats.logins++;
    liftOf(box);
    write(c, encodeLoginReply(0));
    deps.gateway.vendorIntake.seen([deviceId], box.settings.silenceS * 1000);
    log.info({ deviceId, eid, conn: c.id }, 'box logged in');
  }

  function info(c: Conn, box: Box, m: Extract<BoxMessage, { type: 'info' }>, frame: Uint8Array, receivedMs: number, receivedAt: string): void {
    const lift = liftOf(box);
    const out = applyInfo(m, lift.state, { eid: box.eid, source: box.settings.faultSource, receivedAt });
    if (out.state) lift.state = out.state;
    for (const r of out.rejected) deadLetter(c, r, frame, frame.length);
    if (out.unknown.length) log.warn({ deviceId: box.deviceId, unknown: out.unknown }, 'fault codes the registered numbering does not explain: raised as unknown');
    const raw = { vendor: VENDOR, raw: Buffer.from(frame).toString('utf8') };
    // Events first and never throttled: a trapped passenger waits for nothing.
    for (const e of out.events) {
      stats.events++;
      deps.gateway.vendorIntake
        .submit(TRANSPORT, box.deviceId, 'event', e.message as unknown as Record<string, unknown>, raw)
        .catch((err: Error) => log.error({ err: err.message, deviceId: box.deviceId, id: e.message.id }, 'box event not stored'));
    }
    if (out.telemetry) telemetry(box, lift, out.telemetry, receivedMs);
  }

  /** Kept when the car's state changed since the last one kept, else at most every `telemetryEveryS`. */
  function telemetry(box: Box, lift: Lift, t: Telemetry, atMs: number): void {
    const key = JSON.stringify([t.floor, t.direction, t.doorOpen, t.running, t.inDoorZone, t.loadPct]);
    const last = lift.lastTelemetry;
    if (last && last.key === key && atMs - last.atMs < box.settings.telemetryEveryS * 1000) {
      stats.telemetryThrottled++;
      return;
    }
    lift.lastTelemetry = { key, atMs };
    stats.telemetryKept++;
    deps.gateway.vendorIntake
      .submit(TRANSPORT, box.deviceId, 'telemetry', t as unknown as Record<string, unknown>)
      .catch((err: Error) => log.warn({ err: err.message, deviceId: box.deviceId }, 'box telemetry not stored'));
  }

  function accept(socket: Socket): void {
    if (closing) return void socket.destroy();
    const c: Conn = { socket, id: ++seq, openedAt: deps.now(), lastHeardAt: deps.now(), rest: new Uint8Array(0), badFrames: 0, badSince: deps.now(), closed: false };
    conns.add(c);
    stats.connections++;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        onData(c, chunk);
      } catch (err) {
        // The codec never throws on input; if anything here does, only this socket pays.
        log.error({ err, conn: c.id, deviceId: c.box?.deviceId }, 'box connection failed');
        end(c, 'internal error');
        socket.destroy();
      }
    });
    socket.on('error', (err) => log.debug({ conn: c.id, err: err.message }, 'box socket error'));
    socket.on('close', () => onClose(c));
    write(c, encodeNeedLogin());
  }

  const server: Server = createServer({ noDelay: true }, accept);
  server.maxConnections = opts.maxConnections;
  server.on('drop', (d) => {
    stats.refusedConnections++;
    log.warn({ ip: d?.remoteAddress, max: opts.maxConnections }, 'box connection refused: too many connections');
  });
  server.on('error', (err) => log.error({ err }, 'elevator box listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  log.info({ port, host: opts.host }, 'elevator boxes: TCP listening');

  // Boxes that never log in, boxes gone quiet: pinged, then closed at their silence limit (presence follows through `seen`).
  const sweep = setInterval(() => {
    const now = deps.now();
    for (const c of conns) {
      if (c.closed) continue;
      if (!c.box) {
        if (now - c.openedAt >= opts.loginTimeoutMs) end(c, 'no login in time');
        continue;
      }
      const quiet = now - c.lastHeardAt;
      if (quiet >= c.box.settings.silenceS * 1000) end(c, 'silent');
      else if (quiet >= opts.pingAfterMs && c.pingedAt === undefined) {
        c.pingedAt = now;
        write(c, encodePing());
      }
    }
  }, opts.sweepMs);
  sweep.unref();

  // A monitoring box takes no commands in this protocol: a command addressed to one is refused in its ack, at once.
  const unregister = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload) {
      const cmdId = String(payload.cmdId);
      const message = { id: `${cmdId}.x`, ts: iso(deps.now()), type: 'ack', cmdId, ok: false, error: 'an elevator monitoring box (elevatorcloud TCP) takes no commands' };
      deps.gateway.vendorIntake.submit(TRANSPORT, device.deviceId, 'ack', message).catch((err: Error) => log.warn({ err: err.message, cmdId }, 'ack not stored'));
    },
    forget(deviceId) {
      // Decommissioned or re-keyed: its connection ends, and its fault state is made again from the alerts if it returns.
      const c = byDevice.get(deviceId);
      if (c) end(c, 'device forgotten', encodeKick(2));
      lifts.delete(deviceId);
      index = undefined;
    },
  });

  return {
    port,
    host: opts.host,
    stats: () => ({ ...stats, open: conns.size, loggedIn: byDevice.size }),
    /** Whether a box is logged in now. */
    loggedIn: (deviceId: string) => byDevice.has(deviceId),
    async close(): Promise<void> {
      closing = true;
      clearInterval(sweep);
      unregister();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of conns) c.socket.destroy();
      await closed;
    },
  };
}

export type ElevatorboxTcp = Awaited<ReturnType<typeof startElevatorboxTcp>>;

export { MAX_FRAME_BYTES };
