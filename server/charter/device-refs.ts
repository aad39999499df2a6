import { z } from 'zod';
import { Id, type DeviceKind } from '../../devices/index.js';

/**
 * The charter names devices (a lot's gates, a shed's breaker limits). Such a field
 * is declared with `DeviceRef(kind)`, and `deviceRefsIn` finds every one in a
 * document by walking the schema beside the value: a new section that names a
 * device is checked against the estate as soon as it uses `DeviceRef`, with no
 * list to keep up to date.
 */
export const deviceRefs = z.registry<{ deviceKind: DeviceKind }>();

/** An id naming a device of `kind`; whose estate it is, is checked when the charter is adopted. */
export const DeviceRef = (kind: DeviceKind) => Id.clone().register(deviceRefs, { deviceKind: kind });

export interface FoundDeviceRef {
  /** Where in the document, e.g. ['parking', 'lots', 0, 'gates', 1]. */
  path: (string | number)[];
  deviceId: string;
  kind: DeviceKind;
}

// zod 4 keeps a schema's structure in `_zod.def`; the walk reads only the wrappers the charter uses.
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  in?: z.ZodType;
  getter?: () => z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every device id `value` (already parsed by `schema`) names, with where. */
export function deviceRefsIn(schema: z.ZodType, value: unknown, path: (string | number)[] = []): FoundDeviceRef[] {
  const kind = deviceRefs.get(schema)?.deviceKind;
  if (kind) return typeof value === 'string' ? [{ path, deviceId: value, kind }] : [];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return isRecord(value) ? Object.entries(def.shape ?? {}).flatMap(([k, s]) => deviceRefsIn(s, value[k], [...path, k])) : [];
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => deviceRefsIn(def.element!, v, [...path, i])) : [];
    case 'tuple':
      return Array.isArray(value) ? value.flatMap((v, i) => deviceRefsIn(def.items![i] ?? def.rest ?? z.unknown(), v, [...path, i])) : [];
    case 'record':
      return isRecord(value) ? Object.entries(value).flatMap(([k, v]) => [...deviceRefsIn(def.keyType!, k, [...path, k]), ...deviceRefsIn(def.valueType!, v, [...path, k])]) : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return value === undefined || value === null ? [] : deviceRefsIn(def.innerType!, value, path);
    case 'union': {
      // The option the value parses as (a discriminated union's: the one its discriminator names).
      const option = def.options!.find((o) => o.safeParse(value).success);
      return option ? deviceRefsIn(option, value, path) : [];
    }
    case 'intersection':
      return [...deviceRefsIn(def.left!, value, path), ...deviceRefsIn(def.right!, value, path)];
    case 'pipe':
      return deviceRefsIn(def.in!, value, path);
    case 'lazy':
      return deviceRefsIn(def.getter!(), value, path);
    default:
      return [];
  }
}

/** `['parking', 'lots', 0, 'gates', 1]` → `parking.lots.0.gates.1`, as the API names fields in its 400s. */
export const fieldPath = (path: (string | number)[]) => path.join('.');
