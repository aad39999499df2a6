import type { Logger } from 'pino';
import type { UplinkChannel } from '../devices/index.js';
import type { DeviceSession } from './events.js';
import { deadLetter, type Intake, type IntakeResult } from './intake.js';
import type { Clock, DeviceDirectory } from './ports.js';
import type { Presence } from './presence.js';

/**
 * The seam between a vendor transport at the edge (an HTTP push endpoint, a TCP
 * listener, vendor MQTT topics) and the gateway. Past it a vendor device is an
 * ordinary device: its decoded contract messages go through the same intake
 * (schema, de-duplication, durable group commit, typed bus event), its presence
 * through the same debounce, its commands come from the same `sendCommand()`.
 * The gateway knows no HTTP: the transport owns its sockets and calls in here.
 */

/** How commands reach a device that does not read our MQTT: registered by its transport under a name (`vzenith-http`). */
export interface Transport {
  /**
   * A validated contract command for `device`, whose connection is `via`'s (the
   * device itself, or the camera that drives this gate). The transport holds or
   * sends it, and reports what it can prove through `VendorSeam.submit(…, 'ack', …)`.
   */
  deliver(device: DeviceSession, payload: Record<string, unknown>, via: string): void;
  /** Drop whatever is held for a device that went away (decommissioned, re-keyed). */
  forget?(deviceId: string): void;
  /**
   * The device's retained config (a gate's offline whitelist), which a contract device reads
   * over MQTT on every (re)connect: the transport puts it on the device its own way, and
   * reports the version the device holds as the gate's `telemetry.configVersion`. Without
   * this method the config stays unpublished for the transport's devices.
   */
  config?(device: DeviceSession, config: Record<string, unknown>, via: string): void;
}

export class VendorDeviceError extends Error {}

export interface VendorSeamDeps {
  intake: Intake;
  presence: Presence;
  directory: DeviceDirectory;
  clock: Clock;
  log: Logger;
}

export function createVendorSeam(deps: VendorSeamDeps) {
  const silence = new Map<string, { timer: NodeJS.Timeout; session: DeviceSession }>();

  function session(deviceId: string): DeviceSession {
    const rec = deps.directory.find(deviceId);
    if (!rec || rec.status !== 'active') throw new VendorDeviceError(`device ${deviceId} is not an active device`);
    return { deviceId: rec.id, estateId: rec.estateId, kind: rec.kind };
  }

  /** Where a vendor message came from, in a dead letter's `topic` column. */
  const origin = (source: string, deviceId: string) => `vendor/${source}/${deviceId}`;

  return {
    /**
     * A decoded contract message of `deviceId` (its kind's schemas apply). Resolves once
     * the group commit holding it is durable — `stored`, `duplicate` (an id this device
     * already sent) or `rejected` (a dead letter) — so a transport answers the device
     * only after the store, as MQTT's PUBACK does. Typed bus events follow as for MQTT.
     */
    submit(
      source: string,
      deviceId: string,
      channel: Exclude<UplinkChannel, 'status'>,
      message: Record<string, unknown>,
      raw?: { vendor: string; raw: string },
    ): Promise<IntakeResult> {
      return new Promise((resolve, reject) => {
        // Inside the promise: a device retired meanwhile is a rejection the transport handles, never a throw in its callback.
        const s = session(deviceId);
        const payload = Buffer.from(JSON.stringify(message));
        deps.intake.submit(s, origin(source, deviceId), channel, payload, (err, result) => (err ? reject(err) : resolve(result!)), raw);
      });
    },
    /**
     * What a transport could not decode: a dead letter with the codec's reason, counted
     * and raised like a contract device's. `excerpt` is what may be kept of the bytes
     * (a transport leaves out what must not be stored, e.g. a camera's login).
     */
    deadLetter(source: string, deviceId: string, why: { reason: string; field: string; message: string }, excerpt: Buffer, bytes: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const s = session(deviceId);
        const record = { ...deadLetter(s, origin(source, deviceId), excerpt, new Date(deps.clock.now()).toISOString(), why), payloadBytes: bytes };
        deps.intake.submitDeadLetter(record, s, (err) => (err ? reject(err) : resolve()));
      });
    },
    /**
     * The devices behind one connection were heard from (a heartbeat, any push): online.
     * Silent for `silenceMs`, they go offline through the same debounce as a dropped
     * MQTT connection, stamped with the time they were last heard from.
     */
    seen(deviceIds: string[], silenceMs: number): void {
      for (const id of deviceIds) {
        let s: DeviceSession;
        try {
          s = session(id);
        } catch {
          continue;
        }
        const prev = silence.get(id);
        if (prev) clearTimeout(prev.timer);
        deps.presence.connected(s);
        const timer = setTimeout(() => {
          silence.delete(id);
          deps.log.info({ deviceId: id, silenceMs }, 'vendor device silent: offline');
          deps.presence.disconnected(s, 'missed-heartbeats');
        }, silenceMs);
        timer.unref();
        silence.set(id, { timer, session: s });
      }
    },
    /** The devices are gone now (decommissioned, re-keyed): offline without waiting for the silence. */
    gone(deviceIds: string[], reason: string): void {
      for (const id of deviceIds) {
        const prev = silence.get(id);
        if (!prev) continue;
        clearTimeout(prev.timer);
        silence.delete(id);
        deps.presence.disconnected(prev.session, reason);
      }
    },
    /** On shutdown: every vendor device still heard from goes offline, as MQTT clients do when their sockets close. */
    close(): void {
      for (const [id, { timer, session: s }] of silence) {
        clearTimeout(timer);
        silence.delete(id);
        deps.presence.disconnected(s, 'disconnected');
      }
    },
  };
}

export type VendorSeam = ReturnType<typeof createVendorSeam>;
