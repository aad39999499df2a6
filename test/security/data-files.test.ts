import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../../simulators/demo/server-process.js';
import { startTestLinli, type TestLinli } from '../support/linli.js';

/*
 * Finding 9: the data folder holds residents' names, phones, plates and card ids.
 * Another user of the same machine (a shared NAS, a street office's server) must
 * not read it: the folder 0700, the database and its -wal / -shm 0600, made so at
 * the first start and tightened at boot on an install an older version left 0755 / 0644.
 */
const root = join(import.meta.dirname, '..', '..');
const parent = mkdtempSync(join(tmpdir(), 'linli-modes-'));
const PASSWORD = 'data-files-test-password-1';
const DB_FILES = ['linli.sqlite', 'linli.sqlite-wal', 'linli.sqlite-shm'];
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
let umask: number;

beforeAll(() => {
  umask = process.umask(0o022); // the usual umask: files 0644 and folders 0755 unless the code says otherwise
});
afterAll(() => {
  process.umask(umask);
  rmSync(parent, { recursive: true, force: true });
});

/** Things a committee does on day one, so the WAL and its index hold personal data. */
async function writeSomePersonalData(api: (m: string, p: string, b?: unknown) => Promise<{ status: number }>) {
  expect((await api('POST', '/api/estates', { id: 'heping', name: '和平里' })).status).toBe(201);
  expect((await api('POST', '/api/estates/heping/households', { building: '3', unit: '2', room: '501' })).status).toBe(201);
  expect((await api('POST', '/api/estates/heping/residents', { householdId: '3-2-501', name: '王秀英', phone: '13800001234' })).status).toBe(201);
  expect((await api('POST', '/api/estates/heping/vehicles', { plate: '鄂A12345', householdId: '3-2-501' })).status).toBe(201);
}

describe('the data folder and the database files', () => {
  let linli: TestLinli | undefined;
  afterAll(async () => linli?.stop());

  it('a first start on a folder that does not exist: folder 0700; linli.sqlite, -wal and -shm 0600 after real writes', async () => {
    const dataDir = join(parent, 'fresh', 'data');
    linli = await startTestLinli({}, { dataDir });
    await writeSomePersonalData(linli.api);
    for (const f of DB_FILES) expect(existsSync(join(dataDir, f)), `${f} exists while the server runs`).toBe(true);
    expect(mode(dataDir)).toBe('0700');
    for (const f of DB_FILES) expect(`${f} ${mode(join(dataDir, f))}`).toBe(`${f} 0600`);
    // Another user could not even list the folder, let alone open the file.
    expect(statSync(dataDir).mode & 0o077).toBe(0);
  });

  it('an install left 0755 / 0644 by an older version: the server (as the demo runs it) tightens each at boot and logs it; the demo log is 0600', async () => {
    const dataDir = join(parent, 'old-install');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    // The database an older version made: data in it, every file world-readable, -wal and -shm left by a crash.
    const db = new Database(join(dataDir, 'linli.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE left_by_old_version (name TEXT); INSERT INTO left_by_old_version VALUES ('王秀英 13800001234')");
    db.close();
    writeFileSync(join(dataDir, 'linli.sqlite-wal'), '');
    writeFileSync(join(dataDir, 'linli.sqlite-shm'), '');
    writeFileSync(join(dataDir, 'demo-server.log'), '{"msg":"an older demo run"}\n');
    for (const f of [...DB_FILES, 'demo-server.log']) chmodSync(join(dataDir, f), 0o644);
    expect(mode(join(dataDir, 'linli.sqlite'))).toBe('0644');

    const logFile = join(dataDir, 'demo-server.log');
    const server = await spawnServer({
      cwd: root,
      env: { ...process.env, LINLI_DATA_DIR: dataDir, LINLI_HTTP_PORT: '0', LINLI_MQTT_PORT: '0', LINLI_ELEVATOR_TCP_PORT: '0', LINLI_JUY_TCP_PORT: '0', LINLI_ADMIN_PASSWORD: PASSWORD, LINLI_DB_SYNC: 'normal', LINLI_LOG_LEVEL: 'info' },
      httpPort: 0,
      logFile,
      onProblem: () => undefined,
    });
    try {
      const login = await fetch(`${server.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      const { token } = (await login.json()) as { token: string };
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(server.httpUrl + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status };
      };
      await writeSomePersonalData(api);

      expect(mode(dataDir)).toBe('0700');
      for (const f of DB_FILES) expect(`${f} ${mode(join(dataDir, f))}`).toBe(`${f} 0600`);
      expect(mode(logFile)).toBe('0600');
      // Each tightening is said in the server's log, naming the path and the mode it had.
      const tightened = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg?: string; path?: string; was?: string })
        .filter((e) => /permissions tightened/.test(e.msg ?? ''));
      expect(tightened.map((e) => `${e.path} ${e.was}`).sort()).toEqual([dataDir, ...DB_FILES.map((f) => join(dataDir, f))].map((p) => `${p} ${p === dataDir ? '0755' : '0644'}`).sort());
      // The old data is still there: tightening changed who may read it, nothing else.
      const check = new Database(join(dataDir, 'linli.sqlite'), { readonly: true });
      expect(check.prepare('SELECT name FROM left_by_old_version').pluck().get()).toBe('王秀英 13800001234');
      check.close();
    } finally {
      await server.stop('SIGTERM');
    }
  }, 60_000);
});
