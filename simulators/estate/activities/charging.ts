import { at, PLUG_INS } from '../day-clock.js';
import { spawn, type Activity, type ScenarioCtx } from './context.js';

const ANSWER_WAIT_MS = 15_000; // a resident stares at the port's screen this long before giving up
const MIN_WAIT_MS = 3_000; // the server's answer takes real time, whatever the pace
// The owner needs the bike back this many (simulated) minutes after plugging in: a full
// battery was stopped by the server ('full') by then, a slow one is unplugged mid-charge.
const NEED_BIKE_MINUTES = { min: 2 * 60, max: 10 * 60 };

/** Residents wheeling e-bikes into the sheds and swiping to charge. */
export function charging(ctx: ScenarioCtx): Activity {
  const { rng, residents, stats } = ctx;

  const plugIn = () => {
    const biker = residents.bikers.filter((b) => !b.charging);
    const sheds = ctx.chargers.filter((c) => c.online && c.freePorts().length > 0);
    if (biker.length === 0 || sheds.length === 0) return;
    const who = rng.pick(biker);
    const shed = rng.pick(sheds);
    who.charging = true;
    stats.plugIns++;
    spawn(ctx, 'plug-in', async () => {
      const handle = await shed.plugIn(who.cardId, rng.pick(shed.freePorts()));
      const timeout = ctx.timers.sleep(Math.max(ctx.pace.ms(ANSWER_WAIT_MS), MIN_WAIT_MS)).then((alive) => (alive ? 'timeout' : 'closed'));
      const outcome = await Promise.race([handle.outcome, timeout]);
      if (outcome === 'started') {
        stats.sessions++;
        const alive = await ctx.timers.sleep(ctx.pace.dayMinutes(rng.between(NEED_BIKE_MINUTES.min, NEED_BIKE_MINUTES.max)));
        if (alive && shed.cardOn(handle.port) === who.cardId) await shed.unplug(handle.port, 'unplugged');
      } else if (outcome === 'timeout') {
        await shed.unplug(handle.port, 'no-answer');
      }
      who.charging = false;
    });
  };

  return {
    name: 'charging',
    tick(hour, simMinutes) {
      const n = rng.poisson((at(PLUG_INS, hour) * simMinutes) / 60);
      for (let i = 0; i < n; i++) plugIn();
    },
  };
}
