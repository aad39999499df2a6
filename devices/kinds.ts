import { z } from 'zod';
import { camera } from './camera/index.js';
import { gate } from './gate/index.js';
import { charger } from './charger/index.js';
import { elevator } from './elevator/index.js';
import type { DeviceKindDef } from './define-kind.js';

/** The one list of device kinds. Adding a kind touches its folder and this line. */
export const DEVICE_KINDS = { camera, gate, charger, elevator } as const;

export type DeviceKind = keyof typeof DEVICE_KINDS;
export const DeviceKind = z.enum(Object.keys(DEVICE_KINDS) as [DeviceKind, ...DeviceKind[]]);

export function kindDef(kind: DeviceKind): DeviceKindDef {
  return DEVICE_KINDS[kind] as DeviceKindDef;
}

export function eventTypes(kind: DeviceKind): string[] {
  return Object.keys(kindDef(kind).events);
}

export function commandTypes(kind: DeviceKind): string[] {
  return Object.keys(kindDef(kind).commands);
}
