import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decodeHeartbeat,
  decodeIvsResult,
  decodePush,
  decodeReply,
  encodeReply,
  MAX_PUSH_BYTES,
  type DecodedPlate,
  type DecodedPush,
  type GioContext,
  type PushResult,
} from '../../devices/vendors/vzenith/index.js';
import { decodeFrame, encodeVoice } from '../../devices/vendors/led485/index.js';
import { toHex } from '../../devices/vendors/bytes.js';
import type { VendorRejection } from '../../devices/vendors/result.js';

// 臻识 Vzenith HTTP push. Fixtures: ../shared/fixtures/devices/lpr-vzenith (read its SOURCES.md). That folder
// has no VERIFIED.md; where the vendor's own samples disagree with the vendor's own rules, the test says so.
const DIR = fileURLToPath(new URL('../../../shared/fixtures/devices/lpr-vzenith/', import.meta.url));
const LED = fileURLToPath(new URL('../../../shared/fixtures/devices/led-485-board/', import.meta.url));
const read = (f: string) => readFileSync(DIR + f, 'utf8');
const compact = (f: string) => JSON.stringify(JSON.parse(read(f)));
const ctx: GioContext = { receivedAt: '2026-11-21T08:00:00.000Z', direction: 'in' };
const bytesAsSize = (_: string, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v);

function pushed(r: PushResult): DecodedPush {
  if (!r.ok) throw new Error(`expected a decoded push, got ${r.reason}: ${r.message}`);
  return r.push;
}
function plateOf(r: PushResult | DecodedPlate | VendorRejection): DecodedPlate {
  const p = 'push' in r ? r.push : r;
  if ('ok' in p || p.kind !== 'plate') throw new Error(`expected a plate, got ${JSON.stringify(p)}`);
  return p;
}

