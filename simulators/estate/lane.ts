import type { Direction } from '../../devices/index.js';
import type { CameraSim } from '../lib/camera-sim.js';
import type { GateAnswer, GateSim, WaitingCar } from '../lib/gate-sim.js';
import type { Pace } from '../lib/pace.js';
import { misread } from '../lib/plates.js';
import type { Rng } from '../lib/random.js';
import type { SimLog } from '../lib/sim-log.js';
import type { Timers } from '../lib/timers.js';
import type { GuardDesk } from './guard-desk.js';

export interface CarAtGate {
  plate: string;
  who: 'resident' | 'visitor' | 'banned' | 'emergency';
  /** What the camera reads ('' for nothing). By default the lane decides: mostly right, now and then a misread or nothing. */
  read?: string;
  /** Confidence the camera reports with `read`. */
  confidence?: number;
}

export interface LaneResult {
  result: 'passed' | 'turned-away';
  /**
   * passed: `server` (the server opened), `paid` (after paying at the exit), `guard`
   * (the server asked the guard, who let it through), `offline` (the gate's own whitelist).
   * turned-away: `denied` (the server said no: banned, full, …), `guard` (the guard said no),
   * `no-answer` (nothing came; the driver gave up), `closed` (the day ended).
   */
  via: 'server' | 'paid' | 'guard' | 'offline' | 'denied' | 'no-answer' | 'closed';
  /** The board's last text for this car. */
  display?: string;
  /** Fee paid at this gate (fen). */
  feeFen?: number;
}

export interface LaneDeps {
  rng: Rng;
  pace: Pace;
  timers: Timers;
  log: SimLog;
  desk: GuardDesk;
  /** The server ignores the same plate on the same lane within this: a driver coming back waits it out. */
  repeatWindowMs: number;
  /**
   * Car → the plate its stay is under (what the server's `open` named at entry, a
   * misread included), shared by every lane of the estate: at the exit the guard
   * knows the car from its entry photo.
   */
  stayPlates: Map<string, string>;
}

const SERVER_WAIT_MS = 5_000; // how long a driver sits at a silent arm before turning round (real time, at least)
const DRIVE_ON_MS = 30_000;
const GUARD_LOOKS_MS = 4_000; // the guard glances at the camera picture and the car
const GUARD_REGISTERS_MS = 12_000; // the guard asks a visitor where they are going
const SCAN_AND_PAY_MS: [number, number] = [6_000, 20_000]; // QR code on the board, WeChat Pay
const CASH_AT_BOOTH_MS: [number, number] = [10_000, 25_000];
const OFFLINE_TURN_ROUND_MS = 8_000;
const REPAIR_POLL_MS = 2_000;
const NO_PLATE_READ = 0.02;
const MISREAD = 0.05;
/** Share of drivers who scan the QR code rather than hand cash to the guard. */
const PAYS_ONLINE = 0.75;
const GUARD_ADMITS_VISITOR = 0.85;
export const GUARD_REASON = '值班确认放行';

/**
 * One lane of a gate: its camera and the arm it shares with the other lane. Cars
 * are served one at a time in arrival order. The server decides: the camera reads
 * the plate, and the car does what the gate then tells it. `open`: it drives
 * through. `deny` with a fee at an exit: the driver pays (QR code, or cash at the
 * booth) and the server lifts the arm. Any other `deny` (banned, full): it turns
 * round. `请稍候` (display): the guard decides, through the API. While the gate's
 * link is cut, the gate's own whitelist decides.
 */
