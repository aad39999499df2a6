import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../demo/server-process.js';
import { LinliApi } from '../estate/api-client.js';
import { median } from './load.js';

const ESTATE = 'bench-year';
const DAY_MS = 86_400_000;
const CALLS = 5;

/**
 * Issue 7: the committee's usage charts over a generated year of one estate
 * (≈ 500 households, 2 gates, 3 sheds, 4 elevators). The year is written by
 * `server/reports/seed-year.ts` in its own process into a fresh data dir, a
 * server is started on that dir, and each endpoint is timed over HTTP: one
 * warm-up, then the median of five calls, for bucket=hour over the year and
 * bucket=day over the last month.
 */
export async function usageQueryBench(opts: { root: string; password: string; say: (line: string) => void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-usage-'));
  try {
    const seeded = await seed(opts.root, dataDir);
    opts.say(`  usage: seeded a year of ${ESTATE} in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.stays} stays, ${seeded.sessions} charging sessions, ${seeded.rides} rides)`);
    const server = await spawnServer({
      cwd: opts.root,
      env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: opts.password, LINLI_LOG_LEVEL: 'info' },
      httpPort: 0,
      logFile: join(dataDir, 'server.log'),
      onProblem: (line) => opts.say(`  usage server: ${line}`),
    });
    try {
      const api = await LinliApi.login(server.httpUrl, 'admin', opts.password);
      const to = Date.parse(seeded.to);
      const ranges = {
        'hour/year': `from=${seeded.from}&to=${seeded.to}&bucket=hour`,
        'day/month': `from=${new Date(to - 30 * DAY_MS).toISOString()}&to=${seeded.to}&bucket=day`,
      };
      const medians: Record<string, number> = {};
      for (const report of ['gates', 'chargers', 'elevators']) {
        for (const [name, query] of Object.entries(ranges)) {
          const path = `/api/estates/${ESTATE}/reports/usage/${report}?${query}`;
          await api.expect([200], 'GET', path); // warm-up: statements prepared, pages in the cache
          const ms: number[] = [];
          for (let i = 0; i < CALLS; i++) {
            const t0 = performance.now();
            await api.expect([200], 'GET', path);
            ms.push(performance.now() - t0);
          }
          medians[`${report} ${name}`] = Number(median(ms).toFixed(1));
        }
      }
      return { maxMs: Math.max(...Object.values(medians)), medians, seeded };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Seeded { from: string; to: string; stays: number; sessions: number; rides: number; ms: number }

async function seed(root: string, dataDir: string): Promise<Seeded> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/reports/seed-year.ts', dataDir, '--estate', ESTATE], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`seed-year exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Seeded;
}
