import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../devices/index.js';

export interface Publisher {
  client: MqttClient;
  estateId: string;
  deviceId: string;
}

export async function connectPublisher(url: string, estateId: string, deviceId: string, password?: string): Promise<Publisher> {
  const client = await mqtt.connectAsync(url, {
    clientId: deviceId,
    username: password ? deviceId : undefined,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  // Devices on an estate LAN send small packets; Nagle + delayed ACK would measure the TCP stack, not the broker.
  (client.stream as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
  return { client, estateId, deviceId };
}

/** A valid camera event; ids unique per run so de-duplication never skips one. */
export function plateRead(runTag: string, n: number): string {
  return JSON.stringify({
    id: `${runTag}-${n}`,
    ts: new Date().toISOString(),
    type: 'plate.read',
    plate: `鄂A${String(10000 + (n % 90000))}`,
    color: 'blue',
    confidence: 0.95,
  });
}

/**
 * Publishes `total` QoS 1 events spread over the publishers, keeping `window` in
 * flight per connection, and resolves when every PUBACK is back and `delivered()`
 * says the consumer has them all.
 */
/** What a publisher sends as its n-th message of a run. */
export type MakeMessage = (p: Publisher, n: number) => { topic: string; payload: string };

/** Camera events: the default load. */
export const plateReads = (runTag: string): MakeMessage => (p, n) => ({ topic: deviceTopic(p.estateId, p.deviceId, 'event'), payload: plateRead(runTag, n) });

export async function blast(pubs: Publisher[], total: number, window: number, make: MakeMessage, delivered: () => boolean): Promise<number> {
  const start = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    pubs.map(
      (p) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0;
          const pump = () => {
            while (inFlight < window && next < total) {
              const n = next++;
              inFlight++;
              const m = make(p, n);
              p.client.publish(m.topic, m.payload, { qos: 1 }, (err) => {
                if (err) return reject(err);
                inFlight--;
                if (next >= total && inFlight === 0) resolve();
                else pump();
              });
            }
            if (next >= total && inFlight === 0) resolve();
          };
          pump();
        }),
    ),
  );
  while (!delivered()) await new Promise((r) => setImmediate(r));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** Runs fn(0..n-1) with at most `limit` at a time (provisioning hundreds of devices without a thundering herd). */
export async function pool<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}
