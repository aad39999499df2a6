import { ID_PATTERN } from './ids.js';

/**
 * The only module that writes or reads `linli/v1/{estateId}/{deviceId}/{channel}`.
 * Every other file builds topics through these helpers.
 */
export const TOPIC_ROOT = 'linli/v1';

export const UPLINK_CHANNELS = ['status', 'event', 'telemetry', 'ack'] as const;
export const DOWNLINK_CHANNELS = ['cmd', 'config'] as const;
export const CHANNELS = [...UPLINK_CHANNELS, ...DOWNLINK_CHANNELS] as const;

export type UplinkChannel = (typeof UPLINK_CHANNELS)[number];
export type DownlinkChannel = (typeof DOWNLINK_CHANNELS)[number];
export type Channel = (typeof CHANNELS)[number];

export interface DeviceTopic {
  estateId: string;
  deviceId: string;
  channel: Channel;
}

export function deviceTopic(estateId: string, deviceId: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${estateId}/${deviceId}/${channel}`;
}

/** Parses a concrete topic (no wildcards). Returns undefined for anything not in the contract's shape. */
export function parseTopic(topic: string): DeviceTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || parts[0] !== 'linli' || parts[1] !== 'v1') return undefined;
  const [, , estateId, deviceId, channel] = parts as [string, string, string, string, string];
  if (!ID_PATTERN.test(estateId) || !ID_PATTERN.test(deviceId)) return undefined;
  if (!(CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { estateId, deviceId, channel: channel as Channel };
}

export function isUplink(channel: Channel): channel is UplinkChannel {
  return (UPLINK_CHANNELS as readonly string[]).includes(channel);
}

/** Filters for a server-side subscriber (e.g. against an external broker). */
export function uplinkFilter(channel: UplinkChannel, estateId = '+'): string {
  return `${TOPIC_ROOT}/${estateId}/+/${channel}`;
}

/** MQTT 5 shared subscription across Linli server processes (architecture: "at scale"). */
export function sharedUplinkFilter(channel: UplinkChannel, group = 'linli'): string {
  return `$share/${group}/${uplinkFilter(channel)}`;
}
