import { describe, it, expect } from 'vitest';
import {
  CHANNELS,
  DOWNLINK_CHANNELS,
  UPLINK_CHANNELS,
  deviceTopic,
  isUplink,
  parseTopic,
  sharedUplinkFilter,
  uplinkFilter,
  type Channel,
} from '../../devices/topics.js';

describe('topics: build and parse round-trip', () => {
  const ids: [string, string][] = [
    ['hongshan-01', 'gate-n1'],
    ['E1', 'cam.n1_in'],
    ['9', 'x'],
    ['a'.repeat(64), 'B'.repeat(64)], // the longest ids the contract allows
  ];
  const rows = ids.flatMap(([estateId, deviceId]) => CHANNELS.map((channel) => [estateId, deviceId, channel] as [string, string, Channel]));

  it.each(rows)('%s / %s / %s', (estateId, deviceId, channel) => {
    const topic = deviceTopic(estateId, deviceId, channel);
    expect(topic).toBe(`linli/v1/${estateId}/${deviceId}/${channel}`);
    expect(parseTopic(topic)).toEqual({ estateId, deviceId, channel });
  });
});

describe('topics: parseTopic rejects anything outside the contract', () => {
  const table: [string, string][] = [
    ['wrong root', 'linlii/v1/e1/gate-1/event'],
    ['wrong version', 'linli/v2/e1/gate-1/event'],
    ['root and version swapped', 'v1/linli/e1/gate-1/event'],
    ['upper-case root', 'Linli/v1/e1/gate-1/event'],
    ['estate id starts with a dash', 'linli/v1/-e1/gate-1/event'],
    ['device id starts with a dot', 'linli/v1/e1/.gate/event'],
    ['device id with a space', 'linli/v1/e1/gate 1/event'],
    ['device id not ASCII', 'linli/v1/e1/道闸/event'],
    ['device id of 65 characters', `linli/v1/e1/${'g'.repeat(65)}/event`],
    ['empty estate id', 'linli/v1//gate-1/event'],
    ['empty device id', 'linli/v1/e1//event'],
    ['wildcard +', 'linli/v1/+/gate-1/event'],
    ['wildcard #', 'linli/v1/e1/#'],
    ['unknown channel', 'linli/v1/e1/gate-1/events'],
    ['channel in upper case', 'linli/v1/e1/gate-1/EVENT'],
    ['empty channel (trailing slash)', 'linli/v1/e1/gate-1/'],
    ['too few parts', 'linli/v1/e1/event'],
    ['too many parts', 'linli/v1/e1/gate-1/event/extra'],
    ['a trailing slash', 'linli/v1/e1/gate-1/event/'],
    ['a leading slash', '/linli/v1/e1/gate-1/event'],
    ['empty topic', ''],
    ['shared subscription', '$share/linli/linli/v1/e1/gate-1/event'],
  ];
  it.each(table)('%s: %s', (_why, topic) => {
    expect(parseTopic(topic)).toBeUndefined();
  });
});

describe('topics: channels and filters', () => {
  it.each(UPLINK_CHANNELS.map((c) => [c]))('%s is uplink', (channel) => {
    expect(isUplink(channel)).toBe(true);
  });
  it.each(DOWNLINK_CHANNELS.map((c) => [c]))('%s is downlink', (channel) => {
    expect(isUplink(channel)).toBe(false);
  });

  it('has the six contract channels', () => {
    expect([...CHANNELS].sort()).toEqual(['ack', 'cmd', 'config', 'event', 'status', 'telemetry']);
  });

  it.each([
    ['event', undefined, 'linli/v1/+/+/event'],
    ['status', 'e1', 'linli/v1/e1/+/status'],
  ] as const)('uplink filter for %s in %s', (channel, estateId, filter) => {
    expect(uplinkFilter(channel, estateId)).toBe(filter);
  });

  it('builds the MQTT 5 shared subscription filter', () => {
    expect(sharedUplinkFilter('telemetry')).toBe('$share/linli/linli/v1/+/+/telemetry');
    expect(sharedUplinkFilter('ack', 'intake')).toBe('$share/intake/linli/v1/+/+/ack');
  });
});
