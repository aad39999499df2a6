import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
}

/** Starts `server/main.ts` as its own process (as `npm start` does) and waits for its "linli ready" log line. */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line);
      if (entry.msg === 'linli ready') {
        clearTimeout(timer);
        resolve({ child, httpUrl: entry.url, mqttUrl: `mqtt://127.0.0.1:${entry.mqttPort}` });
      }
    });
  });
}
