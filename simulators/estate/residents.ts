import { randomPlate } from '../lib/plates.js';
import type { Rng } from '../lib/random.js';

export interface ResidentCar {
  plate: string;
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
  cars: ResidentCar[];
  riders: Rider[];
  bikers: Biker[];
}

/** A Mifare-style card UID: 8 hex digits. */
function cardId(rng: Rng): string {
  return Array.from({ length: 8 }, () => '0123456789ABCDEF'[rng.int(0, 15)]).join('');
}

/**
 * The people of the estate, made up once per run from the seed: about 40 cars
 * (old estates have few spaces), a dozen elevator riders per unit, 90 e-bikes.
 */
export function createResidents(rng: Rng, elevators: { lowestFloor: number; highestFloor: number }[], plateCity = '鄂A'): Residents {
  const plates = new Set<string>();
  while (plates.size < 40) plates.add(randomPlate(rng, plateCity));
  const cars = [...plates].map((plate) => ({ plate, inside: rng.chance(0.9), moving: false }));
  const riders = elevators.flatMap((e, elevator) =>
    Array.from({ length: 12 }, () => ({ cardId: cardId(rng), elevator, homeFloor: rng.int(Math.max(2, e.lowestFloor + 1), e.highestFloor) })),
  );
  const bikers = Array.from({ length: 90 }, () => ({ cardId: cardId(rng), charging: false }));
  return { cars, riders, bikers };
}
