import type { DeviceKind } from '../../devices/index.js';
import type { AuthUser } from '../auth/sessions.js';
import { deviceRefMessage, deviceRefProblem, personRefMessage, personRefProblem } from '../estate/estate-scope.js';
import type { Device, Estate, Store } from '../store/index.js';
import { badRequest, notFound } from './errors.js';

/** The estate a route is about, or a 404 that names it. */
export function requireEstate(store: Pick<Store, 'estates'>, estateId: string): Estate {
  const e = store.estates.getEstate(estateId);
  if (!e) throw notFound(`estate ${estateId}`);
  return e;
}

interface DeviceCheck {
  /** The kind (or kinds) the id must name. */
  kind?: DeviceKind | readonly DeviceKind[];
  /** Where the id came from in a body (`body.gateId`): a 400 naming it. Absent: a path parameter, a 404. */
  field?: string;
}

/**
 * The one check every device id from outside passes before it is used: it names a
 * device of the estate in the path (of `kind`). A device of another estate, or
 * none, is a 404 for a path parameter and a 400 naming the field for a body;
 * both read alike, so no answer tells one estate which ids another has.
 * With `unregistered: 'allow'`, an id no device has yet passes (a charter may name
 * the gate the estate is about to install): the answer is then undefined, and
 * whoever uses it later checks again (the gateway refuses a device of another estate).
 */
export function deviceOfEstate(store: Pick<Store, 'devices'>, estateId: string, deviceId: string, opts?: DeviceCheck & { unregistered?: 'refuse' }): Device;
export function deviceOfEstate(store: Pick<Store, 'devices'>, estateId: string, deviceId: string, opts: DeviceCheck & { unregistered: 'allow' }): Device | undefined;
export function deviceOfEstate(store: Pick<Store, 'devices'>, estateId: string, deviceId: string, opts: DeviceCheck & { unregistered?: 'refuse' | 'allow' } = {}): Device | undefined {
  const d = store.devices.get(deviceId);
  const problem = deviceRefProblem(d, estateId, opts.kind);
  if (!problem) return d;
  if (problem === 'unregistered' && opts.unregistered === 'allow') return undefined;
  const why = deviceRefMessage(problem, deviceId, estateId, opts.kind, problem === 'wrong-kind' ? d?.kind : undefined);
  if (opts.field) throw badRequest(`${opts.field}: ${why}`);
  // A path parameter: "not found", as for any id the estate does not have.
  throw notFound(`${typeof opts.kind === 'string' ? opts.kind : 'device'} ${deviceId} in estate ${estateId}`);
}

/**
 * A login an estate's own records name (a roster place, a household's resident):
 * one of the estate's, see `personRefProblem` for who else may be named and when.
 * A 400 naming the field.
 */
export function personOfEstate(store: Pick<Store, 'users'>, estateId: string, username: string, field: string, caller: Pick<AuthUser, 'estateId'>): void {
  const u = store.users.getUser(username);
  const problem = personRefProblem(u && { username: u.username, estateId: u.estateId }, estateId, caller.estateId);
  if (problem) throw badRequest(`${field}: ${personRefMessage(problem, username, estateId)}`);
}
