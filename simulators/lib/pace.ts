/**
 * Time compression. Two clocks on purpose: things a person watches (an arm
 * rising, a car between floors) only go `rateScale` times faster so they still
 * look like machines; the day itself (who leaves for work, how much energy a
 * battery took) runs `DAY_SPEED × rateScale` faster so a whole day fits in a demo.
 */
export const DAY_SPEED = 60; // at rateScale 1 one real second is one simulated minute: a day in 24 minutes

/** Below this, timers would flood the broker rather than look faster. */
const MIN_DELAY_MS = 20;

export interface Pace {
  readonly rateScale: number;
  /** Simulated seconds per real second. */
  readonly daySpeed: number;
  /** A physical duration given in real milliseconds, compressed by rateScale. */
  ms(realMs: number): number;
  /** A stretch of the simulated day (in simulated minutes) as real milliseconds. */
  dayMinutes(simMinutes: number): number;
  /** Real milliseconds as simulated hours (for integrating power into energy). */
  simHours(realMs: number): number;
}

export function createPace(rateScale = 1): Pace {
  if (!(rateScale > 0) || !Number.isFinite(rateScale)) throw new Error(`rateScale: must be a positive number, got ${rateScale}`);
  const daySpeed = DAY_SPEED * rateScale;
  return {
    rateScale,
    daySpeed,
    ms: (realMs) => Math.max(MIN_DELAY_MS, realMs / rateScale),
    dayMinutes: (simMinutes) => Math.max(MIN_DELAY_MS, (simMinutes * 60_000) / daySpeed),
    simHours: (realMs) => (realMs * daySpeed) / 3_600_000,
  };
}
