import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  applyInfo,
  decodeBoxFrame,
  decodeServerFrame,
  diffFaults,
  encodeCping,
  encodeFrame,
  encodeInfo,
  encodeKick,
  encodeLogin,
  encodeLoginReply,
  encodeNeedLogin,
  encodePing,
  FAULT_SOURCES,
  FAULT_TABLES,
  faultRow,
  joinBytes,
  MAX_FRAME_BYTES,
  splitFrames,
  unknownFaultCode,
  type BoxEvent,
  type BoxMessage,
  type DecodeResult,
  type DecodedInfo,
  type FaultDiff,
  type FaultEffect,
  type FaultSource,
  type FaultState,
} from '../../devices/vendors/elevatorbox/index.js';
import { ELEVATOR_FAULT_CODES, ElevatorFaultCode } from '../../devices/elevator/schemas.js';
import { toHex } from '../../devices/vendors/bytes.js';

// Elevator monitoring boxes (elevatorcloud-style JSON over TCP). Fixtures: ../shared/fixtures/devices/elevator
// (read its SOURCES.md). The framing and message facts come from the elevatorcloud protocol as quoted in the
// developer notes the fixture cites (idx:3937401028) and the firmware that speaks it (idx:3510500821).
const DIR = fileURLToPath(new URL('../../../shared/fixtures/devices/elevator/', import.meta.url));
const read = (f: string) => readFileSync(DIR + f, 'utf8');
const AT = '2026-11-21T08:00:00.000Z';
const later = (s: number) => new Date(Date.parse(AT) + s * 1000).toISOString();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function decoded(r: DecodeResult): BoxMessage {
  if (!r.ok) throw new Error(`expected a message, got ${r.reason}: ${r.message}`);
  return r.message;
}
function info(r: DecodeResult): DecodedInfo {
  const m = decoded(r);
  if (m.type !== 'info') throw new Error(`expected info, got ${m.type}`);
  return m;
}
function diffed(r: FaultDiff | { ok: false; reason: string; message: string }): FaultDiff {
  if ('ok' in r) throw new Error(`expected a diff, got ${r.reason}: ${r.message}`);
  return r;
}
const changes = (events: BoxEvent[]) =>
  events.map((e) => (e.message.type === 'fault' ? `${e.message.code}:${e.message.active ? 'on' : 'off'}` : e.message.type));

/**
 * What each source's name for a fault should become, written independently of the table so a
 * wrong row (a number shifted, a name mistaken) fails here. `mode:` and `unknown` are not faults.
 */
const MEANING: Record<string, string> = {
  冲顶: 'top-overrun',
  蹲底: 'bottom-overrun',
  超速: 'overspeed',
  '超速1.2倍': 'overspeed',
  '超速10%': 'overspeed',
  运行中开门: 'door-open-while-running',
  开门走车: 'moving-with-door-open',
  上行开门走车: 'moving-with-door-open',
  下行开门走车: 'moving-with-door-open',
  门区外停梯: 'stopped-outside-door-zone',
  平层关人: 'trapped',
  非平层关人: 'trapped',
  平层困人: 'trapped',
  非平层困人: 'trapped',
  停梯关人: 'trapped',
  长时间关人: 'trapped',
  停电: 'power-loss',
  主电源断开: 'power-loss',
  安全回路断路: 'safety-circuit-open',
  开门故障: 'door-fault',
  关门故障: 'door-fault',
  长时间不关门: 'door-fault',
  门锁回路断路: 'door-lock-circuit-open',
  层站按钮粘连: 'landing-button-stuck',
  电梯速度异常: 'speed-anomaly',
  电动机运转时间限制器动作: 'motor-runtime-limiter',
  楼层信息丢失: 'floor-position-lost',
  防止电梯再运行故障: 'rerun-prevented',
  恢复自动运行模式: 'mode:auto',
  进入停止服务: 'mode:stopped',
  进入检修运行模式: 'mode:inspection',
  紧急呼叫: 'emergency.call',
  运行中门关: 'unknown',
  撞击: 'impact-detected',
  按键电量过低: 'button-battery-low',
  烟雾: 'smoke',
  超员: 'overload',
  助动车: 'ebike-detected',
};
const meaningOf = (e: FaultEffect) => ('fault' in e ? e.fault : 'mode' in e ? `mode:${e.mode}` : 'event' in e ? e.event : 'unknown');

