import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { createHikvisionSim, type HikvisionSim } from '../../simulators/vendors/hikvision-sim.js';
import { aCharterVersion } from '../support/charter.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * Hikvision ISAPI entrance cameras, end to end through the real server: a camera
 * registered once (vendor, serialNo, transport http, gateId, direction, address,
 * username, password) POSTs EventNotificationAlert to its push URL; the parking
 * rules' decision goes back to it as Digest-authenticated ISAPI calls, and an open
 * is acked only once the camera's barrierGateStatus reads open.
 */

const E = 'estate-hik';
const SN = 'DS-TCG406-E20230101AACHJ12345678';
const SN2 = 'DS-TCG225-E20240202AACHK87654321';
const RESIDENT = '浙A12345';
const MONTHLY = '浙B66666';
const STRANGER = '湘A88888';
/** The camera's ISAPI login: the password must be nowhere but in the Digest hash. */
const USERNAME = 'linli-isapi';
const PASSWORD = 'Hik-Pw-9rT2vQx7Lm';
const PASSWORD2 = 'Hik-Other-5kP8wZ3n';

const logLines: string[] = [];
let linli: TestLinli;
let sim: HikvisionSim;
let sim2: HikvisionSim;
let sim3: HikvisionSim;
let pushUrl: string;
let pushUrl2: string;

async function register(body: Record<string, unknown>) {
  return linli.api('POST', `/api/estates/${E}/devices`, body);
}

const commandsOf = async (gateId: string) => (await linli.api('GET', `/api/estates/${E}/commands?deviceId=${gateId}`)).body.items as any[];

beforeAll(async () => {
  linli = await startTestLinli({}, { log: createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }) });
  sim = createHikvisionSim({ serialNo: SN, username: USERNAME, password: PASSWORD, armRiseMs: 40 });
  sim2 = createHikvisionSim({ serialNo: SN2, username: USERNAME, password: PASSWORD2, armRiseMs: 40 });
  // A plate the camera holds from before, which the estate's list does not have: the first sync removes it.
  sim.state.whitelist.add('粤Z00000');
  const address = await sim.start();
  const address2 = await sim2.start();
  // A camera whose nonces go stale after two uses, as some firmware does.
  sim3 = createHikvisionSim({ serialNo: 'DS-TCG405-E20250303AACHL11112222', username: USERNAME, password: PASSWORD, armRiseMs: 20, nonceUses: 2 });
  const address3 = await sim3.start();
  expect((await linli.api('POST', '/api/estates', { id: E, name: '西溪里' })).status).toBe(201);
  const cam = await register({ id: 'cam-h1-in', kind: 'camera', name: '东门入口相机', vendor: 'hikvision', serialNo: SN, transport: 'http', gateId: 'gate-h1', direction: 'in', address, username: USERNAME, password: PASSWORD });
  expect(cam.status, JSON.stringify(cam.body)).toBe(201);
  pushUrl = cam.body.connect.pushUrl;
  // The second camera is registered with a password its camera does not have.
  const cam2 = await register({ id: 'cam-h2-in', kind: 'camera', name: '西门入口相机', vendor: 'hikvision', serialNo: SN2, transport: 'http', gateId: 'gate-h2', direction: 'in', address: `http://${address2}`, username: USERNAME, password: 'Wrong-Pw-3xV8' });
  expect(cam2.status, JSON.stringify(cam2.body)).toBe(201);
  pushUrl2 = cam2.body.connect.pushUrl;
  const cam3 = await register({ id: 'cam-h3-in', kind: 'camera', vendor: 'hikvision', serialNo: 'DS-TCG405-E20250303AACHL11112222', transport: 'http', gateId: 'gate-h3', direction: 'in', address: address3, username: USERNAME, password: PASSWORD, vendorSettings: { display: 'none', heartbeatS: 60 } });
  expect(cam3.status, JSON.stringify(cam3.body)).toBe(201);
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 500, reservedForResidents: 10, gates: ['gate-h1', 'gate-h2', 'gate-h3'] }];
    p.classes.temporary = { clause: '2.7', allowed: false };
  });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 2 })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: RESIDENT, class: 'resident', householdId: '3-2-501' })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: MONTHLY, class: 'monthly', validUntil: '2099-12-31' })).status).toBe(201);
});
afterAll(async () => {
  await linli.stop();
  await sim.stop();
  await sim2.stop();
  await sim3.stop();
});

