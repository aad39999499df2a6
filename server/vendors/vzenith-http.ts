import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DeviceSession, Gateway, IntakeResult } from '../../gateway/index.js';
import { decodePush, encodeReply, HEARTBEAT_OK, MAX_PUSH_BYTES, type DecodedPlate, type DecodedPush, type ReplyOptions } from '../../devices/vendors/vzenith/index.js';
import type { VendorEvent } from '../../devices/vendors/vzenith/events.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorDevice, VendorRepo } from '../store/vendor-repo.js';
import { PUSH_TOKEN, tokenHash } from './connect.js';
import { pushRoute } from './push-route.js';
import { VzenithSettings } from './registration.js';

/**
 * 臻识 Vzenith over HTTP push (vendor "HTTP 推送"): the camera POSTs plate results,
 * IO triggers, serial data, heartbeats and comet polls to its push URL
 * (`/vendor/vzenith/{token}`; the token is its credential), and acts on what the
 * answer carries. Decoding is `devices/vendors/vzenith`; past this file the camera
 * is an ordinary `camera` (plate.read) and the gate it drives an ordinary `gate`
 * (gate.passage, gate.manual), through the gateway's vendor seam.
 *
 * Commands for the camera's gate are held here and ride in the next answer the
 * camera acts on: the answer to a plate push (which waits up to `replyWaitMs` for
 * the rules' decision) or to a comet poll. An answer written proves delivery, not
 * that the arm moved; the ack says so (`note`). A command still held at its
 * `expiresAt` is dropped (the gateway resends it once, then marks it failed).
 */

export const TRANSPORT = 'vzenith-http';
/** A support copy of what the camera sent, images already left out; longer ones are cut. */
const MAX_RAW_CHARS = 16 * 1024;
/** Requests that a camera sends with a credential in them: their dead letter keeps field names only. */
const CREDENTIAL_FIELDS = /pass_?wd|password|user_?name/i;

interface Held {
  device: DeviceSession;
  payload: Record<string, unknown>;
  expiresAtMs: number;
}

interface Waiter {
  purpose: 'plate' | 'poll';
  /** Takes a held command if there is one; true when it did. */
  wake(): boolean;
  /** Answers now, with nothing (shutdown). */
  end(): void;
}

export interface VzenithHttpDeps {
  gateway: Gateway;
  vendors: VendorRepo;
  devices: DeviceRepo;
  log: Logger;
  now: () => number;
}

