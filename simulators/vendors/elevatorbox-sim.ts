import { connect, type Socket } from 'node:net';
import {
  decodeServerFrame,
  encodeBoxCping,
  encodeBoxPing,
  encodeInfo,
  encodeLogin,
  splitFrames,
  type DoorState,
  type InfoInput,
  type ServerMessage,
} from '../../devices/vendors/elevatorbox/index.js';

/**
 * An elevator monitoring box that speaks the elevatorcloud-style protocol over TCP
 * (`#10#{json}#13#`), as the firmware in devices/vendors/README.md does: it waits
 * for `need_login`, logs in with its `eid`, then sends `info` (status and the
 * current fault set) every `infoEveryMs` and `cping` every 60 infos; it answers our
 * `ping` with `ping` and stops on `kick`. Frames are written whole, one per write.
 * Imports only `devices/` and Node: it talks to the server the way a box does.
 */

export interface ElevatorBoxOptions {
  host: string;
  port: number;
  eid: string;
  /** How often `info` goes out once started (the firmware: ~500 ms). */
  infoEveryMs?: number;
  /** Its own numbering's codes in the `fault` array (the registration says whose). */
  faults?: (number | string)[];
  floor?: number;
}

export class ElevatorBoxSim {
  readonly eid: string;
  /** What the car is doing; `info` frames report it. */
  status: Omit<InfoInput, 'faults'> = { floor: 1, direction: 'idle', door: 'closed', inDoorZone: true };
  faults: (number | string)[];
  /** Everything the server sent, decoded (undecodable frames as `undefined`). */
  readonly received: (ServerMessage | undefined)[] = [];
  loginResult?: number;
  kickedWith?: number;
  closed = false;
  private socket?: Socket;
  private rest: Uint8Array = new Uint8Array(0);
  private timer?: NodeJS.Timeout;
  private infos = 0;
  private waiters: { check: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private onClosed: (() => void)[] = [];

  constructor(private readonly opts: ElevatorBoxOptions) {
    this.eid = opts.eid;
    this.faults = [...(opts.faults ?? [])];
    if (opts.floor !== undefined) this.status.floor = opts.floor;
  }

  /**
   * Connects, answers `need_login` with its login and resolves with the server's `res_id`
   * (0 = logged in; -1 = no answer). Called again, it reconnects as the firmware does.
   */
  async connect(timeoutMs = 5000): Promise<number> {
    this.socket?.destroy();
    const socket = connect({ host: this.opts.host, port: this.opts.port, noDelay: true });
    this.socket = socket;
    this.closed = false;
    this.rest = new Uint8Array(0);
    this.loginResult = undefined;
    this.kickedWith = undefined;
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.closed = true;
      this.stop();
      for (const f of this.onClosed.splice(0)) f();
    });
    await this.next((m) => m.type === 'need_login', timeoutMs);
    this.sendRaw(encodeLogin(this.eid));
    const reply = await this.next((m) => m.type === 'login', timeoutMs).catch(() => undefined);
    if (!reply) return -1;
    return (this.loginResult = (reply as { resId: number }).resId);
  }

  /** Sends `info` now, then every `infoEveryMs`, with a `cping` every 60 of them. */
  start(): void {
    this.stop();
    this.sendInfo();
    this.timer = setInterval(() => {
      this.sendInfo();
      if (++this.infos % 60 === 0) this.sendRaw(encodeBoxCping());
    }, this.opts.infoEveryMs ?? 500);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One `info` frame with the car's status and fault set as they are now. */
  sendInfo(): void {
    this.sendRaw(encodeInfo({ ...this.status, faults: this.faults }));
  }

  cping(): void {
    this.sendRaw(encodeBoxCping());
  }

  /** Moves the car (the next `info` reports it). */
  move(floor: number, direction: InfoInput['direction'] = 'idle', door: DoorState = 'closed'): void {
    this.status = { ...this.status, floor, direction, door, inDoorZone: direction === 'idle' };
  }

  /** Any bytes, as given, in one write (tests: bad frames of every kind). */
  sendRaw(bytes: Uint8Array | string): void {
    if (!this.socket || this.socket.destroyed) return;
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  /** The next server message that passes `check`. */
  next(check: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const w = {
        check,
        resolve: (m: ServerMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error(`box ${this.eid}: no matching server message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Resolves when the server has closed the connection (or at once if it has). */
  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.onClosed.push(r));
  }

  close(): void {
    this.stop();
    this.socket?.destroy();
  }

  private onData(chunk: Buffer): void {
    const input = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const split = splitFrames(input);
    this.rest = split.rest;
    for (const frame of split.frames) {
      const d = decodeServerFrame(frame);
      const m = d.ok ? d.message : undefined;
      this.received.push(m);
      if (!m) continue;
      if (m.type === 'ping') this.sendRaw(encodeBoxPing());
      if (m.type === 'kick') {
        this.kickedWith = m.code;
        this.stop();
      }
      for (const w of [...this.waiters]) {
        if (w.check(m)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(m);
        }
      }
    }
  }
}
