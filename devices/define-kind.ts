import type { z } from 'zod';

// zod 4's ZodObject generic carries the shape; `any` here keeps the registry open to every kind's own shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyObject = z.ZodObject<any>;

export interface DeviceKindDef<
  K extends string = string,
  E extends Record<string, AnyObject> = Record<string, AnyObject>,
  C extends Record<string, AnyObject> = Record<string, AnyObject>,
> {
  kind: K;
  /** Chinese name first: it is what committees see. */
  label: { zh: string; en: string };
  events: E;
  telemetry: AnyObject;
  commands: C;
  /** Retained `config` the device needs to work offline; undefined when the kind has none. */
  config?: AnyObject;
  /** Kind-specific fields given when the device is registered. */
  registration: AnyObject;
}

export function defineDeviceKind<
  K extends string,
  E extends Record<string, AnyObject>,
  C extends Record<string, AnyObject>,
>(def: DeviceKindDef<K, E, C>): DeviceKindDef<K, E, C> {
  return def;
}
