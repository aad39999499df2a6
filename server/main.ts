import { ConfigError, loadConfig, unknownSettings } from './config.js';
import { createLogger } from './log.js';
import { startLinli } from './app.js';

/** `npm start`: one process runs the estate. SIGTERM/SIGINT stop intake, flush, close. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`linli: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  for (const u of unknownSettings()) log.warn(u, `${u.name} is not a Linli setting and is ignored${u.didYouMean ? `: did you mean ${u.didYouMean}?` : ''}`);
  const linli = await startLinli(config, { log });
  if (linli.firstAdmin?.oneTimePassword) {
    // Printed, never logged: log files get shipped around; the terminal of the person installing does not.
    process.stdout.write(
      `\n  首个管理员账号 First committee account: admin\n  一次性密码 One-time password: ${linli.firstAdmin.oneTimePassword}\n  (登录后须修改 change it at first login)\n\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    linli.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`linli: failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
