import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { deviceTopic, type Channel } from '../../devices/index.js';

export interface TestDevice {
  client: MqttClient;
  estateId: string;
  deviceId: string;
  topic(channel: Channel): string;
  /** Publishes a JSON (or raw) payload on one of its channels, QoS 1 by default, resolving at PUBACK. */
  send(channel: Channel, payload: unknown, opts?: { qos?: 0 | 1; retain?: boolean; raw?: boolean }): Promise<void>;
  /** Commands received on its `cmd` topic, in order. */
  commands: Record<string, any>[];
  close(): Promise<void>;
}

let seq = 0;
export const nextId = (prefix = 'm') => `${prefix}-${process.pid}-${++seq}`;
export const now = () => new Date().toISOString();

/** A real MQTT device client with real credentials (MQTT 3.1.1, as aedes speaks). */
export async function connectDevice(url: string, estateId: string, deviceId: string, secret: string, extra: Partial<IClientOptions> = {}): Promise<TestDevice> {
  const client = await mqtt.connectAsync(url, {
    clientId: deviceId,
    username: deviceId,
    password: secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    will: { topic: deviceTopic(estateId, deviceId, 'status'), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    ...extra,
  });
  const commands: Record<string, any>[] = [];
  client.on('message', (topic, payload) => {
    if (topic === deviceTopic(estateId, deviceId, 'cmd')) commands.push(JSON.parse(payload.toString()));
  });
  const dev: TestDevice = {
    client,
    estateId,
    deviceId,
    commands,
    topic: (channel) => deviceTopic(estateId, deviceId, channel),
    async send(channel, payload, opts = {}) {
      const body = opts.raw ? (payload as string | Buffer) : JSON.stringify(payload);
      await client.publishAsync(deviceTopic(estateId, deviceId, channel), body, { qos: opts.qos ?? 1, retain: opts.retain ?? false });
    },
    async close() {
      await client.endAsync(true).catch(() => undefined);
    },
  };
  return dev;
}

/** Builders: a valid event of each kind, with overrides. */
export const aGateState = (o: Record<string, unknown> = {}) => ({ id: nextId('g'), ts: now(), type: 'gate.state', state: 'open', ...o });
export const aPlateRead = (o: Record<string, unknown> = {}) => ({ id: nextId('p'), ts: now(), type: 'plate.read', plate: '鄂A12345', color: 'blue', confidence: 0.97, ...o });
export const anAck = (cmdId: string, o: Record<string, unknown> = {}) => ({ id: nextId('a'), ts: now(), type: 'ack', cmdId, ok: true, ...o });
