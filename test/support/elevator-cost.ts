import { ElevatorCostSplit } from '../../server/charter/elevator-cost-schema.js';
import type { CostHousehold } from '../../server/elevator/cost-split.js';

/**
 * A charter's elevator cost split as a walk-up's committee might adopt it: clause
 * 6.3, per household, 3F 0.7 rising 0.1 a floor (7F 1.1), 1F and 2F exempt, a 40 %
 * subsidy, running costs as the build cost (6.4), late joiners pay 4.35 % a year
 * simple interest from completion (6.5).
 */
export function elevatorCostInput(): Record<string, any> {
  return {
    clause: '6.3',
    method: 'per-household',
    coefficients: { rule: { fromFloor: 3, start: 0.7, step: 0.1 } },
    exemptFloors: [1, 2],
    subsidy: { kind: 'percent', percent: 40 },
    running: { clause: '6.4', method: 'same-as-build' },
    lateJoiner: { clause: '6.5', annualInterestPct: 4.35, from: 'completion' },
  };
}

/** `edit` changes the raw input before zod fills the defaults: `anElevatorCostSplit(r => { r.method = 'area-weighted' })`. */
export function anElevatorCostSplit(edit?: (r: Record<string, any>) => void): ElevatorCostSplit {
  const input = elevatorCostInput();
  edit?.(input);
  return ElevatorCostSplit.parse(input);
}

/** 建筑面积 of the walk-up: every x01 85.2 m², every x02 63.4 m², except 702 at 71.8 m². */
export const AREA_M2: Record<string, number> = { '01': 85.2, '02': 63.4, '702': 71.8 };

/** One unit of an old walk-up: 7 floors × 2 households, 101/102 … 701/702, with their areas. */
export function sevenByTwo(opts: { withArea?: boolean } = {}): CostHousehold[] {
  const out: CostHousehold[] = [];
  for (let floor = 1; floor <= 7; floor++) {
    for (const unit of ['01', '02']) {
      const householdId = `${floor}${unit}`;
      const areaM2 = AREA_M2[householdId] ?? AREA_M2[unit]!;
      out.push(opts.withArea ? { householdId, floor, areaM2 } : { householdId, floor });
    }
  }
  return out;
}

export const sumFen = (xs: { shareFen: number }[]) => xs.reduce((s, x) => s + x.shareFen, 0);
