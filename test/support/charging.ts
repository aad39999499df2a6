import { ChargingSection } from '../../server/charter/charging-schema.js';

/**
 * A charter's charging section as a committee might adopt it: clauses 5.1–5.6,
 * ¥1 per started hour, a ¥20 monthly plan, 8 h sessions, at most 8 ports or 3 kW
 * per shed (queue when over), full = under 15 W for 10 min, unplugged = under 3 W,
 * 1000 W per port, 60 °C. No curfew, no start fee, no occupancy fee.
 */
export function chargingInput(): Record<string, any> {
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
    detection: { clause: '5.5', fullBelowW: 15, fullForMinutes: 10, unplugBelowW: 3, overPowerW: 1000 },
    safety: { clause: '5.6', maxPortTempC: 60 },
  };
}

/** `edit` changes the raw input before zod fills the defaults: `aChargingSection(c => { c.session.maxMinutes = 240 })`. */
export function aChargingSection(edit?: (c: Record<string, any>) => void): ChargingSection {
  const input = chargingInput();
  edit?.(input);
  return ChargingSection.parse(input);
}

/** 'D2 07:10' → 2025-03-02 07:10 Beijing time as epoch ms; ':SS' seconds optional. */
export function beijing(s: string): number {
  const [, d, hm] = /^D(\d) (\d\d:\d\d(?::\d\d)?)$/.exec(s) ?? [];
  if (!d || !hm) throw new Error(`not 'D1 HH:MM': ${s}`);
  return Date.parse(`2025-03-0${d}T${hm.length === 5 ? `${hm}:00` : hm}+08:00`);
}
