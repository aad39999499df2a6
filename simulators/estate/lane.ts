import type { Direction } from '../../devices/index.js';
import type { CameraSim } from '../lib/camera-sim.js';
import type { CarOutcome, GateSim, WaitingCar } from '../lib/gate-sim.js';
import type { Pace } from '../lib/pace.js';
import { misread } from '../lib/plates.js';
import type { Rng } from '../lib/random.js';
import type { SimLog } from '../lib/sim-log.js';
import type { Timers } from '../lib/timers.js';

export interface CarAtGate {
  plate: string;
  who: 'resident' | 'visitor';
}

export type LaneResult = 'passed' | 'turned-away';

export interface LaneDeps {
  rng: Rng;
  pace: Pace;
  timers: Timers;
  log: SimLog;
}

const GATEWAY_WAIT_MS = 4_000; // how long a driver sits before the guard steps in
const GUARD_BUTTON_MS = 3_000; // the guard knows the car and presses the button
const GUARD_REGISTER_MS = 12_000; // the guard asks a visitor where they are going
const GIVE_UP_MS = 30_000;
const NO_PLATE_READ = 0.02;
const MISREAD = 0.04;

/**
 * One lane of a gate: its camera and the arm it shares with the other lane. Cars
 * are served one at a time in arrival order; the gateway decides first, the
 * guard in the booth covers for it when it says no or says nothing.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(
    readonly gate: GateSim,
    readonly camera: CameraSim,
    readonly direction: Direction,
    private readonly deps: LaneDeps,
  ) {}

  /** Cars queued on this lane, including the one at the arm. */
  get queued(): number {
    return this.waiting;
  }

  enqueue(car: CarAtGate): Promise<LaneResult> {
    this.waiting++;
    const turn = this.tail.then(() => this.driveThrough(car));
    this.tail = turn.catch(() => undefined).finally(() => this.waiting--);
    return turn;
  }

  private async driveThrough(car: CarAtGate): Promise<LaneResult> {
    const { rng } = this.deps;
    let waiting = this.gate.arrive(this.direction, car.plate);
    const seen = rng.chance(NO_PLATE_READ) ? '' : rng.chance(MISREAD) ? misread(rng, car.plate) : car.plate;
    await this.camera.read(seen, seen === car.plate ? {} : { confidence: Math.round(rng.between(0.55, 0.8) * 100) / 100 });
    const first = await this.within(waiting.outcome, GATEWAY_WAIT_MS);
    if (first === 'passed') return 'passed';
    if (first === 'closed') return 'turned-away';

    if (!rng.chance(this.guardOpensFor(car))) {
      if (first === 'timeout') this.gate.leave(waiting);
      this.deps.log.debug({ gateId: this.gate.deviceId, plate: car.plate, first }, 'car turned away');
      return 'turned-away';
    }
    if (!(await this.deps.timers.sleep(this.deps.pace.ms(car.who === 'visitor' ? GUARD_REGISTER_MS : GUARD_BUTTON_MS)))) return 'turned-away';
    if (first === 'denied') waiting = this.gate.arrive(this.direction, car.plate);
    await this.gate.manualOpen(this.direction, 'button');
    const second = await this.within(waiting.outcome, GIVE_UP_MS);
    if (second === 'passed') return 'passed';
    this.gate.leave(waiting);
    return 'turned-away';
  }

  /** Guards let nearly everyone out, and residents in; some visitors are sent away. */
  private guardOpensFor(car: CarAtGate): number {
    if (this.direction === 'out') return 0.99;
    return car.who === 'resident' ? 0.95 : 0.8;
  }

  private async within(outcome: WaitingCar['outcome'], ms: number): Promise<CarOutcome | 'timeout' | 'closed'> {
    const timeout = this.deps.timers.sleep(this.deps.pace.ms(ms)).then((alive): 'timeout' | 'closed' => (alive ? 'timeout' : 'closed'));
    return Promise.race([outcome, timeout]);
  }
}
