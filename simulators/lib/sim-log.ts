/**
 * The simulators' logger: a pino-shaped subset (object first, message second) so
 * callers read like the rest of the project, without importing server/ code.
 */
export interface SimLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** One JSON line per entry on stderr, so stdout stays free for what a person reads. */
export function createSimLog(level: Level = 'info', name = 'sim'): SimLog {
  const write = (lvl: Exclude<Level, 'silent'>) => (obj: object, msg: string) => {
    if (ORDER[lvl] < ORDER[level]) return;
    process.stderr.write(`${JSON.stringify({ level: lvl, time: new Date().toISOString(), name, ...obj, msg })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLog: SimLog = createSimLog('silent');