export class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private readonly lastRead = new Map<string, number>();

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

  private async driveThrough(c: CarAtGate): Promise<LaneResult> {
    const { rng, timers, log } = this.deps;
    if (!(await this.waitOutRepeatWindow(c.plate))) return { result: 'turned-away', via: 'closed' };
    const car = this.gate.arrive(this.direction, c.plate);
    if (!(await this.waitForRepair())) {
      this.gate.leave(car);
      return { result: 'turned-away', via: 'closed' };
    }
    const seen = c.read ?? (rng.chance(NO_PLATE_READ) ? '' : rng.chance(MISREAD) ? misread(rng, c.plate) : c.plate);
    if (!this.gate.linkUp) return this.offline(car, seen);

    this.gate.expectAnswer(car);
    this.lastRead.set(c.plate, Date.now());
    await this.camera.read(seen, this.confidence(c, seen));
    let answer = await this.answer(car);
    let via: LaneResult['via'] = 'server';
    let feeFen = 0;
    for (let step = 0; step < 3; step++) {
      if (answer === 'closed') return { result: 'turned-away', via: 'closed' };
      if (answer === 'timeout') {
        this.gate.leave(car);
        log.warn({ gateId: this.gate.deviceId, direction: this.direction, plate: c.plate, step }, 'no answer at the gate: the driver turned round');
        return { result: 'turned-away', via: 'no-answer' };
      }
      if (answer.type === 'open') return this.driveOn(car, c, via, answer, seen, feeFen);
      if (answer.type === 'deny') {
        if (this.direction !== 'out' || !/缴费/.test(answer.display)) {
          this.gate.leave(car);
          return { result: 'turned-away', via: 'denied', display: answer.display };
        }
        const paid = await this.pay(c, seen);
        if (paid === 'closed') return { result: 'turned-away', via: 'closed' };
        if (paid === undefined) {
          this.gate.leave(car);
          return { result: 'turned-away', via: 'no-answer', display: answer.display };
        }
        via = 'paid';
        feeFen += paid;
      } else {
        // 请稍候: the server asked the guard.
        const decided = await this.guard(c, seen, answer.display);
        if (decided === 'closed') return { result: 'turned-away', via: 'closed' };
        if (decided === 'refused') {
          this.gate.leave(car);
          return { result: 'turned-away', via: 'guard', display: answer.display };
        }
        via = 'guard';
        feeFen += decided;
      }
      answer = await this.answer(car);
    }
    this.gate.leave(car);
    return { result: 'turned-away', via: 'no-answer' };
  }

  private confidence(c: CarAtGate, seen: string): { confidence?: number } {
    if (c.confidence !== undefined) return { confidence: c.confidence };
    if (seen === c.plate || seen === '') return {};
    // Cameras are poorly calibrated: half the misreads come with a confident number.
    return { confidence: Math.round((this.deps.rng.chance(0.5) ? this.deps.rng.between(0.9, 0.98) : this.deps.rng.between(0.55, 0.8)) * 100) / 100 };
  }

  /** A jammed arm: the car waits at the line until it is fixed (no fault starts while a car is on a lane). */
  private async waitForRepair(): Promise<boolean> {
    while (this.gate.armState === 'fault') {
      if (!(await this.deps.timers.sleep(this.deps.pace.ms(REPAIR_POLL_MS)))) return false;
    }
    return true;
  }

  /** The server would ignore this plate on this lane for a few more seconds: the driver waits them out. */
  private async waitOutRepeatWindow(plate: string): Promise<boolean> {
    const last = this.lastRead.get(plate);
    const wait = last === undefined ? 0 : last + this.deps.repeatWindowMs + 500 - Date.now();
    return wait <= 0 ? true : this.deps.timers.sleep(wait);
  }

  private async driveOn(car: WaitingCar, c: CarAtGate, via: LaneResult['via'], open: GateAnswer, seen: string, feeFen: number): Promise<LaneResult> {
    const timeout = this.deps.timers.sleep(this.deps.pace.ms(DRIVE_ON_MS)).then((alive) => (alive ? 'timeout' : 'closed'));
    const outcome = await Promise.race([car.outcome, timeout]);
    const display = open.display;
    if (outcome !== 'passed') {
      this.gate.leave(car);
      return { result: 'turned-away', via: outcome === 'closed' ? 'closed' : 'no-answer', display };
    }
    if (this.direction === 'out') this.deps.stayPlates.delete(c.plate);
    else this.deps.stayPlates.set(c.plate, via === 'guard' ? c.plate : (open.plate ?? (seen || c.plate)));
    return { result: 'passed', via, display, ...(feeFen > 0 ? { feeFen } : {}) };
  }

  /** Scans the QR code and pays, or pays the guard in cash; resolves with the fee (fen). */
  private async pay(c: CarAtGate, seen: string): Promise<number | undefined | 'closed'> {
    const { rng, pace, timers, desk } = this.deps;
    const online = rng.chance(PAYS_ONLINE);
    const [lo, hi] = online ? SCAN_AND_PAY_MS : CASH_AT_BOOTH_MS;
    if (!(await timers.sleep(pace.ms(rng.between(lo, hi))))) return 'closed';
    return desk.pay(this.gate.deviceId, seen, this.stayPlate(c), online ? 'online' : 'cash');
  }

  /** The guard looks at the car and decides; resolves with the fee taken (fen), or 'refused'. */
  private async guard(c: CarAtGate, seen: string, display: string): Promise<number | 'refused' | 'closed'> {
    const { rng, pace, timers, desk } = this.deps;
    const gateId = this.gate.deviceId;
    if (!(await timers.sleep(pace.ms(c.who === 'visitor' && this.direction === 'in' ? GUARD_REGISTERS_MS : GUARD_LOOKS_MS)))) return 'closed';
    if (c.who === 'banned') return 'refused';
    if (this.direction === 'in') {
      if (c.who === 'visitor' && !rng.chance(GUARD_ADMITS_VISITOR)) return 'refused';
      return (await desk.open(gateId, 'in', c.plate, GUARD_REASON)) ? 0 : 'refused';
    }
    const known = this.stayPlate(c);
    if (display.includes('无入场记录')) {
      const fee = await desk.resolveUnmatched(gateId, seen, known);
      if (fee !== undefined) return fee;
      // Someone at the dashboard resolved it first, or it is not in the queue: lift the arm by hand.
    }
    if (!(await desk.open(gateId, 'out', known, GUARD_REASON))) return 'refused';
    return desk.collectOwed(known);
  }

  /** The plate the car's stay is under, as far as anyone at the gate can tell. */
  private stayPlate(c: CarAtGate): string {
    return this.deps.stayPlates.get(c.plate) ?? c.plate;
  }

  /** The link is cut: the gate's whitelist lets a known plate through; anyone else is told to come back later. */
  private async offline(car: WaitingCar, seen: string): Promise<LaneResult> {
    if (this.gate.admitOffline(car, seen)) {
      const first = await car.nextAnswer();
      return this.driveOn(car, { plate: car.plate, who: 'resident' }, 'offline', first, seen, 0);
    }
    const alive = await this.deps.timers.sleep(this.deps.pace.ms(OFFLINE_TURN_ROUND_MS));
    this.gate.leave(car);
    return { result: 'turned-away', via: alive ? 'no-answer' : 'closed' };
  }

  private async answer(car: WaitingCar): Promise<GateAnswer | 'timeout' | 'closed'> {
    const wait = Math.max(SERVER_WAIT_MS / 2, this.deps.pace.ms(SERVER_WAIT_MS));
    const timeout = this.deps.timers.sleep(wait).then((alive): 'timeout' | 'closed' => (alive ? 'timeout' : 'closed'));
    return Promise.race([car.nextAnswer(), timeout]);
  }
}
