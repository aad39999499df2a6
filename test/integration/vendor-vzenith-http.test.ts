import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReply } from '../../devices/vendors/vzenith/index.js';
import { createLogger } from '../../server/log.js';
import { aCharterVersion } from '../support/charter.js';
import { startTestLinli, waitFor, type TestLinli } from '../support/linli.js';

/**
 * 臻识 Vzenith over HTTP push, end to end through the real server: a camera
 * registered once (vendor, serialNo, transport http, gateId, direction) POSTs the
 * vendor's own messages to its push URL and acts on the answers, which carry the
 * parking rules' decision with the LED board's frames.
 */

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/devices/lpr-vzenith');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const E = 'estate-vz';
const SN = 'fe71e106-57263272';
const RESIDENT = '鄂A12345';
const MONTHLY = '鄂B66666';
const STRANGER = '湘A88888';
/** What the camera puts in its heartbeat form, in clear: it must never be kept anywhere. */
const CAMERA_PASSWORD = 'Cam-Pw-7f3q9xK2';
const CAMERA_LOGIN = 'lane-admin-93kq';

const logLines: string[] = [];
let linli: TestLinli;
let pushUrl: string;
let plateSeq = 30_000;

/** The fixture's R5 plate push with our plate, a fresh plateid and the time of now (or as given). */
function platePush(plate: string, o: { plateId?: number; offline?: boolean; whitelistOpened?: boolean; serialNo?: string; atMs?: number } = {}): string {
  const body = JSON.parse(fixture('http-alarminfoplate-r5.json'));
  const a = body.AlarmInfoPlate;
  const r = a.result.PlateResult;
  r.license = plate;
  r.plates[0].license = plate;
  r.colorType = 1;
  r.plates[0].color = 1;
  r.type = 1;
  r.plateid = o.plateId ?? plateSeq++;
  const at = new Date(o.atMs ?? Date.now());
  const beijing = new Date(at.getTime() + 8 * 3_600_000);
  r.timeStamp.Timeval = {
    decday: beijing.getUTCDate(),
    dechour: beijing.getUTCHours(),
    decmin: beijing.getUTCMinutes(),
    decmon: beijing.getUTCMonth() + 1,
    decsec: beijing.getUTCSeconds(),
    decyear: beijing.getUTCFullYear(),
    sec: Math.floor(at.getTime() / 1000),
    usec: (at.getTime() % 1000) * 1000,
  };
  if (o.offline) r.isoffline = 1;
  if (o.whitelistOpened) r.gioouts = [{ ctrltype: 2, ionum: '0' }];
  if (o.serialNo) a.serialno = o.serialNo;
  return JSON.stringify(body);
}

async function push(url: string, body: string | Uint8Array<ArrayBuffer> | FormData, contentType: string | undefined = 'application/json') {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', body, headers: contentType && !(body instanceof FormData) ? { 'content-type': contentType } : {} });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

/** What the camera will do with an answer: open or not, the LED lines and the voice, decoded from the RS-485 frames. */
function camera(text: string) {
  const d = decodeReply(text);
  if (!d.ok) throw new Error(`undecodable answer: ${d.message}`);
  const bodies = d.reply.serial.map((s) => ('ok' in s.frame ? undefined : s.frame.body));
  return {
    open: d.reply.open,
    led: bodies.filter((b) => b?.kind === 'temporary-text').map((b) => (b as { text: string }).text),
    voice: bodies.filter((b) => b?.kind === 'voice').map((b) => (b as { text: string }).text),
    continuePushOffline: d.reply.continuePushOffline,
    idle: d.reply.idle,
  };
}

function heartbeat(serialNo = SN, password = CAMERA_PASSWORD): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries({ device_name: 'IVS', ipaddr: '192.168.109.40', port: '80', user_name: CAMERA_LOGIN, pass_wd: password, serialno: serialNo, channel_num: '1' })) f.append(k, v);
  return f;
}

async function register(body: Record<string, unknown>) {
  return linli.api('POST', `/api/estates/${E}/devices`, body);
}

