import { gateArm, type Direction, type GateArmState, type GateConfig } from '../../devices/index.js';
import type { CommandResult, ParsedCommand } from './command-inbox.js';
import { round } from './random.js';
import { SimDevice, type Fields, type SimDeviceOptions } from './sim-device.js';

export type CarOutcome = 'passed' | 'left';

/** What the gate told a waiting car: a command for its lane, or the board's answer to its plate read. */
export interface GateAnswer {
  type: 'open' | 'deny' | 'display';
  display: string;
  plate?: string;
  voice?: string;
  /** The gate let it in by itself from its offline whitelist. */
  offline?: boolean;
}

/** A car standing on a lane's loop detector, waiting for the arm. */
export interface WaitingCar {
  readonly plate: string;
  readonly direction: Direction;
  /** Settles when the car drives through, or gives up (`leave`). */
  readonly outcome: Promise<CarOutcome>;
  /** The next thing the gate tells this car; answers that came before anyone asked are kept in order. */
  nextAnswer(): Promise<GateAnswer>;
}

class QueuedCar implements WaitingCar {
  readonly since = Date.now();
  /** When its plate was read, while that read still waits for the server's answer. */
  readAt: number | undefined;
  readonly outcome: Promise<CarOutcome>;
  settle!: (o: CarOutcome) => void;
  private readonly answers: GateAnswer[] = [];
  private readonly asking: ((a: GateAnswer) => void)[] = [];

  constructor(readonly plate: string, readonly direction: Direction) {
    this.outcome = new Promise<CarOutcome>((resolve) => (this.settle = resolve));
  }

  tell(answer: GateAnswer): void {
    const ask = this.asking.shift();
    if (ask) ask(answer);
    else this.answers.push(answer);
  }

  nextAnswer(): Promise<GateAnswer> {
    const kept = this.answers.shift();
    return kept ? Promise.resolve(kept) : new Promise((resolve) => this.asking.push(resolve));
  }
}

interface Opening {
  direction: Direction;
  plate?: string;
}

const ARM_TRAVEL_MS = 1_500; // a straight-arm barrier moves in 1–2 s
const DRIVE_THROUGH_MS = 2_500;
const NO_SHOW_HOLD_MS = 5_000; // the arm drops again if nobody drives through
const TELEMETRY_MS = 60_000;
/** `deny` and `display` name no lane: they answer the plate read in the last few seconds (the server answers in milliseconds). */
const READ_ANSWER_WINDOW_MS = 5_000;

/**
 * A barrier gate controller (道闸) with an in-lane and an out-lane under one arm.
 * `open` lifts the arm and lets the first car of that lane through (gate.passage);
 * `deny` and `display` change the LED board and answer the car whose plate was
 * read last; the car stays where it is (it may pay, wait for the guard, or leave).
 * Each command is acked at once. The retained `config` is its offline whitelist:
 * it reports the version it holds in its retained status and telemetry, and while
 * its link is cut it lets whitelisted plates in by itself, keeping a
 * `gate.manual` (source offline-whitelist) for each to send when the link is back.
 */
export class GateSim extends SimDevice {
  private state: GateArmState = 'closed';
  private cycles = 0;
  private readonly lanes: Record<Direction, QueuedCar[]> = { in: [], out: [] };
  private readonly openings: Opening[] = [];
  private moving = false;
  private board = '';
  private held: GateConfig | undefined;

  constructor(opts: SimDeviceOptions) {
    super('gate', opts);
    this.buffersEvents = true;
  }

  get armState(): GateArmState {
    return this.state;
  }

  /** Text on the LED board, as the last command left it. */
  get display(): string {
    return this.board;
  }

  /** The offline whitelist it holds (version 0, closed, when it has none yet). */
  get config(): GateConfig {
    return this.held ?? { version: 0, offlineMode: 'closed', plates: [] };
  }

  /** No car on either lane and the arm down: nothing is in the middle of being served. */
  get idle(): boolean {
    return this.state === 'closed' && !this.moving && this.lanes.in.length === 0 && this.lanes.out.length === 0;
  }

