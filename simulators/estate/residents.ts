import type { Rng } from '../lib/random.js';
import type { CarClass, EstateRegister } from './register.js';

export interface ResidentCar {
  plate: string;
  householdId: string;
  class: CarClass;
  inside: boolean;
  /** Set while the car is queued at a gate, so it is not sent twice. */
  moving: boolean;
}

export interface Rider {
  cardId: string;
  householdId: string;
  elevator: number;
  homeFloor: number;
}

export interface Biker {
  cardId: string;
  householdId: string;
  charging: boolean;
}

export interface Residents {
  /** The registered cars (resident and monthly), as the register has them. */
  cars: ResidentCar[];
  /** The car the owners' meeting banned: it tries its luck now and then. */
  banned: string;
  riders: Rider[];
  bikers: Biker[];
}

/**
 * The people of the estate, as the register has them: cars (the same plates every
 * run, all outside until the day's start says where they are), elevator riders
 * (a dozen per elevator, living in its building and unit) and 90 e-bike riders,
 * with the cards registered to their households.
 */
export function createResidents(_rng: Rng, elevators: { lowestFloor: number; highestFloor: number }[], register: EstateRegister): Residents {
  const cars = register.cars.map((c) => ({ plate: c.plate, householdId: c.householdId, class: c.class, inside: false, moving: false }));
  const riders = register.riders
    .filter((r) => {
      const e = elevators[r.lift];
      return e !== undefined && r.floor > e.lowestFloor && r.floor <= e.highestFloor;
    })
    .map((r) => ({ cardId: r.cardId, householdId: r.householdId, elevator: r.lift, homeFloor: r.floor }));
  const bikers = register.bikers.map((b) => ({ cardId: b.cardId, householdId: b.householdId, charging: false }));
  return { cars, banned: register.banned.plate, riders, bikers };
}
