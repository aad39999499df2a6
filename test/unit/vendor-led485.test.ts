import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildFrame,
  crc16Modbus,
  decodeFrame,
  decodeFrameBase64,
  encodeConnect,
  encodeDisplay,
  encodeStopVoice,
  encodeSyncTime,
  encodeTextLine,
  encodeVoice,
  splitDisplay,
  type DecodedFrame,
} from '../../devices/vendors/led485/index.js';
import { decodeGbk, encodeGbk } from '../../devices/vendors/gbk.js';
import { fromHex, toHex } from '../../devices/vendors/bytes.js';
import type { VendorRejection } from '../../devices/vendors/result.js';
import { gbk as gbkFromGb18030 } from '../support/gbk.js';

// The RS-485 LED/voice board behind a Vzenith camera. Fixtures: ../shared/fixtures/devices/led-485-board
// (read its SOURCES.md and DECODED.md). That folder has no VERIFIED.md: all four frames' CRCs verify.
// Further vectors come from the board's protocol document ("显示屏通信协议" V2.0, OLM control card),
// §2.3 使用例子; each is cited where used.
const DIR = fileURLToPath(new URL('../../../shared/fixtures/devices/led-485-board/', import.meta.url));
const hex = (h: string) => fromHex(h)!;

function ok(r: { ok: true; frame: DecodedFrame } | VendorRejection): DecodedFrame {
  if (!r.ok) throw new Error(`expected a frame, got ${r.reason}: ${r.message}`);
  return r.frame;
}
function frameOf(r: { ok: true; frame: Uint8Array } | VendorRejection): string {
  if (!r.ok) throw new Error(`expected bytes, got ${r.reason}: ${r.message}`);
  return toHex(r.frame);
}

/** DECODED.md's table: file → DA, VR, PN, CMD, DL, text. */
function decodedTable(): Map<string, { da: number; vr: number; pn: number; cmd: number; dl: number; text: string }> {
  const rows = new Map<string, { da: number; vr: number; pn: number; cmd: number; dl: number; text: string }>();
  for (const line of readFileSync(DIR + 'DECODED.md', 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 9 || !cells[1]!.startsWith('frame-')) continue;
    const [, file, da, vr, pn, cmd, dl, , text] = cells as string[];
    rows.set(file!, { da: parseInt(da!, 16), vr: parseInt(vr!, 16), pn: parseInt(pn!, 16), cmd: parseInt(cmd!, 16), dl: parseInt(dl!, 16), text: text!.split(' (')[0]! });
  }
  return rows;
}

function fixtureFrames(): { file: string; stem: string; bytes: Uint8Array }[] {
  const out: { file: string; stem: string; bytes: Uint8Array }[] = [];
  for (const file of readdirSync(DIR).sort()) {
    if (file === 'SOURCES.md' || file === 'DECODED.md' || file === 'VERIFIED.md') continue;
    const text = readFileSync(DIR + file, 'utf8').trim();
    const stem = file.replace(/\.(hex|b64)$/, '');
    if (file.endsWith('.hex')) out.push({ file, stem, bytes: hex(text) });
    else if (file.endsWith('.b64')) out.push({ file, stem, bytes: Uint8Array.from(Buffer.from(text, 'base64')) });
    else throw new Error(`${file}: a fixture this test does not know how to read; teach it before relying on the file`);
  }
  return out;
}

