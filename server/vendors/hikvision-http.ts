import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { DeviceSession, Gateway } from '../../gateway/index.js';
import { GateConfig } from '../../devices/gate/schemas.js';
import {
  decodeBarrierGateStatus,
  decodeNotification,
  decodeResponseStatus,
  decodeWhitelistPage,
  digestAuthorization,
  encodeGateCommand,
  MAX_NOTIFICATION_BYTES,
  parseDigestChallenge,
  whitelistAddRequests,
  whitelistDeleteRequest,
  whitelistDiff,
  whitelistSearchRequest,
  type DigestChallenge,
  type IsapiRequest,
} from '../../devices/vendors/hikvision/index.js';
import type { DeviceRepo } from '../store/index.js';
import type { VendorDevice, VendorRepo } from '../store/vendor-repo.js';
import { PUSH_TOKEN, tokenHash } from './connect.js';
import { pushRoute } from './push-route.js';
import { HikvisionSettings } from './registration.js';

/**
 * Hikvision ISAPI entrance cameras (issue 12, item 3). Two directions:
 *
 * - In: the camera's HTTP listening host (报警主机) POSTs `EventNotificationAlert`
 *   (XML, or multipart with JPEGs) to its push URL `/vendor/hikvision/{token}` (the
 *   token is its credential). Decoding is `devices/vendors/hikvision`; an ANPR read
 *   becomes the camera's `plate.read` through the vendor seam, a heartbeat
 *   (`eventState` inactive) keeps the camera and its gate online. Pictures are never
 *   kept: only a picture URL the camera itself serves, as the read's `imageRef`.
 * - Out: the gate the camera drives gets its commands here as ISAPI calls to the
 *   registered `address`, with HTTP Digest (RFC 7616) and the registered login. A
 *   200 to `barrierGate` open proves nothing (a locked barrier answers it too): the
 *   ack is `ok` only once `barrierGateStatus` reads open; an arm that stays down is a
 *   failed ack with the reason.
 *
 * The ISAPI password is unsealed from the store for each command, used in the
 * Digest hash only, and never logged, answered or put in a dead letter or raw copy.
 */

export const TRANSPORT = 'hikvision-http';
/** One ISAPI call, connection to answer. */
const CALL_TIMEOUT_MS = 3000;
/** An ISAPI answer read at most this long (a ResponseStatus, a status read). */
const MAX_ANSWER_BYTES = 64 * 1024;
/** How often the arm is read after the camera accepted an open (for up to `confirmWithinMs`, 4 s by default). */
const CONFIRM_EVERY_MS = 100;
const OK_ANSWER = '<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="2.0"><statusCode>1</statusCode><statusString>OK</statusString></ResponseStatus>';

/** How registration told us to call the camera (`settings.call`); the password lives apart, sealed. */
interface CallSettings {
  address: string;
  username: string;
}

/** Per camera: the Digest challenge in use and how many times its nonce was used. */
interface DigestState {
  challenge?: DigestChallenge;
  nc: number;
}

export class IsapiError extends Error {}

export interface HikvisionHttpDeps {
  gateway: Gateway;
  vendors: VendorRepo;
  devices: DeviceRepo;
  log: Logger;
  now: () => number;
  /** The gate's last published config and the version it reported holding (the parking store), so a restart does not leave a camera's list behind. */
  savedConfig?: (gateId: string) => { config: Record<string, unknown>; reportedVersion?: number } | undefined;
  /** Tests: a faster confirm. */
  confirmWithinMs?: number;
}

