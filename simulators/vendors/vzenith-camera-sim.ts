import { CameraSim, type CameraSimOptions, type ReadOptions } from '../lib/camera-sim.js';
import type { PlateColor } from '../lib/plates.js';
import { round } from '../lib/random.js';
import type { Fields, Sent } from '../lib/sim-device.js';
import { VzenithSim } from './vzenith-sim.js';

export interface VzenithCameraSimOptions extends CameraSimOptions {
  /** `connect.pushUrl` from the registration's answer. */
  pushUrl: string;
  /** The camera's `serialno`, as registered. */
  serialNo: string;
}

/** §3.3 colour codes of the camera's recogniser. */
const COLOR_TYPE: Record<PlateColor, number> = { unknown: 0, blue: 1, yellow: 2, white: 3, black: 4, green: 5 };
/** Between two comet polls when the last one came back idle or failed. */
const POLL_GAP_MS = 1_000;

/**
 * A lane's plate camera that is a 臻识 Vzenith speaking its vendor's HTTP push
 * protocol (`VzenithSim`), behind the `CameraSim` interface the lanes use: a read
 * is an `AlarmInfoPlate` POSTed to its push URL, it keeps a heartbeat / comet poll
 * going, and while its network is cut its reads wait as backlog records
 * (`isoffline: 1`) pushed when it is back. It sends no contract messages: what the
 * server stores under its id is what its transport decoded. Where the lane's arm
 * is a Linli gate controller (as in the demo), the server's decision goes to that
 * controller and the camera's answer carries only its `plateid`.
 */
export class VzenithCameraSim extends CameraSim {
  readonly camera: VzenithSim;
  private heard = false;

  constructor(opts: VzenithCameraSimOptions) {
    super(opts);
    this.camera = new VzenithSim({
      pushUrl: opts.pushUrl,
      serialNo: opts.serialNo,
      deviceName: 'IVS',
      ...(opts.clock ? { clock: opts.clock } : {}),
      onFailure: (what, err) => this.log.warn({ deviceId: this.deviceId, what, err: (err as Error)?.message ?? String(err) }, 'vzenith camera: push failed'),
    });
    this.camera.on('reply', (acted: { status: number }, what: string) => {
      if (what !== 'poll') return;
      const was = this.heard;
      this.heard = acted.status === 200;
      if (this.heard !== was) this.emit(this.heard ? 'online' : 'offline');
    });
  }

  /** Heard by the server: its last heartbeat was answered. */
  override get online(): boolean {
    return this.heard && this.camera.linkUp;
  }

  override get linkUp(): boolean {
    return this.camera.linkUp;
  }

  /** A first heartbeat (the server then holds it online), then comet polling. */
  protected override async openLink(): Promise<void> {
    const first = await this.camera.heartbeat();
    if (first.status !== 200) throw new Error(`${this.deviceId}: the server refused the camera's heartbeat (HTTP ${first.status}); is the push URL current?`);
    this.heard = true;
    this.camera.startPolling(POLL_GAP_MS);
  }

  override read(plate: string, opts: ReadOptions = {}): Promise<Sent> {
    const confidence = opts.confidence ?? (plate === '' ? round(this.rng.between(0.05, 0.3), 2) : round(this.rng.between(0.86, 0.995), 3));
    const sent = { ...this.envelope('plate.read'), plate, confidence } as Sent;
    // The lane is set at registration: a camera reports no in/out of its own (opts.direction has nowhere to go).
    const pushed = this.camera.plate(plate, { confidence: confidence * 100, ...(opts.color ? { colorType: COLOR_TYPE[opts.color] } : {}) });
    // The answer (its plateid; a command when this camera drives the arm) comes after the rules decided: the car does not wait for it here.
    pushed.catch((err: unknown) => this.reportFailure(err, 'plate push'));
    return Promise.resolve(sent);
  }

  override cutLink(): void {
    if (!this.camera.linkUp) return;
    this.camera.cutLink();
    this.emit('link', false);
  }

  override async restoreLink(): Promise<void> {
    if (this.camera.linkUp) return;
    await this.camera.restoreLink();
    this.emit('link', true);
  }

  override async close(opts: { abrupt?: boolean } = {}): Promise<void> {
    await this.camera.close();
    await super.close(opts);
  }

  /** Nothing goes out in Linli's contract: the camera speaks only its vendor's protocol. */
  override publishEvent(type: string, fields: Fields = {}): Promise<Sent> {
    return Promise.resolve({ ...this.envelope(type), ...fields } as Sent);
  }

  override publishTelemetry(fields: Fields): Promise<Sent> {
    return Promise.resolve({ ...this.envelope('telemetry'), ...fields } as Sent);
  }
}