export function createVzenithHttp(deps: VzenithHttpDeps) {
  const log = deps.log.child({ module: 'vzenith-http' });
  /** Commands waiting for the camera (`via`) that carries them. */
  const held = new Map<string, Held[]>();
  const waiters = new Map<string, Set<Waiter>>();
  /** Plate pushes being stored and decided, by camera: the decision they cause is theirs, not a comet poll's. */
  const platesInFlight = new Map<string, number>();
  const stats = { unknownToken: 0, pushes: 0, deadLetters: 0 };
  let closed = false;

  const iso = (ms: number) => new Date(ms).toISOString();

  function ack(h: Held, ok: boolean, words: string): void {
    const cmdId = String(h.payload.cmdId);
    const message = { id: `${cmdId}.${ok ? 'd' : 'x'}`, ts: iso(deps.now()), type: 'ack', cmdId, ok, ...(ok ? { note: words } : { error: words }) };
    deps.gateway.vendorIntake.submit(TRANSPORT, h.device.deviceId, 'ack', message).catch((err: Error) => log.warn({ err: err.message, cmdId }, 'ack not stored'));
  }

  /** The newest command still valid for `via`, taken off the queue; expired ones are dropped. */
  function take(via: string): Held | undefined {
    const list = held.get(via);
    if (!list) return undefined;
    const now = deps.now();
    const live = list.filter((h) => h.expiresAtMs > now);
    const h = live.pop();
    if (live.length) held.set(via, live);
    else held.delete(via);
    return h;
  }

  function wake(via: string): void {
    const set = waiters.get(via);
    if (!set) return;
    // A car waiting at the arm goes first; a comet poll takes what is left, unless a plate push is still being decided.
    const plateComing = (platesInFlight.get(via) ?? 0) > 0;
    const ordered = [...set].filter((w) => w.purpose === 'plate' || !plateComing).sort((a, b) => Number(b.purpose === 'plate') - Number(a.purpose === 'plate'));
    for (const w of ordered) {
      if (!held.has(via)) return;
      w.wake();
    }
  }

  /** A held command for `via`, now or within `ms`; undefined when none came. */
  function waitFor(via: string, purpose: Waiter['purpose'], ms: number): Promise<Held | undefined> {
    const now = take(via);
    if (now || ms <= 0 || closed) return Promise.resolve(now);
    return new Promise((resolve) => {
      let set = waiters.get(via);
      if (!set) waiters.set(via, (set = new Set()));
      const done = (h: Held | undefined) => {
        clearTimeout(timer);
        set!.delete(w);
        if (set!.size === 0) waiters.delete(via);
        resolve(h);
      };
      const w: Waiter = {
        purpose,
        wake: () => {
          const h = take(via);
          if (h) done(h);
          return !!h;
        },
        end: () => done(undefined),
      };
      const timer = setTimeout(() => done(take(via)), ms);
      set.add(w);
    });
  }

  const unregister = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload, via) {
      const expiresAtMs = typeof payload.expiresAt === 'string' ? Date.parse(payload.expiresAt) : deps.now() + 10_000;
      const list = (held.get(via) ?? []).filter((h) => {
        // A gate shows one thing at a time: a newer command replaces one the camera has not been given yet.
        if (h.device.deviceId !== device.deviceId || h.payload.cmdId === payload.cmdId) return h.payload.cmdId !== payload.cmdId;
        ack(h, false, `superseded by ${String(payload.type)} ${String(payload.cmdId)} before the camera asked for it`);
        return false;
      });
      list.push({ device, payload, expiresAtMs });
      held.set(via, list);
      wake(via);
    },
    forget(deviceId) {
      held.delete(deviceId);
      for (const [via, list] of held) {
        const kept = list.filter((h) => h.device.deviceId !== deviceId);
        if (kept.length) held.set(via, kept);
        else held.delete(via);
      }
    },
  });

  /** The answer body for a held command (if any) and a backlog record's handshake; a command that cannot be encoded is refused in its ack. */
  function answer(opts: ReplyOptions, cmd: Held | undefined, extra: { plateId?: number; continuePushOffline?: { plateId: number; continue: boolean } }): { json: string; delivered?: { held: Held; note: string } } {
    if (cmd) {
      const encoded = encodeReply({ command: cmd.payload, ...extra }, { ...opts, now: iso(deps.now()) });
      if (encoded.ok) {
        const dropped = encoded.dropped.map((d) => `${d.what} dropped (${d.rejection.reason})`).join('; ');
        const note = `delivered in the HTTP reply; the camera does not report whether the arm moved${dropped ? `; ${dropped}` : ''}`.slice(0, 200);
        return { json: encoded.json, delivered: { held: cmd, note } };
      }
      if (encoded.reason !== 'expired') ack(cmd, false, encoded.message.slice(0, 200));
    }
    const plain = encodeReply(extra, opts);
    return { json: plain.ok ? plain.json : JSON.stringify(HEARTBEAT_OK) };
  }

  async function submitEvents(camera: VendorDevice, gateId: string | undefined, events: VendorEvent[], raw: string | undefined): Promise<{ read?: IntakeResult; all: IntakeResult[] }> {
    const vendorRaw = raw === undefined ? undefined : { vendor: 'vzenith', raw };
    let read: IntakeResult | undefined;
    const all = await Promise.all(
      events.map(async (e) => {
        // The camera reads plates; what the arm did belongs to the gate it drives.
        const target = e.kind === 'camera' ? camera.deviceId : gateId;
        if (!target) {
          log.info({ deviceId: camera.deviceId, type: e.message.type }, 'camera drives no gate of its own: event not kept');
          return 'rejected' as const;
        }
        const r = await deps.gateway.vendorIntake.submit(TRANSPORT, target, 'event', e.message as unknown as Record<string, unknown>, vendorRaw);
        if (e.kind === 'camera') read = r;
        return r;
      }),
    );
    return { read, all };
  }

  const rawOf = (raw: unknown): string => {
    // Inline images are not kept in this version (the instructions say to leave them off): the support copy says so.
    const text = JSON.stringify(raw).replaceAll(' base64 characters, stored apart>', ' base64 characters, not kept>');
    return text.length <= MAX_RAW_CHARS ? text : JSON.stringify({ cut: true, chars: text.length, head: text.slice(0, MAX_RAW_CHARS) });
  };

  /** What of a refused body may be kept: field names only when it carries a login, else its head. */
  function excerptOf(body: Buffer): Buffer {
    const head = body.subarray(0, 4096).toString('latin1');
    if (!CREDENTIAL_FIELDS.test(head) && !CREDENTIAL_FIELDS.test(body.toString('latin1'))) return body;
    const names = [...new Set([...head.matchAll(/name\s*=\s*"([^"]{1,32})"|(?:^|&)([\w.-]{1,32})=/g)].map((m) => m[1] ?? m[2]))].slice(0, 16);
    return Buffer.from(`(a form with a login in it: kept are its field names only) ${names.join(', ')}`);
  }

  async function deadLetter(camera: VendorDevice, body: Buffer, why: { reason: string; field: string; message: string }): Promise<void> {
    stats.deadLetters++;
    await deps.gateway.vendorIntake.deadLetter(TRANSPORT, camera.deviceId, why, excerptOf(body), body.length).catch((err: Error) => log.warn({ err: err.message }, 'dead letter not stored'));
  }

  /** The camera behind a push URL, or undefined (unknown token, another vendor's, retired). */
  function cameraOf(token: string): VendorDevice | undefined {
    if (!PUSH_TOKEN.test(token)) return undefined;
    const v = deps.vendors.byTokenHash(tokenHash(token));
    if (!v || v.vendor !== 'vzenith' || v.transport !== 'http') return undefined;
    const info = deps.devices.info(v.deviceId);
    return info?.status === 'active' ? v : undefined;
  }

  function replyOptions(settings: VzenithSettings): ReplyOptions {
    return { open: settings.open, voice: settings.voice, ...(settings.board ? { board: settings.board } : {}) };
  }

  async function handle(req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    const camera = cameraOf(req.params.token);
    if (!camera) {
      stats.unknownToken++;
      log.info({ ip: req.ip }, 'push to an unknown address: refused');
      return reply.code(404).send({ code: 'NOT_FOUND', message: 'no camera has this push address' });
    }
    stats.pushes++;
    const info = deps.devices.info(camera.deviceId)!;
    const lane = info.props as { gateId?: string; direction?: 'in' | 'out' };
    const parsedSettings = VzenithSettings.safeParse(camera.settings);
    const settings = parsedSettings.success ? parsedSettings.data : VzenithSettings.parse({});
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const receivedAt = iso(deps.now());
    let decoded: ReturnType<typeof decodePush>;
    try {
      decoded = decodePush(body, { receivedAt, direction: lane.direction, utcOffsetMinutes: 480, contentType: req.headers['content-type'] });
    } catch (err) {
      // The codec never throws on input; if it ever does, the body is still only a dead letter.
      log.error({ err, deviceId: camera.deviceId }, 'vzenith codec threw');
      decoded = { ok: false, reason: 'schema', field: '', message: 'payload: could not be read' };
    }
    if (!decoded.ok) {
      await deadLetter(camera, body, decoded);
      return reply.code(400).send({ code: 'BAD_PUSH', reason: decoded.reason, message: decoded.message });
    }
    const push = decoded.push;
    const serialNo = 'serialNo' in push ? push.serialNo : undefined;
    if (serialNo !== undefined && serialNo !== camera.serialNo) {
      await deadLetter(camera, body, { reason: 'schema', field: 'serialno', message: `serialno: ${serialNo} is not the camera registered at this push address (${camera.serialNo})` });
      return reply.code(400).send({ code: 'WRONG_SERIAL', reason: 'schema', message: 'serialno: not the camera registered at this push address' });
    }
    // Any push is the camera (and the gate it drives) heard from; silent for three heartbeats, both are offline.
    const carried = deps.vendors.carried(camera.deviceId);
    deps.gateway.vendorIntake.seen([camera.deviceId, ...carried], settings.heartbeatS * 3000);
    const gateId = lane.gateId && carried.includes(lane.gateId) ? lane.gateId : undefined;
    const opts = replyOptions(settings);

    let out: ReturnType<typeof answer>;
    try {
      out = await respond(push, camera, gateId, settings, opts, decoded.raw);
    } catch (err) {
      // Intake refused (closing) or the store failed: nothing was stored, so nothing is acknowledged; the camera resends.
      log.error({ err, deviceId: camera.deviceId }, 'push not stored');
      return reply.code(503).send({ code: 'UNAVAILABLE', message: 'not stored; send again' });
    }
    const delivered = out.delivered;
    if (delivered) {
      reply.raw.once('finish', () => ack(delivered.held, true, delivered.note));
      reply.raw.once('close', () => {
        // Not written to the socket: the command goes back to wait for the next answer, if still valid.
        if (!reply.raw.writableFinished && delivered.held.expiresAtMs > deps.now()) {
          held.set(camera.deviceId, [...(held.get(camera.deviceId) ?? []), delivered.held]);
        }
      });
    }
    return reply.header('content-type', 'application/json; charset=utf-8').send(out.json);
  }

  async function respond(push: DecodedPush, camera: VendorDevice, gateId: string | undefined, settings: VzenithSettings, opts: ReplyOptions, raw: unknown): Promise<ReturnType<typeof answer>> {
    switch (push.kind) {
      case 'heartbeat':
        // 普通心跳: the camera does not act on the answer, so nothing may ride in it.
        if (settings.heartbeat === 'plain') return { json: JSON.stringify(HEARTBEAT_OK) };
        return answer(opts, await waitFor(camera.deviceId, 'poll', settings.cometHoldMs), {});
      case 'plate':
        return plate(push, camera, gateId, settings, opts, raw);
      case 'gio-in': {
        if (push.warnings.length) log.debug({ deviceId: camera.deviceId, warnings: push.warnings }, 'IO input: no event');
        await submitEvents(camera, gateId, push.events, rawOf(raw));
        return { json: JSON.stringify(HEARTBEAT_OK) };
      }
      case 'serial':
        log.debug({ deviceId: camera.deviceId, bytes: push.bytes.length, board: 'ok' in push.board ? push.board.reason : 'frame' }, 'serial data from the camera');
        return { json: JSON.stringify(HEARTBEAT_OK) };
      default:
        return { json: JSON.stringify(HEARTBEAT_OK) };
    }
  }

  async function plate(p: DecodedPlate, camera: VendorDevice, gateId: string | undefined, settings: VzenithSettings, opts: ReplyOptions, raw: unknown): Promise<ReturnType<typeof answer>> {
    const via = camera.deviceId;
    platesInFlight.set(via, (platesInFlight.get(via) ?? 0) + 1);
    try {
      return await decided(p, camera, gateId, settings, opts, raw);
    } finally {
      const n = (platesInFlight.get(via) ?? 1) - 1;
      if (n > 0) platesInFlight.set(via, n);
      else platesInFlight.delete(via);
      wake(via); // what the push did not take, a held comet poll may
    }
  }

  async function decided(p: DecodedPlate, camera: VendorDevice, gateId: string | undefined, settings: VzenithSettings, opts: ReplyOptions, raw: unknown): Promise<ReturnType<typeof answer>> {
    const { read } = await submitEvents(camera, gateId, p.events, rawOf(raw));
    if (p.offline) {
      // §2.1.2: a backlog record is answered with its plateid and "continue"; the camera then sends the next one.
      if (p.plateId === undefined) return { json: JSON.stringify(HEARTBEAT_OK) };
      return answer(opts, undefined, { continuePushOffline: { plateId: p.plateId, continue: true } });
    }
    // The rules decide in the same turn as the store (a few ms); wait a bounded while in case they do not.
    // A repeat of a stored read (the camera resending) gets no second decision: only what is still held.
    const cmd = read === 'stored' ? await waitFor(camera.deviceId, 'plate', settings.replyWaitMs) : take(camera.deviceId);
    return answer(opts, cmd, p.plateId !== undefined ? { plateId: p.plateId } : {});
  }

  /** The Fastify route: public, the token in the path is the credential (push-route.ts). */
  const routes = pushRoute({ vendor: 'vzenith', maxBytes: MAX_PUSH_BYTES, unmaskedBecause: 'a camera’s own protocol: the answer tells the camera at its lane what to do and show', log, cameraOf, deadLetter, handle });

  return {
    routes,
    stats: () => ({ ...stats, held: [...held.values()].reduce((n, l) => n + l.length, 0) }),
    /** Answers every held request now (without a command) and stops taking new commands. */
    close(): void {
      closed = true;
      for (const set of [...waiters.values()]) for (const w of [...set]) w.end();
      unregister();
    },
  };
}

export type VzenithHttp = ReturnType<typeof createVzenithHttp>;
