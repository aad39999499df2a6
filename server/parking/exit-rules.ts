import type { ParkingSection } from '../charter/parking-schema.js';
import { matchPlate, plateSimilarity } from './plate-match.js';
import { validatePlate } from './plates.js';
import { computeFee } from './tariff.js';
import { yuan } from './local-time.js';
import type { GateDecision } from './facts.js';
import type { Stay } from './types.js';

export interface ExitFacts {
  atMs: number;
  plateRead: string;
  confidence: number;
  charterVersion: number;
  parking: ParkingSection;
  /** Open stays in the estate by plate: the only plates an exit can match. */
  openStays: ReadonlyMap<string, Stay>;
}

export interface ExitDecision extends GateDecision {
  stay?: Stay;
  feeFen?: number;
  feeExplain?: string;
  /** No entry on record: the guard matches it, or the default fee applies. */
  unmatched?: { candidates: { plate: string; stayId: string; entryAt: string; score: number }[] };
}

/** Whether a stay is billed by the temporary tariff, by the charter in force at exit. */
export function isBillable(stay: Stay, p: ParkingSection): boolean {
  if (stay.vehicleClass === 'temporary') return true;
  if (stay.vehicleClass === 'visitor') return !p.classes.visitor.free;
  return stay.overflow && p.groups.overflowPaysTemporary;
}

export function stayFee(stay: Stay, p: ParkingSection, exitAtMs: number): { feeFen: number; explain: string } {
  if (!isBillable(stay, p)) return { feeFen: 0, explain: '免费车辆' };
  const from = Date.parse(stay.billingFrom ?? stay.entryAt);
  const to = stay.billingTo ? Date.parse(stay.billingTo) : exitAtMs;
  const fee = computeFee(from, Math.max(from, to), p.tariff);
  return { feeFen: fee.totalFen, explain: fee.explain };
}

function unmatchedDecision(f: ExitFacts, plate: string): ExitDecision {
  const e = f.parking.exit;
  const candidates = [...f.openStays.values()]
    .map((s) => ({ plate: s.plate, stayId: s.id, entryAt: s.entryAt, score: plateSimilarity(plate, s.plate) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  if (e.unmatched === 'guard') {
    return { action: 'guard', billable: false, clause: e.clause, plate, display: '无入场记录 请稍候', explain: `${plate || '该车'} 没有入场记录，按公约第${e.clause}条由值班人员核对`, unmatched: { candidates } };
  }
  const fee = e.unmatchedDefaultFeeFen;
  return {
    action: fee > 0 && e.payment === 'before-open' ? 'deny' : 'open',
    billable: true,
    clause: e.clause,
    plate,
    feeFen: fee,
    display: fee > 0 ? `无入场记录 请缴费 ${yuan(fee)}` : '一路顺风',
    explain: `${plate} 没有入场记录，按公约第${e.clause}条收取默认停车费${yuan(fee)}`,
    unmatched: { candidates },
  };
}

/** Exit: match the plate to a car inside, compute its fee, and decide whether the arm lifts now. */
export function decideExit(f: ExitFacts): ExitDecision {
  const e = f.parking.exit;
  const raw = f.plateRead.trim();
  const check = validatePlate(raw);
  if (!raw || !check.ok) {
    return { action: 'guard', billable: false, clause: f.parking.plates.clause, display: '未识别车牌 请稍候', explain: `出口没有识别到有效车牌，按公约第${f.parking.plates.clause}条请值班人员确认` };
  }
  const m = matchPlate(check.plate, f.confidence, new Set(f.openStays.keys()), { threshold: f.parking.plates.fuzzyThreshold });
  if (m.kind === 'none') return unmatchedDecision(f, check.plate);
  const stay = f.openStays.get(m.plate)!;
  const { feeFen, explain } = stayFee(stay, f.parking, f.atMs);
  const base = { plate: stay.plate, vehicleClass: stay.vehicleClass, householdId: stay.householdId, stay, feeFen, feeExplain: explain, billable: feeFen > 0 };
  if (feeFen === 0) return { ...base, action: 'open', clause: stay.vehicleClass === 'temporary' ? f.parking.tariff.clause : e.clause, display: '一路顺风', explain: `${stay.plate} 本次停车不收费（${explain}）` };
  if (e.payment === 'before-open') {
    return { ...base, action: 'deny', clause: f.parking.tariff.clause, display: `请缴费 ${yuan(feeFen)}`, voice: `请缴费${feeFen / 100}元`, explain: `${explain}；按公约第${e.clause}条缴费后抬杆` };
  }
  return { ...base, action: 'open', clause: f.parking.tariff.clause, display: `本次${yuan(feeFen)} 已记欠费`, explain: `${explain}；按公约第${e.clause}条先放行，记为欠费` };
}
