import { policePlate, randomPlate, visitorPrefix } from '../../lib/plates.js';
import { at, CAR_LEAVES, CAR_RETURNS, VISITORS } from '../day-clock.js';
import type { CarAtGate, LaneResult } from '../lane.js';
import type { ResidentCar } from '../residents.js';
import { spawn, weighted, type Activity, type GateLanes, type ScenarioCtx } from './context.js';

const MAX_QUEUE = 6; // beyond this a driver waits for later rather than block the road
/** Share of visitors a resident registered beforehand (访客登记 in the app). */
const WITH_PASS = 0.25;
/** The banned car tries its luck now and then, in the daytime (per simulated hour), and once early in the day. */
const BANNED_TRIES = 0.3;
const BANNED_FIRST_MINUTES: [number, number] = [10, 45];
/** A police patrol drops in (per simulated hour). */
const POLICE = 0.08;
const EXIT_TRIES = 6;
const RETRY_MINUTES = 10;

/** Residents' cars leaving for work and coming home, visitors, the odd police car, and the banned car. */
export function traffic(ctx: ScenarioCtx): Activity {
  const { rng, residents, stats } = ctx;
  let bannedAtGate = false;

  // Drivers see a broken arm from the road and use the other gate.
  const pickGate = (): GateLanes => {
    const working = ctx.gates.filter((g) => g.gate.armState !== 'fault');
    return weighted(rng, (working.length > 0 ? working : ctx.gates).map((g) => ({ weight: g.share, value: g })));
  };

  const drive = (direction: 'in' | 'out', car: CarAtGate): Promise<LaneResult> | undefined => {
    const lane = pickGate()[direction];
    if (lane.queued >= MAX_QUEUE) return undefined;
    return lane.enqueue(car).then((r) => count(direction, r));
  };

  const count = (direction: 'in' | 'out', r: LaneResult): LaneResult => {
    if (r.result === 'passed') {
      if (direction === 'in') stats.carsIn++;
      else stats.carsOut++;
      if (r.via === 'guard') stats.guardOpens++;
      if (r.via === 'offline') stats.offlineOpens++;
      if (r.feeFen) {
        stats.payments++;
        stats.feesFen += r.feeFen;
      }
    } else if (r.via !== 'closed') {
      stats.turnedAway++;
      if (r.via === 'denied') stats.denied++;
    }
    return r;
  };

  /** Out through some gate, trying again later when the lane is jammed or the car was held back. */
  const leave = async (car: CarAtGate): Promise<boolean> => {
    for (let i = 0; i < EXIT_TRIES; i++) {
      const r = await drive('out', car);
      if (r?.result === 'passed') return true;
      if (r?.via === 'closed' || !(await ctx.timers.sleep(ctx.pace.dayMinutes(RETRY_MINUTES)))) return false;
    }
    ctx.log.warn({ plate: car.plate }, 'a car could not get out');
    return false;
  };

  const moveResident = (car: ResidentCar) => {
    const going = drive(car.inside ? 'out' : 'in', { plate: car.plate, who: 'resident' });
    if (!going) return;
    car.moving = true;
    spawn(ctx, 'resident car', async () => {
      try {
        if ((await going).result === 'passed') car.inside = !car.inside;
      } finally {
        car.moving = false;
      }
    });
  };

  /** Comes in, stays a while, leaves. */
  const visit = (car: CarAtGate, stayMinutes: number, what: string) => {
    spawn(ctx, what, async () => {
      const arriving = drive('in', car);
      if (!arriving || (await arriving).result !== 'passed') return;
      if (car.who === 'visitor') stats.visitors++;
      if (!(await ctx.timers.sleep(ctx.pace.dayMinutes(stayMinutes)))) return;
      await leave(car);
    });
  };

  const visitor = () => {
    const plate = randomPlate(rng, visitorPrefix(rng));
    // A delivery is gone in minutes; a guest stays for lunch; now and then relatives stay a day or two
    // (the server bills by its own clock: at the default pace only those stay past the 30 free minutes).
    const stay = rng.chance(0.5) ? rng.between(5, 20) : rng.chance(0.9) ? rng.between(40, 180) : rng.between(20 * 60, 48 * 60);
    if (ctx.issuePass && rng.chance(WITH_PASS)) {
      const issue = ctx.issuePass;
      spawn(ctx, 'visitor pass', async () => {
        if (await issue(plate)) stats.passes++;
        visit({ plate, who: 'visitor' }, stay, 'visitor');
      });
    } else visit({ plate, who: 'visitor' }, stay, 'visitor');
  };

  const bannedTries = () => {
    if (bannedAtGate) return;
    const going = drive('in', { plate: residents.banned, who: 'banned' });
    if (!going) return;
    bannedAtGate = true;
    spawn(ctx, 'banned car', async () => {
      try {
        const r = await going;
        // If it ever got in, it has to get out again.
        if (r.result === 'passed') await leave({ plate: residents.banned, who: 'banned' });
      } finally {
        bannedAtGate = false;
      }
    });
  };

  spawn(ctx, 'banned car', async () => {
    if (await ctx.timers.sleep(ctx.pace.dayMinutes(rng.between(...BANNED_FIRST_MINUTES)))) bannedTries();
  });

  // Guests who stayed the night leave during the morning.
  for (const plate of ctx.guests) {
    spawn(ctx, 'overnight guest', async () => {
      if (await ctx.timers.sleep(ctx.pace.dayMinutes(rng.between(5, 240)))) await leave({ plate, who: 'visitor' });
    });
  }

  return {
    name: 'traffic',
    tick(hour, simMinutes) {
      for (const car of residents.cars) {
        if (car.moving) continue;
        const perHour = at(car.inside ? CAR_LEAVES : CAR_RETURNS, hour);
        if (rng.chance((perHour * simMinutes) / 60)) moveResident(car);
      }
      const visitors = rng.poisson((at(VISITORS, hour) * simMinutes) / 60);
      for (let i = 0; i < visitors; i++) visitor();
      const daytime = hour >= 7 && hour < 22;
      if (daytime && rng.chance((BANNED_TRIES * simMinutes) / 60)) bannedTries();
      if (rng.chance((POLICE * simMinutes) / 60)) visit({ plate: policePlate(rng), who: 'emergency' }, rng.between(10, 40), 'police car');
    },
  };
}
