import { InfluxDB, Point, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger } from 'pino';
import type { Gateway, GatewayEvents } from '../../gateway/index.js';

export interface InfluxOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
}

const ENVELOPE = new Set(['id', 'ts', 'type']);

/**
 * Telemetry as InfluxDB points: one measurement per device kind (`gate`,
 * `charger`, …), tagged with estate and device. Numbers and booleans are fields;
 * strings (e.g. an elevator's direction) are tags, since they are few-valued; a
 * list of per-port readings becomes one `<kind>_port` point per port. Plates and
 * card ids never appear in telemetry.
 */
export function telemetryPoints(m: GatewayEvents['message']): Point[] {
  const at = new Date(m.clockSkewed ? m.receivedAt : m.message.ts);
  const base = (measurement: string) => new Point(measurement).tag('estate', m.device.estateId).tag('device', m.device.deviceId).timestamp(at);
  const main = base(m.device.kind);
  const points: Point[] = [];
  let fields = 0;
  for (const [key, value] of Object.entries(m.message)) {
    if (ENVELOPE.has(key)) continue;
    if (typeof value === 'number') (main.floatField(key, value), fields++);
    else if (typeof value === 'boolean') (main.intField(key, value ? 1 : 0), fields++);
    else if (typeof value === 'string') main.tag(key, value);
    else if (Array.isArray(value)) points.push(...value.flatMap((row) => portPoint(base(`${m.device.kind}_port`), row)));
  }
  return fields > 0 ? [main, ...points] : points;
}

function portPoint(p: Point, row: unknown): Point[] {
  if (!row || typeof row !== 'object' || !('port' in row)) return [];
  let fields = 0;
  for (const [key, value] of Object.entries(row)) {
    if (key === 'port') p.tag('port', String(value));
    else if (typeof value === 'number') (p.floatField(key, value), fields++);
  }
  return fields > 0 ? [p] : [];
}

/** Writes every accepted telemetry message to InfluxDB in batches; `close()` flushes. */
export function createInfluxSink(deps: { gateway: Gateway; log: Logger }, opts: InfluxOptions) {
  const log = deps.log.child({ module: 'influx' });
  const writeApi: WriteApi = new InfluxDB({ url: opts.url, token: opts.token }).getWriteApi(opts.org, opts.bucket, 'ms', {
    batchSize: 5000,
    flushInterval: 1000,
    maxRetries: 5,
    maxBufferLines: 100_000,
    writeFailed: (err, lines, attempt) => {
      log.warn({ err: err.message, lines: lines.length, attempt }, 'telemetry write failed; will retry');
    },
  });
  const off = deps.gateway.on('message', (m) => {
    if (m.channel === 'telemetry') writeApi.writePoints(telemetryPoints(m));
  });
  log.info({ url: opts.url, bucket: opts.bucket }, 'telemetry to InfluxDB');
  return {
    flush: () => writeApi.flush(),
    async close(): Promise<void> {
      off();
      await writeApi.close().catch((err: Error) => log.error({ err: err.message }, 'telemetry flush at shutdown failed'));
    },
  };
}