/** fault-codes.csv: code, then one column per source; "name ID" or "ID" or "name" in a cell. */
function csvRows(): { code: string; cells: Record<string, string> }[] {
  const [header, ...lines] = read('fault-codes.csv').trim().split(/\r?\n/);
  const cols = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    expect(cells.length, `fault-codes.csv: ${line}`).toBe(cols.length);
    return { code: cells[0]!, cells: Object.fromEntries(cols.slice(1).map((c, i) => [c, cells[i + 1]!.trim()])) };
  });
}
const CSV_COLUMN: Record<string, { source: FaultSource; cell: 'name id' | 'id' | 'name' }> = {
  de_facto_gbt24476_firmware_A: { source: 'firmware', cell: 'name id' },
  firmware_B_enum: { source: 'firmware', cell: 'id' },
  elevatorcloud_srioprotocol: { source: 'elevatorcloud', cell: 'name' },
  chongqing_gov_platform: { source: 'chongqing', cell: 'name id' },
};

/** shanghai-haier-push-keys.md: `F9999 停梯关人(7)` → code, name, the pusher's own fault type when a number. */
function shanghaiKeys(): { code: string; name: string; shmashine?: string }[] {
  return [...read('shanghai-haier-push-keys.md').matchAll(/\b([FE]\d{4}) ([^\s(]+)(?:\(([^)]*)\))?/g)].map((m) => ({
    code: m[1]!,
    name: m[2]!,
    ...(/^\d+$/.test(m[3] ?? '') ? { shmashine: m[3]! } : {}),
  }));
}

// ── every fixture file, by what it is ──────────────────────────────────────────────────────────────
type Check = (file: string) => void;

const infoFrame: Check = (file) => {
  const json = read(file);
  // As the box sends it: the document's example, framed, split from a stream, decoded.
  const split = splitFrames(joinBytes('#10#', json, '#13#'));
  expect(split.garbage).toEqual([]);
  expect(split.frames).toHaveLength(1);
  const i = info(decodeBoxFrame(split.frames[0]!, { eid: 'mx12345678', receivedAt: AT }));
  expect(i.telemetry).toEqual({
    id: `mx12345678.i${Date.parse(AT)}`,
    ts: AT,
    type: 'telemetry',
    floor: 0,
    direction: 'idle',
    doorOpen: false,
    running: false,
    inDoorZone: false, // inposition 0 = 非平层
  });
  expect(i.telemetryRejection).toBeUndefined();
  expect(i).toMatchObject({ door: 'closed', occupied: false, inspection: false, maintenance: false, faultCodes: ['1', '2', '3'] });
  // [1,2,3] in elevatorcloud numbering: 非平层困人, 平层困人 (one contract fault), 运行中开门.
  const r = applyInfo(i, undefined, { eid: 'mx12345678', source: 'elevatorcloud', receivedAt: AT });
  expect(changes(r.events)).toEqual(['door-open-while-running:on', 'trapped:on']);
  expect(r.events.find((e) => e.message.type === 'fault' && e.message.code === 'trapped')!.vendorCodes).toEqual(['1', '2']);
  expect(r.events.every((e) => e.message.type === 'fault' && e.message.floor === 0)).toBe(true);
  // The same three numbers under GB-style firmware numbering are 冲顶, 蹲底, 超速: the source is a registration setting.
  const fw = applyInfo(i, undefined, { eid: 'mx12345678', source: 'firmware', receivedAt: AT });
  expect(changes(fw.events)).toEqual(['bottom-overrun:on', 'overspeed:on', 'top-overrun:on']);
};

const faultCodesCsv: Check = () => {
  let cells = 0;
  for (const { code, cells: row } of csvRows()) {
    for (const [column, cell] of Object.entries(row)) {
      if (!cell) continue;
      const spec = CSV_COLUMN[column];
      expect(spec, `fault-codes.csv column ${column}: no source for it`).toBeDefined();
      const r = faultRow(spec!.source, code);
      expect(r, `${spec!.source} ${code} (${cell}) is not in the table`).toBeDefined();
      const [name, id] = spec!.cell === 'id' ? [undefined, cell] : spec!.cell === 'name' ? [cell, undefined] : (cell.split(' ') as [string, string?]);
      if (name !== undefined) {
        expect(r!.name, `${spec!.source} ${code}`).toBe(name);
        expect(MEANING[name], `no expected meaning for ${name}`).toBeDefined();
        expect(meaningOf(r!.effect), `${spec!.source} ${code} ${name}`).toBe(MEANING[name]);
      }
      if (id !== undefined) expect(r!.ids, `${spec!.source} ${code}`).toContain(id);
      expect(r!.supplement, `${spec!.source} ${code} is in the fixture`).toBeUndefined();
      cells++;
    }
  }
  expect(cells).toBe(16 + 15 + 8 + 12);
  // The other way: a table row not marked as a supplement is a fixture row.
  const inCsv = new Set(csvRows().flatMap(({ code, cells: row }) => Object.entries(row).filter(([, c]) => c).map(([col]) => `${CSV_COLUMN[col]!.source}:${code}`)));
  for (const source of ['firmware', 'elevatorcloud', 'chongqing'] as const) {
    for (const r of FAULT_TABLES[source]) if (!r.supplement) expect(inCsv.has(`${source}:${r.code}`), `${source} ${r.code} is in no fixture`).toBe(true);
  }
};

