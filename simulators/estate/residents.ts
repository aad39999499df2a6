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
  elevator: number;
  homeFloor: number;
}

export interface Biker {
  cardId: string;
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

/** A Mifare-style card UID: 8 hex digits. */
function cardId(rng: Rng): string {
  return Array.from({ length: 8 }, () => '0123456789ABCDEF'[rng.int(0, 15)]).join('');
}

/**
 * The people of the estate. Cars come from the register (the same plates every
 * run, all outside until the day's start says where they are); riders and
 * bikers are made up from the run's seed: a dozen riders per elevator, 90 e-bikes.
 */
export function createResidents(rng: Rng, elevators: { lowestFloor: number; highestFloor: number }[], register: EstateRegister): Residents {
  const cars = register.cars.map((c) => ({ plate: c.plate, householdId: c.householdId, class: c.class, inside: false, moving: false }));
  const riders = elevators.flatMap((e, elevator) =>
    Array.from({ length: 12 }, () => ({ cardId: cardId(rng), elevator, homeFloor: rng.int(Math.max(2, e.lowestFloor + 1), e.highestFloor) })),
  );
  const bikers = Array.from({ length: 90 }, () => ({ cardId: cardId(rng), charging: false }));
  return { cars, banned: register.banned.plate, riders, bikers };
}