  /** Whether a plate is on the whitelist it holds. */
  holds(plate: string): boolean {
    return this.held?.offlineMode === 'whitelist' && this.held.plates.includes(plate);
  }

  override async start(): Promise<void> {
    await super.start();
    await this.publishEvent('gate.state', { state: this.state });
    this.timers.every(this.pace.ms(TELEMETRY_MS), () => this.sendTelemetry());
  }

  /** A car pulls onto a lane. */
  arrive(direction: Direction, plate: string): WaitingCar {
    const car = new QueuedCar(plate, direction);
    this.lanes[direction].push(car);
    return car;
  }

  /** The lane's camera is about to read this car: the server's deny or display will be for it. */
  expectAnswer(car: WaitingCar): void {
    (car as QueuedCar).readAt = Date.now();
  }

  leave(car: WaitingCar): void {
    this.takeOff(car as QueuedCar, 'left');
  }

  /**
   * While the link is cut: a whitelisted plate lifts the arm by itself and is kept as
   * a `gate.manual` to report later. Returns false (and does nothing) for any other plate.
   */
  admitOffline(car: WaitingCar, plateRead: string): boolean {
    if (this.linkUp || this.state === 'fault' || !this.holds(plateRead)) return false;
    void this.publishEvent('gate.manual', { action: 'open', source: 'offline-whitelist', plate: plateRead, direction: car.direction }).catch((err: unknown) =>
      this.reportFailure(err, 'offline passage'),
    );
    (car as QueuedCar).tell({ type: 'open', display: '', plate: plateRead, offline: true });
    this.queueOpening({ direction: car.direction, plate: plateRead });
    return true;
  }

  /**
   * Reports a whitelist passage the gate made while the server could not hear it
   * (e.g. overnight, before the server ran), with the time it happened.
   */
  reportOfflinePassage(plate: string, direction: Direction, at: Date): Promise<unknown> {
    return this.publishEvent('gate.manual', { ts: at.toISOString(), action: 'open', source: 'offline-whitelist', plate, direction });
  }

  /** The guard pressed the button in the booth. */
  async manualOpen(direction: Direction, source: 'button' | 'remote' = 'button'): Promise<void> {
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
    const display = String(cmd.display ?? '');
    const voice = typeof cmd.voice === 'string' ? { voice: cmd.voice } : {};
    if (cmd.type === 'display') {
      this.board = display;
      this.answerLastRead({ type: 'display', display, ...voice });
      return { ok: true };
    }
    if (this.state === 'fault') return { ok: false, error: 'arm fault' };
    this.board = display;
    if (cmd.type === 'deny') {
      this.answerLastRead({ type: 'deny', display, ...voice });
      return { ok: true };
    }
    const direction = cmd.direction as Direction;
    const plate = typeof cmd.plate === 'string' ? { plate: cmd.plate } : {};
    const head = this.lanes[direction][0];
    if (head) {
      head.readAt = undefined;
      head.tell({ type: 'open', display, ...plate, ...voice });
    }
    this.queueOpening({ direction, ...plate });
    return { ok: true };
  }

  protected override applyConfig(config: Fields): void {
    this.held = config as GateConfig;
    this.log.debug({ deviceId: this.deviceId, version: this.held.version, plates: this.held.plates.length }, 'gate config applied');
    // Tell the server which whitelist we hold now.
    this.republishStatus().catch((err: unknown) => this.reportFailure(err, 'status after config'));
  }

  protected override statusFields(): Fields {
    return this.held ? { configVersion: this.held.version } : {};
  }

  /** The car whose plate was read most recently, if the read is still waiting for its answer. */
  private answerLastRead(answer: GateAnswer): void {
    const now = Date.now();
    const reading = [...this.lanes.in, ...this.lanes.out]
      .filter((c) => c.readAt !== undefined && now - c.readAt <= READ_ANSWER_WINDOW_MS)
      .sort((a, b) => b.readAt! - a.readAt!)[0];
    if (!reading) return;
    reading.readAt = undefined;
    reading.tell(answer);
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
      ...(this.held ? { configVersion: this.held.version } : {}),
    });
  }
}
