import { gateArm, type Direction, type GateArmState, type GateConfig } from '../../devices/index.js';
import type { CommandResult, ParsedCommand } from './command-inbox.js';
import { round } from './random.js';
import { SimDevice, type Fields, type SimDeviceOptions } from './sim-device.js';

export type CarOutcome = 'passed' | 'denied' | 'left';

/** A car standing on a lane's loop detector, waiting for the arm. */
export interface WaitingCar {
  readonly plate: string;
  readonly direction: Direction;
  readonly outcome: Promise<CarOutcome>;
}

interface QueuedCar extends WaitingCar {
  since: number;
  settle(outcome: CarOutcome): void;
}

interface Opening {
  direction: Direction;
  plate?: string;
}

const ARM_TRAVEL_MS = 1_500; // a straight-arm barrier moves in 1–2 s
const DRIVE_THROUGH_MS = 2_500;
const NO_SHOW_HOLD_MS = 5_000; // the arm drops again if nobody drives through
const TELEMETRY_MS = 60_000;

/**
 * A barrier gate controller (道闸) with an in-lane and an out-lane under one arm.
 * `open` lifts the arm and lets the first car of that lane through (gate.passage);
 * `deny` and `display` only change the LED board. Each command is acked at once.
 */
export class GateSim extends SimDevice {
  private state: GateArmState = 'closed';
  private cycles = 0;
  private readonly lanes: Record<Direction, QueuedCar[]> = { in: [], out: [] };
  private readonly openings: Opening[] = [];
  private moving = false;
  private board = '';
  private offline: GateConfig = { version: 0, offlineMode: 'closed', plates: [] };

  constructor(opts: SimDeviceOptions) {
    super('gate', opts);
  }

  get armState(): GateArmState {
    return this.state;
  }

  /** Text on the LED board, as the last command left it. */
  get display(): string {
    return this.board;
  }

  get config(): GateConfig {
    return this.offline;
  }

  override async start(): Promise<void> {
    await super.start();
    await this.publishEvent('gate.state', { state: this.state });
    this.timers.every(this.pace.ms(TELEMETRY_MS), () => this.sendTelemetry());
  }

  /** A car pulls onto a lane. Its outcome settles when it drives through, is denied, or gives up (`leave`). */
  arrive(direction: Direction, plate: string): WaitingCar {
    let settle!: (o: CarOutcome) => void;
    const outcome = new Promise<CarOutcome>((resolve) => (settle = resolve));
    const car: QueuedCar = { plate, direction, outcome, settle, since: Date.now() };
    this.lanes[direction].push(car);
    return car;
  }

  leave(car: WaitingCar): void {
    this.takeOff(car as QueuedCar, 'left');
  }

  /** The guard pressed the button in the booth (or the gate let a whitelisted plate in while offline). */
  async manualOpen(direction: Direction, source: 'button' | 'remote' | 'offline-whitelist' = 'button'): Promise<void> {
    if (this.state === 'fault') return; // a jammed arm does not answer the button either
    await this.publishEvent('gate.manual', { action: 'open', source });
    this.queueOpening({ direction });
  }

  /** The arm jams or is hit: commands are refused until `repair()`. */
  async fault(faultCode: string): Promise<void> {
    this.openings.length = 0; // a controller forgets pending opens when it faults
    await this.setState('fault', faultCode);
  }

  async repair(): Promise<void> {
    if (this.state === 'fault') await this.setState('closed');
  }

  protected handleCommand(cmd: ParsedCommand): CommandResult {
    if (cmd.type === 'display') {
      this.board = String(cmd.display);
      return { ok: true };
    }
    if (this.state === 'fault') return { ok: false, error: 'arm fault' };
    this.board = String(cmd.display ?? '');
    if (cmd.type === 'deny') {
      this.denyFirstWaiting();
      return { ok: true };
    }
    this.queueOpening({ direction: cmd.direction as Direction, ...(typeof cmd.plate === 'string' ? { plate: cmd.plate } : {}) });
    return { ok: true };
  }

  protected override applyConfig(config: Fields): void {
    this.offline = config as GateConfig;
    this.log.debug({ deviceId: this.deviceId, version: this.offline.version, plates: this.offline.plates.length }, 'gate config applied');
  }

  private queueOpening(opening: Opening): void {
    this.openings.push(opening);
    if (!this.moving) this.runArm().catch((err: unknown) => this.reportFailure(err, 'arm cycle'));
  }

  /** opening → open → (a car per opening) → closing → closed; an opening queued while closing lifts the arm again. */
  private async runArm(): Promise<void> {
    this.moving = true;
    try {
      while (this.openings.length > 0 && !this.timers.isClosed && this.state !== 'fault') {
        if (this.state !== 'open') {
          await this.setState('opening');
          if (!(await this.pause(ARM_TRAVEL_MS))) return;
          await this.setState('open');
        }
        while (this.openings.length > 0) {
          if (!(await this.letThrough(this.openings.shift()!))) return;
        }
        await this.setState('closing');
        if (!(await this.pause(ARM_TRAVEL_MS))) return;
        if (this.openings.length > 0) continue; // the loop saw another car: back up
        this.cycles++;
        await this.setState('closed');
      }
    } finally {
      this.moving = false;
    }
  }

  private async letThrough(opening: Opening): Promise<boolean> {
    const car = this.lanes[opening.direction][0];
    if (!car) return this.pause(NO_SHOW_HOLD_MS);
    if (!(await this.pause(DRIVE_THROUGH_MS))) return false;
    const plate = car.plate || opening.plate;
    await this.publishEvent('gate.passage', { direction: opening.direction, ...(plate ? { plate } : {}) });
    this.takeOff(car, 'passed');
    return true;
  }

  /** Waits a (paced) while; false when closed or faulted meanwhile, so the arm stops where it is. */
  private async pause(ms: number): Promise<boolean> {
    return (await this.timers.sleep(this.pace.ms(ms))) && this.state !== 'fault';
  }

  /** `deny` names no lane: it is for the car that has waited longest. */
  private denyFirstWaiting(): void {
    const heads = [this.lanes.in[0], this.lanes.out[0]].filter((c): c is QueuedCar => c !== undefined);
    const first = heads.sort((a, b) => a.since - b.since)[0];
    if (first) this.takeOff(first, 'denied');
  }

  private takeOff(car: QueuedCar, outcome: CarOutcome): void {
    const lane = this.lanes[car.direction];
    const at = lane.indexOf(car);
    if (at >= 0) lane.splice(at, 1);
    car.settle(outcome);
  }

  private async setState(state: GateArmState, faultCode?: string): Promise<void> {
    // The gateway's arm machine would flag this as a missed step: a simulator bug, so say so loudly.
    if (!gateArm.isExpectedReport(this.state, state)) throw new Error(`simulator bug: gate ${this.deviceId} ${this.state} → ${state}`);
    this.state = state;
    await this.publishEvent('gate.state', { state, ...(faultCode ? { faultCode } : {}) });
  }

  private async sendTelemetry(): Promise<void> {
    await this.publishTelemetry({
      cycles: this.cycles,
      motorTempC: round(34 + Math.min(20, this.cycles * 0.05) + this.rng.noise(0.8)),
      rssi: Math.round(-61 + this.rng.noise(3)),
    });
  }
}
