/** One changed value between two charter versions, at a dotted path (`parking.tariff.freeMinutes`). */
export interface CharterChange {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What changed between two versions, leaf by leaf, so a resident can read "free
 * minutes 30 → 60" instead of comparing two documents. Lists of ids (lots, window
 * passes) are compared by `id`, other lists by position.
 */
export function diffCharter(a: unknown, b: unknown, path = ''): CharterChange[] {
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, path);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffCharter(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, from: a, to: b }];
}

function diffArrays(a: unknown[], b: unknown[], path: string): CharterChange[] {
  const byId = (xs: unknown[]) => (xs.every((x) => isObject(x) && typeof x.id === 'string') ? new Map(xs.map((x) => [(x as { id: string }).id, x])) : undefined);
  const ma = byId(a);
  const mb = byId(b);
  if (ma && mb) {
    const ids = [...new Set([...ma.keys(), ...mb.keys()])];
    return ids.flatMap((id) => diffCharter(ma.get(id), mb.get(id), `${path}[${id}]`));
  }
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => diffCharter(a[i], b[i], `${path}[${i}]`)).flat();
}
