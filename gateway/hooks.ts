import type { Client, AuthenticateError, AedesOptions } from 'aedes';
import type { Logger } from 'pino';
import { isId, parseUplink } from '../devices/index.js';
import { checkPublish, checkSubscribe, DROPPED_PREFIX, isDropped } from './acl.js';
import type { DeviceSession, GatewayBus } from './events.js';
import { deadLetter, type Intake } from './intake.js';
import type { Clock, Counters, DeviceDirectory, PresenceLog } from './ports.js';
import { digest, verifySecret } from './secrets.js';

export interface HookDeps {
  directory: DeviceDirectory;
  counters: Counters;
  presenceLog: PresenceLog;
  intake: Intake;
  bus: GatewayBus;
  clock: Clock;
  log: Logger;
}

/** Per-connection state the hooks share with the gateway. */
export class Connections {
  readonly sessions = new WeakMap<Client, DeviceSession>();
  /** The most recently authenticated connection of each device: the one a takeover keeps. */
  readonly latest = new Map<string, Client>();
  /** deviceId → digest(secretHash + password) of a secret already verified with scrypt. */
  readonly verified = new Map<string, string>();

  forget(deviceId: string): void {
    this.verified.delete(deviceId);
  }
}

// MQTT 3.1.1 §3.2.2.3 return codes.
const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(code: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

function drop(packet: { topic: string; retain: boolean }): void {
  if (!isDropped(packet.topic)) packet.topic = DROPPED_PREFIX + packet.topic;
  packet.retain = false;
}

export function createHooks(deps: HookDeps, conns: Connections): Required<Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>> {
  const now = () => new Date(deps.clock.now()).toISOString();

  function refuse(deviceId: string, what: 'publish' | 'subscribe' | 'connect', detail: string): void {
    deps.counters.bump(deviceId, `refused.${what}`, now());
    deps.bus.emit('refused', { deviceId, what, detail });
  }

  const authenticate: AedesOptions['authenticate'] = (client, username, password, done) => {
    const id = client.id;
    // The contract's ids are ASCII; aedes itself lets NUL and control characters through.
    if (!isId(id)) return done(authError(IDENTIFIER_REJECTED, 'client id outside the contract'), false);
    const record = deps.directory.find(id);
    const fail = (code: number, why: string) => {
      if (record) refuse(id, 'connect', why);
      deps.log.info({ deviceId: id, why }, 'device connection refused');
      done(authError(code, why), false);
    };
    if (!record) return fail(BAD_USERNAME_OR_PASSWORD, 'unknown device');
    if (username !== id || !password) return fail(BAD_USERNAME_OR_PASSWORD, 'username must be the device id, with its secret');
    if (record.status !== 'active') return fail(NOT_AUTHORIZED, 'device decommissioned');
    const secret = password.toString('utf8');
    const key = digest(record.secretHash + '\0' + secret);
    const accept = () => {
      conns.sessions.set(client, { deviceId: id, estateId: record.estateId, kind: record.kind });
      conns.latest.set(id, client);
      done(null, true);
    };
    if (conns.verified.get(id) === key) return accept();
    verifySecret(secret, record.secretHash).then(
      (ok) => {
        // Re-read: the device may have been decommissioned or re-keyed during the hash.
        const current = deps.directory.find(id);
        if (!ok || !current || current.secretHash !== record.secretHash) return fail(BAD_USERNAME_OR_PASSWORD, 'wrong secret');
        if (current.status !== 'active') return fail(NOT_AUTHORIZED, 'device decommissioned');
        conns.verified.set(id, key);
        accept();
      },
      (err) => {
        deps.log.error({ err, deviceId: id }, 'secret verification failed');
        done(authError(BAD_USERNAME_OR_PASSWORD, 'verification error'), false);
      },
    );
  };

  const authorizePublish: AedesOptions['authorizePublish'] = (client, packet, callback) => {
    if (!client) return callback(null); // the gateway's own publishes
    const session = conns.sessions.get(client);
    if (!session) return callback(new Error('not authenticated'));
    const decision = checkPublish(session, packet.topic);
    if (!decision.ok) {
      refuse(session.deviceId, 'publish', `${decision.why}: ${packet.topic.slice(0, 120)}`);
      drop(packet);
      return callback(null);
    }
    // A Will (or a late publish) from a connection that another one took over is stale.
    if (conns.latest.get(session.deviceId) !== client) {
      drop(packet);
      return callback(null);
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (decision.channel === 'status') return onStatus(session, packet, payload, callback);
    packet.retain = false; // only status is retained (contract §Topics)
    const qos0 = packet.qos === 0;
    const valid = deps.intake.submit(session, packet.topic, decision.channel, payload, (err, result) => {
      if (qos0) return;
      if (err) return callback(err);
      if (result !== 'stored') drop(packet);
      callback(null);
    });
    // QoS 0 carries no acknowledgement to protect: do not hold the connection for the commit.
    if (qos0) {
      if (!valid) drop(packet);
      callback(null);
    }
  };

  function onStatus(session: DeviceSession, packet: { topic: string; retain: boolean }, payload: Buffer, callback: (e?: Error | null) => void): void {
    const parsed = parseUplink(session.kind, 'status', payload);
    if (parsed.ok) {
      const { fw, online, configVersion } = parsed.message as { fw?: string; online: boolean; configVersion?: number };
      if (fw) deps.presenceLog.setFirmware(session.deviceId, fw);
      deps.bus.emit('status', { device: session, online, fw, configVersion, receivedAt: now() });
      return callback(null);
    }
    drop(packet);
    deps.intake.submitDeadLetter(deadLetter(session, packet.topic, payload, now(), parsed), session, () => callback(null));
  }

  const authorizeSubscribe: AedesOptions['authorizeSubscribe'] = (client, sub, callback) => {
    const session = conns.sessions.get(client);
    if (session && checkSubscribe(session, sub.topic)) return callback(null, sub);
    if (session) refuse(session.deviceId, 'subscribe', sub.topic.slice(0, 120));
    callback(null, null); // granted 0x80
  };

  const authorizeForward: AedesOptions['authorizeForward'] = (_client, packet) => (isDropped(packet.topic) ? null : packet);

  return { authenticate, authorizePublish, authorizeSubscribe, authorizeForward };
}