/** JSON with // comments (outside strings) and trailing commas, as the vendor document prints it. */
function stripJsonc(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The R5 sample, to vary one field at a time. */
const r5 = () => JSON.parse(read('http-alarminfoplate-r5.json')) as { AlarmInfoPlate: { serialno: string; result: { PlateResult: Record<string, unknown> } } };
const withPlate = (change: (p: Record<string, unknown>) => void) => {
  const j = r5();
  change(j.AlarmInfoPlate.result.PlateResult);
  return JSON.stringify(j);
};

// ── every fixture file, by what it is ──────────────────────────────────────────────────────────────
type Check = (file: string) => void;

const uplinkPlate: Check = (file) => {
  const p = plateOf(decodePush(readFileSync(DIR + file), ctx));
  for (const e of p.events) {
    expect(e.message.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    expect(JSON.stringify(e.message).length).toBeLessThan(512); // images are never inlined
    if (e.message.type === 'plate.read') expect(e.message).not.toHaveProperty('direction');
  }
  if (file === 'http-alarminfoplate-r5.json') {
    expect(p).toMatchObject({ serialNo: 'fe71e106-57263272', plateId: 21085, offline: false, plate: '粤Z9065澳', images: [] });
    expect(p.events).toEqual([
      {
        kind: 'camera',
        message: {
          id: 'fe71e106-57263272.21085.1686299994',
          ts: '2023-06-09T08:39:54.687Z', // sec 1686299994 + usec 687772; dec* say 16:39:54 at +08:00, the same instant
          type: 'plate.read',
          plate: '粤Z9065澳',
          color: 'black', // colorType 4 (§3.3); type 14 is 澳门进出中国大陆车牌, which are black
          confidence: 0.96,
        },
      },
    ]);
    expect(p.extras).toEqual({ colorCode: 4, plateType: 14, newEnergy: false, fakePlate: false, triggerType: 4, motion: 'unknown', openedBy: undefined });
    expect(p.warnings).toEqual([]);
  }
};

const jsoncTwin: Check = (file) => {
  const twin = file.replace(/\.jsonc$/, '.json');
  const parsed = JSON.parse(stripJsonc(read(file)));
  // SOURCES.md: "*.json twin has comments/trailing commas removed, no value changed".
  if (readdirSync(DIR).includes(twin)) expect(parsed).toEqual(JSON.parse(read(twin)));
  expect(CHECKS.find(([re]) => re.test(twin))?.[0].source, `${twin}: a .jsonc whose twin has no check`).toBeDefined();
};

const uplinkGioIn: Check = (file) => {
  const p = pushed(decodePush(readFileSync(DIR + file), ctx));
  expect(p.kind).toBe('gio-in');
  if (file === 'http-alarmgioin.json') {
    expect(p).toMatchObject({ serialNo: 'd85b1269-8f942256', source: 3, value: 1 });
    expect(p.kind === 'gio-in' && p.events).toEqual([
      { kind: 'gate', message: { id: 'd85b1269-8f942256.io3.1795248000000', ts: ctx.receivedAt, type: 'gate.passage', direction: 'in' } },
    ]);
  }
};

const uplinkSerial: Check = (file) => {
  const p = pushed(decodePush(readFileSync(DIR + file), ctx));
  if (p.kind !== 'serial') throw new Error(p.kind);
  const j = JSON.parse(read(file)).SerialData;
  expect(p.bytes.length).toBe(j.dataLen);
  expect(p.serialNo).toBe(j.serialno);
  // "Y2guY29tFw==" is "ch.com\x17": not a board frame, so it is kept with the reason it is not one.
  if (file === 'http-serialdata-push.json') expect(p.board).toMatchObject({ ok: false, reason: 'unknown-version' });
};

const heartbeat: Check = (file) => {
  const text = read(file);
  // The document's copy lost its line breaks and the request's headers; a camera sends curl's boundary in
  // Content-Type (the delimiter in the body is "--" + boundary). Decoded both with and without that header.
  const delimiter = /-{2,}[0-9a-f]{16}/.exec(text)![0];
  for (const contentType of [`multipart/form-data; boundary=${delimiter.slice(2)}`, undefined]) {
    const hb = pushed(decodePush(text, { ...ctx, contentType }));
    expect(hb).toEqual({
      kind: 'heartbeat', serialNo: 'd85b1269-8f942256', deviceName: 'IVS', ip: '192.168.109.40', port: 80, channels: 1,
      credentialsDropped: true, ignoredFields: [],
    });
  }
  // The web login ("admin"/"admin" here) is nowhere in what we return or keep.
  const whole = JSON.stringify(decodePush(text, ctx));
  expect(whole).not.toMatch(/admin|user_name|pass_wd/);
};

const reply: Check = (file) => {
  const r = decodeReply(read(file));
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  const expected: Record<string, object> = {
    'http-response-open-gate.json': { open: true, content: '...', serial: [] },
    'http-response-open-with-485-voice.json': { open: true },
    'http-response-voice-and-io.json': { ioctrl: { io: 0, value: 2, delayMs: 500 }, voice: { text: '欢迎光临', encoding: 'utf-8', volume: 100, female: true } },
    'http-response-ivs_ioctrl.json': { ioctrl: { io: 0, value: 2, delayMs: 500 }, serial: [] },
    'http-response-lcd-halfscreen-busy.json': { lcd: { scene: 'busy_half', lines: ['剩余车位: 30', '剩余车位: 30'], qrcode: 'https://www.vzicar.com' } },
    'http-response-heartbeat-ok.json': { idle: true },
    'ymzh-manualTrigger.request.json': { manualTrigger: true, msgId: '7d13a019-8fab9d9116485467538213' },
  };
  if (expected[file]) expect(r.reply).toMatchObject(expected[file]!);
  for (const s of r.reply.serial) expect(s.frame).not.toHaveProperty('ok'); // every board frame in a fixture answer decodes
  if (file === 'http-response-open-with-485-voice.json') {
    expect(r.reply.serial[0]!.frame).toMatchObject({ name: 'play-voice', body: { kind: 'voice', text: '欢迎光临,请入场停车' } });
    // The same frame as the board fixture, from another source (the PHP addon vs the board document).
    expect(toHex(r.reply.serial[0]!.bytes)).toBe(toHex(Uint8Array.from(Buffer.from(readFileSync(LED + 'frame-0x30-voice-welcome-park.b64', 'utf8').trim(), 'base64'))));
  }
};

const commandResult: Check = (file) => {
  const p = pushed(decodePush(readFileSync(DIR + file), ctx));
  expect(p).toMatchObject({ kind: 'command-result', cmd: 'manualTrigger', succeeded: true, msgId: '7d13a019-8fab9d9116485467538213', serialNo: '7d13a019-8fab9d91' });
};

const mqttIvsResult: Check = (file) => {
  const p = plateOf(decodeIvsResult(JSON.parse(read(file)), ctx));
  // license "6LWjR1o3UzEz" is base64 of UTF-8 "赣GZ7S13"; colorType 1 (blue) wins over plates[0].color 4.
  expect(p.events).toEqual([
    { kind: 'camera', message: { id: '8fcd1c4e-20ca9ecb.594785.1628670619', ts: '2021-08-11T08:30:19.539Z', type: 'plate.read', plate: '赣GZ7S13', color: 'blue', confidence: 1 } },
  ]);
};

/** Files for the MQTT, whitelist and device-API work of later sessions: each must at least be JSON. */
const later: Check = (file) => {
  expect(() => JSON.parse(read(file))).not.toThrow();
};

const CHECKS: [RegExp, Check][] = [
  [/^http-alarminfoplate-.*\.json$/, uplinkPlate],
  [/\.jsonc$/, jsoncTwin],
  [/^http-alarmgioin.*\.json$/, uplinkGioIn],
  [/^http-serialdata-push.*\.json$/, uplinkSerial],
  [/^http-heartbeat-.*\.txt$/, heartbeat],
  [/^http-response-.*\.json$/, reply],
  [/^ymzh-.*\.request\.json$/, reply],
  [/^ymzh-.*\.response\.json$/, commandResult],
  [/^mqtt-ivs_result.*\.json$/, mqttIvsResult],
  [/^(mqtt-(gpio_out|white_list_operator|offline_record)|sdk-white_list_operator|http-get_.*\.response|http-dbopr-).*\.json$/, later],
];

describe('vzenith: every file in the fixture folder', () => {
  const files = readdirSync(DIR).filter((f) => f !== 'SOURCES.md' && f !== 'VERIFIED.md').sort();
  it('finds the fixtures (the shared fixture folder is beside the repo)', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });
  it.each(files)('%s', (file) => {
    const check = CHECKS.find(([re]) => re.test(file));
    expect(check, `${file}: a fixture no check covers; add one`).toBeDefined();
    check![1](file);
  });
});

// ── commands → the exact answer the fixtures show ────────────────────────────────────────────────────
const cmd = (c: Record<string, unknown>) => ({
  id: 'cmd-1', ts: '2026-11-21T08:00:00.000Z', cmdId: 'cmd-1', expiresAt: '2026-11-21T08:00:10.000Z', ...c,
});
const open = (c: Record<string, unknown> = {}) => cmd({ type: 'open', direction: 'in', display: '', ...c });
function json(r: ReturnType<typeof encodeReply>): string {
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  return r.json;
}

describe('vzenith: contract commands → Response_AlarmInfoPlate, byte for byte', () => {
  it('open with a voice for the board = http-response-open-with-485-voice.json (its frame = the board fixture)', () => {
    expect(json(encodeReply({ command: open({ voice: '欢迎光临,请入场停车' }) }))).toBe(compact('http-response-open-with-485-voice.json'));
  });
  it('open by an IO pulse, said by the camera\'s own speaker = http-response-voice-and-io.json', () => {
    const r = encodeReply({ command: open({ voice: '欢迎光临' }) }, { open: { via: 'ioctrl', io: 0, pulseMs: 500 }, voice: { via: 'camera' } });
    expect(json(r)).toBe(compact('http-response-voice-and-io.json'));
  });
  it('open by an IO pulse alone = http-response-ivs_ioctrl.json', () => {
    expect(json(encodeReply({ command: open() }, { open: { via: 'ioctrl', io: 0, pulseMs: 500 } }))).toBe(compact('http-response-ivs_ioctrl.json'));
  });
  it('nothing to do (a heartbeat, an idle comet poll) = http-response-heartbeat-ok.json', () => {
    expect(json(encodeReply({}))).toBe(compact('http-response-heartbeat-ok.json'));
  });
  it('a backlog record is answered with ContinuePushOffline, as the vendor document\'s §2.1.2 example', () => {
    expect(json(encodeReply({ continuePushOffline: { plateId: 123, continue: true } }))).toBe('{"Response_AlarmInfoPlate":{"ContinuePushOffline":{"plateid":123,"continue":1}}}');
  });
  it('every board frame in an answer is the led485 codec\'s frame for that text', () => {
    const r = encodeReply({ command: open({ display: '月租车 欢迎回家', voice: '欢迎光临' }) });
    const decoded = decodeReply(json(r));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(decoded.reply.open).toBe(true);
    expect(decoded.reply.serial.map((s) => (s.frame as { body: unknown }).body)).toMatchObject([
      { kind: 'temporary-text', window: 0, text: '月租车' },
      { kind: 'temporary-text', window: 1, text: '欢迎回家' },
      { kind: 'voice', text: '欢迎光临' },
    ]);
    const voice = encodeVoice('欢迎光临');
    expect(voice.ok && toHex(decoded.reply.serial[2]!.bytes)).toBe(voice.ok && toHex(voice.frame));
  });
  it('deny says info "no"; display leaves the arm alone (no info at all)', () => {
    const deny = JSON.parse(json(encodeReply({ command: cmd({ type: 'deny', display: '车位已满 余位0', voice: '车位已满' }) })));
    expect(deny.Response_AlarmInfoPlate.info).toBe('no');
    expect(deny.Response_AlarmInfoPlate.serialData).toHaveLength(3);
    const display = JSON.parse(json(encodeReply({ command: cmd({ type: 'display', display: '请稍候' }) })));
    expect(display.Response_AlarmInfoPlate).not.toHaveProperty('info');
    expect(display.Response_AlarmInfoPlate.serialData).toHaveLength(1);
  });
  it('a text the board cannot show is dropped with its reason; the gate decision still goes out', () => {
    const r = encodeReply({ command: open({ display: '欢迎😀', voice: '一'.repeat(128) }) });
    if (!r.ok) throw new Error(r.message);
    expect(JSON.parse(r.json)).toEqual({ Response_AlarmInfoPlate: { info: 'ok' } });
    expect(r.dropped.map((d) => [d.what, d.rejection.reason])).toEqual([['display', 'unencodable'], ['voice', 'too-long']]);
  });
  const bad: [string, Parameters<typeof encodeReply>, VendorRejection['reason'], string][] = [
    ['an expired command', [{ command: open() }, { now: '2026-11-21T08:00:11.000Z' }], 'expired', 'expiresAt'],
    ['a command a gate does not have', [{ command: cmd({ type: 'start', port: 1 }) }], 'unknown-command', 'type'],
    ['an open without expiresAt', [{ command: { ...open(), expiresAt: undefined } }], 'schema', 'expiresAt'],
    ['an open with a display over 64 characters', [{ command: open({ display: 'x'.repeat(65) }) }], 'schema', 'display'],
    ['a negative plateid', [{ continuePushOffline: { plateId: -1, continue: true } }], 'schema', 'ContinuePushOffline.plateid'],
  ];
  it.each(bad)('%s → refused, naming the field', (_, args, reason, field) => {
    expect(encodeReply(...args)).toMatchObject({ ok: false, reason, field });
  });
});

// ── what the fields mean ─────────────────────────────────────────────────────────────────────────────
describe('vzenith: AlarmInfoPlate fields → plate.read', () => {
  it('"_无_" (no plate found) is "", confidence 0 is 0', () => {
    const p = plateOf(decodePush(withPlate((r) => Object.assign(r, { license: '_无_', confidence: 0 })), ctx));
    expect(p.events[0]!.message).toMatchObject({ plate: '', confidence: 0 });
  });
  it.each([[0, 'unknown'], [1, 'blue'], [2, 'yellow'], [3, 'white'], [4, 'black'], [5, 'green'], [6, 'green'], [9, 'unknown']] as const)(
    'colorType %i → %s (§3.3; 6 is yellow-green, large new-energy)',
    (code, color) => {
      const p = plateOf(decodePush(withPlate((r) => (r.colorType = code)), ctx));
      expect(p.events[0]!.message).toMatchObject({ color });
      expect(p.extras.newEnergy).toBe(code === 5 || code === 6);
    },
  );
  it.each([[1, 'left'], [2, 'right'], [3, 'up'], [4, 'down']] as const)('direction %i is image motion (%s), never in/out', (code, motion) => {
    const p = plateOf(decodePush(withPlate((r) => (r.direction = code)), ctx));
    expect(p.events[0]!.message).not.toHaveProperty('direction');
    expect(p.extras.motion).toBe(motion);
  });
  it('an online read the camera opened by its own whitelist is a plate.read and a gate.manual', () => {
    const p = plateOf(decodePush(withPlate((r) => (r.gioouts = [{ ctrltype: 2, ionum: '0' }])), ctx));
    expect(p.events.map((e) => [e.kind, e.message.type])).toEqual([['camera', 'plate.read'], ['gate', 'gate.manual']]);
  });
  it('a backlog record (isoffline 1) opened by the whitelist becomes gate.manual only, flagged offline', () => {
    const p = plateOf(decodePush(withPlate((r) => Object.assign(r, { isoffline: 1, gioouts: [{ ionum: 1, ctrltype: 2 }] })), ctx));
    expect(p.offline).toBe(true);
    expect(p.events).toEqual([
      {
        kind: 'gate',
        message: { id: 'fe71e106-57263272.21085.1686299994.wl', ts: '2023-06-09T08:39:54.687Z', type: 'gate.manual', action: 'open', source: 'offline-whitelist', plate: '粤Z9065澳', direction: 'in' },
      },
    ]);
  });
  it('a backlog record the camera did not open gives no event, only the flag', () => {
    const p = plateOf(decodePush(withPlate((r) => (r.isoffline = 1)), ctx));
    expect(p).toMatchObject({ offline: true, events: [] });
  });
  // The vendor's §2.1.2 "offline record" sample says isoffline 0 in an offline-record section, and its sec
  // (1441815171 = 2015-09-09) disagrees with its dec* fields (2018-06-08). We follow the field (online) and
  // the epoch second, and we do NOT pass the disagreement off as fine: it is a warning.
  it('the document\'s §2.1.2 sample: isoffline 0 is read as online, sec wins over dec*, with a warning', () => {
    const doc = { AlarmInfoPlate: { channel: 0, deviceName: 'IVS', ipaddr: '192.168.1.100', serialno: 'eff50e18-e3d3862b', result: { PlateResult: {
      bright: 0, carBright: 0, carColor: 0, colorType: 0, confidence: 0, direction: 0, imagePath: 'xxxxx.jpg', license: '_无_',
      timeStamp: { Timeval: { decday: 8, dechour: 10, decmin: 26, decmon: 6, decsec: 28, decyear: 2018, sec: 1441815171, usec: 672241 } },
      timeUsed: 0, triggerType: 4, type: 0, plateid: 123, isoffline: 0, gioouts: [{ ionum: 1, ctrltype: 0 }] } } } };
    const p = plateOf(decodePush(JSON.stringify(doc), ctx));
    expect(p.offline).toBe(false);
    expect(p.events[0]!.message).toMatchObject({ id: 'eff50e18-e3d3862b.123.1441815171', ts: '2015-09-09T16:12:51.672Z', plate: '' });
    expect(p.cameraImagePath).toBe('xxxxx.jpg');
    expect(p.warnings.join()).toMatch(/sec and the dec\* fields disagree/);
  });
  it('images arrive inline but leave as bytes beside the event; the kept raw message holds their size', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]).toString('base64');
    const r = decodePush(withPlate((p) => Object.assign(p, { imageFile: jpeg, imageFileLen: 9, imageFragmentFile: jpeg, imageFragmentFileLen: 10 })), ctx);
    const p = plateOf(r);
    expect(p.images.map((i) => [i.role, i.bytes.length])).toEqual([['full', 9], ['plate', 9]]);
    expect(JSON.stringify(p.events)).not.toContain(jpeg);
    expect(JSON.stringify(r.ok && r.raw)).not.toContain(jpeg);
    expect(p.warnings).toEqual(['AlarmInfoPlate.result.PlateResult.imageFragmentFile: 9 bytes, the camera declared 10']);
  });
  it('a damaged image is dropped with a warning; the read itself still goes through', () => {
    const p = plateOf(decodePush(withPlate((r) => (r.imageFile = '/9j/4AAQ*bad')), ctx));
    expect(p.events).toHaveLength(1);
    expect(p.images).toEqual([]);
    expect(p.warnings.join()).toMatch(/imageFile: not base64.*image dropped/);
  });
  it('an http(s) image path is the imageRef; a camera-relative path is left for the transport', () => {
    const url = plateOf(decodePush(withPlate((r) => (r.imagePath = 'http://oss.example/lpr/1.jpg')), ctx));
    expect(url.events[0]!.message).toMatchObject({ imageRef: 'http://oss.example/lpr/1.jpg' });
    const rel = plateOf(decodePush(withPlate((r) => (r.imagePath = '/snapshot/lpr/tri_snap_24.jpg')), ctx));
    expect(rel.events[0]!.message).not.toHaveProperty('imageRef');
    expect(rel.cameraImagePath).toBe('/snapshot/lpr/tri_snap_24.jpg');
  });
  it('triggerType 65/66 (the car left the lane, turned back) is not a read; 64 (a car waiting) is', () => {
    for (const t of [65, 66]) expect(plateOf(decodePush(withPlate((r) => (r.triggerType = t)), ctx)).events).toEqual([]);
    expect(plateOf(decodePush(withPlate((r) => (r.triggerType = 64)), ctx)).events).toHaveLength(1);
  });
  it('without plateid (older firmware) the id is serialno + capture second; without time, receipt time', () => {
    const noId = plateOf(decodePush(withPlate((r) => delete r.plateid), ctx));
    expect(noId.events[0]!.message.id).toBe('fe71e106-57263272.t1686299994');
    const noTime = plateOf(decodePush(withPlate((r) => { delete r.plateid; delete r.timeStamp; }), ctx));
    expect(noTime.events[0]!.message).toMatchObject({ id: 'fe71e106-57263272.r1795248000000', ts: ctx.receivedAt });
  });
  it('an IO input that is not the loop, or not in its passage state, gives no passage', () => {
    const body = readFileSync(DIR + 'http-alarmgioin.json');
    const other = pushed(decodePush(body, { ...ctx, loopSource: 0 }));
    expect(other.kind === 'gio-in' && other.events).toEqual([]);
    const released = pushed(decodePush(body, { ...ctx, passageValue: 0 }));
    expect(released.kind === 'gio-in' && released.events).toEqual([]);
  });
});

