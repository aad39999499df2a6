/**
 * How late a device's messages arrive relative to its own clock. Cameras in old
 * estates often run with a wrong clock (a constant offset), and after an outage
 * they deliver buffered reads (a sudden extra delay). The smallest recent lag is
 * the device's baseline; a read lagging far behind it was buffered, whatever the
 * clock says.
 */
export function createLagTracker(opts: { window: number }) {
  const lags = new Map<string, number[]>();
  return {
    /** Extra delay of this message beyond the device's usual lag (0 when there is no history yet). */
    excess(deviceId: string, lagMs: number): number {
      const seen = lags.get(deviceId);
      return seen && seen.length > 0 ? lagMs - Math.min(...seen) : 0;
    },
    observe(deviceId: string, lagMs: number): void {
      let seen = lags.get(deviceId);
      if (!seen) lags.set(deviceId, (seen = []));
      seen.push(lagMs);
      if (seen.length > opts.window) seen.shift();
    },
  };
}