export function createHikvisionHttp(deps: HikvisionHttpDeps) {
  const log = deps.log.child({ module: 'hikvision-http' });
  const stats = { unknownToken: 0, pushes: 0, deadLetters: 0, calls: 0, unauthorized: 0 };
  const digest = new Map<string, DigestState>();
  /** ISAPI calls to one camera go one after another (the Digest `nc` counts up in order, the arm sees one command at a time). */
  const queues = new Map<string, Promise<void>>();
  const forgotten = new Set<string>();
  let closed = false;
  const iso = (ms: number) => new Date(ms).toISOString();

  function ack(device: DeviceSession, payload: Record<string, unknown>, ok: boolean, words: string): void {
    const cmdId = String(payload.cmdId);
    const message = { id: `${cmdId}.${ok ? 'd' : 'x'}`, ts: iso(deps.now()), type: 'ack', cmdId, ok, ...(ok ? { note: words.slice(0, 200) } : { error: words.slice(0, 200) }) };
    deps.gateway.vendorIntake.submit(TRANSPORT, device.deviceId, 'ack', message).catch((err: Error) => log.warn({ err: err.message, cmdId }, 'ack not stored'));
  }

  /** The camera's registered settings (`vendorSettings`), defaults where unset; `call` is kept beside them. */
  function settingsOf(camera: VendorDevice | undefined): HikvisionSettings {
    const { call: _call, ...rest } = (camera?.settings ?? {}) as Record<string, unknown>;
    const parsed = HikvisionSettings.safeParse(rest);
    return parsed.success ? parsed.data : HikvisionSettings.parse({});
  }

  function callSettings(camera: VendorDevice): CallSettings | undefined {
    const call = (camera.settings as { call?: unknown }).call as Partial<CallSettings> | undefined;
    return typeof call?.address === 'string' && typeof call.username === 'string' ? { address: call.address, username: call.username } : undefined;
  }

  /** One ISAPI request with Digest: reuses the camera's nonce (nc + 1), answers a 401 once with its new challenge, stops after two 401s in a row. */
  async function isapi(cameraId: string, call: CallSettings, password: string, req: IsapiRequest): Promise<{ status: number; body: Buffer }> {
    const state = digest.get(cameraId) ?? { nc: 0 };
    digest.set(cameraId, state);
    let unauthorized = 0;
    for (;;) {
      const headers: Record<string, string> = {};
      if (req.contentType) headers['content-type'] = `${req.contentType}; charset=UTF-8`;
      if (state.challenge) {
        state.nc += 1;
        const auth = digestAuthorization({ challenge: state.challenge, username: call.username, password, method: req.method, uri: req.path, cnonce: randomBytes(12).toString('hex'), nc: state.nc });
        if (typeof auth !== 'string') throw new IsapiError(auth.message);
        headers.authorization = auth;
      }
      stats.calls++;
      let res: Response;
      try {
        res = await fetch(`${call.address}${req.path}`, { method: req.method, headers, body: req.body, signal: AbortSignal.timeout(CALL_TIMEOUT_MS), redirect: 'manual' });
      } catch (err) {
        const e = err as Error;
        throw new IsapiError(e.name === 'TimeoutError' ? `the camera did not answer ${req.purpose} within ${CALL_TIMEOUT_MS / 1000} s` : `the camera could not be reached for ${req.purpose} (${(e.cause as Error | undefined)?.message ?? e.message})`.slice(0, 160));
      }
      const body = await readCapped(res);
      if (res.status !== 401) return { status: res.status, body };
      stats.unauthorized++;
      unauthorized++;
      const fresh = parseDigestChallenge(res.headers.get('www-authenticate') ?? undefined);
      // Two 401s in a row: the login is wrong (or the camera keeps refusing); asking again would only lock the account.
      if (unauthorized >= 2) {
        state.challenge = undefined;
        throw new IsapiError(`the camera refused the login for ${req.purpose} (401 twice): check the username and password registered for it`);
      }
      if ('ok' in fresh) throw new IsapiError(`the camera's Digest challenge cannot be answered: ${fresh.message}`);
      state.challenge = fresh;
      state.nc = 0;
    }
  }

  async function readCapped(res: Response): Promise<Buffer> {
    const declared = Number(res.headers.get('content-length'));
    if (declared > MAX_ANSWER_BYTES) {
      await res.body?.cancel();
      return Buffer.alloc(0);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel();
        break;
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }

  /** What an answer to a command request says: accepted or why not. */
  function accepted(req: IsapiRequest, status: number, body: Buffer): string | undefined {
    if (status < 200 || status >= 300) {
      const s = decodeResponseStatus(body);
      return `${req.purpose}: HTTP ${status}${'accepted' in s ? ` (statusCode ${s.statusCode}${s.subStatusCode ? ` ${s.subStatusCode}` : ''})` : ''}`;
    }
    if (body.length === 0) return undefined;
    const s = decodeResponseStatus(body);
    if ('accepted' in s && !s.accepted) return `${req.purpose}: the camera answered statusCode ${s.statusCode}${s.subStatusCode ? ` ${s.subStatusCode}` : ''}`;
    return undefined;
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Reads the arm until it is 开到位 or the time is up; the last status read, or why none could be read. */
  async function confirmOpen(cameraId: string, call: CallSettings, password: string, req: IsapiRequest, withinMs: number): Promise<{ open: true } | { open: false; why: string }> {
    const until = Date.now() + (deps.confirmWithinMs ?? withinMs);
    let last = 'no status read';
    for (;;) {
      const { status, body } = await isapi(cameraId, call, password, req);
      if (status === 200) {
        const s = decodeBarrierGateStatus(body);
        if ('status' in s) {
          if (s.status === 'open') return { open: true };
          last = s.status === 'closed' ? 'barrierGateStatus still reads 关到位 (closed)' : 'barrierGateStatus reads 0 (no limit-switch signal)';
        } else last = `barrierGateStatus unreadable (${s.reason})`;
      } else last = `barrierGateStatus: HTTP ${status}`;
      if (Date.now() + CONFIRM_EVERY_MS > until) return { open: false, why: last };
      await sleep(CONFIRM_EVERY_MS);
    }
  }

  async function carryOut(device: DeviceSession, payload: Record<string, unknown>, via: string): Promise<void> {
    const camera = deps.vendors.get(via);
    const call = camera && callSettings(camera);
    if (!camera || !call) return ack(device, payload, false, `camera ${via} has no ISAPI address and login registered`);
    const settings = settingsOf(camera);
    const encoded = encodeGateCommand(payload, { now: deps.now(), channel: settings.channel ?? 1, display: settings.display, ...(settings.volume !== undefined ? { volume: settings.volume } : {}) });
    if ('reason' in encoded) {
      // An expired command is the gateway's to resend or fail; anything else cannot be sent to this camera.
      if (encoded.reason !== 'expired') ack(device, payload, false, encoded.message);
      return;
    }
    const password = deps.vendors.credential(via);
    if (password === undefined) return ack(device, payload, false, `camera ${via}: its ISAPI password cannot be read (register the camera again)`);
    const t0 = performance.now();
    const problems: string[] = [];
    let armOk: boolean | undefined;
    try {
      for (const req of encoded.requests) {
        const { status, body } = await isapi(via, call, password, req);
        const refused = accepted(req, status, body);
        if (req.purpose === 'barrier') {
          if (refused) return ack(device, payload, false, `the camera did not take the open: ${refused}`);
          const confirmed = await confirmOpen(via, call, password, encoded.confirm!.request, settings.confirmWithinMs);
          if (!confirmed.open) return ack(device, payload, false, `the camera accepted the open but the arm did not rise: ${confirmed.why} (is the barrier locked?)`);
          armOk = true;
          log.info({ deviceId: device.deviceId, via, cmdId: payload.cmdId, ms: Math.round(performance.now() - t0) }, 'barrier open confirmed');
        } else if (refused) problems.push(refused);
      }
    } catch (err) {
      if (!(err instanceof IsapiError)) log.error({ err, deviceId: device.deviceId }, 'ISAPI command failed');
      const why = err instanceof IsapiError ? err.message : 'the ISAPI call failed';
      // The arm moved and was confirmed: a screen or voice that failed afterwards does not undo that.
      if (armOk) return ack(device, payload, true, `barrier open confirmed by barrierGateStatus; ${why}`);
      return ack(device, payload, false, why);
    }
    const extra = [...problems, ...encoded.warnings].join('; ');
    const what = armOk ? 'barrier open confirmed by barrierGateStatus' : 'accepted by the camera (ISAPI statusCode 1)';
    if (!armOk && problems.length && problems.length === encoded.requests.length) return ack(device, payload, false, extra);
    ack(device, payload, true, extra ? `${what}; ${extra}` : what);
  }

  /** Runs `fn` after everything already queued for camera `via`; one ISAPI exchange at a time per camera. */
  function run<T>(via: string, fn: () => Promise<T>): Promise<T> {
    const prev = queues.get(via) ?? Promise.resolve();
    const result = prev.then(fn);
    const next = result.then(
      () => undefined,
      () => undefined,
    );
    queues.set(via, next);
    void next.then(() => {
      if (queues.get(via) === next) queues.delete(via);
    });
    return result;
  }

  // ── the camera's own plate list (offline opening) ──────────────────────────────────────────────

  /** Per gate: the newest config to put on its camera, and whether a sync is running. */
  const whitelists = new Map<string, { device: DeviceSession; via: string; config: GateConfig; held?: number; running: boolean; notBefore?: number }>();
  /** Gates whose saved config was looked at once since start. */
  const restored = new Set<string>();
  /** After a failed sync, the next try waits this long; after a refused login longer, so retries never lock the camera's account. */
  const SYNC_RETRY_MS = 30_000;
  const SYNC_RETRY_AFTER_LOGIN_MS = 10 * 60_000;

  /** Puts the gate's compiled whitelist on its camera as a diff (add / delete), one request at a time between commands. */
  async function syncWhitelist(gateId: string): Promise<void> {
    const w = whitelists.get(gateId);
    if (!w || w.running || w.held === w.config.version || closed) return;
    w.running = true;
    const { config, via, device } = w;
    try {
      const camera = deps.vendors.get(via);
      const call = camera && callSettings(camera);
      const password = deps.vendors.credential(via);
      if (!call || password === undefined) return void log.warn({ gateId, via }, 'whitelist not put on the camera: no ISAPI address or login');
      const wanted = config.offlineMode === 'whitelist' ? config.plates : [];
      const held: string[] = [];
      const searchId = randomBytes(8).toString('hex');
      for (let position = 0; position < 20_000; ) {
        const req = whitelistSearchRequest({ channel: settingsOf(camera).channel ?? 1, searchId, position, max: 50 });
        if ('reason' in req) throw new IsapiError(req.message);
        const { status, body } = await run(via, () => isapi(via, call, password, req));
        if (status !== 200) throw new IsapiError(`whitelist search: HTTP ${status}`);
        const page = decodeWhitelistPage(body);
        if (!('plates' in page)) throw new IsapiError(`whitelist search: ${page.message}`);
        held.push(...page.plates);
        if (!page.more || page.plates.length === 0) break;
        position += page.plates.length;
      }
      const diff = whitelistDiff(held, wanted);
      const channel = settingsOf(camera).channel ?? 1;
      const adds = whitelistAddRequests(diff.add.map((plate) => ({ plate })), { now: deps.now(), channel });
      if (!Array.isArray(adds)) throw new IsapiError(adds.message);
      const deletes = diff.remove.map((plate) => whitelistDeleteRequest(plate, { channel })).filter((r): r is IsapiRequest => !('reason' in r));
      for (const req of [...adds, ...deletes]) {
        const { status, body } = await run(via, () => isapi(via, call, password, req));
        const refused = accepted(req, status, body);
        if (refused) throw new IsapiError(refused);
      }
      w.held = config.version;
      w.notBefore = undefined;
      log.info({ gateId, via, version: config.version, added: diff.add.length, removed: diff.remove.length, held: wanted.length }, 'whitelist on the camera');
      // The gate now holds this version: reported as a contract gate reports it, so the committee sees it current.
      const message = { id: `${gateId}.wl.${config.version}.${deps.now()}`, ts: iso(deps.now()), type: 'telemetry', configVersion: config.version };
      await deps.gateway.vendorIntake.submit(TRANSPORT, device.deviceId, 'telemetry', message).catch((err: Error) => log.warn({ err: err.message, gateId }, 'whitelist version not stored'));
    } catch (err) {
      // Tried again when the camera is next heard from, not before a while.
      const login = err instanceof IsapiError && /refused the login/.test(err.message);
      w.notBefore = deps.now() + (login ? SYNC_RETRY_AFTER_LOGIN_MS : SYNC_RETRY_MS);
      log.warn({ gateId, via, version: config.version, err: err instanceof IsapiError ? err.message : String(err) }, 'whitelist not put on the camera yet');
    } finally {
      w.running = false;
      // Done, and a newer version arrived meanwhile: go again (a failure waits for the camera to be heard from).
      if (w.held === config.version && w.config.version !== config.version) void syncWhitelist(gateId);
    }
  }

  const unregister = deps.gateway.registerTransport(TRANSPORT, {
    deliver(device, payload, via) {
      if (closed) return;
      forgotten.delete(device.deviceId);
      run(via, () => (forgotten.has(device.deviceId) || closed ? Promise.resolve() : carryOut(device, payload, via))).catch((err: unknown) =>
        log.error({ err, deviceId: device.deviceId }, 'ISAPI command failed'),
      );
    },
    config(device, config, via) {
      const parsed = GateConfig.safeParse(config);
      if (!parsed.success) return void log.warn({ deviceId: device.deviceId }, 'config not put on the camera: not a gate whitelist');
      const prev = whitelists.get(device.deviceId);
      if (prev) Object.assign(prev, { device, via, config: parsed.data });
      else whitelists.set(device.deviceId, { device, via, config: parsed.data, running: false });
      void syncWhitelist(device.deviceId);
    },
    forget(deviceId) {
      forgotten.add(deviceId);
      digest.delete(deviceId);
      whitelists.delete(deviceId);
    },
  });

  /** The camera behind a push URL, or undefined (unknown token, another vendor's, retired). */
  function cameraOf(token: string): VendorDevice | undefined {
    if (!PUSH_TOKEN.test(token)) return undefined;
    const v = deps.vendors.byTokenHash(tokenHash(token));
    if (!v || v.vendor !== 'hikvision' || v.transport !== 'http') return undefined;
    const info = deps.devices.info(v.deviceId);
    return info?.status === 'active' ? v : undefined;
  }

  async function deadLetter(camera: VendorDevice, body: Buffer, why: { reason: string; field: string; message: string }): Promise<void> {
    stats.deadLetters++;
    // The head of what was sent (an event push carries no login); pictures past it are not kept.
    await deps.gateway.vendorIntake.deadLetter(TRANSPORT, camera.deviceId, why, body.subarray(0, 2048), body.length).catch((err: Error) => log.warn({ err: err.message }, 'dead letter not stored'));
  }

  const answerOk = (reply: FastifyReply) => reply.code(200).header('content-type', 'application/xml; charset=utf-8').send(OK_ANSWER);

  /** Every answer is `return reply`: an object body is serialised after async hooks, and an async handler that returned undefined before that would be answered twice. */
  async function handle(req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply): Promise<FastifyReply> {
    const camera = cameraOf(req.params.token);
    if (!camera) {
      stats.unknownToken++;
      log.info({ ip: req.ip }, 'push to an unknown address: refused');
      return reply.code(404).send({ code: 'NOT_FOUND', message: 'no camera has this push address' });
    }
    stats.pushes++;
    const lane = deps.devices.info(camera.deviceId)!.props as { gateId?: string; direction?: 'in' | 'out' };
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const decoded = decodeNotification(body, req.headers['content-type'], { receivedAt: iso(deps.now()), direction: lane.direction, serialNo: camera.serialNo ?? undefined, utcOffsetMinutes: 480, ...(settingsOf(camera).channel !== undefined ? { channel: settingsOf(camera).channel } : {}) });
    if (!decoded.ok) {
      await deadLetter(camera, body, decoded);
      return reply.code(400).send({ code: 'BAD_PUSH', reason: decoded.reason, message: decoded.message });
    }
    const carried = deps.vendors.carried(camera.deviceId);
    // Silent for three of its heartbeats, the camera and its gate are offline.
    deps.gateway.vendorIntake.seen([camera.deviceId, ...carried], settingsOf(camera).heartbeatS * 3000);
    // Heard from: a whitelist it does not hold yet is tried again; after a restart, the one last published.
    for (const gate of carried) {
      if (!whitelists.has(gate) && !restored.has(gate)) {
        restored.add(gate);
        const saved = deps.savedConfig?.(gate);
        const parsed = saved && GateConfig.safeParse(saved.config);
        const info = deps.devices.info(gate);
        if (info && parsed?.success && saved!.reportedVersion !== parsed.data.version) {
          whitelists.set(gate, { device: { deviceId: gate, estateId: info.estateId, kind: 'gate' }, via: camera.deviceId, config: parsed.data, running: false });
        }
      }
      const w = whitelists.get(gate);
      if (w && (w.notBefore === undefined || w.notBefore <= deps.now())) void syncWhitelist(gate);
    }
    const n = decoded.notification;
    if (n.kind !== 'plate') {
      if (n.kind === 'ignored') log.debug({ deviceId: camera.deviceId, eventType: n.eventType, why: n.why }, 'event not kept');
      return answerOk(reply);
    }
    if (decoded.warnings.length) log.debug({ deviceId: camera.deviceId, warnings: decoded.warnings }, 'ANPR push warnings');
    // Pictures: never stored nor inlined; the read refers to one only by a URL the camera serves (imageRef).
    if (n.images.length) log.debug({ deviceId: camera.deviceId, pictures: n.images.length, bytes: n.images.reduce((s, i) => s + i.bytes.length, 0) }, 'pictures not kept');
    const gateId = lane.gateId && carried.includes(lane.gateId) ? lane.gateId : undefined;
    // vendor_raw holds JSON: the XML the camera sent (already cut to 16 K by the codec) as a JSON string.
    const rawJson = JSON.stringify(decoded.raw);
    try {
      await Promise.all(
        n.events.map((e) => {
          const target = e.kind === 'camera' ? camera.deviceId : gateId;
          if (!target) return undefined;
          return deps.gateway.vendorIntake.submit(TRANSPORT, target, 'event', e.message as unknown as Record<string, unknown>, { vendor: 'hikvision', raw: rawJson });
        }),
      );
    } catch (err) {
      log.error({ err, deviceId: camera.deviceId }, 'push not stored');
      return reply.code(503).send({ code: 'UNAVAILABLE', message: 'not stored; send again' });
    }
    return answerOk(reply);
  }

  /** The Fastify route: public, the token in the path is the credential (push-route.ts). */
  const routes = pushRoute({ vendor: 'hikvision', maxBytes: MAX_NOTIFICATION_BYTES, unmaskedBecause: 'a camera’s own protocol: the answer is a bare ResponseStatus with nothing personal in it', log, cameraOf, deadLetter, handle });

  return {
    routes,
    stats: () => ({ ...stats, queued: queues.size }),
    /** Stops taking commands; calls under way finish on their own (each is bounded by its timeout). */
    close(): void {
      closed = true;
      unregister();
    },
  };
}

export type HikvisionHttp = ReturnType<typeof createHikvisionHttp>;
