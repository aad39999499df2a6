import { COEFFICIENT_SCALE, type ElevatorCostSplit } from '../charter/elevator-cost-schema.js';
import { ElevatorCostError, decimal, scaled, type AllocRow } from './cost-alloc.js';

/**
 * Each household's weight in the build split (阶梯算法), exactly: a floor's
 * coefficient (explicit `byFloor` first, else the stepped rule), times the floor
 * area when the charter weights by area. Exempt floors weigh 0.
 */

export interface CostHousehold {
  householdId: string;
  floor: number;
  /** 建筑面积 in m², read to 0.01 m²; needed only when the split is area-weighted. */
  areaM2?: number;
}

export interface WeightedHousehold extends AllocRow {
  coefficient: number;
  exempt: boolean;
  /** The weight as the formula shows it: "0.7" or "0.7×85.2㎡". */
  weightText: string;
  /** The weight as a plain number (coefficient, or coefficient × area). */
  weightNumber: number;
}

const COEF = BigInt(COEFFICIENT_SCALE);
const AREA_SCALE = 100; // 0.01 m²
const AREA = BigInt(AREA_SCALE);

/** Coefficient of `floor` in units of 1/10 000, or undefined when the charter gives none. */
export function coefficientOf(floor: number, coefficients: ElevatorCostSplit['coefficients']): bigint | undefined {
  const explicit = coefficients.byFloor?.[String(floor)];
  if (explicit !== undefined) return scaled(explicit, COEFFICIENT_SCALE);
  const r = coefficients.rule;
  if (!r || floor < r.fromFloor) return undefined;
  return scaled(r.start, COEFFICIENT_SCALE) + scaled(r.step, COEFFICIENT_SCALE) * BigInt(floor - r.fromFloor);
}

/** The scale of `weight`: 10 000 per household, 1 000 000 (× 0.01 m²) when area-weighted. */
export function weightScale(rule: ElevatorCostSplit): bigint {
  return rule.method === 'area-weighted' ? COEF * AREA : COEF;
}

export function weighHouseholds(households: CostHousehold[], rule: ElevatorCostSplit): WeightedHousehold[] {
  return households.map((h) => weighOne(h, rule));
}

function weighOne(h: CostHousehold, rule: ElevatorCostSplit): WeightedHousehold {
  const base = { householdId: h.householdId, floor: h.floor };
  if (rule.exemptFloors.includes(h.floor)) {
    return { ...base, coefficient: 0, exempt: true, weight: 0n, weightText: '0', weightNumber: 0 };
  }
  const coef = coefficientOf(h.floor, rule.coefficients);
  if (coef === undefined || coef < 0n) {
    throw new ElevatorCostError(
      'no-coefficient',
      `公约第${rule.clause}条没有给出${h.floor}层的系数（或算出为负）：请在系数表中写明该层，或把该层列为免缴楼层`,
      rule.clause,
    );
  }
  const coefficient = Number(coef) / COEFFICIENT_SCALE;
  const coefText = decimal(coef, COEF);
  if (rule.method === 'per-household' || coef === 0n) {
    const weight = rule.method === 'per-household' ? coef : 0n;
    return { ...base, coefficient, exempt: false, weight, weightText: coefText, weightNumber: Number(weight) / Number(weightScale(rule)) };
  }
  const area = h.areaM2;
  if (area === undefined || !Number.isFinite(area) || area <= 0) {
    throw new ElevatorCostError(
      'missing-area',
      `按面积分摊需要住户 ${h.householdId}（${h.floor}层）的建筑面积：请先在住户资料中登记面积`,
      rule.clause,
    );
  }
  const areaScaled = scaled(area, AREA_SCALE);
  const weight = coef * areaScaled;
  return {
    ...base,
    coefficient,
    exempt: false,
    weight,
    weightText: `${coefText}×${decimal(areaScaled, AREA)}㎡`,
    weightNumber: Number(weight) / Number(COEF * AREA),
  };
}

/** Rejects a split no one pays into, naming the clause. */
export function assertSomeonePays(weighted: WeightedHousehold[], clause: string, what = '造价'): void {
  if (weighted.some((w) => w.weight > 0n)) return;
  throw new ElevatorCostError(
    'all-exempt',
    `所有住户都免缴或权重为0，${what}无人分摊：请核对公约第${clause}条的免缴楼层和系数，或加入需分摊的住户`,
    clause,
  );
}