describe('led485: every frame in the fixture folder', () => {
  const table = decodedTable();
  const frames = fixtureFrames();

  it('finds the frames (the shared fixture folder is beside the repo)', () => {
    expect(frames.length).toBeGreaterThanOrEqual(4);
  });

  it.each(frames.map((f) => [f.file, f] as const))('%s: header, length and CRC verify; DATA reads as DECODED.md says', (_, f) => {
    const frame = ok(decodeFrame(f.bytes));
    const row = table.get(f.stem);
    if (row) {
      expect({ da: frame.address, vr: frame.version, pn: frame.packet, cmd: frame.command }).toEqual({ da: row.da, vr: row.vr, pn: row.pn, cmd: row.cmd });
      expect(f.bytes[5]).toBe(row.dl);
    }
    if (frame.body.kind === 'voice') {
      expect(frame.name).toBe('play-voice');
      expect(frame.body.option).toBe('enqueue-and-play'); // DECODED.md: OPT 0x01 = enqueue and play now
      if (row) expect(frame.body.text).toBe(row.text);
    } else {
      // 0x00: DECODED.md guessed "test/password"; the board document names it 连接 (connect) with a password.
      expect(frame.name).toBe('connect');
      expect(frame.body).toEqual({ kind: 'password', length: f.bytes[5] }); // never the password itself
      if (row) expect(String.fromCharCode(...f.bytes.subarray(6, -2))).toBe(row.text);
    }
  });

  it.each(frames.map((f) => [f.file, f] as const))('%s: our frame for its text is the same bytes, CRC included', (_, f) => {
    const frame = ok(decodeFrame(f.bytes));
    const ours =
      frame.body.kind === 'voice'
        ? encodeVoice(frame.body.text)
        : encodeConnect(String.fromCharCode(...f.bytes.subarray(6, -2)));
    expect(frameOf(ours)).toBe(toHex(f.bytes));
  });

  it('the .hex and .b64 copies of a frame are the same bytes', () => {
    const byStem = new Map<string, string[]>();
    for (const f of frames) byStem.set(f.stem, [...(byStem.get(f.stem) ?? []), toHex(f.bytes)]);
    for (const copies of byStem.values()) expect(new Set(copies).size).toBe(1);
  });
});

