import type { DeviceKind, UplinkChannel } from '../devices/index.js';
import type { CommandStatus, DeadLetterRecord } from './ports.js';

/** Who is behind an authenticated MQTT connection. */
export interface DeviceSession {
  deviceId: string;
  estateId: string;
  kind: DeviceKind;
}

export interface GatewayEvents {
  /** An accepted, validated, de-duplicated and durably stored uplink message. */
  message: {
    device: DeviceSession;
    channel: Exclude<UplinkChannel, 'status'>;
    message: Record<string, unknown> & { id: string; ts: string; type: string };
    receivedAt: string;
    clockSkewed: boolean;
  };
  /** A device's retained status: firmware and the config version it holds. */
  status: { device: DeviceSession; online: boolean; fw?: string; configVersion?: number; receivedAt: string };
  presence: { estateId: string; deviceId: string; kind: DeviceKind; online: boolean; at: string; reason: string };
  deadLetter: DeadLetterRecord;
  refused: { deviceId: string; what: 'publish' | 'subscribe' | 'connect'; detail: string };
  commandOutcome: {
    estateId: string;
    deviceId: string;
    kind: DeviceKind;
    cmdId: string;
    cmdType: string;
    status: CommandStatus;
    latencyMs?: number;
    error?: string;
    /** What the ack proves when less than done (`delivered` in a vendor's HTTP reply). */
    note?: string;
  };
  duplicate: { deviceId: string; msgId: string };
}

export type GatewayEventName = keyof GatewayEvents;
type Listener<K extends GatewayEventName> = (payload: GatewayEvents[K]) => void;

/**
 * A typed event bus. One listener's failure is logged and does not stop the
 * others, nor the intake that emitted the event.
 */
export class GatewayBus {
  private listeners: { [K in GatewayEventName]?: Listener<K>[] } = {};

  constructor(private readonly onListenerError: (event: string, err: unknown) => void) {}

  on<K extends GatewayEventName>(event: K, listener: Listener<K>): () => void {
    const list = (this.listeners[event] ??= []) as Listener<K>[];
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  emit<K extends GatewayEventName>(event: K, payload: GatewayEvents[K]): void {
    const list = this.listeners[event] as Listener<K>[] | undefined;
    if (!list) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (err) {
        this.onListenerError(event, err);
      }
    }
  }
}
