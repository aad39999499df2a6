import type { Logger } from 'pino';
import type { DeviceSession, GatewayBus } from './events.js';
import type { Clock, PresenceLog } from './ports.js';

export interface PresenceDeps {
  log: PresenceLog;
  bus: GatewayBus;
  clock: Clock;
  /** A disconnect shorter than this is not recorded as an outage. */
  debounceMs: number;
  logger: Logger;
}

/**
 * Online/offline transitions, debounced. The offline transition is stamped with
 * the moment the connection dropped, not when the debounce ran out, so uptime is
 * computed from when the device really went away.
 */
export function createPresence(deps: PresenceDeps) {
  const online = new Map<string, DeviceSession>();
  const pendingOffline = new Map<string, { timer: NodeJS.Timeout; at: string }>();

  function iso(): string {
    return new Date(deps.clock.now()).toISOString();
  }

  function record(device: DeviceSession, isOnline: boolean, at: string, reason: string): void {
    deps.log.record({ estateId: device.estateId, deviceId: device.deviceId, online: isOnline, at, reason });
    deps.bus.emit('presence', { ...device, online: isOnline, at, reason });
  }

  function connected(device: DeviceSession): void {
    const pending = pendingOffline.get(device.deviceId);
    if (pending) {
      // Back within the debounce: the blip never becomes an outage.
      clearTimeout(pending.timer);
      pendingOffline.delete(device.deviceId);
    }
    if (online.has(device.deviceId)) return;
    online.set(device.deviceId, device);
    record(device, true, iso(), 'connected');
  }

  function disconnected(device: DeviceSession, reason: string): void {
    if (!online.has(device.deviceId) || pendingOffline.has(device.deviceId)) return;
    const at = iso();
    const goOffline = () => {
      pendingOffline.delete(device.deviceId);
      online.delete(device.deviceId);
      record(device, false, at, reason);
    };
    if (deps.debounceMs === 0) return goOffline();
    const timer = setTimeout(goOffline, deps.debounceMs);
    timer.unref();
    pendingOffline.set(device.deviceId, { timer, at });
  }

  /** At boot: devices the store still thinks online lost their connection with the last process. */
  function closeStaleIntervals(): void {
    for (const d of deps.log.onlineDevices()) {
      deps.log.record({ estateId: d.estateId, deviceId: d.deviceId, online: false, at: d.lastSeen ?? iso(), reason: 'gateway-restart' });
    }
  }

  return {
    connected,
    disconnected,
    closeStaleIntervals,
    isOnline: (deviceId: string) => online.has(deviceId),
    onlineCount: () => online.size,
    /** On shutdown, pending offlines are written now so the outage is not lost. */
    close(): void {
      for (const [deviceId, p] of pendingOffline) {
        clearTimeout(p.timer);
        const device = online.get(deviceId);
        if (device) record(device, false, p.at, 'disconnected');
      }
      pendingOffline.clear();
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
