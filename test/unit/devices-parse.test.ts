import { describe, it, expect } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../devices/envelope.js';
import type { DeviceKind } from '../../devices/kinds.js';
import { parseUplink, type RejectReason } from '../../devices/parse.js';
import type { UplinkChannel } from '../../devices/topics.js';

const env = { id: 'dev-000042', ts: '2026-11-21T08:00:00.120Z' };
const json = (o: unknown) => JSON.stringify(o);

describe('parseUplink: rejects, naming the reason and the field', () => {
  // [why, kind, channel, payload, reason, field]
  const table: [string, DeviceKind, UplinkChannel, string | Buffer, RejectReason, string][] = [
    ['over 64 KiB', 'gate', 'event', 'x'.repeat(MAX_PAYLOAD_BYTES + 1), 'too-large', ''],
    // 22 000 characters but 66 000 bytes: the limit is in bytes.
    ['over 64 KiB in UTF-8 bytes', 'camera', 'event', json({ ...env, type: 'plate.read', plate: '鄂'.repeat(22_000) }), 'too-large', ''],
    ['over 64 KiB as a Buffer', 'gate', 'telemetry', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'too-large', ''],
    ['not JSON', 'gate', 'event', 'open sesame', 'not-json', ''],
    ['truncated JSON', 'gate', 'event', '{"id":"a1","ts":', 'not-json', ''],
    ['not JSON as a Buffer', 'charger', 'telemetry', Buffer.from([0x7b, 0x7b]), 'not-json', ''],
    ['empty payload', 'gate', 'status', '', 'not-json', ''],
    ['an array', 'gate', 'event', '[]', 'not-object', ''],
    ['null', 'gate', 'status', 'null', 'not-object', ''],
    ['a number', 'elevator', 'telemetry', '42', 'not-object', ''],
    ['a string', 'charger', 'ack', '"ok"', 'not-object', ''],
    ['an event of another kind', 'gate', 'event', json({ ...env, type: 'plate.read' }), 'unknown-type', 'type'],
    ['an event type nobody has', 'charger', 'event', json({ ...env, type: 'port.explode', port: 1 }), 'unknown-type', 'type'],
    ['an event without a type', 'gate', 'event', json({ ...env, state: 'open' }), 'schema', 'type'],
    ['an event whose type is not a string', 'gate', 'event', json({ ...env, type: 7 }), 'schema', 'type'],
    [
      'a negative power in the first port',
      'charger',
      'telemetry',
      json({ ...env, ports: [{ port: 1, powerW: -5, energyWh: 0, tempC: 30 }] }),
      'schema',
      'ports.0.powerW',
    ],
    [
      'a port number out of range in the second port',
      'charger',
      'telemetry',
      json({ ...env, ports: [{ port: 1, powerW: 1, energyWh: 0, tempC: 30 }, { port: 0, powerW: 1, energyWh: 0, tempC: 30 }] }),
      'schema',
      'ports.1.port',
    ],
    ['a bad message id', 'gate', 'event', json({ ...env, id: '-bad', type: 'gate.passage', direction: 'in' }), 'schema', 'id'],
    ['a timestamp without a zone', 'gate', 'event', json({ ...env, ts: '2026-11-21T08:00:00', type: 'gate.passage', direction: 'in' }), 'schema', 'ts'],
    ['a missing timestamp', 'elevator', 'event', json({ id: 'e1', type: 'emergency.call' }), 'schema', 'ts'],
    ['an unknown arm state', 'gate', 'event', json({ ...env, type: 'gate.state', state: 'half-open' }), 'schema', 'state'],
    ['confidence above 1', 'camera', 'event', json({ ...env, type: 'plate.read', plate: '鄂A12345', color: 'blue', confidence: 1.2 }), 'schema', 'confidence'],
    ['a basement below -5', 'elevator', 'telemetry', json({ ...env, floor: -6, direction: 'idle', doorOpen: false, running: false }), 'schema', 'floor'],
    ['telemetry with a wrong type', 'gate', 'telemetry', json({ ...env, type: 'gate.state', cycles: 1, motorTempC: 30 }), 'schema', 'type'],
    ['status without online', 'camera', 'status', json({ fw: '1.4.2' }), 'schema', 'online'],
    ['an ack without ok', 'gate', 'ack', json({ ...env, type: 'ack', cmdId: 'c1' }), 'schema', 'ok'],
  ];

  it.each(table)('%s', (_why, kind, channel, payload, reason, field) => {
    const result = parseUplink(kind, channel, payload);
    expect(result).toMatchObject({ ok: false, reason, field });
    if (!result.ok) {
      // The message starts with the field it names, so a person knows where to look.
      expect(result.message.startsWith(field === '' ? 'payload:' : `${field}:`)).toBe(true);
    }
  });

  it('accepts a payload of exactly 64 KiB', () => {
    const base = json({ online: true, fw: '' });
    const padded = base.slice(0, -1) + ' '.repeat(MAX_PAYLOAD_BYTES - base.length) + '}';
    expect(Buffer.byteLength(padded)).toBe(MAX_PAYLOAD_BYTES);
    expect(parseUplink('gate', 'status', padded)).toMatchObject({ ok: true });
  });

  it('lists the events the kind does have when the type is unknown', () => {
    const result = parseUplink('gate', 'event', json({ ...env, type: 'plate.read' }));
    expect(result.ok || result.message).toContain('gate.state, gate.passage, gate.manual');
  });
});

