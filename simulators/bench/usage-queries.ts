import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE_ROLLUP_TABLES } from '../../server/reports/usage-reports.js';
import { openSideConnection } from '../../server/store/sqlite.js';
import { spawnServer } from '../demo/server-process.js';
import { LinliApi } from '../estate/api-client.js';
import { median } from './load.js';

const ESTATE = 'bench-year';
const DAY_MS = 86_400_000;
const CALLS = 5;
const REPORTS = ['gates', 'chargers', 'elevators'];

/**
 * Issue 7: the committee's usage charts over a generated year of one estate
 * (≈ 500 households, 2 gates, 3 sheds, 4 elevators). The year is written by
 * `server/reports/seed-year.ts` in its own process into a fresh data dir, a
 * server is started on that dir, and each endpoint is timed over HTTP — the
 * whole round trip, the client's JSON parse included — for bucket=hour over the
 * year and bucket=day over the last month:
 *
 *  - warm (`medians`, and `maxMs`, the slowest of them): once the server has
 *    pre-filled its per-hour rollups after boot, as on any visit but one in
 *    the first seconds after a restart. One call first, then the median of five.
 *    This is what a committee member sees.
 *  - cold (`coldMedians`, `coldMaxMs`): the rollups emptied (by this process,
 *    over SQLite) before each of five calls, so every call computes the range's
 *    hours from the stored passages, sessions and rides and stores them: the
 *    first look after the upgrade that adds the rollups, or before the
 *    pre-fill has run. The median of the five.
 */
export async function usageQueryBench(opts: { root: string; password: string; say: (line: string) => void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-bench-usage-'));
  try {
    const seeded = await seed(opts.root, dataDir);
    opts.say(`  usage: seeded a year of ${ESTATE} in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.stays} stays, ${seeded.sessions} charging sessions, ${seeded.rides} rides)`);
    const logFile = join(dataDir, 'server.log');
    const server = await spawnServer({
      cwd: opts.root,
      env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: opts.password, LINLI_LOG_LEVEL: 'info' },
      httpPort: 0,
      logFile,
      onProblem: (line) => opts.say(`  usage server: ${line}`),
    });
    const db = openSideConnection({ dataDir, sync: 'normal' });
    try {
      const api = await LinliApi.login(server.httpUrl, 'admin', opts.password);
      const prefillMs = await prefilled(logFile);
      opts.say(`  usage: the server pre-filled its rollups in ${(prefillMs / 1000).toFixed(1)} s after boot`);
      const to = Date.parse(seeded.to);
      const ranges = {
        'hour/year': `from=${seeded.from}&to=${seeded.to}&bucket=hour`,
        'day/month': `from=${new Date(to - 30 * DAY_MS).toISOString()}&to=${seeded.to}&bucket=day`,
      };
      const timed = async (path: string) => {
        const t0 = performance.now();
        await api.expect([200], 'GET', path);
        return performance.now() - t0;
      };
      const medians: Record<string, number> = {};
      const coldMedians: Record<string, number> = {};
      for (const report of REPORTS) {
        for (const [name, query] of Object.entries(ranges)) {
          const path = `/api/estates/${ESTATE}/reports/usage/${report}?${query}`;
          await timed(path); // statements prepared, pages in the cache
          const warm: number[] = [];
          for (let i = 0; i < CALLS; i++) warm.push(await timed(path));
          const cold: number[] = [];
          for (let i = 0; i < CALLS; i++) {
            for (const table of USAGE_ROLLUP_TABLES) db.prepare(`DELETE FROM ${table}`).run();
            cold.push(await timed(path));
          }
          medians[`${report} ${name}`] = Number(median(warm).toFixed(1));
          coldMedians[`${report} ${name}`] = Number(median(cold).toFixed(1));
        }
      }
      return { maxMs: Math.max(...Object.values(medians)), medians, coldMaxMs: Math.max(...Object.values(coldMedians)), coldMedians, seeded };
    } finally {
      db.close();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits for the server's "usage rollup pre-filled" log line (server/reports/usage-prefill.ts); returns how long the pre-fill took. */
async function prefilled(logFile: string, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').find((l) => l.includes('"usage rollup pre-filled"')) : undefined;
    if (line) return (JSON.parse(line) as { ms: number }).ms;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not pre-fill its usage rollups within ${timeoutMs / 1000} s`);
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
