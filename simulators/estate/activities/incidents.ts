import { at, INCIDENTS } from '../day-clock.js';
import { spawn, weighted, type Activity, type ScenarioCtx } from './context.js';

// What actually goes wrong in these estates, roughly how often, and for how long (ms of machine time).
const ELEVATOR_FAULTS = [
  { weight: 40, value: { code: 'ebike-detected', clearMs: 30_000 } }, // someone wheels an e-bike in; the doors stay open
  { weight: 25, value: { code: 'frequent-door-reopen', clearMs: 20_000 } },
  { weight: 20, value: { code: 'door-fault', clearMs: 60_000 } },
  { weight: 10, value: { code: 'trapped', clearMs: 120_000 } },
  { weight: 5, value: { code: 'power-loss', clearMs: 45_000 } },
];
const GATE_REPAIR_MS = 90_000;
/** A gate's uplink drops (a cable, the switch in the booth): simulated minutes until it is back. */
const OUTAGE_MINUTES: [number, number] = [5, 20];

/** The occasional fault: elevators, a hot charging port, an arm knocked by a car. */
export function incidents(ctx: ScenarioCtx): Activity {
  const { rng, stats } = ctx;

  const elevatorFault = (): boolean => {
    const lift = rng.pick(ctx.elevators);
    const fault = weighted(rng, ELEVATOR_FAULTS);
    spawn(ctx, 'elevator fault', () => lift.raiseFault(fault.code, fault.clearMs));
    return true;
  };

  const hotPort = (): boolean => {
    const charging = ctx.chargers.flatMap((c) => Array.from({ length: c.portCount }, (_, i) => ({ c, port: i + 1 }))).filter(({ c, port }) => c.portState(port) === 'charging');
    if (charging.length === 0) return false;
    const { c, port } = rng.pick(charging);
    spawn(ctx, 'port overheat', () => c.overheat(port));
    return true;
  };

  const armHit = (): boolean => {
    const { gate } = rng.pick(ctx.gates);
    // Only between cars: a car half-way through a decision would be left with a stay it never used.
    if (!gate.idle) return false;
    spawn(ctx, 'arm fault', async () => {
      await gate.fault('E07-arm-hit');
      if (await ctx.timers.sleep(ctx.pace.ms(GATE_REPAIR_MS))) await gate.repair();
    });
    return true;
  };

  /** The gate and its cameras lose the network; the gate's whitelist carries on, and it reports those passages when back. */
  const outage = (): boolean => {
    const lanes = rng.pick(ctx.gates);
    if (!lanes.gate.linkUp || !lanes.gate.online || !lanes.gate.idle) return false;
    const devices = [lanes.gate, lanes.in.camera, lanes.out.camera];
    spawn(ctx, 'gate outage', async () => {
      for (const d of devices) d.cutLink();
      const alive = await ctx.timers.sleep(ctx.pace.dayMinutes(rng.between(...OUTAGE_MINUTES)));
      if (alive) await Promise.all(devices.map((d) => d.restoreLink()));
    });
    return true;
  };

  return {
    name: 'incidents',
    tick(hour, simMinutes) {
      const n = rng.poisson((at(INCIDENTS, hour) * simMinutes) / 60);
      for (let i = 0; i < n; i++) {
        const happen = weighted(rng, [
          { weight: 6, value: elevatorFault },
          { weight: 3, value: hotPort },
          { weight: 1, value: armHit },
          { weight: 1, value: outage },
        ]);
        if (happen()) stats.incidents++;
      }
    },
  };
}