describe('parseUplink: accepts what the contract allows', () => {
  it.each([
    ['the Last Will', { online: false }],
    ['a connect status', { online: true, fw: '1.4.2' }],
    ['a status with an envelope', { ...env, online: true }],
  ])('status: %s, no envelope needed', (_why, status) => {
    expect(parseUplink('gate', 'status', json(status))).toEqual({ ok: true, message: status });
  });

  const telemetry: [DeviceKind, Record<string, unknown>][] = [
    ['camera', { fps: 25, cpuTempC: 51.5 }],
    ['gate', { cycles: 120034, motorTempC: 38, rssi: -61 }],
    ['charger', { ports: [{ port: 1, powerW: 180.5, energyWh: 412, tempC: 31.2 }], ambientTempC: 12 }],
    ['elevator', { floor: -1, direction: 'down', doorOpen: false, running: true, loadPct: 40 }],
  ];
  it.each(telemetry)('%s telemetry without `type` gets type "telemetry"', (kind, fields) => {
    const result = parseUplink(kind, 'telemetry', Buffer.from(json({ ...env, ...fields })));
    expect(result).toEqual({ ok: true, message: { ...env, type: 'telemetry', ...fields } });
  });

  const events: [DeviceKind, Record<string, unknown>][] = [
    ['camera', { type: 'plate.read', plate: '鄂AD12345', color: 'green', confidence: 0.97, direction: 'in', imageRef: 'snap/0042.jpg' }],
    ['camera', { type: 'plate.read', plate: '', color: 'unknown', confidence: 0 }],
    ['gate', { type: 'gate.state', state: 'fault', faultCode: 'E07' }],
    ['gate', { type: 'gate.passage', direction: 'out', plate: '鄂A12345' }],
    ['gate', { type: 'gate.manual', action: 'open', source: 'offline-whitelist' }],
    ['charger', { type: 'port.state', port: 3, state: 'charging' }],
    ['charger', { type: 'port.request', port: 3, cardId: 'card-0007' }],
    ['charger', { type: 'alarm', kind: 'smoke', active: true }],
    ['charger', { type: 'alarm', kind: 'overtemp', port: 2, value: 71.5, active: false }],
    ['elevator', { type: 'card.swipe', cardId: 'card-0007', floor: 1 }],
    ['elevator', { type: 'ride', from: 1, to: 6, cardId: 'card-0007' }],
    ['elevator', { type: 'fault', code: 'door-open-while-running', active: true, floor: 3 }],
    ['elevator', { type: 'fault', code: 'vendor-e42', active: false }], // "at least" these codes
    ['elevator', { type: 'emergency.call' }],
  ];
  it.each(events)('%s event %o', (kind, fields) => {
    const message = { ...env, ...fields };
    expect(parseUplink(kind, 'event', json(message))).toEqual({ ok: true, message });
  });

  it.each([
    ['ok', { ...env, type: 'ack', cmdId: 'cmd-1', ok: true }],
    ['failed', { ...env, type: 'ack', cmdId: 'cmd-1', ok: false, error: 'expired' }],
  ])('an ack, %s', (_why, ack) => {
    expect(parseUplink('gate', 'ack', json(ack))).toEqual({ ok: true, message: ack });
  });

  it('accepts a timestamp with a +08:00 offset', () => {
    const message = { ...env, ts: '2026-11-21T16:00:00.120+08:00', type: 'gate.passage', direction: 'in' };
    expect(parseUplink('gate', 'event', json(message))).toEqual({ ok: true, message });
  });
});
