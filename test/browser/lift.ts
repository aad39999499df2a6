import { expect } from 'vitest';
import { aCharterVersion } from '../support/charter.js';
import { anAck, connectDevice, nextId, now, type TestDevice } from '../support/devices.js';
import { anElevatorAccess, anElevatorFaultRules } from '../support/elevator.js';
import { anElevatorCostSplit } from '../support/elevator-cost.js';
import { registerDevice, type TestLinli } from '../support/linli.js';

/*
 * What the elevator page tests share: a walk-up's retrofitted elevator (floors
 * 1–7) paid for by four households of unit 3-2, the charter's elevator section
 * as test/support builds it (6.1 access, 6.3 cost split: 3F 0.7 rising 0.1 a
 * floor, 1F–2F exempt, 40 % subsidy), and a real MQTT elevator that acks its
 * commands, as test/integration/elevator.test.ts does.
 */

export const LIFT = { id: 'lift-3-2', name: '3号楼2单元电梯', lowestFloor: 1, highestFloor: 7 };
export const MEMBERS = ['3-2-301', '3-2-302', '3-2-501', '3-2-701'];

export interface Reading {
  floor: number;
  direction: 'up' | 'down' | 'idle';
  doorOpen: boolean;
  running: boolean;
  loadPct?: number;
}

export interface TestLift extends TestDevice {
  telemetry(r: Reading): Promise<void>;
  fault(code: string, active: boolean, floor?: number): Promise<void>;
  emergencyCall(floor?: number): Promise<void>;
  ride(from: number, to: number, cardId?: string): Promise<void>;
}

export async function setUpElevatorEstate(linli: TestLinli, estateId: string): Promise<TestLift> {
  const secret = await registerDevice(linli, estateId, { id: LIFT.id, kind: 'elevator', name: LIFT.name, lowestFloor: LIFT.lowestFloor, highestFloor: LIFT.highestFloor });
  const charter = aCharterVersion();
  (charter.document as any).elevator = { access: anElevatorAccess(), faults: anElevatorFaultRules(), cost: anElevatorCostSplit() };
  const steps: [string, string, unknown][] = [
    ['POST', `/api/estates/${estateId}/charter/versions`, charter],
    ...['301', '302', '501', '601', '701'].map((room): [string, string, unknown] => ['POST', `/api/estates/${estateId}/households`, { building: '3', unit: '2', room, areaM2: 85 }]),
    ...MEMBERS.map((householdId): [string, string, unknown] => ['POST', `/api/estates/${estateId}/elevators/${LIFT.id}/members`, { householdId }]),
    ['POST', `/api/estates/${estateId}/cards`, { cardId: 'card-501', householdId: '3-2-501', purposes: ['elevator'] }],
  ];
  for (const [method, path, body] of steps) expect((await linli.api(method, path, body)).status, path).toBeLessThan(300);

  const d = await connectDevice(linli.mqttUrl, estateId, LIFT.id, secret);
  d.client.on('message', (topic, payload) => {
    if (topic === d.topic('cmd')) void d.send('ack', anAck(JSON.parse(payload.toString()).cmdId));
  });
  await d.client.subscribeAsync(d.topic('cmd'), { qos: 1 });
  await d.send('status', { online: true, fw: '1.0.0' }, { retain: true });
  return Object.assign(d, {
    telemetry: (r: Reading) => d.send('telemetry', { id: nextId('t'), ts: now(), ...r }),
    fault: (code: string, active: boolean, floor?: number) => d.send('event', { id: nextId('f'), ts: now(), type: 'fault', code, active, ...(floor !== undefined ? { floor } : {}) }),
    emergencyCall: (floor?: number) => d.send('event', { id: nextId('e'), ts: now(), type: 'emergency.call', ...(floor !== undefined ? { floor } : {}) }),
    ride: (from: number, to: number, cardId?: string) => d.send('event', { id: nextId('r'), ts: now(), type: 'ride', from, to, ...(cardId ? { cardId } : {}) }),
  });
}
