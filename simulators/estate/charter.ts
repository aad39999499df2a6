import type { EstateRegister } from './register.js';

/**
 * The charter (公约) the demo estate adopts when none is in force (or when the one in
 * force has no charging or elevator section): parking, the e-bike sheds and the
 * retrofitted elevators as data, each rule citing its clause. Shapes follow
 * `POST /api/estates/:e/charter/versions` (server/charter/*.ts).
 */
export interface DemoCharterOptions {
  estateName: string;
  gateIds: string[];
  register: EstateRegister;
  /** When it takes effect (now, on the server's clock). */
  effectiveFrom: Date;
}

/** Spaces beyond the registered cars: enough for the evening's visitors only just. */
const VISITOR_SPACES = 10;
const RESERVED_FOR_RESIDENTS = 6;

export function demoCharter(o: DemoCharterOptions) {
  const cars = o.register.cars.length;
  const households = o.register.households.length;
  const forVotes = Math.round(households * 0.78);
  const against = Math.round(households * 0.07);
  return {
    effectiveFrom: o.effectiveFrom.toISOString(),
    adoption: {
      date: o.effectiveFrom.toISOString().slice(0, 10),
      householdsTotal: households,
      householdsFor: forVotes,
      householdsAgainst: against,
      householdsAbstaining: Math.round(households * 0.05),
      note: '业主大会书面表决（模拟）',
    },
    document: {
      title: `${o.estateName}自治管理公约`,
      parking: {
        // One courtyard behind both gates. At the evening peak nearly every car is home and
        // visitors take the last few spaces: the lot is full, visitors are turned away.
        lots: [{ id: 'lot-main', name: '小区停车场', capacity: cars + VISITOR_SPACES, reservedForResidents: RESERVED_FOR_RESIDENTS, gates: o.gateIds }],
        classes: {
          resident: { clause: '2.1' },
          monthly: { clause: '2.2', graceDays: 7 },
          internal: { clause: '2.3' },
          blacklist: { clause: '2.4' },
          emergency: { clause: '2.5' },
          visitor: { clause: '2.6', monthlyQuotaPerHousehold: 30, maxPassHours: 24 },
          temporary: { clause: '2.7' },
        },
        groups: { clause: '2.8', overflowMayEnter: true, overflowPaysTemporary: true, billingStopsWhenGroupCarLeaves: true },
        windowPasses: [],
        tariff: {
          clause: '3.1',
          freeMinutes: 30,
          firstPeriod: { minutes: 60, priceFen: 500 },
          increment: { minutes: 30, priceFen: 100 },
          night: { from: '22:00', to: '07:00', unitMinutes: 60, priceFen: 100, capFen: 500 },
          dailyCapFen: 2000,
          dayBoundary: '00:00',
        },
        plates: { clause: '2.9', fuzzyThreshold: 0.85, repeatWindowS: 15 },
        exit: { clause: '3.2', payment: 'before-open', unmatched: 'guard', unmatchedDefaultFeeFen: 1000 },
        arrears: { clause: '3.3' },
        offline: { clause: '4.1', mode: 'whitelist', classes: ['resident', 'monthly', 'emergency'] },
      },
      charging: demoChargingSection(),
      elevator: demoElevatorSection(),
    },
  };
}

/**
 * 第五章 电动自行车充电: a card registered to a household, a prepaid balance or a ¥20
 * monthly plan, ¥1 per started hour, 8 h at most, 8 ports or 3 kW per shed (queue
 * when over), 60 °C. One thing is set for the demo: the server judges "full" on its
 * own clock, which the demo does not compress, so a battery under 15 W for one
 * minute (not the usual ten) counts as full and the session ends within the day.
 */
export function demoChargingSection() {
  return {
    access: {
      clause: '5.1',
      payment: 'balance-or-plan',
      minBalanceFen: 100,
      plans: [{ id: 'monthly', name: '包月充电', priceFen: 2000, days: 30, clause: '5.1.1' }],
    },
    session: { clause: '5.2', maxMinutes: 480 },
    breaker: { clause: '5.3', maxChargingPorts: 8, maxTotalW: 3000, whenOver: 'queue', newSessionW: 200, sheds: {} },
    pricing: { clause: '5.4', mode: 'time', perHourFen: 100, unitMinutes: 60, planCoversCharging: true },
    detection: { clause: '5.5', fullBelowW: 15, fullForMinutes: 1, unplugBelowW: 3, overPowerW: 1000 },
    safety: { clause: '5.6', maxPortTempC: 60 },
  };
}

/**
 * 第六章 加装电梯: the households that paid ride to their own floor and the ground
 * floor; medical and temporary passes; ¥1 a ride for others with a balance; the build
 * cost shared by floor (3F 0.7, +0.1 a floor, 1F and 2F exempt) after a 40 % subsidy.
 */
export function demoElevatorSection() {
  return {
    access: {
      clause: '6.1',
      groundFloors: [1],
      memberFloors: 'own-and-ground',
      passes: { clause: '6.2', maxDays: 90 },
      payPerRide: { clause: '6.3', priceFen: 100, floors: 'ground-and-own' },
      grantTtlS: 10,
    },
    faults: { clause: '6.7' },
    cost: {
      clause: '6.4',
      method: 'per-household',
      coefficients: { rule: { fromFloor: 3, start: 0.7, step: 0.1 } },
      exemptFloors: [1, 2],
      subsidy: { kind: 'percent', percent: 40 },
      running: { clause: '6.5', method: 'same-as-build' },
      lateJoiner: { clause: '6.6', annualInterestPct: 4.35, from: 'completion' },
    },
  };
}