const shanghaiPushKeys: Check = () => {
  const keys = shanghaiKeys();
  expect(keys.map((k) => k.code)).toEqual(FAULT_TABLES.shanghai.filter((r) => !r.supplement).map((r) => r.code));
  for (const k of keys) {
    const r = faultRow('shanghai', k.code)!;
    expect(r.name).toBe(k.name);
    expect(meaningOf(r.effect), `${k.code} ${k.name}`).toBe(MEANING[k.name]);
    // The bracketed number is the pusher's own fault type: both numberings must mean the same.
    if (k.shmashine) expect(meaningOf(faultRow('shmashine', k.shmashine)!.effect), `${k.code} = shmashine ${k.shmashine}`).toBe(meaningOf(r.effect));
  }
  expect(meaningOf(faultRow('shanghai', 'E9896')!.effect)).toBe('ebike-detected');
};

const sources: Check = (file) => {
  const rows = read(file).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| fixture'));
  const patterns = rows.map((l) => l.split('|')[1]!.trim()).map((p) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\{([^}]*)\}/g, (_, alt: string) => `(${alt.split(',').join('|')})`)}$`));
  for (const other of readdirSync(DIR)) if (other !== file) expect(patterns.some((p) => p.test(other)), `${other} has no row in SOURCES.md`).toBe(true);
};

const CHECKS: Record<string, Check> = {
  'SOURCES.md': sources,
  'elevatorcloud-info.json': infoFrame,
  'fault-codes.csv': faultCodesCsv,
  'shanghai-haier-push-keys.md': shanghaiPushKeys,
};

describe('elevator fixtures (every file in shared/fixtures/devices/elevator)', () => {
  for (const file of readdirSync(DIR).sort()) {
    it(file, () => {
      const check = CHECKS[file];
      if (!check) throw new Error(`${file}: a fixture no check covers; teach this test what it is before relying on it`);
      check(file);
    });
  }
});

// ── the tables ───────────────────────────────────────────────────────────────────────────────────
describe('fault tables', () => {
  it('every contract code a table names is a valid elevator fault code; codes are unique per source; supplements cite a source', () => {
    for (const source of FAULT_SOURCES) {
      const codes = FAULT_TABLES[source].map((r) => r.code);
      expect(new Set(codes).size, source).toBe(codes.length);
      for (const r of FAULT_TABLES[source]) {
        if ('fault' in r.effect) expect(ElevatorFaultCode.safeParse(r.effect.fault).success, `${source} ${r.code}`).toBe(true);
        if (r.supplement !== undefined) expect(r.supplement).toMatch(/idx:\d+/);
        expect(r.name.length).toBeGreaterThan(0);
      }
    }
  });

  it('the codes outside the contract are exactly the ones proposed as additions (README)', () => {
    const outside = new Set<string>();
    for (const source of FAULT_SOURCES) for (const r of FAULT_TABLES[source]) if ('fault' in r.effect && !(ELEVATOR_FAULT_CODES as readonly string[]).includes(r.effect.fault)) outside.add(r.effect.fault);
    expect([...outside].sort()).toEqual([
      'abnormal-vibration', 'battery-low', 'brake-fault', 'button-battery-low', 'door-lock-circuit-open', 'door-obstructed',
      'floor-position-lost', 'impact-detected', 'landing-button-stuck', 'motor-runtime-limiter', 'overload', 'rerun-prevented',
      'safety-circuit-open', 'sensor-fault', 'smoke', 'speed-anomaly',
    ]);
  });

  it('1–15 mean the same on GB-style firmware and on the Shmashine platform; 16 does not', () => {
    for (let n = 1; n <= 15; n++) expect(meaningOf(faultRow('shmashine', String(n))!.effect), String(n)).toBe(meaningOf(faultRow('firmware', String(n))!.effect));
    expect(faultRow('firmware', '16')!.name).toBe('超速1.2倍');
    expect(faultRow('shmashine', '16')!.name).toBe('制动系统故障');
  });

  it('an e-bike in the car is ebike-detected wherever a source numbers it; trapped passengers are trapped in every source', () => {
    expect(faultRow('shanghai', 'E9896')!.effect).toEqual({ fault: 'ebike-detected' });
    expect(faultRow('shmashine', '37')!.effect).toEqual({ fault: 'ebike-detected' });
    const trapped = FAULT_SOURCES.filter((s) => FAULT_TABLES[s].some((r) => 'fault' in r.effect && r.effect.fault === 'trapped'));
    expect(trapped).toEqual([...FAULT_SOURCES]);
  });

  it('开门走车 is the contract\'s moving-with-door-open in every source', () => {
    for (const [s, c] of [['firmware', '5'], ['elevatorcloud', '8'], ['chongqing', '5'], ['shanghai', 'F9997'], ['shmashine', '5']] as const) {
      expect(faultRow(s, c)!.effect, `${s} ${c}`).toEqual({ fault: 'moving-with-door-open' });
    }
  });
});

// ── fault sets → raise / clear ─────────────────────────────────────────────────────────────────────
describe('diffFaults', () => {
  const ctx = (s: number, source: FaultSource = 'elevatorcloud') => ({ eid: 'mx_863867025992437', source, receivedAt: later(s), floor: 3 });
  const step = (prev: FaultState | undefined, set: string[], s: number, source?: FaultSource) => diffed(diffFaults(prev, set, ctx(s, source)));

  it('raise, unchanged, clear', () => {
    const a = step(undefined, [], 0);
    expect(a.events).toEqual([]);
    const b = step(a.state, ['2'], 1);
    expect(b.events).toHaveLength(1);
    const raise = b.events[0]!.message;
    expect(raise).toMatchObject({ type: 'fault', code: 'trapped', active: true, floor: 3, ts: later(1) });
    expect(b.events[0]!.vendorCodes).toEqual(['2']);
    const c = step(b.state, ['2'], 2);
    expect(c.events).toEqual([]); // the box repeats its set every half second: nothing new
    expect(c.state).toEqual(b.state);
    const d = step(c.state, [], 3);
    expect(d.events.map((e) => e.message)).toEqual([{ id: `${raise.id}.off`, ts: later(3), type: 'fault', code: 'trapped', active: false }]);
    expect(d.state.open).toEqual({});
  });

  it('two at once, and two box codes that are one contract fault', () => {
    const a = step(step(undefined, [], 0).state, ['6', '3'], 1);
    expect(changes(a.events)).toEqual(['door-open-while-running:on', 'top-overrun:on']);
    // 非平层困人 → 平层困人 (the car re-levelled, people still inside): still trapped, no clear.
    const b = step(a.state, ['1', '6', '3'], 2);
    expect(changes(b.events)).toEqual(['trapped:on']);
    const c = step(b.state, ['2'], 3);
    expect(changes(c.events)).toEqual(['door-open-while-running:off', 'top-overrun:off']);
    const d = step(c.state, ['8', '3'], 4); // 开门走车 and 运行中开门: two contract faults since moving-with-door-open exists
    expect(changes(d.events)).toEqual(['trapped:off', 'door-open-while-running:on', 'moving-with-door-open:on']);
    // 非平层困人 and 平层困人 at once: one trapped, both box codes named
    const e = step(d.state, ['1', '2'], 5);
    expect(changes(e.events)).toEqual(['door-open-while-running:off', 'moving-with-door-open:off', 'trapped:on']);
    expect(e.events.find((x) => x.message.type === 'fault' && x.message.code === 'trapped')!.vendorCodes).toEqual(['1', '2']);
  });

  it('ids are deterministic: the same state and set give the same ids (a frame processed twice de-duplicates); a second episode gets a new id', () => {
    const s0 = step(undefined, [], 0).state;
    const once = step(s0, ['2', '5'], 1);
    const again = step(s0, ['2', '5'], 1);
    expect(again).toEqual(once);
    expect(new Set(once.events.map((e) => e.message.id)).size).toBe(2);
    for (const e of once.events) expect(e.message.id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    const cleared = step(once.state, [], 2);
    const clearedLater = step(once.state, [], 60); // the same clear, whenever it is seen
    expect(clearedLater.events.map((e) => e.message.id)).toEqual(cleared.events.map((e) => e.message.id));
    const reraised = step(cleared.state, ['2'], 3);
    expect(reraised.events[0]!.message.id).not.toBe(once.events.find((e) => e.message.type === 'fault' && e.message.code === 'trapped')!.message.id);
    // State lost and remade later: a new epoch, so no id of the old state comes back.
    const remade = step(undefined, ['2'], 100);
    const old = new Set([...once.events, ...cleared.events, ...reraised.events].map((e) => e.message.id));
    expect(remade.events.every((e) => !old.has(e.message.id))).toBe(true);
  });

  it('a new lift (no state) raises what is active and clears nothing', () => {
    const r = step(undefined, ['1', '4'], 0);
    expect(changes(r.events)).toEqual(['stopped-outside-door-zone:on', 'trapped:on']);
  });

  it('an unknown code is raised as unknown-<source>-<code> with its reason, never dropped', () => {
    const r = step(undefined, ['99', '2'], 0);
    expect(changes(r.events)).toEqual(['trapped:on', `${unknownFaultCode('elevatorcloud', '99')}:on`]);
    expect(unknownFaultCode('elevatorcloud', '99')).toBe('unknown-elevatorcloud-99');
    expect(r.unknown).toEqual([{ code: '99', reason: expect.stringContaining('not in the elevatorcloud table') }]);
    const f = step(undefined, ['F9989'], 0, 'shanghai');
    expect(changes(f.events)).toEqual(['unknown-shanghai-f9989:on']);
    expect(f.unknown[0]!.reason).toMatch(/not documented/);
    expect(changes(step(f.state, [], 1, 'shanghai').events)).toEqual(['unknown-shanghai-f9989:off']);
  });

  it('an e-bike raises ebike-detected and clears when it leaves', () => {
    const on = step(undefined, ['E9896'], 0, 'shanghai');
    expect(on.events.map((e) => e.message)).toMatchObject([{ type: 'fault', code: 'ebike-detected', active: true }]);
    expect(changes(step(on.state, [], 1, 'shanghai').events)).toEqual(['ebike-detected:off']);
    expect(changes(step(undefined, ['37'], 0, 'shmashine').events)).toEqual(['ebike-detected:on']);
  });

  it('an alarm-button code is an emergency.call, raised once, with nothing on release', () => {
    const on = step(undefined, ['90'], 0, 'chongqing');
    expect(on.events.map((e) => e.message)).toEqual([{ id: expect.any(String), ts: later(0), type: 'emergency.call', floor: 3 }]);
    expect(step(on.state, ['90'], 1, 'chongqing').events).toEqual([]);
    const off = step(on.state, [], 2, 'chongqing');
    expect(off.events).toEqual([]);
    expect(off.state.open).toEqual({});
    expect(step(off.state, ['90'], 3, 'chongqing').events).toHaveLength(1);
  });

  it('mode codes are modes, not faults', () => {
    const r = step(undefined, ['43', '41'], 0, 'chongqing');
    expect(changes(r.events)).toEqual(['power-loss:on']);
    expect(r.modes).toEqual(['inspection']);
  });

  it('a floor outside the contract is left off the event; a bad context is a dead letter, not a throw', () => {
    const r = diffed(diffFaults(undefined, ['2'], { ...ctx(0), floor: 500 }));
    expect(r.events[0]!.message).not.toHaveProperty('floor');
    expect(diffFaults(undefined, ['2'], { ...ctx(0), eid: 'bad id!' })).toMatchObject({ ok: false, reason: 'schema', field: 'eid' });
    expect(diffFaults(undefined, ['2'], { ...ctx(0), eid: 'x'.repeat(33) })).toMatchObject({ ok: false, field: 'eid' });
    expect(diffFaults(undefined, ['2'], { ...ctx(0), receivedAt: 'yesterday' })).toMatchObject({ ok: false, field: 'receivedAt' });
    expect(diffFaults(undefined, ['2'], { ...ctx(0), receivedAt: '2026-11-21T08:00:00' })).toMatchObject({ ok: false, field: 'receivedAt' });
    expect(diffFaults(undefined, ['2'], { ...ctx(0), source: 'beijing' as FaultSource })).toMatchObject({ ok: false, field: 'faultSource' });
  });
});

// ── the stream ───────────────────────────────────────────────────────────────────────────────────
describe('splitFrames', () => {
  const login = '#10#{"type":"login","eid":"mx12345678"}#13#';
  const cping = '#10#{"type":"cping"}#13#';

  it('two frames in one chunk', () => {
    const r = splitFrames(login + cping);
    expect(r.frames.map(text)).toEqual(['{"type":"login","eid":"mx12345678"}', '{"type":"cping"}']);
    expect(r.rest).toHaveLength(0);
    expect(r.garbage).toEqual([]);
  });

  it('a frame across chunks, fed one byte at a time (markers cut too), and a UTF-8 character cut in two', () => {
    const stream = new TextEncoder().encode(login + '#10#{"type":"info","data":{"note":"电梯"}}#13#' + cping);
    let rest: Uint8Array = new Uint8Array(0);
    const frames: string[] = [];
    for (const b of stream) {
      const r = splitFrames(joinBytes(rest, Uint8Array.of(b)));
      expect(r.garbage).toEqual([]);
      frames.push(...r.frames.map(text));
      rest = r.rest;
    }
    expect(frames).toEqual(['{"type":"login","eid":"mx12345678"}', '{"type":"info","data":{"note":"电梯"}}', '{"type":"cping"}']);
    expect(rest).toHaveLength(0);
  });

  it('garbage before, between and after frames is dropped with a reason; CR LF between frames is not garbage', () => {
    const r = splitFrames(`AT^SISH=0,${login}\r\nxx${cping}\r\n`);
    expect(r.frames.map(text)).toEqual(['{"type":"login","eid":"mx12345678"}', '{"type":"cping"}']);
    expect(r.garbage.map((g) => [g.reason, g.bytes])).toEqual([['bad-marker', 10], ['bad-marker', 4]]);
    expect(r.garbage[0]!.message).toMatch(/outside #10#…#13#/);
    const tail = splitFrames('junk#1');
    expect(tail.garbage.map((g) => g.bytes)).toEqual([4]);
    expect(text(tail.rest)).toBe('#1'); // maybe the start of a marker: kept for the next chunk
  });

  it('a frame cut short by the next #10# is dropped as truncated and the next frame is read', () => {
    const r = splitFrames('#10#{"type":"in' + cping);
    expect(r.frames.map(text)).toEqual(['{"type":"cping"}']);
    expect(r.garbage.map((g) => g.reason)).toEqual(['truncated']);
  });

  it('an oversize frame is dropped, whether complete or still arriving, and the stream resynchronises', () => {
    const big = `#10#{"type":"info","pad":"${'x'.repeat(MAX_FRAME_BYTES)}"}#13#`;
    const whole = splitFrames(big + cping);
    expect(whole.frames.map(text)).toEqual(['{"type":"cping"}']);
    expect(whole.garbage.map((g) => g.reason)).toEqual(['too-large']);
    // Arriving in chunks: never more than one frame's worth is held.
    let rest: Uint8Array = new Uint8Array(0);
    const frames: string[] = [];
    const reasons: string[] = [];
    const all = new TextEncoder().encode(big + cping + login);
    for (let i = 0; i < all.length; i += 1000) {
      const r = splitFrames(joinBytes(rest, all.subarray(i, i + 1000)));
      frames.push(...r.frames.map(text));
      reasons.push(...r.garbage.map((g) => g.reason));
      rest = r.rest;
      expect(rest.length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 8);
    }
    expect(frames).toEqual(['{"type":"cping"}', '{"type":"login","eid":"mx12345678"}']);
    expect(reasons[0]).toBe('too-large');
    expect(reasons.slice(1).every((r) => r === 'bad-marker')).toBe(true); // the oversize frame's tail
    // Exactly at the limit is a frame; a configurable limit is honoured.
    const exact = `{"p":"${'y'.repeat(MAX_FRAME_BYTES - 8)}"}`;
    expect(exact.length).toBe(MAX_FRAME_BYTES);
    expect(splitFrames(`#10#${exact}#13#`).frames).toHaveLength(1);
    expect(splitFrames(login, { maxFrameBytes: 16 }).garbage.map((g) => g.reason)).toEqual(['too-large']);
  });

  it('random bytes never throw and never grow the buffer past a frame', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let rest: Uint8Array = new Uint8Array(0);
    for (let n = 0; n < 300; n++) {
      const chunk = Uint8Array.from({ length: Math.floor(rnd() * 900) }, () => (rnd() < 0.1 ? 0x23 : Math.floor(rnd() * 256)));
      const r = splitFrames(joinBytes(rest, n % 7 === 0 ? '#10#' : '', chunk, n % 5 === 0 ? '#13#' : ''));
      for (const f of r.frames) expect(() => decodeBoxFrame(f, { eid: 'mx1', receivedAt: AT })).not.toThrow();
      rest = r.rest;
      expect(rest.length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 8);
    }
  });
});

