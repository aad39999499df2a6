import type { Role } from '../store/index.js';
import type { EstateModelRepo } from '../store/estate-model-types.js';
import { seesPersonalData } from '../auth/roles.js';
import { normalizePlate } from '../parking/plates.js';
import { buildDictionary, maskDeep, type Allowed, type Dictionary, type PersonalValue } from './masker.js';

/** Who reads an answer or a live message; undefined: someone not logged in (a public page). */
export interface Reader {
  username: string;
  role: Role;
  displayName?: string;
}

export interface PersonalDataSource {
  estateIds(): string[];
  model: Pick<EstateModelRepo, 'listVehicles' | 'listResidents' | 'listCards' | 'residentsOfUser'>;
  /** Plates of a household's visitor passes: the household's own data. */
  passPlates(estateId: string, householdId: string): string[];
}

/**
 * A backstop for register writes that bypass the API (a script on the database):
 * the API tells us of every change at once (`invalidate`).
 */
const DICTIONARY_TTL_MS = 60_000;
/**
 * How long the live feed trusts what it knows of a person's own values (visitor passes
 * change outside the register); an HTTP answer always reads them afresh.
 */
const OWN_TTL_MS = 5_000;
const PAGE = 5000;

interface EstateValues {
  values: PersonalValue[];
  /** householdId → its plates, card ids, residents' names and phones. */
  byHousehold: Map<string, string[]>;
}

function* pages<T>(list: (offset: number) => { items: T[] }): Generator<T> {
  for (let offset = 0; ; offset += PAGE) {
    const { items } = list(offset);
    yield* items;
    if (items.length < PAGE) return;
  }
}

/**
 * Personal data by role over the whole answer: the committee sees everything;
 * everyone else (guards, volunteers, residents, the public) gets every answer and
 * live message masked by `maskDeep`, with the register of every estate on the
 * install as its dictionary, except their own household's values (a resident's
 * own cars, cards, phone, name and visitors' plates; a guard who lives there, too).
 */
export function createPrivacy(deps: { source: PersonalDataSource; now: () => number }) {
  const { source, now } = deps;
  const estates = new Map<string, EstateValues>();
  let dictionary: { at: number; dict: Dictionary } | undefined;
  const own = new Map<string, { at: number; maskable: boolean }>();

  function load(estateId: string): EstateValues {
    const values: PersonalValue[] = [];
    const byHousehold = new Map<string, string[]>();
    const add = (value: string | null | undefined, kind: PersonalValue['kind'], householdId: string | null) => {
      if (!value) return;
      values.push({ value, kind });
      if (householdId) byHousehold.set(householdId, [...(byHousehold.get(householdId) ?? []), value]);
    };
    const q = { estateId, limit: PAGE };
    for (const v of pages((offset) => source.model.listVehicles({ ...q, offset }))) add(v.plate, 'plate', v.householdId);
    for (const c of pages((offset) => source.model.listCards({ ...q, offset }))) add(c.cardId, 'card', c.householdId);
    for (const r of pages((offset) => source.model.listResidents({ ...q, offset }))) {
      add(r.name, 'name', r.householdId);
      add(r.phone, 'phone', r.householdId);
    }
    return { values, byHousehold };
  }

  function dict(): Dictionary {
    if (dictionary && now() - dictionary.at < DICTIONARY_TTL_MS) return dictionary.dict;
    if (dictionary) estates.clear();
    const all: PersonalValue[] = [];
    for (const id of source.estateIds()) {
      let e = estates.get(id);
      if (!e) estates.set(id, (e = load(id)));
      all.push(...e.values);
    }
    dictionary = { at: now(), dict: buildDictionary(all) };
    return dictionary.dict;
  }

  /** The reader's own values: their username and name, and their households' register entries and visitors' plates. */
  function ownValues(reader: Reader): Set<string> {
    dict(); // loads every estate's values
    const values = new Set<string>([reader.username, ...(reader.displayName ? [reader.displayName] : [])]);
    for (const r of source.model.residentsOfUser(reader.username)) {
      for (const v of estates.get(r.estateId)?.byHousehold.get(r.householdId) ?? []) values.add(v);
      for (const p of source.passPlates(r.estateId, r.householdId)) values.add(normalizePlate(p));
    }
    return values;
  }

  /** For the live feed: whether any of the reader's own values is one the masker would change (most readers: none). */
  function ownsMaskable(reader: Reader): boolean {
    const hit = own.get(reader.username);
    if (hit && now() - hit.at < OWN_TTL_MS) return hit.maskable;
    const d = dict();
    const maskable = [...ownValues(reader)].some((v) => maskDeep(v, d) !== v);
    own.set(reader.username, { at: now(), maskable });
    return maskable;
  }

  /** The reader's own values, read when the first thing to mask is met (most answers meet none). */
  const allowedFor = (reader: Reader): Allowed => {
    let values: Set<string> | undefined;
    return (v) => {
      values ??= ownValues(reader);
      return values.has(v) || values.has(normalizePlate(v));
    };
  };

  return {
    /** Whether this reader gets answers as they are. */
    seesAll: (reader: Reader | undefined) => reader !== undefined && seesPersonalData(reader.role),
    /** A masked copy for this reader (the value itself for the committee, or when there is nothing to mask). */
    mask<T>(value: T, reader: Reader | undefined): T {
      if (reader && seesPersonalData(reader.role)) return value;
      return maskDeep(value, dict(), reader ? allowedFor(reader) : undefined);
    },
    /** Whether masking for this reader differs from masking for nobody in particular (so a live message must be masked for them alone). */
    hasOwnData: (reader: Reader) => !seesPersonalData(reader.role) && ownsMaskable(reader),
    /** The register changed (or, without an estate, anything may have): rebuild before the next answer. */
    invalidate(estateId?: string): void {
      if (estateId === undefined) estates.clear();
      else estates.delete(estateId);
      dictionary = undefined;
      own.clear();
    },
    /** How many values the dictionary holds (for the benchmark and tests). */
    size: () => dict().size,
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;
