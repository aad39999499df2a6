import { randomPlate, visitorPrefix } from '../../lib/plates.js';
import { at, CAR_LEAVES, CAR_RETURNS, VISITORS } from '../day-clock.js';
import type { CarAtGate, LaneResult } from '../lane.js';
import type { ResidentCar } from '../residents.js';
import { spawn, weighted, type Activity, type GateLanes, type ScenarioCtx } from './context.js';

const MAX_QUEUE = 6; // beyond this a driver waits for later rather than block the road

/** Residents' cars leaving for work and coming home, and visitors in between. */
export function traffic(ctx: ScenarioCtx): Activity {
  const { rng, residents, stats } = ctx;

  const pickGate = (): GateLanes => weighted(rng, ctx.gates.map((g) => ({ weight: g.share, value: g })));

  const drive = (direction: 'in' | 'out', car: CarAtGate): Promise<LaneResult> | undefined => {
    const lane = pickGate()[direction];
    if (lane.queued >= MAX_QUEUE) return undefined;
    return lane.enqueue(car);
  };

  const moveResident = (car: ResidentCar) => {
    const going = drive(car.inside ? 'out' : 'in', { plate: car.plate, who: 'resident' });
    if (!going) return;
    car.moving = true;
    spawn(ctx, 'resident car', async () => {
      try {
        const result = await going;
        if (result === 'turned-away') stats.turnedAway++;
        else {
          if (car.inside) stats.carsOut++;
          else stats.carsIn++;
          car.inside = !car.inside;
        }
      } finally {
        car.moving = false;
      }
    });
  };

  const visit = () => {
    const plate = randomPlate(rng, visitorPrefix(rng));
    const arriving = drive('in', { plate, who: 'visitor' });
    if (!arriving) return;
    spawn(ctx, 'visitor', async () => {
      if ((await arriving) !== 'passed') {
        stats.turnedAway++;
        return;
      }
      stats.visitors++;
      // A delivery is gone in minutes; a guest stays for lunch.
      const stayMinutes = rng.chance(0.5) ? rng.between(5, 20) : rng.between(40, 180);
      if (!(await ctx.timers.sleep(ctx.pace.dayMinutes(stayMinutes)))) return;
      await drive('out', { plate, who: 'visitor' });
    });
  };

  return {
    name: 'traffic',
    tick(hour, simMinutes) {
      for (const car of residents.cars) {
        if (car.moving) continue;
        const perHour = at(car.inside ? CAR_LEAVES : CAR_RETURNS, hour);
        if (rng.chance((perHour * simMinutes) / 60)) moveResident(car);
      }
      const visitors = rng.poisson((at(VISITORS, hour) * simMinutes) / 60);
      for (let i = 0; i < visitors; i++) visit();
    },
  };
}