// ── messages ─────────────────────────────────────────────────────────────────────────────────────
describe('box messages', () => {
  const ctx = { eid: 'mx12345678', receivedAt: AT };

  it('login, cping and ping', () => {
    expect(decoded(decodeBoxFrame('{"type":"login","eid":"mx_863867025992437"}', { receivedAt: AT }))).toEqual({ type: 'login', eid: 'mx_863867025992437' });
    expect(decoded(decodeBoxFrame('{"type":"cping"}', ctx))).toEqual({ type: 'cping' });
    expect(decoded(decodeBoxFrame('{"type":"ping"}', ctx))).toEqual({ type: 'ping' });
  });

  it('the login frame is byte for byte the one in the developer notes (hex quoted there)', () => {
    expect(toHex(encodeLogin('mx12345678'))).toBe('233130237B2274797065223A226C6F67696E222C22656964223A226D783132333435363738227D23313323');
  });

  it('what the server sends is the document\'s JSON exactly (the firmware matches it with strstr)', () => {
    expect(text(encodeNeedLogin())).toBe('#10#{"type":"need_login"}#13#');
    expect(text(encodeLoginReply(0))).toBe('#10#{"type":"login","res_id":0}#13#');
    expect(text(encodeLoginReply(1))).toBe('#10#{"type":"login","res_id":1}#13#');
    expect(text(encodePing())).toBe('#10#{"type":"ping"}#13#');
    expect(text(encodeCping())).toBe('#10#{"type":"cping"}#13#');
    expect(text(encodeKick(1))).toBe('#10#{"type":"kick","code":1}#13#');
    const read = (b: Uint8Array) => { const f = splitFrames(b).frames[0]!; const r = decodeServerFrame(f); if (!r.ok) throw new Error(r.message); return r.message; };
    expect(read(encodeLoginReply(2))).toEqual({ type: 'login', resId: 2 });
    expect(read(encodeKick(2))).toEqual({ type: 'kick', code: 2 });
    expect(read(encodeNeedLogin())).toEqual({ type: 'need_login' });
  });

  it('info: each door state, direction and level flag; running is a moving direction', () => {
    for (const [door, open] of [[0, false], [1, true], [2, true], [3, true]] as const) {
      const i = info(decodeBoxFrame(JSON.stringify({ type: 'info', data: { direction: 0, inposition: 1, floor: 5, door, fault: [] } }), ctx));
      expect(i.telemetry).toMatchObject({ floor: 5, direction: 'idle', doorOpen: open, running: false, inDoorZone: true });
      expect(i.door).toBe(['closed', 'open', 'closing', 'opening'][door]);
      expect(i.faultCodes).toEqual([]);
    }
    const up = info(decodeBoxFrame('{"type":"info","data":{"direction":1,"inposition":0,"floor":-1,"door":0,"haspeople":1,"reparing":1,"inmaintenance":0,"fault":[]}}', ctx));
    expect(up.telemetry).toMatchObject({ floor: -1, direction: 'up', running: true, doorOpen: false, inDoorZone: false });
    expect(up).toMatchObject({ occupied: true, inspection: true, maintenance: false });
    expect(info(decodeBoxFrame('{"type":"info","data":{"direction":2,"floor":2,"door":0}}', ctx)).telemetry).toMatchObject({ direction: 'down', running: true });
    expect(info(decodeBoxFrame('{"type":"info","data":{"direction":2,"floor":2,"door":0}}', ctx)).telemetry).not.toHaveProperty('inDoorZone');
    // Firmware that sends its raw sensor enum (0 = flat): a registration setting.
    const raw = info(decodeBoxFrame('{"type":"info","data":{"direction":0,"inposition":0,"floor":1,"door":0,"fault":[]}}', { ...ctx, flatValue: 0 }));
    expect(raw.telemetry!.inDoorZone).toBe(true);
  });

  it('an info frame round-trips through encodeInfo', () => {
    const frame = encodeInfo({ floor: 7, direction: 'down', door: 'closed', inDoorZone: false, occupied: true, faults: [1, 5] });
    const i = info(decodeBoxFrame(splitFrames(frame).frames[0]!, ctx));
    expect(i.telemetry).toMatchObject({ floor: 7, direction: 'down', doorOpen: false, running: true, inDoorZone: false });
    expect(i).toMatchObject({ occupied: true, faultCodes: ['1', '5'] });
  });

  it('fault sets: codes as numbers or strings, flags Y/N; junk entries are warnings, the rest still counts; absent is unknown', () => {
    const set = (fault: unknown) => info(decodeBoxFrame(JSON.stringify({ type: 'info', data: { direction: 0, inposition: 1, floor: 1, door: 0, fault } }), ctx));
    expect(set([1, '2', ' 07 ', 2]).faultCodes).toEqual(['1', '2', '7']);
    expect(set({ F9999: 'Y', F9998: 'N', E9896: 'Y' }).faultCodes).toEqual(['F9999', 'E9896']);
    const junk = set([1, { a: 1 }, -3, 2.5, 'x', null, 4]);
    expect(junk.faultCodes).toEqual(['1', '4']);
    expect(junk.warnings).toHaveLength(5);
    expect(junk.warnings[0]).toMatch(/^data\.fault\.1: /);
    for (const bad of [undefined, 'abc', 12, Array.from({ length: 65 }, (_, n) => n)]) {
      const i = set(bad);
      expect(i.faultCodes, JSON.stringify(bad)).toBeUndefined();
      expect(i.warnings[0]).toMatch(/^data\.fault/);
      // Unknown is not "no faults": nothing is cleared.
      const prev = diffed(diffFaults(undefined, ['2'], { eid: 'mx12345678', source: 'elevatorcloud', receivedAt: AT })).state;
      const r = applyInfo(i, prev, { eid: 'mx12345678', source: 'elevatorcloud', receivedAt: later(1) });
      expect(r.events).toEqual([]);
      expect(r.state).toBe(prev);
    }
  });

  it('a frame whose status is out of range keeps its fault set: the trapped fault still raises', () => {
    const i = info(decodeBoxFrame('{"type":"info","data":{"direction":4,"inposition":1,"floor":300,"door":0,"fault":[2]}}', ctx));
    expect(i.telemetry).toBeUndefined();
    expect(i.telemetryRejection).toMatchObject({ ok: false, reason: 'schema', field: 'data.direction' });
    const r = applyInfo(i, undefined, { eid: 'mx12345678', source: 'elevatorcloud', receivedAt: AT });
    expect(changes(r.events)).toEqual(['trapped:on']);
    expect(r.rejected).toHaveLength(1);
    const floor = info(decodeBoxFrame('{"type":"info","data":{"direction":0,"floor":300,"door":0,"fault":[]}}', ctx));
    expect(floor.telemetryRejection).toMatchObject({ field: 'data.floor' });
    expect(floor.telemetryRejection!.message).toMatch(/^data\.floor: /);
  });
});

