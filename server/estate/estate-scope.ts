import { kindDef, type DeviceKind } from '../../devices/index.js';

/**
 * Whether an id that came from outside (a path, a body, a charter, a CSV, a
 * device's registration) may stand for something of one estate. Estates share
 * one install, one device table and one user table: an id is global, so every
 * use must ask whose it is. Pure, so the HTTP routes (`server/http/estate-guard.ts`),
 * the parking service and the whitelist publisher ask the same question.
 */

/** What the store knows of a device, as much as the check needs. */
export interface ScopedDevice {
  id: string;
  estateId: string;
  kind: DeviceKind;
}

/**
 * `unregistered`: no such device (yet). `other-estate`: a device of another estate.
 * `wrong-kind`: a device of this estate, but not of the kind the field names.
 */
export type DeviceRefProblem = 'unregistered' | 'other-estate' | 'wrong-kind';

export function deviceRefProblem(device: ScopedDevice | undefined, estateId: string, kind?: DeviceKind | readonly DeviceKind[]): DeviceRefProblem | undefined {
  if (!device) return 'unregistered';
  if (device.estateId !== estateId) return 'other-estate';
  if (kind !== undefined && !(typeof kind === 'string' ? [kind] : kind).includes(device.kind)) return 'wrong-kind';
  return undefined;
}

const words = (kind: DeviceKind | readonly DeviceKind[] | undefined) => {
  const k = typeof kind === 'string' ? kind : kind?.length === 1 ? kind[0] : undefined;
  return k ? { zh: kindDef(k).label.zh, en: k } : { zh: '设备', en: 'device' };
};

/**
 * The sentence for a refusal, Chinese / English as the dashboard shows it. A
 * device of another estate and an unknown one read the same: the answer must not
 * tell one estate which ids another has.
 */
export function deviceRefMessage(problem: DeviceRefProblem, id: string, estateId: string, kind?: DeviceKind | readonly DeviceKind[], actual?: DeviceKind): string {
  const w = words(kind);
  if (problem === 'wrong-kind' && actual) {
    return `${id} 是${kindDef(actual).label.zh}，不是${w.zh} / device ${id} of estate ${estateId} is a ${actual}, not a ${w.en}`;
  }
  return `${w.zh} ${id} 不是本小区（${estateId}）的设备 / ${w.en} ${id} is not a device of estate ${estateId}`;
}

/**
 * Registration fields that name another device, and the kind they name: a
 * camera's lane is a gate, which must be of the camera's estate (or not installed
 * yet). A new kind whose registration names a device adds its field here; the
 * security tests fail for a registration field ending in `Id` that is not listed.
 */
export const REGISTRATION_DEVICE_REFS: { readonly [K in DeviceKind]?: Readonly<Record<string, DeviceKind>> } = { camera: { gateId: 'gate' } };

/** What the store knows of a login, as much as the check needs. */
export interface ScopedUser {
  username: string;
  estateId: string | null;
}

/**
 * Why `username` may not be named by an estate's own records (its duty roster, a
 * household's resident), or undefined. A login bound to another estate never may:
 * naming it would hand that person this estate's live feed and narrow theirs.
 * When the caller belongs to the estate, only the estate's own logins may be named:
 * not the install's own people (the first `admin`, whose feed would narrow to this
 * estate) and not a name no login has yet (a login made later, in any estate,
 * would inherit the place). The install's own people, setting an estate up, may
 * still name their own logins and ones to be made.
 */
export function personRefProblem(user: ScopedUser | undefined, estateId: string, callerEstateId: string | null): 'other-estate' | 'no-estate' | 'unknown' | undefined {
  if (user && user.estateId === estateId) return undefined;
  if (user && user.estateId !== null) return 'other-estate';
  if (callerEstateId === null) return undefined;
  return user ? 'no-estate' : 'unknown';
}

export function personRefMessage(problem: 'other-estate' | 'no-estate' | 'unknown', username: string, estateId: string): string {
  const hint =
    problem === 'unknown'
      ? `；请先添加这个账号 / ${username} is not a login of estate ${estateId}: add the login first (POST /api/users)`
      : ` / ${username} is not a login of estate ${estateId}`;
  return `${username} 不是本小区（${estateId}）的账号${hint}`;
}
