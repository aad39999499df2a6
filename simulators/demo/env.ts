/**
 * The one place in simulators/ that reads process.env. Server variables keep the
 * server's names and defaults (server/config.ts); the demo's own start LINLI_DEMO_.
 */
export interface DemoEnv {
  dataDir: string;
  httpPort: number;
  /** As set by the person, if at all: the child server reads it itself. */
  adminPassword: string | undefined;
  estateId: string;
  estateName: string;
  rateScale: number;
  seed: number | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export function readDemoEnv(env: NodeJS.ProcessEnv = process.env): DemoEnv {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name}: must be a non-negative number, got "${raw}"`);
    return value;
  };
  const level = env.LINLI_DEMO_LOG_LEVEL ?? 'warn';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`LINLI_DEMO_LOG_LEVEL: one of debug, info, warn, error, silent`);
  const rateScale = num('LINLI_DEMO_RATE', 1);
  if (rateScale === 0) throw new Error('LINLI_DEMO_RATE: must be above 0');
  return {
    dataDir: env.LINLI_DATA_DIR || './data',
    httpPort: num('LINLI_HTTP_PORT', 3000),
    adminPassword: env.LINLI_ADMIN_PASSWORD || undefined,
    estateId: env.LINLI_DEMO_ESTATE || 'heping',
    estateName: env.LINLI_DEMO_ESTATE_NAME || '和平里小区',
    rateScale,
    seed: env.LINLI_DEMO_SEED ? num('LINLI_DEMO_SEED', 0) : undefined,
    logLevel: level as DemoEnv['logLevel'],
  };
}