describe('led485: the board document\'s own examples (§2.3 使用例子)', () => {
  it('0x30 example 1, "欢迎光临,请入场停车" played now, is the fixture frame and our frame', () => {
    const doc = '0064FFFF301401BBB6D3ADB9E2C1D92CC7EBC8EBB3A1CDA3B3B5A936';
    expect(frameOf(encodeVoice('欢迎光临,请入场停车'))).toBe(doc);
    expect(toHex(Uint8Array.from(Buffer.from(readFileSync(DIR + 'frame-0x30-voice-welcome-park.b64', 'utf8').trim(), 'base64')))).toBe(doc);
  });
  it('0x30 example 2: queue without playing, then "请交费10元" and play', () => {
    expect(frameOf(encodeVoice('欢迎光临,请入场停车', { option: 'enqueue' }))).toBe('0064FFFF301400BBB6D3ADB9E2C1D92CC7EBC8EBB3A1CDA3B3B594E7');
    expect(frameOf(encodeVoice('请交费10元'))).toBe('0064FFFF300B01C7EBBDBBB7D13130D4AA431E');
  });
  it('0x62 example, line 1 "欢迎光临": ours with the example\'s stay (5 s) and repeat (0 = loop) is byte for byte', () => {
    const doc = '0064FFFF621B000001000500010300FF000000000000000800BBB6D3ADB9E2C1D95896';
    expect(frameOf(encodeTextLine(0, '欢迎光临', { stay: 5, repeat: 0 }))).toBe(doc);
    const read = ok(decodeFrame(hex(doc)));
    expect(read.body).toMatchObject({ kind: 'temporary-text', window: 0, enter: 0, speed: 1, stay: 5, font: 3, repeat: 0, color: [255, 0, 0, 0], text: '欢迎光临' });
  });
  it('0x00 connect and its reply (versions 1.0.2 / 4.6.0 / 1.0.0), 0x31 stop voice, and one-byte ACK replies', () => {
    expect(frameOf(encodeConnect('159753'))).toBe('0064FFFF0006313539373533FB06');
    expect(frameOf(encodeStopVoice())).toBe('0064FFFF31006467');
    expect(ok(decodeFrame(hex('0064FFFF000A003130323436303130309FEF'), 'board')).body).toEqual({
      kind: 'connect-reply', passed: true, hardware: '1.0.2', software: '4.6.0', protocol: '1.0.0',
    });
    for (const [reply, cmd] of [['0064FFFF30010036BB', 0x30], ['0064FFFF620100976A', 0x62], ['0064FFFF050100 26B5', 0x05]] as const) {
      const f = ok(decodeFrame(hex(reply), 'board'));
      expect(f.command).toBe(cmd);
      expect(f.body).toEqual({ kind: 'ack', succeeded: true, code: 0 });
    }
  });
  it('the commands we do not build still decode by name (0x0F relay, 0x67 advert text), their DATA raw', () => {
    expect(ok(decodeFrame(hex('0064FFFF0F0600010000000524B7'))).name).toBe('set-relay');
    const advert = ok(decodeFrame(hex('0064FFFF672400000C15010005150103FF000000000000001000D7D4B6AFCAB6B1F0BCF5CBD9C2FDD0D084F9')));
    expect(advert.name).toBe('advert-text');
    expect(advert.body.kind).toBe('raw');
  });

  // Known wrong in the vendor's document: its 0x05 example syncs to "2016-03-10 星期四 15:05:06" with W = 07,
  // but its own rule is 1 = Sunday … 7 = Saturday, so a Thursday is 05. We do NOT reproduce the 07.
  it('0x05: the document\'s example carries the wrong weekday; ours carries Thursday = 5', () => {
    const docExample = hex('0064FFFF0508E007030A070F05066568');
    const theirs = ok(decodeFrame(docExample));
    expect(theirs.body).toMatchObject({ kind: 'sync-time', year: 2016, month: 3, day: 10, weekday: 7, hour: 15, minute: 5, second: 6, weekdayMatchesDate: false });
    const ours = encodeSyncTime({ year: 2016, month: 3, day: 10, hour: 15, minute: 5, second: 6 });
    expect(frameOf(ours)).not.toBe(toHex(docExample));
    const mine = ok(decodeFrame(hex(frameOf(ours))));
    expect(mine.body).toMatchObject({ weekday: 5, weekdayMatchesDate: true });
    expect(frameOf(ours).slice(12, 28)).toBe('E007030A050F0506'); // only W differs
  });
});

describe('led485: CRC-16/MODBUS and GBK', () => {
  it('the CRC catalogue check value: "123456789" → 0x4B37', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });
  it('GBK from the gbk decoder agrees with the test support\'s table (built from GB18030)', () => {
    const text = '粤B12345,欢迎光临 月租车 欢迎回家 请缴费12元 车位已满 余位0 非本小区车辆 请勿进入 （临时车）';
    const ours = encodeGbk(text, 't');
    if ('ok' in ours) throw new Error(ours.message);
    expect(toHex(ours.bytes)).toBe(toHex(gbkFromGb18030(text)));
    expect(decodeGbk(ours.bytes, 't')).toBe(text);
  });
  it('every character of GB2312\'s first hanzi row round-trips', () => {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      const bytes = Uint8Array.from([0xb0, trail]);
      const ch = decodeGbk(bytes, 't');
      if (typeof ch !== 'string') throw new Error(ch.message);
      const back = encodeGbk(ch, 't');
      if ('ok' in back) throw new Error(back.message);
      expect(toHex(back.bytes)).toBe(toHex(bytes));
    }
  });
  it('Linli\'s "¥" (not in GBK) is written as GBK\'s "￥"; GBK-but-not-GB2312 characters are warned about', () => {
    expect(frameOf(encodeTextLine(0, '¥12'))).toBe(frameOf(encodeTextLine(0, '￥12')));
    const r = encodeVoice('喆');
    expect(r.ok && r.warnings[0]).toMatch(/not GB2312/);
  });
});

