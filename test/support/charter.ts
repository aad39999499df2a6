import { ParkingSection } from '../../server/charter/parking-schema.js';

/** A charter's parking section as a committee might adopt it; `edit` changes the raw input before zod fills defaults. */
export function parkingInput(): Record<string, any> {
  return {
    lots: [{ id: 'lot-main', name: '主停车场', capacity: 100, reservedForResidents: 20, gates: ['gate-n1', 'gate-s1'] }],
    classes: {
      resident: { clause: '2.1' },
      monthly: { clause: '2.2', graceDays: 7 },
      internal: { clause: '2.3' },
      blacklist: { clause: '2.4' },
      emergency: { clause: '2.5' },
      visitor: { clause: '2.6', monthlyQuotaPerHousehold: 3, maxPassHours: 24 },
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
      perVisitCapFen: 5000,
      dayBoundary: '00:00',
    },
    plates: { clause: '2.9', fuzzyThreshold: 0.85, repeatWindowS: 15 },
    exit: { clause: '3.2', payment: 'before-open', unmatched: 'guard', unmatchedDefaultFeeFen: 1000 },
    arrears: { clause: '3.3' },
    offline: { clause: '4.1', mode: 'whitelist', classes: ['resident', 'monthly', 'emergency'] },
  };
}

export function aParkingSection(edit?: (p: Record<string, any>) => void): ParkingSection {
  const input = parkingInput();
  edit?.(input);
  return ParkingSection.parse(input);
}

/** A charter version body for POST …/charter/versions. */
export function aCharterVersion(edit?: (p: Record<string, any>) => void, effectiveFrom = new Date().toISOString()) {
  const parking = parkingInput();
  edit?.(parking);
  return {
    effectiveFrom,
    adoption: { date: '2026-10-18', householdsTotal: 500, householdsFor: 402, householdsAgainst: 31, householdsAbstaining: 12, note: '业主大会表决' },
    document: { title: '和平里小区自治管理公约', parking },
  };
}
