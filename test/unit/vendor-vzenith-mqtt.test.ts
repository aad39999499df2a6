import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../devices/vendors/led485/codec.js';
import {
  decodeMqtt,
  downMessage,
  encodeMqttCommand,
  encodeWhitelistDelete,
  mayVzenithSubscribe,
  parseVzenithTopic,
  TOPIC_LAYOUTS,
  type VzenithTopic,
} from '../../devices/vendors/vzenith/mqtt.js';

/** 臻识 over MQTT: golden tests over every mqtt-*.json fixture, topics and ACL per layout, commands → downlinks. */

const DIR = join(import.meta.dirname, '../../../shared/fixtures/devices/lpr-vzenith');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
const bytes = (s: string) => new TextEncoder().encode(s);
const ctx = { receivedAt: '2026-12-08T01:00:00.000Z', direction: 'in' as const, utcOffsetMinutes: 480 };
const up = (name: string): VzenithTopic => ({ ok: true, way: 'up', name });

describe('every mqtt-*.json fixture has a golden test here', () => {
  const covered = ['mqtt-ivs_result.json', 'mqtt-gpio_out-open.json', 'mqtt-gpio_out-close.json', 'mqtt-gpio_out-reply.json', 'mqtt-white_list_operator-delete.json'];
  it('no MQTT fixture is left out', () => {
    const files = readdirSync(DIR).filter((f) => f.startsWith('mqtt-'));
    expect(files.filter((f) => !covered.includes(f))).toEqual([]);
  });
});

describe('ivs_result → plate.read', () => {
  it('the vzicloud example: license base64 "6LWjR1o3UzEz" is 赣GZ7S13, confidence/100, colour from colorType', () => {
    const j = JSON.parse(read('mqtt-ivs_result.json'));
    const d = decodeMqtt(up('ivs_result'), j.sn, bytes(read('mqtt-ivs_result.json')), ctx);
    if (!d.ok) throw new Error(d.message);
    expect(d.message.kind).toBe('plate');
    expect(d.events).toHaveLength(1);
    expect(d.events[0]).toMatchObject({ kind: 'camera', message: { type: 'plate.read', plate: '赣GZ7S13', confidence: 1, color: 'blue', ts: '2021-08-11T08:30:19.539Z' } });
    // The example's serialno inside differs from the topic's sn: read, with a warning.
    expect(d.message.warnings.join(' ')).toMatch(/serialno 8fcd1c4e-20ca9ecb differs/);
  });

  it('an envelope naming another camera is a dead letter', () => {
    const d = decodeMqtt(up('ivs_result'), 'aaaa-bbbb', bytes(read('mqtt-ivs_result.json')), ctx);
    expect(d).toMatchObject({ ok: false, reason: 'schema', field: 'sn' });
  });

  it('bad payloads are dead letters with reasons, never throws', () => {
    const sn = '265e1040-85e01fb7';
    expect(decodeMqtt(up('ivs_result'), sn, bytes('{x'), ctx)).toMatchObject({ ok: false, reason: 'not-json' });
    expect(decodeMqtt(up('ivs_result'), sn, Uint8Array.of(0x7b, 0xff, 0x7d), ctx)).toMatchObject({ ok: false, reason: 'invalid-utf8' });
    expect(decodeMqtt(up('ivs_result'), sn, bytes('[1]'), ctx)).toMatchObject({ ok: false, reason: 'not-object' });
    expect(decodeMqtt(up('ivs_result'), sn, bytes('{"sn":"' + sn + '"}'), ctx)).toMatchObject({ ok: false, field: 'payload.AlarmInfoPlate' });
    const j = JSON.parse(read('mqtt-ivs_result.json'));
    j.payload.AlarmInfoPlate.result.PlateResult.license = '%%%';
    expect(decodeMqtt(up('ivs_result'), sn, bytes(JSON.stringify(j)), ctx)).toMatchObject({ ok: false });
    for (let i = 0; i < 200; i++) {
      const raw = bytes(read('mqtt-ivs_result.json'));
      raw[(i * 37) % raw.length] = (i * 13) & 0xff;
      expect(() => decodeMqtt(up('ivs_result'), sn, raw, ctx)).not.toThrow();
    }
  });
});

describe('the other uplinks', () => {
  const sn = '917e2298-8ddf3e46';
  it('keep_alive → presence only; gpio_in → gate.passage in the lane’s direction', () => {
    const k = decodeMqtt(up('keep_alive'), sn, bytes(JSON.stringify({ id: 'k', sn, name: 'keep_alive', payload: {} })), ctx);
    expect(k).toMatchObject({ ok: true, message: { kind: 'keep-alive' }, events: [] });
    const g = decodeMqtt(up('gpio_in'), sn, bytes(JSON.stringify({ id: 'g', sn, name: 'gpio_in', payload: { type: 'gpio_in', body: { source: 0, value: 1 } } })), ctx);
    if (!g.ok) throw new Error(g.message);
    expect(g.events).toEqual([{ kind: 'gate', message: expect.objectContaining({ type: 'gate.passage', direction: 'in' }) }]);
  });

  it('offline_record with a whitelist-opened backlog record → gate.manual, never a plate.read that would open now', () => {
    const j = JSON.parse(read('mqtt-ivs_result.json'));
    j.sn = sn;
    j.name = 'offline_record';
    j.payload.AlarmInfoPlate.serialno = sn;
    j.payload.AlarmInfoPlate.result.PlateResult.gioouts = [{ ctrltype: 2, ionum: '0' }];
    for (const flag of [1, 0]) {
      j.payload.AlarmInfoPlate.result.PlateResult.isoffline = flag;
      const d = decodeMqtt(up('offline_record'), sn, bytes(JSON.stringify(j)), ctx);
      if (!d.ok) throw new Error(d.message);
      expect(d.events.map((e) => e.message.type)).toEqual(['gate.manual']);
      expect(d.events[0]!.message).toMatchObject({ action: 'open', source: 'offline-whitelist', plate: '赣GZ7S13' });
    }
    const count = decodeMqtt(up('offline_record'), sn, bytes(JSON.stringify({ sn, name: 'offline_record', payload: { count: 3 } })), ctx);
    expect(count).toMatchObject({ ok: true, message: { kind: 'offline-count', count: 3 }, events: [] });
  });

  it('the reply of the integrator’s field-tested camera (mqtt-gpio_out-reply.json) → a reply to the message it names', () => {
    const d = decodeMqtt({ ok: true, way: 'reply', name: 'gpio_out' }, sn, bytes(read('mqtt-gpio_out-reply.json')), ctx);
    expect(d).toMatchObject({ ok: true, message: { kind: 'reply', name: 'gpio_out', id: '对应消息ID', code: 200 } });
  });
});

