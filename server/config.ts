import { z } from 'zod';
import { FIRST_ADMIN, passwordWeakness, weaknessEn } from './auth/password-strength.js';

/**
 * The only place that reads process.env. Every value has a default that makes
 * `npm start` work with nothing set; a bad value stops the process at boot with
 * a message naming the variable.
 */
const Port = z.coerce.number().int().min(0).max(65535);
const Ms = z.coerce.number().int().min(0);

const EnvSchema = z.object({
  LINLI_HTTP_PORT: Port.default(3000),
  LINLI_MQTT_PORT: Port.default(1883),
  LINLI_MQTTS_PORT: Port.default(8883),
  /** JUY-class shed controllers over raw TCP (issue 12); `0` picks a free port (logged). */
  LINLI_JUY_TCP_PORT: Port.default(9310),
  /** Elevator monitoring boxes (elevatorcloud-style `#10#{json}#13#` frames) connect here over TCP; `0` picks a free port (logged). */
  LINLI_ELEVATOR_TCP_PORT: Port.default(9320),
  LINLI_HOST: z.string().default('127.0.0.1'),
  /** Where devices on the estate's network reach the HTTP server (vendor push URLs); unset, the listen address. */
  LINLI_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LINLI_DATA_DIR: z.string().min(1).default('./data'),
  LINLI_ADMIN_PASSWORD: z
    .string()
    .min(8, 'must be at least 8 characters')
    // The admin sees every estate: a guessable password is refused here, as the API refuses one for anybody.
    .superRefine((password, ctx) => {
      const weak = password.length >= 8 ? passwordWeakness(password, FIRST_ADMIN) : undefined;
      if (weak) ctx.addIssue({ code: 'custom', message: weaknessEn(weak) });
    })
    .optional(),
  LINLI_TLS_CERT: z.string().optional(),
  LINLI_TLS_KEY: z.string().optional(),
  LINLI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `full` fsyncs every group commit (survives power loss); `normal` survives a process crash only. */
  LINLI_DB_SYNC: z.enum(['full', 'normal']).default('full'),
  /** A disconnect shorter than this is not an outage (Wi-Fi blips at the shed). */
  LINLI_OFFLINE_DEBOUNCE_MS: Ms.default(30_000),
  /** How long a command waits for its ack when it has no expiresAt (contract: 10 s). */
  LINLI_CMD_ACK_TIMEOUT_MS: Ms.default(10_000),
  /** Contract §Envelope: a device clock more than 5 minutes off is flagged. */
  LINLI_CLOCK_SKEW_MS: Ms.default(5 * 60_000),
  /** How often unclaimed alerts are escalated and reminded (the charter sets the minutes; this is the clock's grain). */
  LINLI_ALERT_TICK_MS: Ms.min(100).default(15_000),
  LINLI_SESSION_HOURS: z.coerce.number().min(1).max(24 * 90).default(24 * 7),
  LINLI_INFLUX_URL: z.url().optional(),
  LINLI_INFLUX_TOKEN: z.string().optional(),
  LINLI_INFLUX_ORG: z.string().default('linli'),
  LINLI_INFLUX_BUCKET: z.string().default('telemetry'),
  /** When set, `/metrics` needs `Authorization: Bearer <it>`; when not, only loopback may read it. */
  LINLI_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof EnvSchema>) {
  const tls = env.LINLI_TLS_CERT && env.LINLI_TLS_KEY ? { cert: env.LINLI_TLS_CERT, key: env.LINLI_TLS_KEY } : undefined;
  return {
    host: env.LINLI_HOST,
    publicUrl: env.LINLI_PUBLIC_URL,
    httpPort: env.LINLI_HTTP_PORT,
    mqttPort: env.LINLI_MQTT_PORT,
    mqttsPort: env.LINLI_MQTTS_PORT,
    juyTcpPort: env.LINLI_JUY_TCP_PORT,
    elevatorTcpPort: env.LINLI_ELEVATOR_TCP_PORT,
    tls,
    dataDir: env.LINLI_DATA_DIR,
    adminPassword: env.LINLI_ADMIN_PASSWORD,
    logLevel: env.LINLI_LOG_LEVEL,
    dbSync: env.LINLI_DB_SYNC,
    offlineDebounceMs: env.LINLI_OFFLINE_DEBOUNCE_MS,
    cmdAckTimeoutMs: env.LINLI_CMD_ACK_TIMEOUT_MS,
    clockSkewMs: env.LINLI_CLOCK_SKEW_MS,
    sessionHours: env.LINLI_SESSION_HOURS,
    alertTickMs: env.LINLI_ALERT_TICK_MS,
    metricsToken: env.LINLI_METRICS_TOKEN,
    influx: env.LINLI_INFLUX_URL
      ? { url: env.LINLI_INFLUX_URL, token: env.LINLI_INFLUX_TOKEN ?? '', org: env.LINLI_INFLUX_ORG, bucket: env.LINLI_INFLUX_BUCKET }
      : undefined,
  };
}

export class ConfigError extends Error {}

/** Parses the environment (or any record, for tests). Throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('LINLI_') && v !== ''));
  const result = EnvSchema.safeParse(picked);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  if (Boolean(result.data.LINLI_TLS_CERT) !== Boolean(result.data.LINLI_TLS_KEY)) {
    throw new ConfigError('invalid configuration:\n  LINLI_TLS_CERT and LINLI_TLS_KEY must be set together');
  }
  return toConfig(result.data);
}

/** Whether pretty logs were asked for; read here so main.ts stays free of process.env. */

/** The demo runner's own settings (simulators/demo/env.ts), passed down to the server it starts. */
const NOT_OURS = /^LINLI_DEMO_/;

/**
 * `LINLI_` names in the environment that no setting reads: a typo such as
 * LINLI_HTTPPORT would otherwise be ignored without a word and the default used.
 * Each comes with the closest real name when one is near (at most 3 edits).
 */
export function unknownSettings(env: Record<string, string | undefined> = process.env): { name: string; didYouMean?: string }[] {
  const known = Object.keys(EnvSchema.shape);
  return Object.keys(env)
    .filter((name) => name.startsWith('LINLI_') && !NOT_OURS.test(name) && !known.includes(name))
    .map((name) => {
      const [best] = known.map((k) => [k, editDistance(name, k)] as const).sort((a, b) => a[1] - b[1]);
      return best && best[1] <= 3 ? { name, didYouMean: best[0] } : { name };
    });
}

/** Levenshtein distance, two rows at a time: names are short. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
