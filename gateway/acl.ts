import { deviceTopic, isUplink, parseTopic, type UplinkChannel } from '../devices/index.js';
import type { DeviceSession } from './events.js';

/**
 * Contract §Connection: a device may publish only under its own prefix and
 * subscribe only to its own `cmd` and `config`. Pure functions, table-tested.
 */
export type PublishDecision = { ok: true; channel: UplinkChannel } | { ok: false; why: string };

export function checkPublish(device: DeviceSession, topic: string): PublishDecision {
  const t = parseTopic(topic);
  if (!t) return { ok: false, why: 'not a linli/v1 device topic' };
  if (t.estateId !== device.estateId || t.deviceId !== device.deviceId) return { ok: false, why: 'another device’s topic' };
  if (!isUplink(t.channel)) return { ok: false, why: `devices do not publish on ${t.channel}` };
  return { ok: true, channel: t.channel };
}

export function checkSubscribe(device: DeviceSession, filter: string): boolean {
  return (
    filter === deviceTopic(device.estateId, device.deviceId, 'cmd') ||
    filter === deviceTopic(device.estateId, device.deviceId, 'config')
  );
}

/**
 * A refused publish is acknowledged and dropped (MQTT-3.3.5-2). aedes hands
 * authorizeForward a copy of the packet, so the drop is marked in the topic: `$`
 * topics never match a device's filters and authorizeForward refuses this prefix.
 */
export const DROPPED_PREFIX = '$linli-dropped/';

export function isDropped(topic: string): boolean {
  return topic.startsWith(DROPPED_PREFIX);
}
