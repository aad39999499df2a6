import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Gateway } from '../gateway/index.js';

/**
 * Prometheus metrics for `/metrics`. A registry per app instance, so tests that
 * start several servers in one process do not share counters.
 */
export function createMetrics(gateway: Gateway) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'linli_process_' });

  new Gauge({
    name: 'linli_devices_connected',
    help: 'Devices with an open MQTT connection',
    registers: [registry],
    collect() {
      this.set(gateway.stats().online);
    },
  });
  const messagesIn = new Counter({
    name: 'linli_messages_in_total',
    help: 'Accepted uplink messages, by device kind and channel',
    labelNames: ['kind', 'channel'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'linli_messages_rejected_total',
    help: 'Payloads kept as dead letters, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({ name: 'linli_messages_duplicate_total', help: 'Repeats of an accepted id, acknowledged and ignored', registers: [registry] });
  const refused = new Counter({
    name: 'linli_acl_refused_total',
    help: 'Connections, publishes and subscriptions refused by auth or ACL',
    labelNames: ['what'] as const,
    registers: [registry],
  });
  const cmdLatency = new Histogram({
    name: 'linli_command_latency_seconds',
    help: 'Command send to ack, by kind and command',
    labelNames: ['kind', 'cmd', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const cmdFailed = new Counter({ name: 'linli_commands_failed_total', help: 'Commands with no ack after one resend', labelNames: ['kind', 'cmd'] as const, registers: [registry] });

  gateway.on('message', (m) => messagesIn.inc({ kind: m.device.kind, channel: m.channel }));
  gateway.on('deadLetter', (d) => rejected.inc({ reason: d.reason }));
  gateway.on('duplicate', () => duplicates.inc());
  gateway.on('refused', (r) => refused.inc({ what: r.what }));
  gateway.on('commandOutcome', (o) => {
    if (o.latencyMs !== undefined) cmdLatency.observe({ kind: o.kind, cmd: o.cmdType, status: o.status }, o.latencyMs / 1000);
    if (o.status === 'failed') cmdFailed.inc({ kind: o.kind, cmd: o.cmdType });
  });

  return { registry, text: () => registry.metrics(), contentType: registry.contentType };
}