// ── bad input of every kind → a dead letter with its reason ─────────────────────────────────────────────
describe('vzenith: what cannot be decoded is a dead letter naming the problem', () => {
  const PR = 'AlarmInfoPlate.result.PlateResult';
  const table: [string, string | Uint8Array, VendorRejection['reason'], string, Partial<GioContext & { contentType: string }>?][] = [
    ['over the push size limit', 'x'.repeat(MAX_PUSH_BYTES + 1), 'too-large', ''],
    ['bytes that are not UTF-8 (a GBK body)', Uint8Array.from([0x7b, 0x22, 0xc1, 0xd9, 0x22, 0x7d]), 'invalid-utf8', ''],
    ['not JSON', 'AlarmInfoPlate=1', 'not-json', ''],
    ['JSON cut short', read('http-alarminfoplate-r5.json').slice(0, 400), 'not-json', ''],
    ['a JSON array', '[{"AlarmInfoPlate":{}}]', 'not-object', ''],
    ['a push nobody knows', '{"AlarmInfoCar":{}}', 'unknown-message', ''],
    ['a plate without serialno', JSON.stringify({ AlarmInfoPlate: { ...r5().AlarmInfoPlate, serialno: undefined } }), 'schema', 'AlarmInfoPlate.serialno'],
    ['a serialno that cannot be part of an id', JSON.stringify({ AlarmInfoPlate: { ...r5().AlarmInfoPlate, serialno: 'fe71e106/../x' } }), 'schema', 'AlarmInfoPlate.serialno'],
    ['a plate without license', withPlate((r) => delete r.license), 'schema', `${PR}.license`],
    ['a license longer than a plate', withPlate((r) => (r.license = '粤Z9065澳粤Z9065澳')), 'schema', `${PR}.license`],
    ['confidence 150', withPlate((r) => (r.confidence = 150)), 'schema', `${PR}.confidence`],
    ['confidence missing', withPlate((r) => delete r.confidence), 'schema', `${PR}.confidence`],
    ['a plateid that is not a number', withPlate((r) => (r.plateid = '21085a')), 'schema', `${PR}.plateid`],
    ['usec over a second', withPlate((r) => ((r.timeStamp as { Timeval: { usec: number } }).Timeval.usec = 1_000_000)), 'schema', `${PR}.timeStamp.Timeval.usec`],
    ['an encrypted plate', withPlate((r) => (r.is_encrypted = 1)), 'schema', `${PR}.is_encrypted`],
    ['an IO trigger from input 9', '{"AlarmGioIn":{"serialno":"d85b1269-8f942256","result":{"TriggerResult":{"source":9,"value":1}}}}', 'schema', 'AlarmGioIn.result.TriggerResult.source'],
    ['an IO trigger on a lane with no direction', read('http-alarmgioin.json'), 'schema', 'direction', { direction: undefined }],
    ['serial data whose dataLen disagrees', '{"SerialData":{"serialno":"cead13eb-1a198cd7","serialChannel":0,"data":"Y2guY29tFw==","dataLen":8}}', 'bad-length', 'SerialData.dataLen'],
    ['serial data that is not base64', '{"SerialData":{"serialno":"cead13eb-1a198cd7","serialChannel":0,"data":"Y2gu*29tFw==","dataLen":7}}', 'bad-base64', 'SerialData.data'],
    ['a heartbeat without serialno', 'device_name=IVS&user_name=admin&pass_wd=S3cr3t-pw', 'schema', 'form.serialno', { contentType: 'application/x-www-form-urlencoded' }],
    ['a heartbeat part without a name', '--b\r\nContent-Disposition: form-data\r\n\r\nS3cr3t-pw\r\n--b--', 'bad-form', 'part0', { contentType: 'multipart/form-data; boundary=b' }],
    ['a heartbeat whose headers never end', '--b\r\nContent-Disposition: form-data; name="pass_wd"\r\nS3cr3t-pw--b--', 'bad-form', 'part0', { contentType: 'multipart/form-data; boundary=b' }],
    ['a heartbeat with a port that is not one', 'serialno=d85b1269-8f942256&port=http&pass_wd=S3cr3t-pw', 'schema', 'form.port', { contentType: 'application/x-www-form-urlencoded' }],
  ];
  it.each(table)('%s', (_, body, reason, field, extra) => {
    const r = decodePush(body, { ...ctx, ...extra });
    expect(r).toMatchObject({ ok: false, reason, field });
    expect((r as VendorRejection).message.startsWith(field || 'payload')).toBe(true);
    expect((r as VendorRejection).message).not.toContain('S3cr3t-pw'); // a camera password never reaches a dead letter
  });

  it('MQTT ivs_result whose license is not base64 UTF-8', () => {
    const j = JSON.parse(read('mqtt-ivs_result.json'));
    j.payload.AlarmInfoPlate.result.PlateResult.license = '6LWjR1o3U*Ez';
    expect(decodeIvsResult(j, ctx)).toMatchObject({ ok: false, reason: 'bad-base64', field: 'AlarmInfoPlate.result.PlateResult.license' });
    j.payload.AlarmInfoPlate.result.PlateResult.license = Buffer.from([0xb8, 0xd3, 0x41]).toString('base64'); // GBK, not UTF-8
    expect(decodeIvsResult(j, ctx)).toMatchObject({ ok: false, reason: 'invalid-utf8' });
  });

  it('a heartbeat that is not a form, or too large', () => {
    expect(decodeHeartbeat('{"serialno":"x"}', 'application/json')).toMatchObject({ ok: false, reason: 'unsupported-content-type' });
    expect(decodeHeartbeat('serialno=' + 'a'.repeat(20_000), 'application/x-www-form-urlencoded')).toMatchObject({ ok: false, reason: 'too-large' });
    expect(decodeHeartbeat('', undefined)).toMatchObject({ ok: false, reason: 'bad-form' });
  });

  it('answers that cannot be read: not JSON, a board frame with a bad CRC, dataLen wrong', () => {
    expect(decodeReply('{"Response_AlarmInfoPlate":')).toMatchObject({ ok: false, reason: 'not-json' });
    expect(decodeReply('{"Reply":{}}')).toMatchObject({ ok: false, reason: 'unknown-message' });
    const body = JSON.parse(read('http-response-open-with-485-voice.json'));
    body.Response_AlarmInfoPlate.serialData[0].data = 'AGT//zAUAbu206254sHZLMfryOuzoc2js7WpNw=='; // last byte 0x36 → 0x37
    const r = decodeReply(JSON.stringify(body));
    expect(r.ok && r.reply.serial[0]!.frame).toMatchObject({ ok: false, reason: 'bad-crc' });
    body.Response_AlarmInfoPlate.serialData[0].dataLen = 27;
    const r2 = decodeReply(JSON.stringify(body));
    expect(r2.ok && r2.reply.serial[0]!.frame).toMatchObject({ ok: false, reason: 'bad-length', field: 'Response_AlarmInfoPlate.serialData.0.dataLen' });
  });

  // §2.6.5's example voice "JXU2QjIy…" is base64 of JavaScript escape() text, not of UTF-8/GBK as its comment says.
  it('the document\'s §2.6.5 voice example decodes (escape() form), UTF-8 and GBK too', () => {
    const answer = (voice: string) => `{"Response_AlarmInfoPlate":{"playserver_json_request":{"type":"ps_voice_play","voice":"${voice}","voice_interval":0,"voice_volume":100,"voice_male":1}}}`;
    const escaped = decodeReply(answer('JXU2QjIyJXU4RkNFJXU1MTQ5JXU0RTM0'));
    expect(escaped.ok && escaped.reply.voice).toMatchObject({ text: '欢迎光临', encoding: 'js-escape' });
    const gbk = decodeReply(answer(Buffer.from('BBB6D3ADB9E2C1D9', 'hex').toString('base64')));
    expect(gbk.ok && gbk.reply.voice).toMatchObject({ text: '欢迎光临', encoding: 'gbk' });
  });

  it('never throws: every fixture cut at every 97th byte, and random bytes, give a result', () => {
    const inputs: (string | Uint8Array)[] = [];
    for (const f of readdirSync(DIR).filter((f) => /\.(json|txt)$/.test(f))) {
      const whole = readFileSync(DIR + f);
      for (let i = 0; i < whole.length; i += 97) inputs.push(whole.subarray(0, i));
    }
    let seed = 7;
    for (let n = 0; n < 300; n++) inputs.push(Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
    for (const input of inputs) {
      for (const contentType of [undefined, 'application/json', 'multipart/form-data; boundary=x']) {
        expect(() => decodePush(input, { ...ctx, contentType })).not.toThrow();
      }
      expect(() => decodeReply(input)).not.toThrow();
    }
  });
});

it('decoded board frames and pushes print without their bytes (support excerpt helper works)', () => {
  const p = decodePush(readFileSync(DIR + 'http-serialdata-push.json'), ctx);
  expect(JSON.stringify(p, bytesAsSize)).toContain('<7 bytes>');
  expect(decodeFrame(new Uint8Array(0))).toMatchObject({ ok: false });
});
