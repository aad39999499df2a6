import { createHash } from 'node:crypto';
import { ID_PATTERN, type DeviceKind } from '../../devices/index.js';

/** One device as registered through the API: `registration` holds the kind's fields. */
export interface DeviceSpec {
  id: string;
  kind: DeviceKind;
  name: string;
  registration: Record<string, unknown>;
}

export interface GateSpec {
  gate: DeviceSpec;
  cameraIn: DeviceSpec;
  cameraOut: DeviceSpec;
  /** Share of the estate's traffic through this gate. */
  share: number;
}

export interface EstateLayout {
  gates: GateSpec[];
  sheds: DeviceSpec[];
  elevators: DeviceSpec[];
  /** Where each elevator stands (same order as `elevators`): its riders live in that building and unit. */
  lifts: LiftSpec[];
}

export interface LiftSpec {
  deviceId: string;
  building: string;
  unit: string;
  lowestFloor: number;
  highestFloor: number;
}

// The south gate's lane cameras are 臻识 Vzenith cameras pushing over HTTP; its arm stays a Linli gate controller.
const GATES = [
  { key: 'n', name: '北门', share: 0.65 },
  { key: 's', name: '南门', share: 0.35, vzenith: true },
];
const SHEDS = 3;
const PORTS_PER_SHED = 10;
// Old walk-ups are six or seven storeys; the retrofitted car stops at every floor from 1.
// 8-2's car came with a monitoring box (elevatorcloud-style frames over TCP, Shmashine numbering) and no Linli controller.
const ELEVATORS = [
  { building: 3, unit: 1, highestFloor: 7 },
  { building: 3, unit: 2, highestFloor: 7 },
  { building: 5, unit: 1, highestFloor: 6 },
  { building: 8, unit: 2, highestFloor: 6, box: true },
];

/** A vendor's serial derived from the device id (unique, since device ids are): a box's eid, a board's IMEI. */
const digest = (id: string) => createHash('sha256').update(id).digest();
export const boxEid = (deviceId: string) => `mx${digest(deviceId).toString('hex').slice(0, 12)}`;
/** A 臻识 camera's serialno, in its `fe71e106-57263272` shape. */
export const cameraSerial = (deviceId: string) => {
  const hex = digest(deviceId).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}`;
};
/** 15 digits, as a module's IMEI is (86… like the Chinese-made modules). */
export const boardImei = (deviceId: string) => `86${(digest(deviceId).readBigUInt64BE(0) % 10n ** 13n).toString().padStart(13, '0')}`;
/** The last shed's controller is a JUY-class 4G board speaking its 5AA5 frames over TCP. */
const JUY_SHED = SHEDS;

/**
 * The demo estate as data: 2 gates (each with an in- and an out-camera), 3 sheds
 * of 10 ports, 4 elevators. Device ids carry the estate id because the device id
 * is also the MQTT client id, which must be unique on the broker.
 */
export function estateLayout(estateId: string): EstateLayout {
  const id = (suffix: string) => {
    const value = `${estateId}-${suffix}`;
    if (!ID_PATTERN.test(value)) throw new Error(`estateId "${estateId}" is too long or not an id: device id "${value}" would not match ${ID_PATTERN}`);
    return value;
  };
  const gates = GATES.map(({ key, name, share, vzenith }): GateSpec => {
    const gateId = id(`gate-${key}`);
    const camera = (direction: 'in' | 'out', label: string): DeviceSpec => {
      const cameraId = id(`cam-${key}-${direction}`);
      return {
        id: cameraId,
        kind: 'camera',
        name: `${name}${label}车牌相机`,
        registration: { gateId, direction, ...(vzenith ? { vendor: 'vzenith', transport: 'http', serialNo: cameraSerial(cameraId) } : {}) },
      };
    };
    return {
      gate: { id: gateId, kind: 'gate', name: `${name}道闸`, registration: {} },
      cameraIn: camera('in', '入口'),
      cameraOut: camera('out', '出口'),
      share,
    };
  });
  const sheds = Array.from({ length: SHEDS }, (_, i): DeviceSpec => {
    const shedId = id(`shed-${i + 1}`);
    return {
      id: shedId,
      kind: 'charger',
      name: `${i + 1}号充电棚`,
      registration: { ports: PORTS_PER_SHED, ...(i + 1 === JUY_SHED ? { vendor: 'juy', transport: 'tcp', serialNo: boardImei(shedId) } : {}) },
    };
  });
  const elevators = ELEVATORS.map(({ building, unit, highestFloor, box }): DeviceSpec => {
    const liftId = id(`lift-${building}-${unit}`);
    return {
      id: liftId,
      kind: 'elevator',
      name: `${building}栋${unit}单元加装电梯`,
      registration: {
        lowestFloor: 1,
        highestFloor,
        ...(box ? { vendor: 'elevatorcloud', transport: 'tcp', serialNo: boxEid(liftId), vendorSettings: { faultSource: 'shmashine' } } : {}),
      },
    };
  });
  const lifts = ELEVATORS.map(({ building, unit, highestFloor }, i): LiftSpec => ({
    deviceId: elevators[i]!.id,
    building: String(building),
    unit: String(unit),
    lowestFloor: 1,
    highestFloor,
  }));
  return { gates, sheds, elevators, lifts };
}

/** Registration order matters: a camera names its gate, so gates go first. */
export function allSpecs(layout: EstateLayout): DeviceSpec[] {
  return [
    ...layout.gates.map((g) => g.gate),
    ...layout.gates.flatMap((g) => [g.cameraIn, g.cameraOut]),
    ...layout.sheds,
    ...layout.elevators,
  ];
}
