/** Row mapping shared by the repos: snake_case columns ↔ camelCase objects, NULL ↔ absent. */
/** snake_case row ↔ camelCase object, dropping NULLs so optional fields stay absent. */
const camelCache = new Map<string, string>();
/** Column names are few and repeat on every row: convert each once. */
export const camel = (s: string) => {
  let c = camelCache.get(s);
  if (c === undefined) camelCache.set(s, (c = s.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())));
  return c;
};
export const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export function fromRow<T>(row: Record<string, unknown> | undefined, json: string[] = [], bools: string[] = []): T | undefined {
  if (!row) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === null) continue;
    const key = camel(k);
    out[key] = json.includes(key) ? JSON.parse(v as string) : bools.includes(key) ? v === 1 : v;
  }
  return out as T;
}
export function insertSql(table: string, obj: object, json: string[] = []): { sql: string; values: unknown[] } {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  const values = entries.map(([k, v]) => (json.includes(k) ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return { sql: `INSERT INTO ${table} (${entries.map(([k]) => snake(k)).join(', ')}) VALUES (${entries.map(() => '?').join(', ')})`, values };
}

/** Runs an INSERT of an object's defined fields. */
export function insertObject(db: { prepare(sql: string): { run(...args: unknown[]): unknown } }, table: string, obj: object, json: string[] = []): void {
  const { sql, values } = insertSql(table, obj, json);
  db.prepare(sql).run(...values);
}

/** An UPDATE of the defined fields of `patch`, by a key column. */
export function updateObject(db: { prepare(sql: string): { run(...args: unknown[]): unknown } }, table: string, key: [string, unknown], patch: object, json: string[] = []): void {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  const values = entries.map(([k, v]) => (json.includes(k) ? JSON.stringify(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v));
  db.prepare(`UPDATE ${table} SET ${entries.map(([k]) => `${snake(k)} = ?`).join(', ')} WHERE ${key[0]} = ?`).run(...values, key[1]);
}