beforeAll(async () => {
  linli = await startTestLinli({}, { log: createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }) });
  expect((await linli.api('POST', '/api/estates', { id: E, name: '和平里' })).status).toBe(201);
  const cam = await register({ id: 'cam-s1-in', kind: 'camera', name: '南门入口相机', vendor: 'vzenith', serialNo: SN, transport: 'http', gateId: 'gate-s1', direction: 'in', vendorSettings: { cometHoldMs: 300 } });
  expect(cam.status, JSON.stringify(cam.body)).toBe(201);
  pushUrl = cam.body.connect.pushUrl;
  // Strangers stay out; residents and monthly cars come in; the lot is behind the camera's own gate.
  const charter = aCharterVersion((p) => {
    p.lots = [{ id: 'lot-main', name: '主停车场', capacity: 500, reservedForResidents: 10, gates: ['gate-s1', 'gate-s2'] }];
    p.classes.temporary = { clause: '2.7', allowed: false };
  });
  expect((await linli.api('POST', `/api/estates/${E}/charter/versions`, charter)).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/households`, { building: '3', unit: '2', room: '501', parkingSpaces: 1 })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: RESIDENT, class: 'resident', householdId: '3-2-501' })).status).toBe(201);
  expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: MONTHLY, class: 'monthly', validUntil: '2099-12-31' })).status).toBe(201);
});
afterAll(async () => {
  await linli.stop();
});

describe('registering a 臻识 camera', () => {
  it('answers 201 {id, secret, connect}: a push URL with an unguessable token, and what to type on the camera’s page in Chinese', async () => {
    const cam = await register({ id: 'cam-x1', kind: 'camera', vendor: 'vzenith', serialNo: 'aa11bb22-33445566', transport: 'http', gateId: 'gate-x1', direction: 'out' });
    expect(cam.status).toBe(201);
    expect(cam.body).toMatchObject({ id: 'cam-x1', secret: expect.any(String), serves: { gateId: 'gate-x1', created: true } });
    const url = new URL(cam.body.connect.pushUrl);
    expect(url.origin).toBe(linli.url);
    expect(url.pathname).toMatch(/^\/vendor\/vzenith\/[A-Za-z0-9_-]{43}$/);
    expect(cam.body.connect.pushUrl).not.toBe(pushUrl);
    expect(cam.body.connect.http).toMatchObject({ host: '127.0.0.1', port: linli.httpPort, path: url.pathname, ssl: false });
    expect(cam.body.connect.instructions.zh).toContain('HTTP 推送');
    expect(cam.body.connect.instructions.zh).toContain(`端口填 ${linli.httpPort}`);
    expect(cam.body.connect.instructions.zh).toContain(url.pathname);
    expect(cam.body.connect.instructions.zh).toContain('comet 轮询');
    expect(cam.body.connect.instructions.en).toContain('comet polling');
    expect(cam.body.connect.notice).toBeUndefined();
    // Registered once: the camera, and the gate it drives, reached through it. The token is not kept: only its digest.
    const list = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items;
    expect(list.find((d: any) => d.id === 'cam-x1')).toMatchObject({ kind: 'camera', props: { gateId: 'gate-x1', direction: 'out' }, vendor: { name: 'vzenith', transport: 'http', serialNo: 'aa11bb22-33445566', via: null } });
    expect(list.find((d: any) => d.id === 'gate-x1')).toMatchObject({ kind: 'gate', props: { servedBy: 'cam-x1' }, vendor: { name: 'vzenith', transport: 'http', via: 'cam-x1' } });
    expect(JSON.stringify(list)).not.toContain(url.pathname.split('/').pop());
  });

  it('a Hikvision camera’s ISAPI password is taken and kept as a secret: in no answer, no audit line, no log line', async () => {
    const password = 'Hik-Isapi-Secret-4d9w';
    const cam = await register({ id: 'cam-h1', kind: 'camera', vendor: 'hikvision', serialNo: 'DS-TCG225-E12345678', transport: 'http', gateId: 'gate-h1', direction: 'out', address: '192.168.1.64', username: 'linli', password });
    expect(cam.status, JSON.stringify(cam.body)).toBe(201);
    expect(cam.body.connect.pushUrl).toMatch(/\/vendor\/hikvision\/[A-Za-z0-9_-]{43}$/);
    // Its transport runs (server/vendors/hikvision-http.ts; end to end in vendor-hikvision.test.ts): no "not yet" notice.
    expect(cam.body.connect.notice).toBeUndefined();
    const answers = JSON.stringify([
      cam.body,
      (await linli.api('GET', `/api/estates/${E}/devices`)).body,
      (await linli.api('GET', `/api/estates/${E}/devices/cam-h1`)).body,
      (await linli.api('GET', `/api/estates/${E}/audit`)).body,
    ]);
    expect(answers).toContain('cam-h1');
    expect(answers).not.toContain(password);
    expect(logLines.join('\n')).toContain('cam-h1');
    expect(logLines.join('\n')).not.toContain(password);
  });

  it('refuses what cannot be right, naming the field', async () => {
    const base = { kind: 'camera', vendor: 'vzenith', transport: 'http', gateId: 'gate-x2', direction: 'in' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, id: 'cam-b1' }, /^body\.serialNo: required/],
      [{ ...base, id: 'cam-b2', serialNo: 'has space' }, /^body\.serialNo: /],
      [{ ...base, id: 'cam-b3', serialNo: 'aa11bb22-33445566' }, /^body\.serialNo: .*already registered/],
      [{ ...base, id: 'cam-b4', serialNo: 'cc-1', transport: 'tcp' }, /^body\.transport: /],
      [{ ...base, id: 'cam-b5', serialNo: 'cc-2', vendor: 'acme' }, /^body\.vendor: /],
      [{ ...base, id: 'cam-b6', serialNo: 'cc-3', password: 'x' }, /^body\.password: /],
      [{ ...base, id: 'cam-b7', serialNo: 'cc-4', vendorSettings: { heartbeat: 'sometimes' } }, /^body\.vendorSettings\.heartbeat: /],
      [{ ...base, id: 'cam-b8', serialNo: 'cc-5', gateId: 'cam-b8' }, /^body\.gateId: /],
      [{ id: 'shed-b9', kind: 'charger', vendor: 'vzenith', serialNo: 'cc-6' }, /^body\.vendor: /],
    ];
    for (const [body, message] of cases) {
      const r = await register(body);
      expect(r.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.message, JSON.stringify(body)).toMatch(message);
    }
    // Nothing half-registered: no camera, no gate.
    const ids = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items.map((d: any) => d.id);
    expect(ids.filter((id: string) => id.startsWith('cam-b') || id === 'gate-x2')).toEqual([]);
  });
});

describe('a 臻识 camera over HTTP push, through the real server', () => {
  it('a heartbeat (comet poll) brings the camera and its gate online, and is answered {"status":"ok"}', async () => {
    const r = await push(pushUrl, heartbeat(), undefined);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok' });
    const list = (await linli.api('GET', `/api/estates/${E}/devices`)).body.items;
    expect(list.find((d: any) => d.id === 'cam-s1-in').online).toBe(true);
    expect(list.find((d: any) => d.id === 'gate-s1').online).toBe(true);
  });

  it('a resident’s plate: the answer opens, and its RS-485 frames show and say the rules’ welcome', async () => {
    const r = await push(pushUrl, platePush(RESIDENT, { plateId: 21085 }));
    expect(r.status).toBe(200);
    expect(r.json.Response_AlarmInfoPlate).toMatchObject({ info: 'ok', plateid: 21085 });
    const seen = camera(r.text);
    expect(seen.open).toBe(true);
    expect(seen.led.join(' ')).toBe('业主车辆 欢迎回家');
    expect(seen.voice).toEqual(['业主车辆，欢迎回家']);
    // The rules decided on the camera's read, for its lane's gate, and cite the clause.
    const decision = (await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items.find((d: any) => d.plate === RESIDENT);
    expect(decision).toMatchObject({ action: 'open', gateId: 'gate-s1', cameraId: 'cam-s1-in', direction: 'in', clause: '2.1', display: '业主车辆 欢迎回家' });
    // The event is stored under the camera's Linli id; the committee also sees what the camera really sent.
    const events = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-s1-in`)).body.items;
    const read = events.find((e: any) => e.type === 'plate.read' && e.payload.plate === RESIDENT);
    expect(read).toMatchObject({ deviceId: 'cam-s1-in', kind: 'camera' });
    expect(read.id).toMatch(new RegExp(`^${SN}\\.21085\\.\\d+$`));
    expect(read.payload).toMatchObject({ plate: RESIDENT, color: 'blue', confidence: 0.96 });
    expect(read.vendorRaw.AlarmInfoPlate.result.PlateResult).toMatchObject({ license: RESIDENT, plateid: 21085, imageFile: '' });
    // The command is acked for what the answer proves: delivered, not executed.
    const cmd = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-s1`)).body.items.find((c: any) => c.cmdId === decision.cmdId && c.status === 'acked'));
    expect(cmd.note).toMatch(/^delivered in the HTTP reply; the camera does not report whether the arm moved/);
    const stays = (await linli.api('GET', `/api/estates/${E}/parking/stays?plate=${encodeURIComponent(RESIDENT)}&open=true`)).body.items;
    expect(stays).toHaveLength(1);
  });

  it('an inline image is never stored: the kept raw message gives its size only', async () => {
    const image = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)).toString('base64');
    const body = JSON.parse(platePush('鄂F60006', { plateId: 31337 }));
    Object.assign(body.AlarmInfoPlate.result.PlateResult, { imageFile: image, imageFileLen: 3000 });
    expect((await push(pushUrl, JSON.stringify(body))).status).toBe(200);
    const read = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-s1-in&type=plate.read`)).body.items.find((e: any) => e.payload.plate === '鄂F60006');
    expect(read.payload.imageRef).toBeUndefined();
    expect(read.vendorRaw.AlarmInfoPlate.result.PlateResult.imageFile).toBe(`<${image.length} base64 characters, not kept>`);
    const files = ['linli.sqlite', 'linli.sqlite-wal'].map((f) => readFileSync(join(linli.dataDir, f)));
    for (const bytes of files) expect(bytes.includes(Buffer.from(image.slice(0, 200)))).toBe(false);
  });

  it('a stranger’s plate: the answer does not open, and the board shows the refusal', async () => {
    const r = await push(pushUrl, platePush(STRANGER));
    expect(r.status).toBe(200);
    const seen = camera(r.text);
    expect(r.json.Response_AlarmInfoPlate.info).toBe('no');
    expect(seen.open).toBe(false);
    expect(seen.led.join(' ')).toBe('非本小区车辆 请勿进入');
  });

  it('the camera sending the same record again gets no second decision', async () => {
    const body = platePush(MONTHLY, { plateId: 777 });
    const first = await push(pushUrl, body);
    expect(camera(first.text)).toMatchObject({ open: true, led: ['月租车', '欢迎回家'] });
    const before = (await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items.filter((d: any) => d.plate === MONTHLY).length;
    const again = await push(pushUrl, body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ Response_AlarmInfoPlate: { plateid: 777 } });
    expect(again.ms).toBeLessThan(1000); // a known record waits for no decision
    const after = (await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items.filter((d: any) => d.plate === MONTHLY).length;
    expect(after).toBe(before);
    const reads = (await linli.api('GET', `/api/estates/${E}/events?deviceId=cam-s1-in&type=plate.read`)).body.items.filter((e: any) => e.payload.plate === MONTHLY);
    expect(reads).toHaveLength(1);
  });

  it('a read the rules do not act on (the same plate again within the charter’s window) is answered after a bounded wait, with its plateid only', async () => {
    const r = await push(pushUrl, platePush(STRANGER, { plateId: 4242 }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ Response_AlarmInfoPlate: { plateid: 4242 } });
    expect(r.ms).toBeGreaterThanOrEqual(1400);
    expect(r.ms).toBeLessThan(2500);
  });

  it('an offline backlog: whitelist opens become stays, each record answered with ContinuePushOffline, a resent record kept once', async () => {
    const plate = '鄂C20001';
    expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate, class: 'monthly', validUntil: '2099-12-31' })).status).toBe(201);
    const atMs = Date.now() - 20 * 60_000;
    const opened = platePush(plate, { plateId: 9001, offline: true, whitelistOpened: true, atMs });
    const notOpened = platePush(STRANGER, { plateId: 9002, offline: true, atMs: atMs + 60_000 });
    for (const [body, id] of [[opened, 9001], [notOpened, 9002], [opened, 9001]] as const) {
      const r = await push(pushUrl, body);
      expect(r.status).toBe(200);
      expect(camera(r.text)).toMatchObject({ continuePushOffline: { plateId: id, continue: true } });
      expect(r.json.Response_AlarmInfoPlate.info).toBeUndefined(); // a car long gone is not decided on
    }
    const stays = await waitFor(async () => {
      const items = (await linli.api('GET', `/api/estates/${E}/parking/stays?plate=${encodeURIComponent(plate)}`)).body.items;
      return items.length > 0 && items;
    });
    expect(stays).toHaveLength(1);
    expect(stays[0]).toMatchObject({ entrySource: 'offline-whitelist', entryGate: 'gate-s1' });
    expect(Math.abs(Date.parse(stays[0].entryAt) - atMs)).toBeLessThan(2000);
    const manual = (await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-s1&type=gate.manual`)).body.items;
    expect(manual).toHaveLength(1);
    expect(manual[0].payload).toMatchObject({ action: 'open', source: 'offline-whitelist', plate, direction: 'in' });
    // The stranger's backlog record opened nothing: no event, no stay, no decision.
    expect((await linli.api('GET', `/api/estates/${E}/parking/decisions`)).body.items.filter((d: any) => d.plate === STRANGER)).toHaveLength(1);
  });

  it('the loop detector (AlarmGioIn) becomes a gate.passage of the lane’s gate', async () => {
    const body = fixture('http-alarmgioin.json').replace('d85b1269-8f942256', SN);
    const r = await push(pushUrl, body);
    expect(r.status).toBe(200);
    const passages = (await linli.api('GET', `/api/estates/${E}/events?deviceId=gate-s1&type=gate.passage`)).body.items;
    expect(passages).toHaveLength(1);
    expect(passages[0]).toMatchObject({ kind: 'gate', payload: { type: 'gate.passage', direction: 'in' } });
  });

  it('a guard’s manual open rides in the next comet poll; a command nobody asked for before it expired is dropped', async () => {
    const polling = push(pushUrl, heartbeat(), undefined); // held open by the server while nothing is queued
    await new Promise((r) => setTimeout(r, 50));
    const open = await linli.api('POST', `/api/estates/${E}/gates/gate-s1/open`, { direction: 'in', reason: '救护车送病人', plate: '鄂A99999' });
    expect(open.status).toBe(202);
    const r = await polling;
    expect(camera(r.text)).toMatchObject({ open: true, led: ['人工放行'] });
    // A display with one second to live and no poll for two: dropped, resent once, dropped again, failed.
    const cmd = await linli.api('POST', `/api/estates/${E}/devices/gate-s1/commands`, { type: 'display', display: '请稍候', ttlS: 1 });
    expect(cmd.status).toBe(202);
    await new Promise((r) => setTimeout(r, 2300));
    const idle = await push(pushUrl, heartbeat(), undefined);
    expect(idle.json).toEqual({ status: 'ok' });
    const row = await waitFor(async () => (await linli.api('GET', `/api/estates/${E}/commands?deviceId=gate-s1`)).body.items.find((c: any) => c.cmdId === cmd.body.cmdId && c.status === 'failed'));
    expect(row.attempts).toBe(2);
  });

  it('with a comet poll held open, the decision for a plate rides in the plate’s own answer, not the poll’s', async () => {
    expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂E50005', class: 'monthly', validUntil: '2099-12-31' })).status).toBe(201);
    const polling = push(pushUrl, heartbeat(), undefined);
    await new Promise((r) => setTimeout(r, 50));
    const plate = await push(pushUrl, platePush('鄂E50005'));
    expect(camera(plate.text)).toMatchObject({ open: true, led: ['月租车', '欢迎回家'] });
    expect((await polling).json).toEqual({ status: 'ok' });
  });

  it('bad bodies are dead letters with their reason or a 4xx; the process and the other cameras carry on', async () => {
    const other = await register({ id: 'cam-s2-in', kind: 'camera', vendor: 'vzenith', serialNo: 'bb22cc33-44556677', transport: 'http', gateId: 'gate-s2', direction: 'in' });
    expect(other.status).toBe(201);
    const bad: [string, string | Uint8Array<ArrayBuffer>, string | undefined, number, string | undefined][] = [
      ['not JSON', '{"AlarmInfoPlate": {"serialno": ', 'application/json', 400, 'not-json'],
      ['XML bomb', `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;&c;&c;&c;</l>`, 'application/xml', 400, 'not-json'],
      ['nested a million deep', `{"AlarmInfoPlate":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`, 'application/json', 400, 'schema'],
      ['invalid UTF-8', Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json', 400, 'invalid-utf8'],
      ['unknown message', '{"Hello": 1}', 'application/json', 400, 'unknown-message'],
      ['plate without its fields', '{"AlarmInfoPlate": {"serialno": "fe71e106-57263272", "result": {"PlateResult": {}}}}', 'application/json', 400, 'schema'],
      ['another camera’s serial', platePush(RESIDENT, { serialNo: 'ffff0000-11112222' }), 'application/json', 400, 'schema'],
      ['oversize', new Uint8Array(9 * 1024 * 1024).fill(0x20), 'application/json', 413, 'too-large'],
      ['no content type', 'x', undefined, 400, 'not-json'],
    ];
    const before = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-s1-in`)).body.items.length;
    for (const [what, body, type, status, reason] of bad) {
      const r = await push(pushUrl, body, type);
      expect(r.status, `${what}: ${r.text.slice(0, 200)}`).toBe(status);
      const letters = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-s1-in&limit=1`)).body.items;
      expect(letters[0]?.reason, what).toBe(reason);
    }
    const letters = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-s1-in`)).body.items;
    expect(letters.length - before).toBe(bad.length);
    expect(letters.find((l: any) => l.field === 'serialno').message).toMatch(/^serialno: ffff0000-11112222 is not the camera registered at this push address/);
    // A wrong or malformed token is nobody's: 404, nothing stored.
    for (const url of [pushUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), `${linli.url}/vendor/vzenith/short`, `${linli.url}/vendor/vzenith/${'A'.repeat(43)}`]) {
      expect((await push(url, platePush(RESIDENT))).status).toBe(404);
    }
    // Alive, and the other camera opens for a resident as before.
    expect((await fetch(`${linli.url}/healthz`)).status).toBe(200);
    expect((await linli.api('POST', `/api/estates/${E}/vehicles`, { plate: '鄂D30003', class: 'monthly', validUntil: '2099-12-31' })).status).toBe(201);
    const ok = await push(other.body.connect.pushUrl, platePush('鄂D30003').replace(SN, 'bb22cc33-44556677'));
    expect(camera(ok.text)).toMatchObject({ open: true, led: ['月租车', '欢迎回家'] });
  });

  it('a silent camera goes offline with its gate after three missed heartbeats', async () => {
    const cam = await register({ id: 'cam-s3-in', kind: 'camera', vendor: 'vzenith', serialNo: 'cc33dd44-55667788', transport: 'http', gateId: 'gate-s3', direction: 'in', vendorSettings: { heartbeatS: 1, heartbeat: 'plain' } });
    const hb = await push(cam.body.connect.pushUrl, heartbeat('cc33dd44-55667788'), undefined);
    expect(hb.json).toEqual({ status: 'ok' });
    const online = async (id: string) => (await linli.api('GET', `/api/estates/${E}/devices/${id}`)).body.online;
    expect(await online('cam-s3-in')).toBe(true);
    expect(await online('gate-s3')).toBe(true);
    await waitFor(async () => !(await online('cam-s3-in')) && !(await online('gate-s3')), 6000, 'offline after 3 s of silence');
    const presence = (await linli.api('GET', `/api/estates/${E}/presence?deviceId=gate-s3`)).body.items;
    expect(presence[0]).toMatchObject({ online: false, reason: 'missed-heartbeats' });
  });

  it('the camera’s web login from its heartbeat is nowhere: not in the database file, the logs, or any answer', async () => {
    // Also in a heartbeat that is refused (a bad serialno): its dead letter keeps field names only.
    const refused = await push(pushUrl, heartbeat('not a serial!'), undefined);
    expect(refused.status).toBe(400);
    const letter = (await linli.api('GET', `/api/estates/${E}/dead-letters?deviceId=cam-s1-in&limit=1`)).body.items[0];
    expect(letter.payloadExcerpt).toContain('field names only');
    const answers = JSON.stringify(
      await Promise.all(
        ['devices', 'devices/cam-s1-in', 'devices/cam-s1-in/history', 'events', 'dead-letters', 'presence', 'commands'].map(async (path) => (await linli.api('GET', `/api/estates/${E}/${path}`)).body),
      ),
    );
    // Every byte of the store, the main file and its write-ahead log, as the process left them.
    const files = ['linli.sqlite', 'linli.sqlite-wal'].map((f) => {
      try {
        return readFileSync(join(linli.dataDir, f));
      } catch {
        return Buffer.alloc(0);
      }
    });
    expect(files[0]!.length).toBeGreaterThan(0);
    for (const secret of [CAMERA_PASSWORD, CAMERA_LOGIN]) {
      for (const bytes of files) expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(logLines.join('\n')).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
  });
});
