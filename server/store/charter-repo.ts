import type { CharterVersion } from '../charter/schema.js';
import type { Db } from './sqlite.js';

export interface CharterRepo {
  /** Appends a version; the number is one more than the estate's latest. */
  add(v: Omit<CharterVersion, 'version'>): CharterVersion;
  list(estateId: string): CharterVersion[];
  get(estateId: string, version: number): CharterVersion | undefined;
  /** The version in force at `atIso`: the latest effective_from not after it. */
  inForce(estateId: string, atIso: string): CharterVersion | undefined;
}

interface Row {
  estate_id: string;
  version: number;
  effective_from: string;
  adoption: string;
  document: string;
  created_by: string;
  created_at: string;
}

const toVersion = (r: Row): CharterVersion => ({
  estateId: r.estate_id,
  version: r.version,
  effectiveFrom: r.effective_from,
  adoption: JSON.parse(r.adoption),
  document: JSON.parse(r.document),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export function createCharterRepo(db: Db): CharterRepo {
  const next = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM charter_versions WHERE estate_id = ?');
  const insert = db.prepare(
    'INSERT INTO charter_versions (estate_id, version, effective_from, adoption, document, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const list = db.prepare('SELECT * FROM charter_versions WHERE estate_id = ? ORDER BY version');
  const get = db.prepare('SELECT * FROM charter_versions WHERE estate_id = ? AND version = ?');
  // Effective times are stored as UTC ISO strings, so text order is time order.
  const inForce = db.prepare('SELECT * FROM charter_versions WHERE estate_id = ? AND effective_from <= ? ORDER BY effective_from DESC, version DESC LIMIT 1');
  const add = db.transaction((v: Omit<CharterVersion, 'version'>): CharterVersion => {
    const version = (next.get(v.estateId) as { v: number }).v;
    insert.run(v.estateId, version, v.effectiveFrom, JSON.stringify(v.adoption), JSON.stringify(v.document), v.createdBy, v.createdAt);
    return { ...v, version };
  });
  return {
    add,
    list: (estateId) => (list.all(estateId) as Row[]).map(toVersion),
    get: (estateId, version) => {
      const r = get.get(estateId, version) as Row | undefined;
      return r && toVersion(r);
    },
    inForce: (estateId, atIso) => {
      const r = inForce.get(estateId, atIso) as Row | undefined;
      return r && toVersion(r);
    },
  };
}