describe('a Hikvision ISAPI entrance camera', () => {
  it('registers with a push URL (unguessable token) and Chinese words for its HTTP listening host, and serves its lane’s gate', async () => {
    expect(pushUrl).toMatch(new RegExp(`^${linli.url}/vendor/hikvision/[A-Za-z0-9_-]{43}$`));
    const cam = await register({ id: 'cam-hx', kind: 'camera', vendor: 'hikvision', serialNo: 'DS-TCG225-E00000000AACHZ0000001', transport: 'http', gateId: 'gate-hx', direction: 'out', address: '192.168.1.65', username: USERNAME, password: 'Another-Pw-6tY2' });
    expect(cam.status).toBe(201);
    const path = new URL(cam.body.connect.pushUrl).pathname;
    expect(cam.body.connect.notice).toBeUndefined();
    expect(cam.body.connect.http).toMatchObject({ host: '127.0.0.1', port: linli.httpPort, path, ssl: false });
    expect(cam.body.connect.instructions.zh).toContain('HTTP 监听');
    expect(cam.body.connect.instructions.zh).toContain(`端口填 ${linli.httpPort}`);
    expect(cam.body.connect.instructions.zh).toContain(`URL 填 ${path}`);
    expect(cam.body.connect.instructions.zh).toContain('digest');
    expect(cam.body.connect.instructions.en).toContain('HTTP listening');
    expect(JSON.stringify(cam.body)).not.toContain('Another-Pw-6tY2');
    // Its settings are checked, naming the field.
    const base = { kind: 'camera', vendor: 'hikvision', transport: 'http', direction: 'in', address: '192.168.1.66', username: USERNAME, password: 'x-123456' };
    for (const [settings, field] of [[{ volume: 11 }, 'volume'], [{ display: 'led' }, 'display'], [{ heartbeatS: 1 }, 'heartbeatS'], [{ colour: 'red' }, '']] as const) {
      const r = await register({ ...base, id: `cam-bad-${field || 'x'}`, serialNo: `DS-BAD-${field || 'x'}`, gateId: `gate-bad-${field || 'x'}`, vendorSettings: settings });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.message).toMatch(new RegExp(`^body\\.vendorSettings${field ? `\\.${field}` : ''}: `));
    }
    const list = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items;
    expect(list.find((d: any) => d.id === 'cam-h1-in')).toMatchObject({ kind: 'camera', vendor: { name: 'hikvision', transport: 'http', serialNo: SN, via: null } });
    expect(list.find((d: any) => d.id === 'gate-h1')).toMatchObject({ kind: 'gate', vendor: { name: 'hikvision', via: 'cam-h1-in' } });
  });

  it('a heartbeat (eventState inactive) brings the camera and its gate online, answered 200', async () => {
    const r = await sim.heartbeat(pushUrl);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<statusCode>1</statusCode>');
    await waitFor(async () => {
      const items = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items;
      return ['cam-h1-in', 'gate-h1'].every((id) => items.find((d: any) => d.id === id)?.online === true);
    }, 3000, 'camera and gate online');
  });

  it('a resident’s plate pushed → the rules open → the barrier rises through Digest-authenticated ISAPI, acked only once barrierGateStatus reads open', async () => {
    sim.calls.length = 0;
    const t0 = Date.now();
    const r = await sim.pushPlate(pushUrl, RESIDENT, { multipart: true });
    expect(r.status, r.text).toBe(200);
    const decision = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items.find((d: any) => d.plate === RESIDENT));
    expect(decision).toMatchObject({ action: 'open', gateId: 'gate-h1', cameraId: 'cam-h1-in', direction: 'in' });
    const cmd = await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.cmdId === decision.cmdId && c.status !== 'sent' && c.status !== 'pending'), 6000, 'open acked');
    const ackedAt = Date.now();
    expect(cmd.status, JSON.stringify(cmd)).toBe('acked');
    expect(cmd.note).toMatch(/^barrier open confirmed by barrierGateStatus/);
    expect(sim.state.arm).toBe('open');
    expect(sim.state.barrier).toEqual(['open']);
    // The ack came after a status read that said open: the last status read precedes it, and said 2.
    const statusReads = sim.calls.filter((c) => c.path.endsWith('/barrierGateStatus') && c.authorized);
    expect(statusReads.length).toBeGreaterThan(0);
    expect(sim.state.openedAt).toBeLessThanOrEqual(ackedAt);
    // Digest: the nonce got earlier (the whitelist sync's challenge) is reused, every call answered with nc counting up by one and a fresh cnonce.
    expect(sim.calls.filter((c) => !c.authorized)).toHaveLength(0);
    const authorized = sim.calls.filter((c) => c.authorized);
    expect(authorized.length).toBeGreaterThanOrEqual(3); // barrier, status, LCD / voice
    expect(new Set(authorized.map((c) => c.digest!.nonce)).size).toBe(1);
    const ncs = authorized.map((c) => parseInt(c.digest!.nc!, 16));
    expect(ncs).toEqual(ncs.map((_, i) => ncs[0]! + i));
    expect(new Set(authorized.map((c) => c.digest!.cnonce)).size).toBe(authorized.length);
    // The welcome on the camera's screen and in its voice.
    expect(JSON.stringify(sim.state.lcd)).toContain('欢迎回家');
    expect(sim.state.voice.join()).toContain('欢迎回家');
    // The read is stored under the camera's id with what the camera sent (the XML, no picture bytes).
    const ev = await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-h1-in`);
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    const events = ev.body.items;
    const read = events.find((e: any) => e.type === 'plate.read' && e.payload.plate === RESIDENT);
    expect(read).toMatchObject({ deviceId: 'cam-h1-in', kind: 'camera', payload: { plate: RESIDENT, color: 'blue', confidence: 0.96 } });
    expect(JSON.stringify(read.payload)).not.toMatch(/\/9j\/|base64/);
    expect(read.vendorRaw).toMatch(/^<\?xml[\s\S]*<EventNotificationAlert[\s\S]*<licensePlate>蓝浙A12345<\/licensePlate>/);
    const firstBarrier = sim.calls.find((c) => c.authorized && c.path.endsWith('/barrierGate'))!;
    // Figures for the report.
    console.log(`hikvision push → barrier PUT ${firstBarrier.at - t0} ms; push → arm open ${sim.state.openedAt! - t0} ms (arm rise 40 ms); push → ack visible ${ackedAt - t0} ms`);
    sim.closeArm();
  });

  it('the same capture pushed again (the camera resending) makes no second open', async () => {
    const uuid = 'resend-1';
    sim.calls.length = 0;
    await sim.pushPlate(pushUrl, MONTHLY, { uuid });
    await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.payload.plate === MONTHLY && c.status === 'acked'), 6000, 'monthly open acked');
    sim.closeArm();
    const before = sim.state.barrier.length;
    expect((await sim.pushPlate(pushUrl, MONTHLY, { uuid })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.state.barrier.length).toBe(before);
  });

  it('a locked barrier: the camera says OK to the open, the arm stays down, and the command fails with the reason', async () => {
    sim.closeArm();
    sim.lock(true);
    try {
      const open = await linli.api('POST', `/api/estates/${E}/gates/gate-h1/open`, { direction: 'in', reason: '救护车送病人', plate: '浙A99999' });
      expect(open.status, JSON.stringify(open.body)).toBe(202);
      // The camera's answer, read honestly: rejected (not timed out), with what the status said.
      const row = await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.payload.plate === '浙A99999' && c.status === 'rejected'), 12_000, 'locked open rejected');
      expect(row.error).toMatch(/accepted the open but the arm did not rise: barrierGateStatus still reads 关到位 \(closed\)/);
      expect(sim.state.arm).toBe('closed');
      expect(sim.state.barrier.at(-1)).toBe('open');
    } finally {
      sim.lock(false);
    }
  }, 20_000);

  it('a wrong ISAPI password: two 401s in a row and it stops, the command fails naming the login; nothing is retried into a lock-out', async () => {
    sim2.calls.length = 0;
    const open = await linli.api('POST', `/api/estates/${E}/gates/gate-h2/open`, { direction: 'in', reason: '访客', plate: '浙C11111' });
    expect(open.status).toBe(202);
    const row = await waitFor(async () => (await commandsOf('gate-h2')).find((c: any) => c.payload.plate === '浙C11111' && c.status === 'rejected'), 12_000, 'wrong-password open rejected');
    expect(row.error).toMatch(/refused the login .*401 twice/);
    // The challenge, and one wrong answer: then it stops.
    expect(sim2.calls.filter((c) => !c.authorized)).toHaveLength(2);
    expect(sim2.calls.filter((c) => c.digest)).toHaveLength(1);
    expect(sim2.state.barrier).toEqual([]);
    // Its whitelist sync was refused the same way once, and a heartbeat does not make it try again soon (no account lock-out).
    sim2.calls.length = 0;
    expect((await sim2.heartbeat(pushUrl2)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim2.calls).toHaveLength(0);
  }, 30_000);

  it('a stale nonce (401 stale=TRUE) is answered with the new challenge without counting as a refused login', async () => {
    for (const plate of ['浙D00001', '浙D00002']) {
      sim3.closeArm();
      const open = await linli.api('POST', `/api/estates/${E}/gates/gate-h3/open`, { direction: 'in', reason: '访客', plate });
      expect(open.status).toBe(202);
      const row = await waitFor(async () => (await commandsOf('gate-h3')).find((c: any) => c.payload.plate === plate && c.status !== 'sent' && c.status !== 'pending'), 6000, `open ${plate}`);
      expect(row.status, JSON.stringify(row)).toBe('acked');
    }
    // Registered without a screen (vendorSettings.display none): no LCD call was made.
    expect(sim3.state.lcd).toEqual([]);
    expect(sim3.calls.some((c) => c.path.includes('LCDScreen'))).toBe(false);
    const stale = sim3.calls.filter((c) => !c.authorized && c.digest);
    expect(stale.length).toBeGreaterThan(0); // right answers on a used-up nonce
    expect(new Set(sim3.calls.filter((c) => c.authorized).map((c) => c.digest!.nonce)).size).toBeGreaterThan(1);
  });

  it('push → barrier open, 20 residents one after another: figures', async () => {
    const plates = Array.from({ length: 20 }, (_, i) => `浙E${String(10000 + i)}`);
    for (const plate of plates) expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate, class: 'resident', householdId: '3-2-501' })).status).toBe(201);
    await linli.api('POST', `/api/estates/${E}/parking/whitelists/refresh`);
    const toPut: number[] = [];
    const toAck: number[] = [];
    for (const plate of plates) {
      sim.closeArm();
      const t0 = Date.now();
      expect((await sim.pushPlate(pushUrl, plate)).status).toBe(200);
      const row = await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.payload.plate === plate && c.status === 'acked'), 6000, `open ${plate}`);
      const put = sim.calls.find((c) => c.at >= t0 && c.authorized && c.method === 'PUT' && c.path.endsWith('/barrierGate'));
      toPut.push(put!.at - t0);
      toAck.push(row.latencyMs);
    }
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
    console.log(`hikvision (20 pushes, arm rise 40 ms): push → barrier PUT p50 ${pct(toPut, 50)} ms p99 ${pct(toPut, 99)} ms; command sent → ack after barrierGateStatus open p50 ${pct(toAck, 50)} ms p99 ${pct(toAck, 99)} ms`);
    expect(pct(toPut, 50)).toBeLessThan(500);
  }, 60_000);

  it('bad bodies are dead letters with their reason or a 4xx; the process and the other devices carry on', async () => {
    const xml = sim.anprXml(RESIDENT);
    const m = sim.multipart(xml);
    const truncated = m.body.subarray(0, m.body.length - 40);
    const bad: [string, string | Buffer, string | undefined, number, string][] = [
      ['not XML', 'hello, camera', 'application/xml', 400, 'not-xml'],
      ['plain text', 'hello', 'text/plain', 400, 'unsupported-content-type'],
      ['billion laughs', `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><EventNotificationAlert>&c;&c;</EventNotificationAlert>`, 'application/xml', 400, 'xml-dtd'],
      ['external entity', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EventNotificationAlert>&e;</EventNotificationAlert>`, 'application/xml', 400, 'xml-dtd'],
      ['nested 9,000 deep', `${'<a>'.repeat(9000)}${'</a>'.repeat(9000)}`, 'application/xml', 400, 'xml-limit'],
      ['truncated multipart', truncated, m.contentType, 400, 'truncated'],
      ['multipart without its boundary', m.body, 'multipart/form-data', 400, 'bad-multipart'],
      ['invalid UTF-8', Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]), 'application/xml', 400, 'invalid-utf8'],
      ['oversize', Buffer.alloc(9 * 1024 * 1024, 0x20), 'application/xml', 413, 'too-large'],
    ];
    const before = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-h1-in`)).body.items.length;
    for (const [what, body, type, status, reason] of bad) {
      const r = await sim.post(pushUrl, body, type ?? '');
      expect(r.status, `${what}: ${r.text.slice(0, 200)}`).toBe(status);
      const letters = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-h1-in&limit=1`)).body.items;
      expect(letters[0]?.reason, `${what}: ${JSON.stringify(letters[0])}`).toBe(reason);
    }
    const letters = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-h1-in`)).body.items;
    expect(letters.length - before).toBe(bad.length);
    // A wrong or malformed token is nobody's: 404, nothing stored. Another vendor's path does not take a Hikvision token either.
    const token = pushUrl.split('/').pop()!;
    for (const url of [pushUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), `${linli.url}/vendor/hikvision/short`, `${linli.url}/vendor/hikvision/${'A'.repeat(43)}`, `${linli.url}/vendor/vzenith/${token}`]) {
      expect((await sim.post(url, xml, 'application/xml')).status, url).toBe(404);
    }
    // Each refused body answered once: no second answer attempted behind the first (logged as an error before).
    expect(logLines.filter((l) => /already sent|Cannot write headers/.test(l))).toEqual([]);
    // Alive, and both cameras carry on: this one opens for the resident's second car.
    expect((await fetch(`${linli.url}/healthz`)).status).toBe(200);
    expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '浙A54321', class: 'resident', householdId: '3-2-501' })).status).toBe(201);
    expect((await sim.pushPlate(pushUrl, '浙A54321')).status).toBe(200);
    await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.payload.plate === '浙A54321' && c.status === 'acked'), 6000, 'open after bad bodies');
    expect((await sim2.heartbeat(pushUrl2)).status).toBe(200);
    sim.closeArm();
  }, 30_000);

  it('a stranger is not let in: no barrier call, the refusal shown and said', async () => {
    const before = sim.state.barrier.length;
    const lcdBefore = sim.state.lcd.length;
    expect((await sim.pushPlate(pushUrl, STRANGER)).status).toBe(200);
    const row = await waitFor(async () => (await commandsOf('gate-h1')).find((c: any) => c.type === 'deny' && c.status === 'acked'), 6000, 'deny acked');
    expect(row.note).toMatch(/accepted by the camera/);
    expect(sim.state.barrier.length).toBe(before);
    expect(sim.state.lcd.length).toBeGreaterThan(lcdBefore);
  });

  it('offline whitelist: the gate’s compiled list is put on the camera as licensePlateAuditData add/delete diffs, and the gate reports the version it holds', async () => {
    const gateVersion = async () => (await linli.api('POST', `/api/estates/${E}/parking/whitelists/refresh`)).body.items.find((g: any) => g.gateId === 'gate-h1');
    await waitFor(async () => {
      const g = await gateVersion();
      return g && g.reportedVersion === g.version && sim.state.whitelist.has(RESIDENT) && sim.state.whitelist.has(MONTHLY);
    }, 5000, 'whitelist on the camera');
    expect(sim.state.whitelist.has('粤Z00000')).toBe(false);
    expect(sim.state.whitelist.has(STRANGER)).toBe(false);
    // A car taken off the register comes off the camera by a delete, the rest stay: a diff, not a rewrite.
    sim.calls.length = 0;
    expect((await linli.api('DELETE', `/api/estates/${E}/vehicles/${encodeURIComponent(MONTHLY)}`)).status).toBeLessThan(300);
    await waitFor(async () => {
      const g = await gateVersion();
      return g && g.reportedVersion === g.version && !sim.state.whitelist.has(MONTHLY);
    }, 5000, 'monthly car off the camera');
    expect(sim.state.whitelist.has(RESIDENT)).toBe(true);
    const writes = sim.calls.filter((c) => c.authorized && c.method === 'PUT');
    expect(writes.map((c) => c.path)).toEqual(['/ISAPI/Traffic/channels/1/DelLicensePlateAuditData?format=json']);
    expect(JSON.parse(writes[0]!.body)).toEqual({ deleteAllEnabled: false, CompoundCond: { plateColor: '', licensePlate: MONTHLY } });
  });

  it('the camera’s ISAPI password is nowhere: API answers, dead letters, vendor_raw, the SQLite files, the logs', async () => {
    const answers = JSON.stringify(
      await Promise.all(
        ['devices', 'devices/cam-h1-in', 'devices/cam-h1-in/history', 'devices/gate-h1/history', 'events', 'dead-letters', 'presence', 'commands', 'audit'].map(async (path) => (await linli.api('GET', `/api/estates/${E}/${path}`)).body),
      ),
    );
    expect(answers).toContain('cam-h1-in');
    const files = readdirSync(linli.dataDir).filter((f) => f.startsWith('linli.sqlite'));
    expect(files).toContain('linli.sqlite');
    for (const secret of [PASSWORD, 'Wrong-Pw-3xV8']) {
      for (const f of files) expect(readFileSync(join(linli.dataDir, f)).includes(Buffer.from(secret)), f).toBe(false);
      expect(logLines.join('\n')).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
    // Nor is the push token (the camera's credential to us) in the logs.
    expect(logLines.join('\n')).not.toContain(pushUrl.split('/').pop()!);
    // What opens it sits apart from the database, readable by the owner only.
    expect(statSync(join(linli.dataDir, 'device-credentials.key')).mode & 0o077).toBe(0);
    expect(sim.cnonces.size).toBeGreaterThan(3);
  });
});

describe('a Hikvision camera unreachable when its whitelist was published, across a restart', () => {
  it('gets the list once it is heard from after the restart, and the gate reports that version', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linli-hik-restart-'));
    const camSim = createHikvisionSim({ serialNo: 'DS-TCG406-E20260404AACHM33334444', username: USERNAME, password: PASSWORD });
    const port = Number((await camSim.start()).split(':')[1]);
    await camSim.stop(); // the camera is off while the list is published
    let first: TestLinli | undefined;
    let second: TestLinli | undefined;
    try {
      first = await startTestLinli({}, { dataDir });
      const e = 'estate-hik-r';
      expect((await first.api('POST', '/api/estates', { id: e, name: '重启小区' })).status).toBe(201);
      const cam = await first.api('POST', `/api/estates/${e}/devices`, { id: 'cam-r1', kind: 'camera', vendor: 'hikvision', serialNo: 'DS-TCG406-E20260404AACHM33334444', transport: 'http', gateId: 'gate-r1', direction: 'in', address: `127.0.0.1:${port}`, username: USERNAME, password: PASSWORD });
      expect(cam.status).toBe(201);
      const charter = aCharterVersion((p) => {
        p.lots = [{ id: 'lot-r', name: '停车场', capacity: 50, reservedForResidents: 5, gates: ['gate-r1'] }];
      });
      expect((await first.api('POST', `/api/estates/${e}/charter/versions`, charter)).status).toBe(201);
      expect((await first.api('POST', `/api/estates/${e}/households`, { building: '1', unit: '1', room: '101', parkingSpaces: 1 })).status).toBe(201);
      expect((await first.api('POST', `/api/estates/${e}/vehicles`, { plate: '浙F12345', class: 'resident', householdId: '1-1-101' })).status).toBe(201);
      const gate = async (l: TestLinli) => (await l.api('POST', `/api/estates/${e}/parking/whitelists/refresh`)).body.items.find((g: any) => g.gateId === 'gate-r1');
      await new Promise((r) => setTimeout(r, 300));
      const before = await gate(first);
      expect(before.version).toBeGreaterThan(0);
      expect(before.reportedVersion).not.toBe(before.version);
      await first.stop();
      first = undefined;
      second = await startTestLinli({}, { dataDir });
      await camSim.start(port);
      // The same push path (the token survives the restart); the test server listens on a new port.
      expect((await camSim.heartbeat(`${second.url}${new URL(cam.body.connect.pushUrl).pathname}`)).status).toBe(200);
      await waitFor(async () => {
        const g = await gate(second!);
        return g.reportedVersion === g.version && camSim.state.whitelist.has('浙F12345');
      }, 5000, 'whitelist on the camera after the restart');
    } finally {
      await first?.stop();
      await second?.stop();
      await camSim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
