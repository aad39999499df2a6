import { createHmac } from 'node:crypto';
import type { SimLog } from '../lib/sim-log.js';
import { ApiError, LinliApi } from './api-client.js';
import { demoCharter } from './charter.js';
import type { DeviceSpec } from './layout.js';
import { householdsCsv, type EstateRegister } from './register.js';

/**
 * Registers the estate and its devices through the HTTP API and returns each
 * device's secret. Idempotent: an estate that exists is fine (409), and a device
 * that exists gets a fresh secret (rotate-secret), since a secret is shown only once.
 */
export async function provision(
  api: LinliApi,
  estate: { id: string; name: string },
  specs: DeviceSpec[],
  log: SimLog,
  /** Filled with each device's `connect` answer (a vendor device reads where to reach the server from it). */
  connects?: Map<string, DeviceConnect>,
): Promise<Map<string, string>> {
  const created = await api.expect([201, 409], 'POST', '/api/estates', estate);
  log.info({ estateId: estate.id, existed: created.status === 409 }, 'estate ready');
  const secrets = new Map<string, string>();
  for (const spec of specs) {
    const r = await registerDevice(api, estate.id, spec, log);
    secrets.set(spec.id, r.secret);
    if (r.connect) connects?.set(spec.id, r.connect);
  }
  return secrets;
}

/** What the registration (or rotate-secret) answers a committee to type into the device. */
export interface DeviceConnect {
  pushUrl?: string;
  tcp?: { host: string; port: number };
}

async function registerDevice(api: LinliApi, estateId: string, spec: DeviceSpec, log: SimLog): Promise<{ secret: string; connect?: DeviceConnect }> {
  const base = `/api/estates/${encodeURIComponent(estateId)}/devices`;
  const body = { id: spec.id, kind: spec.kind, name: spec.name, ...spec.registration };
  const res = await api.expect<{ secret?: string; connect?: DeviceConnect }>([201, 409], 'POST', base, body);
  if (res.status === 201 && res.body.secret) {
    log.debug({ deviceId: spec.id }, 'device registered');
    return { secret: res.body.secret, ...(res.body.connect ? { connect: res.body.connect } : {}) };
  }
  // A vendor device's push URL is shown once too: rotate-secret answers a fresh one.
  const rotated = await api.expect<{ secret: string; connect?: DeviceConnect }>([200, 201], 'POST', `${base}/${encodeURIComponent(spec.id)}/rotate-secret`);
  log.debug({ deviceId: spec.id }, 'device existed: secret rotated');
  return { secret: rotated.body.secret, ...(rotated.body.connect ? { connect: rotated.body.connect } : {}) };
}

/** A login the demo made for a person of the estate. */
export interface Account {
  username: string;
  password: string;
  api: LinliApi;
}

export interface ParkingSetup {
  /** The charter version in force. */
  charterVersion: number;
  /** Whether this run adopted it (false: one was already in force and is kept). */
  adopted: boolean;
  /** The server ignores a repeated read of a plate on a lane within this (charter `plates.repeatWindowS`). */
  repeatWindowMs: number;
  register: EstateRegister;
  /** The guard in the booth (role guard); the committee's session if that account could not be used. */
  guard: LinliApi;
  guardAccount?: Account;
  /** Residents with a login, who register their visitors' cars. */
  hosts: { householdId: string; account: Account }[];
}

interface CharterInForce {
  version: number;
  document: { parking: { lots: { id: string; gates: string[] }[]; plates: { repeatWindowS: number } }; charging?: unknown; elevator?: unknown };
}

/**
 * What parking needs before the first car: a charter in force (adopted if there is
 * none), the register of households and cars (one CSV import: all-or-nothing
 * upserts, so a re-run changes nothing), the banned car, and logins for a guard
 * and a few residents. Safe to run again and again.
 */
