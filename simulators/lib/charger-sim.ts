import type { PortState } from '../../devices/index.js';
import { newPort, plugBike, startSession, stepPort, stopSession, unplugBike, type Port } from './charger-port.js';
import type { CommandResult, ParsedCommand } from './command-inbox.js';
import { round } from './random.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';

export interface ChargerSimOptions extends SimDeviceOptions {
  ports: number;
}

/** What became of a port.request: the gateway started it, denied it, or the bike left first. */
export type RequestOutcome = 'started' | 'denied' | 'gone';

export interface PortRequestHandle {
  port: number;
  outcome: Promise<RequestOutcome>;
}

const TICK_MS = 10_000; // physics and telemetry
const RELAY_MS = 300;
const WALK_AWAY_MS = 8_000; // a denied resident wheels the bike back out
const COOL_DOWN_MS = 90_000;
const OVERTEMP_C = 68;

/**
 * An e-bike charging shed (电动自行车充电棚) with ports 1..n. A resident plugs in
 * and swipes (port.request); `start` closes the relay, `stop` opens it, `deny`
 * sends the bike away. Telemetry carries every port's power, energy and temperature.
 */
export class ChargerSim extends SimDevice {
  protected readonly ports: Port[];
  private readonly waiters = new Map<number, (o: RequestOutcome) => void>();
  private ambientC: number;
  private lastStep = Date.now();

  constructor(opts: ChargerSimOptions) {
    super('charger', opts);
    this.ambientC = round(this.rng.between(14, 30));
    this.ports = Array.from({ length: opts.ports }, (_, i) => newPort(i + 1, this.ambientC));
  }

  get portCount(): number {
    return this.ports.length;
  }

  override async start(): Promise<void> {
    await super.start();
    // A controller reports every port when it boots, so the gateway starts from the truth.
    for (const p of this.ports) await this.publishPortState(p);
    this.timers.every(this.pace.ms(TICK_MS), () => this.tick());
  }

  portState(port: number): PortState | undefined {
    return this.ports[port - 1]?.state;
  }

  /** The card of the bike on `port`, if one is plugged in. */
  cardOn(port: number): string | undefined {
    return this.ports[port - 1]?.cardId;
  }

  freePorts(): number[] {
    return this.ports.filter((p) => p.state === 'available').map((p) => p.port);
  }

  /** A resident plugs a bike into a free port (or `port`) and swipes `cardId`. */
  async plugIn(cardId: string, port?: number): Promise<PortRequestHandle> {
    const p = port !== undefined ? this.ports[port - 1] : this.ports.find((x) => x.state === 'available');
    if (!p || p.state !== 'available') throw new Error(`${this.deviceId}: no free port${port ? ` ${port}` : ''}`);
    plugBike(p, cardId, this.rng);
    const outcome = new Promise<RequestOutcome>((resolve) => this.waiters.set(p.port, resolve));
    await this.publishPortState(p);
    await this.publishEvent('port.request', { port: p.port, cardId });
    return { port: p.port, outcome };
  }

  /** The owner takes the bike away. */
  async unplug(port: number, reason = 'unplugged'): Promise<void> {
    const p = this.ports[port - 1];
    if (!p || p.state === 'available' || p.state === 'fault' || p.state === 'disabled') return;
    unplugBike(p);
    this.settle(p.port, 'gone');
    await this.publishPortState(p, reason);
  }

  /** A port overheats: alarm raised, relay opened, port in fault until it has cooled and the guard reset it. */
  async overheat(port: number): Promise<void> {
    const p = this.ports[port - 1];
    if (!p || p.state === 'fault') return;
    p.tempC = OVERTEMP_C + this.rng.between(0, 6);
    await this.publishEvent('alarm', { kind: 'overtemp', port: p.port, value: round(p.tempC), active: true });
    stopSession(p, 'fault');
    this.settle(p.port, 'gone');
    await this.publishPortState(p, 'overtemp');
    this.timers.after(this.pace.ms(COOL_DOWN_MS), async () => {
      p.tempC = this.ambientC + 4;
      await this.publishEvent('alarm', { kind: 'overtemp', port: p.port, value: round(p.tempC), active: false });
      unplugBike(p);
      await this.publishPortState(p, 'reset');
    });
  }

  protected handleCommand(cmd: ParsedCommand): CommandResult {
    const p = this.ports[Number(cmd.port) - 1];
    if (!p) return { ok: false, error: `no port ${String(cmd.port)} (ports 1..${this.ports.length})` };
    switch (cmd.type) {
      case 'start':
        return this.startCharging(p, cmd);
      case 'stop':
        // A full battery (trickling) is reported `full`, otherwise the session just stops; the plug stays in.
        if (p.state === 'charging') this.later(() => this.endSession(p, p.topped ? 'full' : 'stop', String(cmd.reason)));
        return { ok: true };
      default: // deny
        this.settle(p.port, 'denied');
        if (p.state === 'occupied') this.timers.after(this.pace.ms(WALK_AWAY_MS), () => this.unplug(p.port, String(cmd.reason)));
        return { ok: true };
    }
  }

  private startCharging(p: Port, cmd: ParsedCommand): CommandResult {
    if (p.state === 'charging') return p.sessionId === cmd.sessionId ? { ok: true } : { ok: false, error: 'port busy' };
    if (p.state === 'fault' || p.state === 'disabled') return { ok: false, error: `port ${p.state}` };
    if (p.state === 'available') return { ok: false, error: 'nothing plugged in' };
    // maxMinutes is on the gateway's clock, which the demo does not compress.
    const endsAt = Date.now() + Number(cmd.maxMinutes) * 60_000;
    startSession(p, { sessionId: String(cmd.sessionId), endsAt, ...(typeof cmd.maxWh === 'number' ? { maxWh: cmd.maxWh } : {}) });
    this.settle(p.port, 'started');
    this.later(() => this.publishPortState(p));
    return { ok: true };
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const simHours = this.pace.simHours(now - this.lastStep);
    this.lastStep = now;
    this.ambientC = round(this.ambientC + this.rng.noise(0.1));
    for (const p of this.ports) {
      const end = stepPort(p, simHours, now, this.ambientC, this.rng);
      if (end) await this.endSession(p, 'stop', end);
    }
    await this.publishTelemetry({
      ports: this.ports.map((p) => ({ port: p.port, powerW: round(p.powerW), energyWh: round(p.energyWh), tempC: round(p.tempC) })),
      ambientTempC: this.ambientC,
    });
  }

  /** The relay opens; the owner comes back for the bike some (simulated) time later. */
  private async endSession(p: Port, why: 'stop' | 'full', reason: string): Promise<void> {
    if (p.state !== 'charging') return; // a stop raced the battery filling up
    stopSession(p, why);
    await this.publishPortState(p, reason);
    const session = p.sessionId;
    this.timers.after(this.pace.dayMinutes(this.rng.between(10, 120)), async () => {
      if (p.sessionId === session && (p.state === 'full' || p.state === 'occupied')) await this.unplug(p.port, 'unplugged');
    });
  }

  private settle(port: number, outcome: RequestOutcome): void {
    this.waiters.get(port)?.(outcome);
    this.waiters.delete(port);
  }

  private later(fn: () => Promise<void>): void {
    this.timers.after(this.pace.ms(RELAY_MS), fn);
  }

  private async publishPortState(p: Port, reason?: string): Promise<void> {
    await this.publishEvent('port.state', { port: p.port, state: p.state, ...(reason ? { reason: reason.slice(0, 64) } : {}) });
  }
}
