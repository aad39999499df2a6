import { FAULT_TABLES, type FaultSource } from '../../devices/vendors/elevatorbox/index.js';
import type { Fields, Sent } from '../lib/sim-device.js';
import { ElevatorSim, type ElevatorSimOptions, type SwipeOutcome } from '../lib/elevator-sim.js';
import { ElevatorBoxSim } from './elevatorbox-sim.js';

export interface BoxedElevatorSimOptions extends ElevatorSimOptions {
  /** `connect.tcp` from the registration's answer. */
  tcp: { host: string; port: number };
  eid: string;
  /** Whose numbering the box's `fault` array uses (as registered in `vendorSettings.faultSource`). */
  faultSource: FaultSource;
  /** How often the box sends `info` (the firmware: ~500 ms). */
  infoEveryMs?: number;
}

const RECONNECT_MS = 2_000;

/**
 * A retrofitted elevator whose only link to Linli is a monitoring box
 * (elevatorcloud-style `#10#{json}#13#` frames over TCP): the car rides exactly as
 * an `ElevatorSim`'s does, and the box reports what it can see — floor, direction,
 * door, and the fault set in its own numbering. It has no card reader on Linli's
 * side: a swipe is the car's own IC-card system's business (it lets the rider up
 * to any floor), and rides are not reported, since a box cannot tell them. Raised
 * faults go into the `fault` array by their code in `faultSource`'s table; one the
 * numbering has no code for is not seen by the box (the car still stops for it).
 */
export class BoxedElevatorSim extends ElevatorSim {
  private readonly box: ElevatorBoxSim;
  /** Contract codes raised now → the box's codes for them. */
  private readonly raised = new Map<string, string[]>();
  private closing = false;
  private linkCut = false;

  constructor(private readonly boxOpts: BoxedElevatorSimOptions) {
    super(boxOpts);
    this.box = new ElevatorBoxSim({ host: boxOpts.tcp.host, port: boxOpts.tcp.port, eid: boxOpts.eid, floor: this.floor, ...(boxOpts.infoEveryMs ? { infoEveryMs: boxOpts.infoEveryMs } : {}) });
  }

  /** Logged in and sending. */
  override get online(): boolean {
    return !this.box.closed && this.box.loginResult === 0;
  }

  override get linkUp(): boolean {
    return !this.linkCut;
  }

  /** What the box's `fault` array holds now. */
  get boxFaults(): readonly (number | string)[] {
    return this.box.faults;
  }

  override async start(): Promise<void> {
    await this.login();
    this.timers.every(this.boxOpts.infoEveryMs ?? 500, () => this.report());
  }

  override swipe(_cardId: string, _floor: number): Promise<{ outcome: Promise<SwipeOutcome> }> {
    const floors = Array.from({ length: this.highestFloor - this.lowestFloor + 1 }, (_, i) => this.lowestFloor + i);
    return Promise.resolve({ outcome: Promise.resolve({ granted: true as const, floors }) });
  }

  override cutLink(): void {
    this.linkCut = true;
    this.box.close();
  }

  override async restoreLink(): Promise<void> {
    if (!this.linkCut || this.closing) return;
    this.linkCut = false;
    await this.login();
  }

  override async close(): Promise<void> {
    this.closing = true;
    this.box.close();
    await super.close();
  }

  /**
   * What the car would have published: a fault or an alarm goes into the box's set
   * (the next `info` carries it); rides and swipes are nothing a box can tell.
   */
  override publishEvent(type: string, fields: Fields = {}): Promise<Sent> {
    const sent = { ...this.envelope(type), ...fields } as Sent;
    if (type === 'fault') {
      const code = String(fields.code);
      if (fields.active) this.raised.set(code, this.codesFor({ fault: code }));
      else this.raised.delete(code);
    } else if (type === 'emergency.call') {
      // The alarm button: the box's code for it stays in the set while the fault that caused it does.
      const trapped = this.raised.get('trapped');
      if (trapped) trapped.push(...this.codesFor({ event: 'emergency.call' }));
    }
    this.box.faults = [...new Set([...this.raised.values()].flat())];
    return Promise.resolve(sent);
  }

  override publishTelemetry(fields: Fields): Promise<Sent> {
    // The box's own `info` frames carry the car's state; nothing else is sent.
    return Promise.resolve({ ...this.envelope('telemetry'), ...fields } as Sent);
  }

  private codesFor(effect: { fault: string } | { event: 'emergency.call' }): string[] {
    const row = FAULT_TABLES[this.boxOpts.faultSource].find((r) => ('fault' in effect ? 'fault' in r.effect && r.effect.fault === effect.fault : 'event' in r.effect && r.effect.event === effect.event));
    return row ? [row.code] : [];
  }

  private report(): void {
    if (!this.online) return;
    const door = this.doorOpen ? 'open' : 'closed';
    this.box.move(this.floor, this.running ? this.direction : 'idle', door);
    this.box.sendInfo();
  }

  /** Connects and logs in; a connection the server closes is made again (as the firmware does) until closed. */
  private async login(): Promise<void> {
    const result = await this.box.connect();
    if (result !== 0) throw new Error(`${this.deviceId}: the monitoring box's login was refused (res_id ${result})`);
    this.emit('online');
    void this.box.whenClosed().then(() => {
      this.emit('offline');
      if (this.closing || this.linkCut || this.timers.isClosed) return;
      this.timers.after(RECONNECT_MS, () => this.login().catch((err: unknown) => this.reportFailure(err, 'box reconnect')));
    });
  }
}