export async function provisionParking(
  api: LinliApi,
  o: { estateId: string; estateName: string; gateIds: string[]; register: EstateRegister; adminPassword: string; now: () => number },
  log: SimLog,
): Promise<ParkingSetup> {
  const e = `/api/estates/${encodeURIComponent(o.estateId)}`;

  // The register first: the whitelist compiled when the charter is adopted then has every car.
  const csv = householdsCsv(o.register);
  const imported = await api.upload<{ imported?: Record<string, number>; errors?: { line: number; field: string | null; message: string }[] }>(
    'POST',
    `${e}/import/households`,
    csv,
    'text/csv; charset=utf-8',
  );
  if (imported.status !== 200) {
    const first = (imported.body.errors ?? []).slice(0, 3).map((x) => `line ${x.line} ${x.field ?? ''}: ${x.message}`);
    throw new Error(`household import refused (HTTP ${imported.status}): ${first.join('; ') || JSON.stringify(imported.body).slice(0, 300)}`);
  }
  log.info({ estateId: o.estateId, ...imported.body.imported }, 'register imported');
  const banned = await api.request('POST', `${e}/vehicles`, { plate: o.register.banned.plate, class: 'blacklist', note: o.register.banned.note });
  if (banned.status !== 201 && banned.status !== 409) throw new ApiError(banned.status, 'BLACKLIST', `registering the banned car: HTTP ${banned.status} ${JSON.stringify(banned.body)}`);

  let charter = await api.request<CharterInForce>('GET', `${e}/charter`);
  let adopted = false;
  const adopt = () => demoCharter({ estateName: o.estateName, gateIds: o.gateIds, register: o.register, effectiveFrom: new Date(o.now()) });
  if (charter.status === 404) {
    charter = await api.expect<CharterInForce>([201], 'POST', `${e}/charter/versions`, adopt());
    adopted = true;
    log.info({ estateId: o.estateId, version: charter.body.version }, 'charter adopted');
  } else if (charter.status !== 200) {
    throw new ApiError(charter.status, 'CHARTER', `GET ${e}/charter: HTTP ${charter.status}`);
  } else if (!charter.body.document.charging || !charter.body.document.elevator) {
    // A data dir from before the sheds and elevators had rules: a new version, from now, adds them.
    const next = await api.request<CharterInForce>('POST', `${e}/charter/versions`, adopt());
    if (next.status === 201) {
      log.info({ estateId: o.estateId, from: charter.body.version, version: next.body.version }, 'charter amended: charging and elevator chapters adopted');
      charter = next;
      adopted = true;
    } else {
      log.warn({ estateId: o.estateId, version: charter.body.version, status: next.status, body: next.body }, 'the charter in force has no charging or elevator chapter and a new version was refused: sheds and elevators will deny');
    }
  }
  const parking = charter.body.document.parking;
  const covered = new Set(parking.lots.flatMap((l) => l.gates));
  const uncovered = o.gateIds.filter((g) => !covered.has(g));
  if (uncovered.length > 0) log.warn({ estateId: o.estateId, gates: uncovered, charterVersion: charter.body.version }, 'the charter in force has no lot behind these gates: their plate reads decide nothing');

  const guardAccount = await account(api, { username: accountName(o.estateId, 'guard'), role: 'guard', displayName: '门岗值班', estateId: o.estateId, adminPassword: o.adminPassword }, log);
  const hosts: ParkingSetup['hosts'] = [];
  for (const householdId of o.register.hosts) {
    const row = o.register.households.find((h) => `${h.building}-${h.unit}-${h.room}` === householdId)!;
    const a = await account(api, { username: accountName(o.estateId, householdId), role: 'resident', displayName: row.name, estateId: o.estateId, adminPassword: o.adminPassword }, log);
    if (a && (await linkResident(api, e, householdId, row.name, a.username, log))) hosts.push({ householdId, account: a });
  }

  return {
    charterVersion: charter.body.version,
    adopted,
    repeatWindowMs: parking.plates.repeatWindowS * 1000,
    register: o.register,
    guard: guardAccount?.api ?? api,
    ...(guardAccount ? { guardAccount } : {}),
    hosts,
  };
}

export interface AmenitiesSetup {
  /** Households added as elevator members by this run. */
  membersAdded: number;
  /** Bikers' households whose charging balance this run topped up. */
  toppedUp: number;
}

const LOW_BALANCE_FEN = 1_000;
const TOPUP_FEN = 5_000;

/**
 * What the sheds and elevators need beyond the charter and the cards (both come with
 * the register and the charter above): the riders' households as members of their
 * elevator (a 400 "already a member" on a re-run is fine), and a prepaid charging
 * balance for the bikers' households, topped up once when it runs low. Idempotent.
 */
