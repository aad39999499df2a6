import type { Pace } from '../lib/pace.js';

/** The simulated time of day that shapes activity; message `ts` stays the real clock. */
export interface DayClock {
  /** Fractional hour of the simulated day, 0 ≤ h < 24. */
  hour(): number;
  /** "07:32" */
  label(): string;
}

export function createDayClock(pace: Pace, startHour = 6.5, now: () => number = Date.now): DayClock {
  const t0 = now();
  const hour = () => (startHour + ((now() - t0) / 3_600_000) * pace.daySpeed) % 24;
  return {
    hour,
    label: () => {
      const h = hour();
      const mm = Math.floor((h % 1) * 60);
      return `${String(Math.floor(h)).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
    },
  };
}

/** An hourly profile, 24 numbers from 00:00 to 23:00, read with linear interpolation. */
export type Profile = readonly number[];

export function at(profile: Profile, hour: number): number {
  const h0 = Math.floor(hour) % 24;
  const h1 = (h0 + 1) % 24;
  const f = hour - Math.floor(hour);
  return (profile[h0] ?? 0) * (1 - f) + (profile[h1] ?? 0) * f;
}

// Shapes of an ordinary weekday in an old Wuhan estate, per simulated hour.
//                           0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22   23
/** Chance that a parked resident car leaves within the hour. */
export const CAR_LEAVES: Profile = [.01, .0, .0, .0, .0, .02, .08, .3, .25, .08, .05, .05, .05, .05, .05, .05, .05, .05, .06, .06, .04, .02, .01, .01];
/** Chance that a resident car that is out comes home within the hour. */
export const CAR_RETURNS: Profile = [.05, .02, .01, .01, .01, .01, .02, .03, .03, .05, .08, .12, .15, .08, .06, .08, .15, .35, .4, .3, .2, .15, .1, .08];
/** Visitors (guests, deliveries, taxis) arriving per hour. */
export const VISITORS: Profile = [0, 0, 0, 0, 0, .5, 1, 3, 4, 5, 6, 6, 5, 4, 5, 6, 6, 7, 8, 7, 5, 3, 1, .5];
/** Bikes plugged in per hour, across the sheds (most charge after dinner). */
export const PLUG_INS: Profile = [1, .5, .2, .2, .2, .5, 1, 3, 3, 2, 2, 2, 3, 2, 2, 2, 3, 5, 8, 10, 10, 8, 4, 2];
/** Rides per hour per elevator (each way). */
export const RIDES: Profile = [.2, .1, 0, 0, 0, .5, 3, 8, 6, 4, 4, 5, 5, 3, 3, 4, 5, 8, 9, 6, 4, 3, 2, 1];
/** Incidents per hour across the estate (elevator faults, hot ports, a knocked arm). */
export const INCIDENTS: Profile = [.05, .05, .05, .05, .05, .05, .1, .2, .2, .15, .1, .1, .1, .1, .1, .1, .15, .2, .25, .25, .2, .1, .1, .05];
