import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAdminPassword } from './demo/admin-password.js';
import { banner, statusLine } from './demo/banner.js';
import { readDemoEnv } from './demo/env.js';
import { spawnServer, type ServerProcess } from './demo/server-process.js';
import { ApiError } from './estate/api-client.js';
import { startEstate, type Estate } from './estate.js';
import { createSimLog } from './lib/sim-log.js';

/**
 * `npm run demo`: the real server as a child process, a simulated estate talking
 * to it over real MQTT, and a line on how to log in. Ctrl-C stops both, in order.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STATUS_EVERY_MS = 30_000;

async function main(): Promise<void> {
  const env = readDemoEnv();
  const dataDir = resolve(env.dataDir);
  // The server's log goes there before the server has made it; 0700 as the server makes it (and tightens an old one at boot).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const admin = await demoAdminPassword(dataDir, env.adminPassword);
  const logFile = join(dataDir, 'demo-server.log');
  const log = createSimLog(env.logLevel, 'demo');
  process.stdout.write(`  starting the Linli server (log: ${logFile}) …\n`);

  const server = await spawnServer({
    cwd: ROOT,
    env: { ...process.env, LINLI_DATA_DIR: dataDir, LINLI_ADMIN_PASSWORD: admin.password },
    httpPort: env.httpPort,
    logFile,
    onProblem: (line) => {
      if (line.trim()) process.stderr.write(`  ! ${line}\n`);
    },
  });
  const killOnExit = () => server.child.kill('SIGTERM');
  process.on('exit', killOnExit); // a crash of the demo must not leave the server holding its ports

  let estate: Estate;
  try {
    estate = await startEstate({
      httpUrl: server.httpUrl,
      mqttUrl: server.mqttUrl,
      username: 'admin',
      password: admin.password,
      estateId: env.estateId,
      estateName: env.estateName,
      rateScale: env.rateScale,
      ...(env.seed !== undefined ? { seed: env.seed } : {}),
      log,
    });
  } catch (err) {
    await server.stop();
    throw explain(err, dataDir);
  }
  process.stdout.write(`${banner({ server, admin, estate, estateId: env.estateId, estateName: env.estateName, rateScale: env.rateScale, logFile })}\n`);
  const status = setInterval(() => process.stdout.write(`${statusLine(estate)}\n`), STATUS_EVERY_MS);
  handleShutdown(server, estate, () => clearInterval(status));
}

/**
 * Under `npm run demo` one Ctrl-C arrives more than once: the terminal signals the
 * whole process group, and npm and tsx relay it too. Only a signal this long after
 * the first is a person pressing Ctrl-C again.
 */
const SECOND_SIGNAL_MS = 1_000;

function handleShutdown(server: ServerProcess, estate: Estate, stopStatus: () => void): void {
  let stopping = false;
  let firstSignalAt = 0;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      if (Date.now() - firstSignalAt < SECOND_SIGNAL_MS) return; // the same Ctrl-C, relayed
      // A second Ctrl-C: stop waiting.
      server.kill();
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    stopStatus();
    process.stdout.write(`\n  ${signal}: closing the devices, then the server …\n`);
    await estate.close();
    const code = await server.stop(signal);
    process.stdout.write(`  server stopped (${code}). 再见.\n`);
    process.exit(code === 0 ? 0 : 1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  void server.exited.then(async (code) => {
    if (stopping) return;
    stopping = true;
    stopStatus();
    process.stderr.write(`  ! the server exited unexpectedly (${code}); see the server log\n`);
    await estate.close();
    process.exit(1);
  });
}

function explain(err: unknown, dataDir: string): Error {
  if (err instanceof ApiError && err.status === 401) {
    return new Error(
      `the server refused admin's password. ${dataDir} holds an admin account made with another password: ` +
        'set LINLI_ADMIN_PASSWORD to it, or point LINLI_DATA_DIR at a fresh directory.',
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

main().catch((err: unknown) => {
  process.stderr.write(`linli demo: ${(err as Error).message}\n`);
  process.exit(1);
});