export async function provisionAmenities(
  api: LinliApi,
  o: { estateId: string; register: EstateRegister; liftIds: string[] },
  log: SimLog,
): Promise<AmenitiesSetup> {
  const e = `/api/estates/${encodeURIComponent(o.estateId)}`;
  let membersAdded = 0;
  for (const [index, liftId] of o.liftIds.entries()) {
    const lift = `${e}/elevators/${encodeURIComponent(liftId)}/members`;
    const listed = await api.request<{ items: { householdId: string }[] }>('GET', lift);
    const members = new Set(listed.status === 200 ? listed.body.items.map((m) => m.householdId) : []);
    const wanted = new Set(o.register.riders.filter((r) => r.lift === index).map((r) => r.householdId));
    for (const householdId of wanted) {
      if (members.has(householdId)) continue;
      const added = await api.request('POST', lift, { householdId, kind: 'founding' });
      if (added.status === 201) membersAdded++;
      else if (added.status !== 400 && added.status !== 409) log.warn({ liftId, householdId, status: added.status, body: added.body }, 'elevator member not added');
    }
  }
  let toppedUp = 0;
  for (const householdId of new Set(o.register.bikers.map((b) => b.householdId))) {
    const account = `${e}/charging/accounts/${encodeURIComponent(householdId)}`;
    const got = await api.request<{ balanceFen: number }>('GET', account);
    if (got.status !== 200) {
      log.warn({ householdId, status: got.status }, 'charging account not readable: not topped up');
      continue;
    }
    if (got.body.balanceFen >= LOW_BALANCE_FEN) continue;
    const paid = await api.request('POST', `${account}/topup`, { amountFen: TOPUP_FEN, note: '模拟：住户预存充电费' });
    if (paid.status === 200) toppedUp++;
    else log.warn({ householdId, status: paid.status, body: paid.body }, 'charging balance not topped up');
  }
  log.info({ estateId: o.estateId, membersAdded, toppedUp }, 'sheds and elevators ready');
  return { membersAdded, toppedUp };
}

/** Usernames are global: they carry the estate id. */
function accountName(estateId: string, who: string): string {
  return `${estateId}-${who}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-').slice(0, 32);
}

/**
 * The password of a demo account is derived from the admin's (HMAC), so a later
 * run can log in again without keeping another secret, and nobody can guess it
 * without the admin password.
 */
function derivedPassword(adminPassword: string, username: string): string {
  return createHmac('sha256', adminPassword).update(`linli-demo-account:${username}`).digest('base64url').slice(0, 20);
}

async function account(
  api: LinliApi,
  o: { username: string; role: 'guard' | 'resident'; displayName: string; estateId: string; adminPassword: string },
  log: SimLog,
): Promise<Account | undefined> {
  const password = derivedPassword(o.adminPassword, o.username);
  const made = await api.request('POST', '/api/users', { username: o.username, password, role: o.role, displayName: o.displayName, estateId: o.estateId, mustChangePassword: false });
  if (made.status !== 201 && made.status !== 409) {
    log.warn({ username: o.username, status: made.status }, 'demo account not created');
    return undefined;
  }
  try {
    return { username: o.username, password, api: await LinliApi.login(api.baseUrl, o.username, password) };
  } catch (err) {
    // Made by an earlier run with another admin password, or changed by a person since.
    log.warn({ username: o.username, err: (err as Error).message }, 'demo account exists with another password: not used');
    return undefined;
  }
}

/** Links a household's resident (imported by name) to a login, so it may register visitors' cars. */
async function linkResident(api: LinliApi, e: string, householdId: string, name: string, username: string, log: SimLog): Promise<boolean> {
  const found = await api.expect<{ items: { id: string; name: string; username: string | null }[] }>([200], 'GET', `${e}/residents?householdId=${encodeURIComponent(householdId)}&limit=50`);
  const resident = found.body.items.find((r) => r.name === name);
  if (!resident) {
    log.warn({ householdId }, 'resident of a host household not found: no visitor passes from it');
    return false;
  }
  if (resident.username === username) return true;
  const patched = await api.request('PATCH', `${e}/residents/${encodeURIComponent(resident.id)}`, { username });
  if (patched.status !== 200) {
    log.warn({ householdId, status: patched.status }, 'resident not linked to its login');
    return false;
  }
  return true;
}
