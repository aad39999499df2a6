import type { Client, AuthenticateError, AedesOptions } from 'aedes';
import type { Logger } from 'pino';
import { isId, parseUplink } from '../devices/index.js';
import { checkPublish, checkSubscribe, DROPPED_PREFIX, isDropped } from './acl.js';
import type { DeviceSession, GatewayBus } from './events.js';
import { deadLetter, type Intake } from './intake.js';
import type { Clock, Counters, DeviceDirectory, PresenceLog } from './ports.js';
import { digest, verifySecret } from './secrets.js';
import type { VendorMqtt, VendorMqttRegistry } from './vendor-mqtt.js';

export interface HookDeps {
  directory: DeviceDirectory;
  counters: Counters;
  presenceLog: PresenceLog;
  intake: Intake;
  bus: GatewayBus;
  clock: Clock;
  log: Logger;
  /** Vendor devices on their own MQTT topics (gateway/vendor-mqtt.ts). */
  vendorMqtt?: VendorMqttRegistry;
}

/** Per-connection state the hooks share with the gateway. */
export class Connections {
  readonly sessions = new WeakMap<Client, DeviceSession>();
  /** The most recently authenticated connection of each device: the one a takeover keeps. */
  readonly latest = new Map<string, Client>();
  /** deviceId → digest(secretHash + password) of a secret already verified with scrypt. */
  readonly verified = new Map<string, string>();
  /** Connections of vendor devices on their own topics: the transport that reads them. */
  readonly vendor = new WeakMap<Client, VendorMqtt>();

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
    let record = deps.directory.find(id);
    // A vendor device may connect as something else than its id (a JUY board as its IMEI).
    if (!record) {
      const named = deps.vendorMqtt?.identify(id);
      if (named) record = deps.directory.find(named.deviceId);
    }
    const deviceId = record?.id ?? id;
    const vendor = deps.vendorMqtt?.get(record?.transport?.name);
    const fail = (code: number, why: string) => {
      if (record) refuse(deviceId, 'connect', why);
      deps.log.info({ deviceId, clientId: id === deviceId ? undefined : id, why }, 'device connection refused');
      done(authError(code, why), false);
    };
    if (!record) return fail(BAD_USERNAME_OR_PASSWORD, 'unknown device');
    // A device registered for vendor MQTT topics whose transport this server does not run: its topics would mean nothing.
    if (record.transport?.name.endsWith('-mqtt') && !vendor) return fail(NOT_AUTHORIZED, `its transport ${record.transport.name} is not running`);
    const userOk = vendor?.username ? vendor.username(record, username) : username === id;
    if (!userOk || !password) return fail(BAD_USERNAME_OR_PASSWORD, vendor?.username ? 'username is not the one issued to this device, or no secret' : 'username must be the device id, with its secret');
    if (record.status !== 'active') return fail(NOT_AUTHORIZED, 'device decommissioned');
    const secret = password.toString('utf8');
    const key = digest(record.secretHash + '\0' + secret);
    const found = record;
    const accept = () => {
      conns.sessions.set(client, { deviceId, estateId: found.estateId, kind: found.kind });
      if (vendor) conns.vendor.set(client, vendor);
      conns.latest.set(deviceId, client);
      done(null, true);
    };
    if (conns.verified.get(deviceId) === key) return accept();
    verifySecret(secret, found.secretHash).then(
      (ok) => {
        // Re-read: the device may have been decommissioned or re-keyed during the hash.
        const current = deps.directory.find(deviceId);
        if (!ok || !current || current.secretHash !== found.secretHash) return fail(BAD_USERNAME_OR_PASSWORD, 'wrong secret');
        if (current.status !== 'active') return fail(NOT_AUTHORIZED, 'device decommissioned');
        conns.verified.set(deviceId, key);
        accept();
      },
      (err) => {
        deps.log.error({ err, deviceId }, 'secret verification failed');
        done(authError(BAD_USERNAME_OR_PASSWORD, 'verification error'), false);
      },
    );
  };

  const authorizePublish: AedesOptions['authorizePublish'] = (client, packet, callback) => {
    if (!client) return callback(null); // the gateway's own publishes
    const session = conns.sessions.get(client);
    if (!session) return callback(new Error('not authenticated'));
    const vendor = conns.vendor.get(client);
    if (vendor) return onVendorPublish(vendor, client, session, packet, callback);
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

  /** A vendor device's own topics: its transport decides and reads; the packet is never forwarded nor seen by the contract intake. */
  function onVendorPublish(vendor: VendorMqtt, client: Client, session: DeviceSession, packet: Parameters<NonNullable<AedesOptions['authorizePublish']>>[1], callback: (e?: Error | null) => void): void {
    let decision: ReturnType<VendorMqtt['checkPublish']>;
    try {
      decision = vendor.checkPublish(session, packet.topic);
    } catch (err) {
      deps.log.error({ err, deviceId: session.deviceId }, 'vendor topic check failed');
      decision = { ok: false, why: 'topic check failed' };
    }
    if (!decision.ok) {
      refuse(session.deviceId, 'publish', `${decision.why}: ${packet.topic.slice(0, 120)}`);
      drop(packet);
      return callback(null);
    }
    const topic = packet.topic;
    drop(packet); // taken by the transport: no other client receives it
    if (conns.latest.get(session.deviceId) !== client) return callback(null);
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const qos0 = packet.qos === 0;
    let taken: Promise<void>;
    try {
      taken = vendor.onPublish(session, topic, payload);
    } catch (err) {
      taken = Promise.reject(err as Error);
    }
    taken.then(
      () => {
        if (!qos0) callback(null);
      },
      (err: Error) => {
        deps.log.warn({ err: err.message, deviceId: session.deviceId }, 'vendor publish not taken');
        if (!qos0) callback(err);
      },
    );
    if (qos0) callback(null);
  }

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
    const vendor = conns.vendor.get(client);
    let allowed = false;
    try {
      allowed = !!session && (vendor ? vendor.checkSubscribe(session, sub.topic) : checkSubscribe(session, sub.topic));
    } catch (err) {
      deps.log.error({ err, deviceId: session?.deviceId }, 'vendor subscription check failed');
    }
    if (allowed) return callback(null, sub);
    if (session) refuse(session.deviceId, 'subscribe', sub.topic.slice(0, 120));
    callback(null, null); // granted 0x80
  };

  const authorizeForward: AedesOptions['authorizeForward'] = (_client, packet) => (isDropped(packet.topic) ? null : packet);

  return { authenticate, authorizePublish, authorizeSubscribe, authorizeForward };
}
