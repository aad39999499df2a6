import type { Asset, AssetScope, IncomeFact } from './types.js';

/**
 * Whose income is a fee? The asset covering the device that took it: a stay's
 * exit gate, a charging session's shed, a ride's elevator. A plan is bought for
 * charging in general, at no shed: it belongs to the shed asset when there is
 * exactly one, and to nobody otherwise. Attribution follows the assets as they
 * are now, so a device added to an asset brings its history with it.
 */
export interface Attribution {
  /** The asset id a fee belongs to, or null: unallocated (shown, never dropped). */
  assetOf(f: IncomeFact): string | null;
  scopeOf(asset: Asset): AssetScope;
}

export function attribution(assets: Asset[]): Attribution {
  const byDevice = new Map<string, string>();
  for (const a of assets) for (const d of a.deviceIds) byDevice.set(d, a.id);
  const sheds = assets.filter((a) => a.kind === 'shed');
  const planAsset = sheds.length === 1 ? sheds[0]!.id : null;
  return {
    assetOf: (f) => (f.source === 'plan' ? planAsset : f.deviceId === null ? null : (byDevice.get(f.deviceId) ?? null)),
    scopeOf: (a) => ({ assetId: a.id, deviceIds: a.deviceIds, plans: a.id === planAsset }),
  };
}

/** Facts grouped by asset id; the null key holds the unallocated ones. */
export function groupByAsset(facts: IncomeFact[], a: Attribution): Map<string | null, IncomeFact[]> {
  const out = new Map<string | null, IncomeFact[]>();
  for (const f of facts) {
    const k = a.assetOf(f);
    const list = out.get(k);
    if (list) list.push(f);
    else out.set(k, [f]);
  }
  return out;
}
