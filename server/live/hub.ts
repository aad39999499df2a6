import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Gateway } from '../../gateway/index.js';
import type { AuthUser } from '../auth/sessions.js';
import type { Privacy } from '../privacy/personal-data.js';
import { covers, estateScope, type EstateScope, type ScopeStore } from './estate-scope.js';

/** Everything broadcast is about one estate: the type makes a new event say which, so no feed can leak it to another. */
export type LiveMessage = Record<string, unknown> & { type: string; estateId: string; kind?: string; event?: { type?: string } };

/** What each role may receive on `/live`. Residents see chargers' presence and port states only. */
function allowed(role: AuthUser['role'], msg: LiveMessage): boolean {
  if (role !== 'resident') return msg.type !== 'device.telemetry' || role === 'committee' || role === 'volunteer';
  if (msg.kind !== 'charger') return false;
  return msg.type === 'device.online' || msg.type === 'device.offline' || msg.type === 'shed.changed' || (msg.type === 'device.event' && msg.event?.type === 'port.state');
}

/** A dashboard that cannot keep up is dropped rather than let its buffer grow without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Telemetry to the live feed at most once per device per this many ms. */
const TELEMETRY_THROTTLE_MS = 5_000;
/** How often sockets are checked for an expired session: an expired one closes at most this late. */
const EXPIRY_SWEEP_MS = 250;
/** The close code for a session that ended (logout, expiry, password, switched off); the dashboard then shows its login page. */
export const SESSION_ENDED = 4401;

/** The session a socket was opened with: its token's digest and when it expires (ms). */
export interface LiveSession {
  tokenHash: string;
  expiresAt: number;
}

/** Personal data in live messages: masked by role over the whole message (server/privacy/), like every HTTP answer. */
export type LivePrivacy = Pick<Privacy, 'mask' | 'seesAll' | 'hasOwnData'>;

export function createLiveHub(deps: { gateway: Gateway; log: Logger; store: ScopeStore; privacy: LivePrivacy; now?: () => number }) {
  const now = deps.now ?? Date.now;
  /**
   * The estates a socket's person may see are read once, when it connects (as its
   * token is checked once): joining or leaving a roster or household takes effect
   * at the next connection, which a dashboard makes on every page load.
   */
  const clients = new Map<WebSocket, { user: AuthUser; scope: EstateScope; session: LiveSession }>();
  const lastTelemetry = new Map<string, number>();

  const taps: ((msg: LiveMessage) => void)[] = [];

  /**
   * The message as this person may read it: whole for the committee; masked for
   * everyone else, once for all who own nothing in it, apart for a person whose
   * own household's data it may hold (shown to them in full).
   */
  function textFor(user: AuthUser, msg: Record<string, unknown>, shared: { full?: string; masked?: string }): string {
    if (deps.privacy.seesAll(user)) return (shared.full ??= JSON.stringify(msg));
    if (deps.privacy.hasOwnData(user)) return JSON.stringify(deps.privacy.mask(msg, user));
    return (shared.masked ??= JSON.stringify(deps.privacy.mask(msg, undefined)));
  }

  function broadcast(msg: LiveMessage): void {
    for (const tap of taps) tap(msg);
    if (clients.size === 0) return;
    const shared = {};
    for (const [ws, { user, scope }] of clients) {
      if (!covers(scope, msg.estateId) || !allowed(user.role, msg)) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.terminate();
        continue;
      }
      ws.send(textFor(user, msg, shared));
    }
  }

  deps.gateway.on('presence', (p) =>
    broadcast({ type: p.online ? 'device.online' : 'device.offline', estateId: p.estateId, deviceId: p.deviceId, kind: p.kind, at: p.at }),
  );
  deps.gateway.on('message', (m) => {
    if (m.channel === 'ack') return;
    if (m.channel === 'telemetry') {
      const now = Date.now();
      if (now - (lastTelemetry.get(m.device.deviceId) ?? 0) < TELEMETRY_THROTTLE_MS) return;
      lastTelemetry.set(m.device.deviceId, now);
    }
    broadcast({
      type: m.channel === 'event' ? 'device.event' : 'device.telemetry',
      estateId: m.device.estateId,
      deviceId: m.device.deviceId,
      kind: m.device.kind,
      event: m.message,
      receivedAt: m.receivedAt,
    });
  });
  deps.gateway.on('commandOutcome', (o) => broadcast({ type: 'command.outcome', ...o }));

  /** Forgotten at once, so nothing more is sent to it while the close handshake runs. */
  function endSocket(ws: WebSocket, reason: string): void {
    clients.delete(ws);
    ws.close(SESSION_ENDED, reason);
  }
  // A session nobody ends expires: its sockets close within EXPIRY_SWEEP_MS of expiresAt.
  const sweep = setInterval(() => {
    const at = now();
    for (const [ws, { session }] of clients) if (session.expiresAt <= at) endSocket(ws, 'session expired');
  }, EXPIRY_SWEEP_MS);
  sweep.unref();

  return {
    /** A socket opened with `session`; it is closed (4401) when that session ends or expires. */
    add(ws: WebSocket, user: AuthUser, session: LiveSession): void {
      clients.set(ws, { user, scope: estateScope(deps.store, user.username, user.estateId), session });
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      ws.send(JSON.stringify({ type: 'hello', user: { username: user.username, role: user.role } }));
    },
    /** For domain services to push their own decisions live. */
    broadcast,
    /** Other feeds (the public shed pages) listen to what is broadcast and pick their own share. */
    tap: (listener: (msg: LiveMessage) => void) => void taps.push(listener),
    /**
     * One person's own news (e.g. "a port is free"), to every dashboard they have
     * open. Not filtered by estate: the sender chose the person for that estate
     * (the roster's on-duty volunteer, the resident who asked to be told).
     */
    sendToUser(username: string, msg: Record<string, unknown> & { type: string }): void {
      const shared = {};
      for (const [ws, { user }] of clients) if (user.username === username) ws.send(textFor(user, msg, shared));
    },
    /** Closes every socket opened with one of these sessions (auth's onSessionsEnded). */
    closeSessions(tokenHashes: string[]): void {
      const ended = new Set(tokenHashes);
      for (const [ws, { session }] of clients) if (ended.has(session.tokenHash)) endSocket(ws, 'session ended');
    },
    count: () => clients.size,
    close(): void {
      clearInterval(sweep);
      for (const ws of clients.keys()) ws.close(1001, 'server stopping');
      clients.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
