import type { ElevatorSim } from '../../lib/elevator-sim.js';
import { at, RIDES } from '../day-clock.js';
import { spawn, type Activity, type ScenarioCtx } from './context.js';

const GRANT_WAIT_MS = 5_000; // then the resident takes the stairs
const MIN_WAIT_MS = 2_000; // the server's answer takes real time, whatever the pace
const MAX_PENDING = 4;

/**
 * Elevator rides. Going up from the lobby needs a card and the gateway's grant;
 * going down is free (as in most retrofits: the card pays for the climb).
 */
export function rides(ctx: ScenarioCtx): Activity {
  const { rng, residents, stats } = ctx;

  const ridersOf = (index: number) => residents.riders.filter((r) => r.elevator === index);

  const goDown = (lift: ElevatorSim, index: number) => {
    const rider = rng.pick(ridersOf(index));
    spawn(ctx, 'ride down', async () => {
      await lift.ride({ from: rider.homeFloor, to: lift.lowestFloor, loadPct: rng.int(10, 30) });
      stats.rides++;
    });
  };

  const goUp = (lift: ElevatorSim, index: number) => {
    const rider = rng.pick(ridersOf(index));
    const lobby = lift.lowestFloor;
    spawn(ctx, 'ride up', async () => {
      const { outcome } = await lift.swipe(rider.cardId, lobby);
      const timeout = ctx.timers.sleep(Math.max(ctx.pace.ms(GRANT_WAIT_MS), MIN_WAIT_MS)).then(() => undefined);
      const answer = await Promise.race([outcome, timeout]);
      if (!answer?.granted) return;
      const to = answer.floors.includes(rider.homeFloor) ? rider.homeFloor : answer.floors.find((f) => f !== lobby);
      if (to === undefined) return;
      await lift.ride({ from: lobby, to, cardId: rider.cardId, loadPct: rng.int(10, 30) });
      stats.rides++;
    });
  };

  return {
    name: 'rides',
    tick(hour, simMinutes) {
      const mean = (at(RIDES, hour) * simMinutes) / 60;
      ctx.elevators.forEach((lift, index) => {
        if (!lift.online || lift.pendingTrips >= MAX_PENDING || ridersOf(index).length === 0) return;
        for (let i = rng.poisson(mean); i > 0; i--) goDown(lift, index);
        for (let i = rng.poisson(mean); i > 0; i--) goUp(lift, index);
      });
    },
  };
}
