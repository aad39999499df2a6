import type { DeviceSession } from './events.js';
import type { DeviceRecord } from './ports.js';

/**
 * Vendor devices that speak their own MQTT topics on our broker (臻识 `device/{sn}/…`,
 * JUY `JUY/D2S/{IMEI}/…`). The gateway still authenticates them (scrypt secret, as a
 * contract device) and keeps every connection inside what its transport allows; the
 * transport owns the topics' meaning. A vendor publish never reaches the contract
 * intake and is never forwarded to another client: once the transport has taken it
 * (stored, or a dead letter) it is acknowledged and dropped, like a refused one.
 *
 * Registered by transport name (`vzenith-mqtt`), the `transport.name` of the device's
 * record: a device whose record names a transport without a handler here is refused
 * at connect (its topics would mean nothing).
 */
export interface VendorMqtt {
  /**
   * The device behind a CONNECT whose client id is not a device id (a JUY board connects
   * as its IMEI): its id, or undefined. Devices connecting as their own id need none.
   */
  identify?(clientId: string): string | undefined;
  /** Whether `username` is the one issued to this device (default: its device id). */
  username?(record: DeviceRecord, username: string | undefined): boolean;
  /** May this device publish on `topic`? A refusal is acked and dropped, counted as for contract devices. */
  checkPublish(session: DeviceSession, topic: string): { ok: true } | { ok: false; why: string };
  /** May this device subscribe to `filter`? A refusal is granted 0x80. */
  checkSubscribe(session: DeviceSession, filter: string): boolean;
  /** An allowed publish: resolves once taken (stored, or a dead letter); a rejection leaves it unacknowledged (QoS 1: the device resends). */
  onPublish(session: DeviceSession, topic: string, payload: Buffer): Promise<void>;
  /** The device's connection is up (authenticated and ready) / gone. */
  connected?(session: DeviceSession): void;
  disconnected?(session: DeviceSession): void;
}

export class VendorMqttRegistry {
  private readonly byName = new Map<string, VendorMqtt>();

  register(name: string, handler: VendorMqtt): () => void {
    this.byName.set(name, handler);
    return () => {
      if (this.byName.get(name) === handler) this.byName.delete(name);
    };
  }

  get(name: string | undefined): VendorMqtt | undefined {
    return name ? this.byName.get(name) : undefined;
  }

  /** The device a vendor client id names, asked of every handler that identifies by something else. */
  identify(clientId: string): { deviceId: string; handler: VendorMqtt } | undefined {
    for (const handler of this.byName.values()) {
      const deviceId = handler.identify?.(clientId);
      if (deviceId) return { deviceId, handler };
    }
    return undefined;
  }
}
