import type { CommandResult, ParsedCommand } from './command-inbox.js';
import { round } from './random.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';

export interface ElevatorSimOptions extends SimDeviceOptions {
  lowestFloor: number;
  highestFloor: number;
}

export type SwipeOutcome = { granted: true; floors: number[] } | { granted: false; reason: string };

export interface Trip {
  from: number;
  to: number;
  cardId?: string;
  /** Load the riders add, in % of rated load (a person ≈ 12 % in a 630 kg car). */
  loadPct?: number;
}

const FLOOR_MS = 2_000; // a retrofitted 1 m/s car, ~3 m per floor, with start and stop
const DOOR_MS = 3_000;
const TELEMETRY_MS = 5_000;
const FAULT_POLL_MS = 1_000;

/**
 * A retrofitted elevator (加装电梯) on an old walk-up. Residents swipe at a floor
 * (card.swipe) and the gateway grants floors; rides happen one at a time and are
 * reported on arrival. A raised fault holds the car where it is until it clears.
 */
export class ElevatorSim extends SimDevice {
  readonly lowestFloor: number;
  readonly highestFloor: number;
  protected floor: number;
  protected direction: 'up' | 'down' | 'idle' = 'idle';
  protected doorOpen = false;
  protected running = false;
  private loadPct = 0;
  private readonly trips: { trip: Trip; done: () => void }[] = [];
  private busy = false;
  private readonly faults = new Set<string>();
  private readonly swipes = new Map<string, (o: SwipeOutcome) => void>();

  constructor(opts: ElevatorSimOptions) {
    super('elevator', opts);
    if (opts.lowestFloor >= opts.highestFloor) throw new Error(`${opts.deviceId}: lowestFloor must be below highestFloor`);
    this.lowestFloor = opts.lowestFloor;
    this.highestFloor = opts.highestFloor;
    this.floor = Math.max(1, opts.lowestFloor);
  }

  get currentFloor(): number {
    return this.floor;
  }

  /** Rides queued and not yet finished. */
  get pendingTrips(): number {
    return this.trips.length + (this.busy ? 1 : 0);
  }

  get activeFaults(): string[] {
    return [...this.faults];
  }

  override async start(): Promise<void> {
    await super.start();
    this.timers.every(this.pace.ms(TELEMETRY_MS), () => this.sendTelemetry());
  }

  /** A resident swipes at `floor`; the outcome settles on grant or deny (the caller decides how long to wait). */
  async swipe(cardId: string, floor: number): Promise<{ outcome: Promise<SwipeOutcome> }> {
    const outcome = new Promise<SwipeOutcome>((resolve) => this.swipes.set(cardId, resolve));
    await this.publishEvent('card.swipe', { cardId, floor });
    return { outcome };
  }

  /** Queues a ride; resolves when the riders step out at `to`. */
  ride(trip: Trip): Promise<void> {
    if (!this.inRange(trip.from) || !this.inRange(trip.to)) throw new Error(`${this.deviceId}: floor outside ${this.lowestFloor}..${this.highestFloor}`);
    const done = new Promise<void>((resolve) => this.trips.push({ trip, done: resolve }));
    this.runTrips().catch((err: unknown) => this.reportFailure(err, 'ride'));
    return done;
  }

  /** Raises a fault (and, for `trapped`, an emergency call); clears it after `clearAfterMs` (real, before pace). */
  async raiseFault(code: string, clearAfterMs: number): Promise<void> {
    if (this.faults.has(code)) return;
    this.faults.add(code);
    await this.publishEvent('fault', { code, active: true, floor: this.floor });
    if (code === 'trapped') await this.publishEvent('emergency.call', { floor: this.floor });
    this.timers.after(this.pace.ms(clearAfterMs), async () => {
      this.faults.delete(code);
      await this.publishEvent('fault', { code, active: false, floor: this.floor });
    });
  }

  protected handleCommand(cmd: ParsedCommand): CommandResult {
    const cardId = String(cmd.cardId);
    const waiter = this.swipes.get(cardId);
    this.swipes.delete(cardId);
    if (cmd.type === 'grant') waiter?.({ granted: true, floors: (cmd.floors as number[]).filter((f) => this.inRange(f)) });
    else waiter?.({ granted: false, reason: String(cmd.reason) });
    return { ok: true };
  }

  private inRange(floor: number): boolean {
    return Number.isInteger(floor) && floor >= this.lowestFloor && floor <= this.highestFloor;
  }

  private async runTrips(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.trips.length > 0 && !this.timers.isClosed) {
        const { trip, done } = this.trips.shift()!;
        if (!(await this.moveTo(trip.from))) return;
        if (!(await this.doors(trip.loadPct ?? 12))) return;
        if (!(await this.moveTo(trip.to))) return;
        await this.publishEvent('ride', { from: trip.from, to: trip.to, ...(trip.cardId ? { cardId: trip.cardId } : {}) });
        if (!(await this.doors(-(trip.loadPct ?? 12)))) return;
        done();
      }
    } finally {
      this.busy = false;
      this.direction = 'idle';
    }
  }

  private async moveTo(target: number): Promise<boolean> {
    while (this.floor !== target) {
      if (!(await this.waitFaultsClear())) return false;
      this.running = true;
      this.direction = target > this.floor ? 'up' : 'down';
      if (!(await this.timers.sleep(this.pace.ms(FLOOR_MS)))) return false;
      this.floor += this.direction === 'up' ? 1 : -1;
    }
    this.running = false;
    return true;
  }

  private async doors(loadChange: number): Promise<boolean> {
    if (!(await this.waitFaultsClear())) return false;
    this.doorOpen = true;
    const ok = await this.timers.sleep(this.pace.ms(DOOR_MS));
    this.loadPct = Math.max(0, Math.min(150, this.loadPct + loadChange));
    this.doorOpen = false;
    return ok;
  }

  private async waitFaultsClear(): Promise<boolean> {
    while (this.faults.size > 0) {
      this.running = false;
      if (!(await this.timers.sleep(this.pace.ms(FAULT_POLL_MS)))) return false;
    }
    return true;
  }

  private async sendTelemetry(): Promise<void> {
    await this.publishTelemetry({
      floor: this.floor,
      direction: this.running ? this.direction : 'idle',
      doorOpen: this.doorOpen,
      running: this.running,
      loadPct: round(Math.max(0, this.loadPct + (this.loadPct > 0 ? this.rng.noise(1) : 0))),
    });
  }
}
