import type { EstateRegister } from './register.js';

/**
 * The charter (公约) the demo estate adopts when none is in force: its parking
 * section as data, each rule citing its clause. Shapes follow
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
    },
  };
}