describe('led485: a contract display text → board lines', () => {
  it('breaks at spaces, or only at newlines when there are any; overflow joins the last line', () => {
    expect(splitDisplay('月租车 欢迎回家', 4)).toEqual(['月租车', '欢迎回家']);
    expect(splitDisplay('无入场记录 请缴费 ¥12', 2)).toEqual(['无入场记录', '请缴费 ¥12']);
    expect(splitDisplay('临时车 免费\n余位 12', 4)).toEqual(['临时车 免费', '余位 12']);
    expect(splitDisplay('', 4)).toEqual([]);
  });
  it('one 0x62 frame per line, line n on window n, each decoding back to its text', () => {
    const d = encodeDisplay('非本小区车辆 请勿进入', { maxLines: 2 });
    if (!d.ok) throw new Error(d.message);
    expect(d.frames.map((f) => ok(decodeFrame(f)).body)).toMatchObject([
      { kind: 'temporary-text', window: 0, text: '非本小区车辆', stay: 10, repeat: 1 },
      { kind: 'temporary-text', window: 1, text: '请勿进入' },
    ]);
  });
  it('a line of 16 Chinese characters (32 bytes) fits; 17 is refused naming the line', () => {
    expect(encodeDisplay('一二三四五六七八九十一二三四五六').ok).toBe(true);
    expect(encodeDisplay('短 一二三四五六七八九十一二三四五六七')).toMatchObject({ ok: false, reason: 'too-long', field: 'display.line1' });
  });
});

