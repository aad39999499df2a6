import { describe, expect, it } from 'vitest';
import { parseUplink } from '../../devices/parse.js';
import { ELEVATOR_FAULT_CODES } from '../../devices/elevator/schemas.js';
import { FAULT_TABLES } from '../../devices/vendors/elevatorbox/fault-tables.js';
import { faultInfo } from '../../server/elevator/faults.js';
import { faultName } from '../../dashboard/src/messages/elevator.js';

/** Additions to contract v1 that real devices needed (issue 12, item 6): optional fields only, nothing renamed. */
const env = { id: 'dev-000042', ts: '2026-11-21T08:00:00.120Z' };
const json = (o: unknown) => JSON.stringify(o);

describe('camera and gate telemetry: what a real camera knows is enough', () => {
  it.each([
    ['camera', { rssi: -60 }],
    ['camera', {}],
    ['gate', { rssi: -71 }],
    ['gate', { configVersion: 3 }],
  ] as const)('%s telemetry without fps/cpuTempC or cycles/motorTempC is accepted: %j', (kind, fields) => {
    const r = parseUplink(kind, 'telemetry', json({ ...env, ...fields }));
    expect(r.ok).toBe(true);
  });
  it('a field that is sent must still be right: a negative fps or a fractional cycle count is refused', () => {
    const fps = parseUplink('camera', 'telemetry', json({ ...env, fps: -1 }));
    expect(fps.ok ? 'accepted' : fps.field).toBe('fps');
    const cycles = parseUplink('gate', 'telemetry', json({ ...env, cycles: 1.5 }));
    expect(cycles.ok ? 'accepted' : cycles.field).toBe('cycles');
  });
});

describe('plate.read: the plate kind, new-energy and fake-plate flags', () => {
  const read = { ...env, type: 'plate.read', plate: '鄂AD12345', color: 'green', confidence: 0.93 };
  it('are accepted and kept', () => {
    const r = parseUplink('camera', 'event', json({ ...read, plateType: 'new-energy', newEnergy: true, fakePlate: false }));
    expect(r.ok && r.message).toMatchObject({ plateType: 'new-energy', newEnergy: true, fakePlate: false });
  });
  it('a read without them is as before', () => {
    expect(parseUplink('camera', 'event', json(read)).ok).toBe(true);
  });
  it('a flag that is not a boolean is refused, naming it', () => {
    const r = parseUplink('camera', 'event', json({ ...read, fakePlate: 'yes' }));
    expect(r.ok ? 'accepted' : r.field).toBe('fakePlate');
  });
});

describe('elevator faults: moving-with-door-open, and every code a monitoring box can report', () => {
  it('moving-with-door-open is a contract code: critical, and a person must close it', () => {
    expect(ELEVATOR_FAULT_CODES).toContain('moving-with-door-open');
    expect(parseUplink('elevator', 'event', json({ ...env, type: 'fault', code: 'moving-with-door-open', active: true })).ok).toBe(true);
    expect(faultInfo('moving-with-door-open')).toMatchObject({ severity: 'critical', zh: '开门走车', needsPerson: true });
  });

  // Every contract code the vendor tables map to has a severity, a Chinese label and a dashboard name:
  // a box's fault never reaches a volunteer as 未知故障.
  const mapped = new Set<string>();
  for (const rows of Object.values(FAULT_TABLES)) {
    for (const row of rows) {
      if ('fault' in row.effect) mapped.add(row.effect.fault);
      if ('fault' in row.effect && row.effect.proposed) mapped.add(row.effect.proposed);
    }
  }
  it('the tables map to at least the contract codes trapped and ebike-detected (the tables were read)', () => {
    expect(mapped.has('trapped')).toBe(true);
    expect(mapped.has('ebike-detected')).toBe(true);
  });
  it.each([...mapped].sort())('%s has a catalogue entry and a dashboard name', (code) => {
    expect(faultInfo(code).zh).not.toMatch(/未知故障/);
    expect(faultName(`elevator.${code}`, 'server title')).not.toBe('server title');
  });
});

describe('charger port.state: `ended`, the device ended the charge itself', () => {
  const state = { ...env, type: 'port.state', port: 2, state: 'occupied', reason: 'time-used' };
  it('is accepted and kept, with the device meter for that charge', () => {
    const r = parseUplink('charger', 'event', json({ ...state, ended: { energyWh: 420, seconds: 1800 } }));
    expect(r.ok && r.message).toMatchObject({ ended: { energyWh: 420, seconds: 1800 } });
    expect(parseUplink('charger', 'event', json({ ...state, ended: {} })).ok).toBe(true);
  });
  it('a port.state without it is as before', () => {
    const r = parseUplink('charger', 'event', json(state));
    expect(r.ok && 'ended' in r.message).toBe(false);
  });
  it('a wrong value or an unknown field in it is refused, naming it', () => {
    const neg = parseUplink('charger', 'event', json({ ...state, ended: { energyWh: -1 } }));
    expect(neg.ok ? 'accepted' : neg.field).toBe('ended.energyWh');
    const extra = parseUplink('charger', 'event', json({ ...state, ended: { kwh: 1 } }));
    expect(extra.ok).toBe(false);
  });
});