describe('commands → downlinks, byte for byte as the vendor’s examples', () => {
  const sn = '917e2298-8ddf3e46';
  const o = { layout: 'device/{sn}' as const, sn, id: '唯一消息ID', timestamp: 1784098020 };
  it('open (pulse output 0 for 1500 ms) → mqtt-gpio_out-open.json exactly', () => {
    const e = encodeMqttCommand({ id: 'c1', ts: '2026-12-08T01:00:00Z', expiresAt: '2099-01-01T00:00:00Z', cmdId: 'c1', type: 'open', direction: 'in', display: '欢迎' }, { ...o, open: { via: 'ioctrl', io: 0, pulseMs: 1500 } });
    if (!e.ok) throw new Error(e.message);
    expect(e.messages[0]!.json).toBe(JSON.stringify(JSON.parse(read('mqtt-gpio_out-open.json'))));
    expect(e.messages[0]!.topic).toBe(`device/${sn}/message/down/gpio_out`);
    // The LED text rides as serial_data frames, the same board frames as over HTTP.
    const serial = e.messages.filter((m) => m.name === 'serial_data');
    expect(serial.length).toBeGreaterThan(0);
    const frame = decodeFrame(Buffer.from(serial[0]!.body.data as string, 'base64'));
    expect(frame.ok && (frame.frame.body as { text?: string }).text).toBe('欢迎');
    expect(new Set(e.messages.map((m) => m.id)).size).toBe(e.messages.length);
  });
  it('the close pulse (output 1, 3000 ms) → mqtt-gpio_out-close.json exactly', () => {
    expect(downMessage('gpio_out', { delay: 3000, io: 1, value: 2 }, o).json).toBe(JSON.stringify(JSON.parse(read('mqtt-gpio_out-close.json'))));
  });
  it('deny → no gpio_out; an expired command is refused', () => {
    const e = encodeMqttCommand({ id: 'c2', ts: '2026-12-08T01:00:00Z', expiresAt: '2099-01-01T00:00:00Z', cmdId: 'c2', type: 'deny', direction: 'in', display: '请勿进入' }, o);
    if (!e.ok) throw new Error(e.message);
    expect(e.messages.map((m) => m.name)).toEqual(['serial_data']);
    expect(encodeMqttCommand({ id: 'c3', ts: '2020-01-01T00:00:00Z', cmdId: 'c3', type: 'open', direction: 'in', display: 'x', expiresAt: '2020-01-01T00:00:00Z' }, { ...o, now: '2026-01-01T00:00:00Z' })).toMatchObject({ ok: false, reason: 'expired' });
    expect(encodeMqttCommand({ id: 'c4', ts: '2026-12-08T01:00:00Z', expiresAt: '2099-01-01T00:00:00Z', cmdId: 'c4', type: 'start' }, o)).toMatchObject({ ok: false });
  });
  it('white_list_operator delete → the integrator’s message (mqtt-white_list_operator-delete.json)', () => {
    const f = JSON.parse(read('mqtt-white_list_operator-delete.json'));
    const m = encodeWhitelistDelete('<plate>', { layout: 'device/{sn}', sn: f.sn, id: f.id, timestamp: f.timestamp });
    expect(JSON.parse(m.json)).toEqual(f);
  });
});

describe('topics and the ACL, per firmware layout', () => {
  const sn = 'abc-1';
  it.each(TOPIC_LAYOUTS)('%s: own up and reply topics only; own down topics to subscribe', (layout) => {
    const p = layout.replace('{sn}', sn);
    expect(parseVzenithTopic(layout, sn, `${p}/message/up/ivs_result`)).toEqual({ ok: true, way: 'up', name: 'ivs_result' });
    expect(parseVzenithTopic(layout, sn, `${p}/message/down/gpio_out/reply`)).toEqual({ ok: true, way: 'reply', name: 'gpio_out' });
    for (const bad of [`${p}/message/down/gpio_out`, `${layout.replace('{sn}', 'abc-2')}/message/up/ivs_result`, `${p}/message/up/+`, `${p}/message/up/a/b`, `linli/v1/e/abc-1/event`, `${p}/message/up/IVS`]) {
      expect(parseVzenithTopic(layout, sn, bad).ok, bad).toBe(false);
    }
    expect(mayVzenithSubscribe(layout, sn, `${p}/message/down/#`)).toBe(true);
    expect(mayVzenithSubscribe(layout, sn, `${p}/message/down/gpio_out`)).toBe(true);
    for (const bad of ['#', `${layout.replace('{sn}', '+')}/message/down/#`, `${layout.replace('{sn}', 'abc-2')}/message/down/#`, `${p}/message/up/#`, `${p}/#`]) {
      expect(mayVzenithSubscribe(layout, sn, bad), bad).toBe(false);
    }
  });
});