describe('bad frames of every kind → a dead letter with a reason, never a throw', () => {
  const ctx = { eid: 'mx12345678', receivedAt: AT };
  const cases: [string, Uint8Array | string, Partial<{ reason: string; field: string }>, { eid?: string }?][] = [
    ['not JSON', '{"type":"info",', { reason: 'not-json', field: '' }],
    ['JSON but an array', '[1,2,3]', { reason: 'not-object' }],
    ['JSON but a string', '"login"', { reason: 'not-object' }],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d), { reason: 'invalid-utf8' }],
    ['oversize', `{"type":"info","pad":"${'z'.repeat(MAX_FRAME_BYTES)}"}`, { reason: 'too-large' }],
    ['login without eid', '{"type":"login"}', { reason: 'schema', field: 'eid' }],
    ['login with an empty eid', '{"type":"login","eid":""}', { reason: 'schema', field: 'eid' }],
    ['login with an eid that is not an id', '{"type":"login","eid":"mx 1/../"}', { reason: 'schema', field: 'eid' }],
    ['login with a numeric eid', '{"type":"login","eid":863867025992437}', { reason: 'schema', field: 'eid' }],
    ['login with a 33-character eid', `{"type":"login","eid":"${'m'.repeat(33)}"}`, { reason: 'schema', field: 'eid' }],
    ['no type', '{"eid":"mx1"}', { reason: 'unknown-message', field: 'type' }],
    ['an unknown type', '{"type":"reboot"}', { reason: 'unknown-message', field: 'type' }],
    ['a server message from a box', '{"type":"need_login"}', { reason: 'unknown-message' }],
    ['info without data', '{"type":"info"}', { reason: 'schema', field: 'data' }],
    ['info with data an array', '{"type":"info","data":[1]}', { reason: 'schema', field: 'data' }],
    ['info before login', '{"type":"info","data":{"direction":0,"floor":1,"door":0,"fault":[]}}', { reason: 'schema', field: 'eid' }, { eid: undefined }],
  ];
  for (const [name, payload, expected, over] of cases) {
    it(name, () => {
      const r = decodeBoxFrame(payload, { ...ctx, ...over });
      expect(r).toMatchObject({ ok: false, ...expected });
      if (!r.ok) expect(r.message.startsWith(`${r.field || 'payload'}: `)).toBe(true);
    });
  }

  it('wrong frame markers: nothing between other markers is taken for a frame', () => {
    for (const s of ['#13#{"type":"cping"}#10#', '#11#{"type":"cping"}#13#', '<10>{"type":"cping"}<13>', '{"type":"cping"}']) {
      const r = splitFrames(s);
      expect(r.frames, s).toEqual([]);
      expect(r.garbage.length + r.rest.length, s).toBeGreaterThan(0);
    }
  });

  it('a frame is encoded with the markers around compact JSON', () => {
    expect(text(encodeFrame({ type: 'cping' }))).toBe('#10#{"type":"cping"}#13#');
  });
});
