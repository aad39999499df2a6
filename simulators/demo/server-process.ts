import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, fchmod } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
  health: Health;
  /** Settles with the exit code (or the signal's name) when the server is gone. */
  exited: Promise<number | string>;
  /** Sends `signal`, waits for the exit, SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
  /** SIGKILL to the server's whole process group (it leads one: `detached`). */
  kill(): void;
}

export interface Health {
  ok: boolean;
  uptimeS: number;
  mqtt: { port: number; wsPath: string };
  http: { port: number };
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Port from LINLI_HTTP_PORT; 0 means "read it from the server's log". */
  httpPort: number;
  logFile: string;
  /** Warnings and errors of the server, one line each, for the person watching. */
  onProblem: (line: string) => void;
  timeoutMs?: number;
}

const PINO_WARN = 40;

/**
 * Runs `node --import tsx server/main.ts` as a child, keeps its JSON log in a file, and resolves
 * once GET /healthz answers. The child gets its own process group, so a Ctrl-C
 * reaches the demo alone and the demo stops things in order.
 */
export async function spawnServer(opts: SpawnOptions): Promise<ServerProcess> {
  // `node --import tsx`, not the tsx CLI: the CLI sits between us and the server, relays signals
  // and SIGKILLs a child that does not confirm one within 30 ms, which a server busy shutting down may miss.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  // The server's log names people and devices: this user's alone (mode applies to a new file; chmod to an old one).
  const log = createWriteStream(opts.logFile, { flags: 'a', mode: 0o600 });
  log.once('open', (fd: number) => fchmod(fd, 0o600, () => undefined));
  // A log file that cannot be written must not crash us with the server left running on its own.
  log.on('error', (err) => opts.onProblem(`server log ${opts.logFile} not written: ${err.message}`));
  let logged: string | undefined; // the http URL seen in the log
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    const entry = parseJson(line);
    if (!entry) return opts.onProblem(line); // not a log line: the one-time admin password banner, or a crash
    logged ??= httpUrlFrom(entry);
    if (typeof entry.level === 'number' && entry.level >= PINO_WARN) opts.onProblem(`server ${String(entry.msg ?? '')} ${brief(entry)}`);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    log.write(`${line}\n`);
    opts.onProblem(line);
  });
  exited.then(() => log.end());

  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const force = setTimeout(kill, graceMs);
    const code = await exited;
    clearTimeout(force);
    return code;
  };

  const base = () => (opts.httpPort > 0 ? `http://127.0.0.1:${opts.httpPort}` : logged);
  try {
    const { url, health } = await waitForHealth(base, exited, opts.timeoutMs ?? 60_000);
    const mqttHost = new URL(url).hostname;
    return { child, httpUrl: url, mqttUrl: `mqtt://${mqttHost}:${health.mqtt.port}`, health, exited, stop, kill };
  } catch (err) {
    await stop('SIGTERM', 3_000);
    throw err;
  }
}

async function waitForHealth(base: () => string | undefined, exited: Promise<number | string>, timeoutMs: number): Promise<{ url: string; health: Health }> {
  let gone: number | string | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the server exited (${gone}) before it was ready`);
    const url = base();
    if (url) {
      const health = await fetch(`${url}/healthz`).then((r) => (r.ok ? (r.json() as Promise<Health>) : undefined), () => undefined);
      if (health?.ok) return { url, health };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer GET /healthz within ${timeoutMs / 1000} s`);
}

function parseJson(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The server logs `{httpPort, url}` when ready, and Fastify "Server listening at http://…". */
function httpUrlFrom(entry: Record<string, unknown>): string | undefined {
  const text = [entry.url, entry.msg].filter((v): v is string => typeof v === 'string').join(' ');
  const m = /https?:\/\/([^\s/"']+):(\d+)/.exec(text);
  if (m) return `http://${reachable(m[1]!)}:${m[2]}`;
  if (typeof entry.httpPort === 'number' && entry.httpPort > 0) return `http://127.0.0.1:${entry.httpPort}`;
  return undefined;
}

/** A server bound to every interface is reached on loopback. */
function reachable(host: string): string {
  return host === '0.0.0.0' || host === '[::]' || host === '::' ? '127.0.0.1' : host;
}

function brief(entry: Record<string, unknown>): string {
  const { level: _l, time: _t, msg: _m, app: _a, pid: _p, hostname: _h, ...rest } = entry;
  const text = JSON.stringify(rest);
  return text === '{}' ? '' : text.slice(0, 300);
}
