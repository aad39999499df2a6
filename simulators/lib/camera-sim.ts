import type { Direction } from '../../devices/index.js';
import type { CommandResult } from './command-inbox.js';
import { plateColor, type PlateColor } from './plates.js';
import { round } from './random.js';
import { SimDevice, type Sent, type SimDeviceOptions } from './sim-device.js';

export interface CameraSimOptions extends SimDeviceOptions {
  gateId: string;
  direction: Direction;
}

export interface ReadOptions {
  confidence?: number;
  color?: PlateColor;
  /** Overrides the lane's registered direction (a car reversing out of the in-lane). */
  direction?: Direction;
}

const TELEMETRY_MS = 30_000;

/** A licence-plate camera at one lane of a gate. It takes no commands. */
export class CameraSim extends SimDevice {
  readonly gateId: string;
  readonly direction: Direction;

  constructor(opts: CameraSimOptions) {
    super('camera', opts);
    this.gateId = opts.gateId;
    this.direction = opts.direction;
  }

  override async start(): Promise<void> {
    await super.start();
    this.timers.every(this.pace.ms(TELEMETRY_MS), () => this.sendTelemetry());
  }

  /** The camera saw a car: `plate` is what it read ("" when it found none). */
  read(plate: string, opts: ReadOptions = {}): Promise<Sent> {
    const confidence = opts.confidence ?? (plate === '' ? round(this.rng.between(0.05, 0.3), 2) : round(this.rng.between(0.86, 0.995), 3));
    const day = new Date(this.now()).toISOString().slice(0, 10);
    return this.publishEvent('plate.read', {
      plate,
      color: opts.color ?? plateColor(plate),
      confidence,
      ...(opts.direction ? { direction: opts.direction } : {}),
      imageRef: `snap/${day}/${this.deviceId}/${this.now().toString(36)}.jpg`,
    });
  }

  protected handleCommand(): CommandResult {
    return { ok: false, error: 'a camera takes no commands' };
  }

  private async sendTelemetry(): Promise<void> {
    await this.publishTelemetry({
      fps: round(25 + this.rng.noise(0.6)),
      cpuTempC: round(52 + this.rng.noise(2)),
      rssi: Math.round(-58 + this.rng.noise(4)),
    });
  }
}