describe('led485: bad frames and bad text → a dead-letter reason naming the problem', () => {
  const good = hex('0064FFFF300901BBB6D3ADB9E2C1D93258');
  const flipLast = Uint8Array.from(good, (b, i) => (i === good.length - 1 ? b ^ 0xff : b));
  const unknownCommand = buildFrame(0x99, Uint8Array.from([1, 2, 3])) as Uint8Array;
  const badGbk = buildFrame(0x30, Uint8Array.from([0x01, 0x41, 0xff, 0x81])) as Uint8Array;
  const gb18030Only = buildFrame(0x30, Uint8Array.from([0x01, 0x81, 0x30, 0x84, 0x36])) as Uint8Array;
  const badOpt = buildFrame(0x30, Uint8Array.from([0x07, 0x41])) as Uint8Array;
  const tlWrong = hex('0064FFFF621B000001000500010300FF000000000000000900BBB6D3ADB9E2C1D9');
  const tlWrongFrame = buildFrame(0x62, tlWrong.subarray(6)) as Uint8Array;
  const badTime = buildFrame(0x05, Uint8Array.from([0xe0, 0x07, 13, 10, 5, 15, 5, 6])) as Uint8Array;
  const table: [string, Uint8Array, VendorRejection['reason'], string, RegExp][] = [
    ['a flipped CRC byte', flipLast, 'bad-crc', 'CRC', /0x5832/],
    ['one byte more than DL says', Uint8Array.from([...good, 0x00]), 'bad-length', 'DL', /DL says 9/],
    ['the last byte missing', good.subarray(0, -1), 'truncated', 'DL', /DL says 9/],
    ['only a header', good.subarray(0, 6), 'truncated', 'DL', /frame has 6/],
    ['three bytes', good.subarray(0, 3), 'truncated', '', /shorter than a header/],
    ['nothing', new Uint8Array(0), 'truncated', '', /0 bytes/],
    ['a command the board does not have (0x99), CRC right', unknownCommand, 'unknown-command', 'CMD', /0x99/],
    ['protocol version 0x01', Uint8Array.from([0, 1, 0xff, 0xff, 0x30, 0, 0, 0]), 'unknown-version', 'VR', /0x01/],
    ['2 000 bytes', new Uint8Array(2000), 'too-large', '', /2000 bytes/],
    ['voice text that is not GBK (0xFF, a lone lead byte)', badGbk, 'invalid-gbk', 'TEXT', /not GBK/],
    ['voice text in a GB18030 four-byte sequence', gb18030Only, 'invalid-gbk', 'TEXT', /not GBK/],
    ['0x30 with OPT 0x07', badOpt, 'schema', 'OPT', /0x07/],
    ['0x62 whose TL disagrees with DL', tlWrongFrame, 'bad-length', 'TL', /TL says 9/],
    ['0x05 with month 13', badTime, 'schema', 'M', /1–12/],
    ['0x31 stop voice with data', buildFrame(0x31, Uint8Array.from([1])) as Uint8Array, 'bad-length', 'DL', /0x31 carries 0/],
  ];
  it.each(table)('%s', (_, bytes, reason, field, message) => {
    const r = decodeFrame(bytes);
    expect(r).toMatchObject({ ok: false, reason, field });
    expect((r as VendorRejection).message).toMatch(message);
  });

  it('base64 that is not base64 is refused before any byte is read', () => {
    expect(decodeFrameBase64('AGT//zAJAbu2*054sHZMlg=')).toMatchObject({ ok: false, reason: 'bad-base64', field: 'data' });
    expect(decodeFrameBase64('AGT//zAJAbu206254sHZMlg')).toMatchObject({ ok: false, reason: 'bad-base64' });
  });

  const textTable: [string, () => { ok: boolean }, VendorRejection['reason'], string][] = [
    ['an emoji has no GBK code', () => encodeVoice('欢迎😀'), 'unencodable', 'voice'],
    ['a lone surrogate has no GBK code', () => encodeVoice('欢\ud800'), 'unencodable', 'voice'],
    ['empty voice', () => encodeVoice(''), 'schema', 'voice'],
    ['voice over 254 GBK bytes', () => encodeVoice('欢'.repeat(128)), 'too-long', 'voice'],
    ['a line over the 236 bytes one packet takes', () => encodeTextLine(0, 'a'.repeat(237)), 'too-long', 'display.line0'],
    ['window 4 (the board has 0–3)', () => encodeTextLine(4, 'x'), 'schema', 'TWID'],
    ['a speed of 0 (ETS is 1–32)', () => encodeTextLine(0, 'x', { speed: 0 }), 'schema', 'style.speed'],
    ['a password of 5 characters', () => encodeConnect('12345'), 'schema', 'PWD'],
    ['30 February', () => encodeSyncTime({ year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0 }), 'schema', 'time'],
    ['a board with 5 lines', () => encodeDisplay('x', { maxLines: 5 }), 'schema', 'board.maxLines'],
  ];
  it.each(textTable)('%s', (_, run, reason, field) => {
    expect(run()).toMatchObject({ ok: false, reason, field });
  });

  it('never throws, whatever the bytes: 3 000 random frames, a third with a valid CRC around random DATA', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const commands = [0x00, 0x02, 0x05, 0x30, 0x31, 0x62, 0x0f, 0x1e, 0xd4];
    const outcomes = new Set<string>();
    for (let n = 0; n < 3000; n++) {
      let bytes: Uint8Array = Uint8Array.from({ length: 8 + (rnd() % 40) }, rnd);
      if (n % 3 === 1) bytes.set([0x00, 0x64, 0xff, 0xff, 0x30, bytes.length - 8], 0); // DL right, CRC random
      if (n % 3 === 2) {
        const data = Uint8Array.from({ length: rnd() % 40 }, rnd);
        if (n % 2 && data.length) data[0] = 1; // a valid OPT, so 0x30's text gets read
        bytes = buildFrame(commands[rnd() % commands.length]!, data) as Uint8Array;
      }
      for (const from of ['host', 'board'] as const) {
        let r: ReturnType<typeof decodeFrame> | undefined;
        expect(() => (r = decodeFrame(bytes, from))).not.toThrow();
        outcomes.add(r!.ok ? 'ok' : r!.reason);
      }
    }
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['bad-crc', 'invalid-gbk', 'ok', 'truncated']));
  });
});
