import { connect, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { buildFrame, CMD, decodeDownlink, juyTopic, splitFrames, Writer, type DecodedDownlink } from '../../devices/vendors/juy/index.js';

/**
 * A JUY-class shed controller (4G board, "TCP 通信协议" V1.2) speaking its
 * binary 5AA5 frames over raw TCP to Linli's JUY listener — built from the
 * vendor document and its samples, never from Linli's contract. Like the real
 * board it logs in (0x81) and waits for the answer, sends heartbeats with its
 * port states (0x82), answers a start (0x83) and a stop (0x84) and starts or
 * stops the port, reports a charge's end (0x85) until it is acked, asks for a
 * card (0x87) and reports live power (0x88).
 */

export interface JuySimOptions {
  host: string;
  port: number;
  imei: string;
  ports: number;
  /** Log in with a protocol version (≥ 0x64): the server may switch it to the IMEI format (0xF0). */
  imeiFormat?: boolean;
  firmware?: string;
  /** Answer a start / stop by itself (default true); a stop is followed by its 0x85 end (reason 3, manual). */
  autoAnswer?: boolean;
  /**
   * Speak MQTT instead of raw TCP (host/port are the broker's): one frame per publish on
   * JUY/D2S/{IMEI}/{CMD}/DEV, the server's on JUY/S2D/{IMEI}/+/SERVER. Client id the IMEI.
   */
  mqtt?: { username: string; password: string };
}

export interface Received {
  atMs: number;
  bytes: Uint8Array;
  frame: DecodedDownlink | { ok: false; reason: string; message: string };
}

/** Port status bytes of a heartbeat: 0 idle, 1 in use, 2 fuse blown, 3 relay welded, 4 disabled. */
export type PortStatus = 0 | 1 | 2 | 3 | 4;

export class JuySim {
  readonly received: Received[] = [];
  readonly status: PortStatus[];
  /** The order running on each port, from the server's 0x83. */
  readonly orders = new Map<number, { orderNo: number; cardNo: number; startedAtMs: number }>();
  /** Whether the server switched this board to the IMEI format. */
  addressed = false;
  closed = false;
  private socket!: Socket;
  /** The MQTT connection, in MQTT mode (tests publish through it as this board). */
  client?: MqttClient;
  private rest: Uint8Array = new Uint8Array(0);
  private waiters = new Set<() => void>();

  constructor(readonly opts: JuySimOptions) {
    this.status = Array.from({ length: opts.ports }, () => 0 as PortStatus);
  }

  /** Opens the TCP connection (no login yet). */
  async connect(): Promise<this> {
    if (this.opts.mqtt) return this.connectMqtt(this.opts.mqtt);
    this.socket = connect({ host: this.opts.host, port: this.opts.port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    this.socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    return this;
  }

  private async connectMqtt(login: { username: string; password: string }): Promise<this> {
    const c = mqtt.connect(`mqtt://${this.opts.host}:${this.opts.port}`, { clientId: this.opts.imei, ...login, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000 });
    this.client = c;
    c.on('message', (_topic, payload) => this.onData(payload));
    c.on('close', () => {
      this.closed = true;
      this.notify();
    });
    c.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
      c.once('close', () => reject(new Error('juy-sim: the broker refused the connection')));
    });
    await c.subscribeAsync(`JUY/S2D/${this.opts.imei}/+/SERVER`, { qos: 1 });
    return this;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private onData(chunk: Buffer): void {
    const split = splitFrames(this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk);
    this.rest = split.rest;
    for (const bytes of split.frames) {
      const frame = decodeDownlink(bytes);
      this.received.push({ atMs: Date.now(), bytes, frame });
      if (frame.ok) this.act(frame);
    }
    for (const r of split.rejected) this.received.push({ atMs: Date.now(), bytes: r.bytes, frame: { ok: false, reason: r.reason, message: r.message } });
    this.notify();
  }

  private act(f: DecodedDownlink): void {
    const d = f.detail;
    if (d.kind === 'login-reply') this.addressed = d.result === 0xf0;
    if (this.opts.autoAnswer === false) return;
    if (d.kind === 'start') {
      const busy = this.status[d.port - 1] === 1;
      this.send(CMD.remoteStart, new Writer().u8(d.port).u32(d.orderNo).u8(d.startMode).u8(busy ? 1 : 0).bytes());
      if (!busy) {
        this.status[d.port - 1] = 1;
        this.orders.set(d.port, { orderNo: d.orderNo, cardNo: d.cardNo, startedAtMs: Date.now() });
      }
    } else if (d.kind === 'stop') {
      const o = this.orders.get(d.port);
      const result = !o ? 1 : o.orderNo !== d.orderNo ? 2 : 0;
      this.send(CMD.remoteStop, new Writer().u8(d.port).u32(d.orderNo).u8(result).bytes());
      if (result === 0) void this.end(d.port, { reason: 3 });
    }
  }

  /** Waits for a frame from the server matching `pick` among those received from index `after` on. */
  async next(pick: (f: DecodedDownlink) => boolean, after = 0, timeoutMs = 3000): Promise<Received & { frame: DecodedDownlink }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.slice(after).find((r) => r.frame.ok && pick(r.frame));
      if (hit) return hit as Received & { frame: DecodedDownlink };
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) throw new Error(`juy-sim ${this.opts.imei}: no matching frame from the server${this.closed ? ' (connection closed)' : ''}`);
      await new Promise<void>((resolve) => {
        const w = () => {
          clearTimeout(t);
          this.waiters.delete(w);
          resolve();
        };
        const t = setTimeout(w, left);
        this.waiters.add(w);
      });
    }
  }

  /** Waits until the server closes the connection. */
  async closedByServer(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('juy-sim: the server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** One frame as this board writes it (in the IMEI format once switched). */
  frame(command: number, data: Uint8Array, imei = this.addressed ? this.opts.imei : undefined): Uint8Array {
    const f = buildFrame(command, data, imei === undefined ? {} : { imei });
    if (!(f instanceof Uint8Array)) throw new Error(f.message);
    return f;
  }

  send(command: number, data: Uint8Array): Uint8Array {
    const f = this.frame(command, data);
    this.raw(f);
    return f;
  }

  /** Bytes exactly as given (a resend, a damaged frame, noise). */
  raw(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.client) {
      // One frame per publish; bytes too short to have a CMD go out on the login topic.
      const cmd = bytes.length > 4 && bytes[0] === 0x5a && bytes[1] === 0xa5 ? bytes[4]! : CMD.login;
      this.client.publish(juyTopic('up', this.opts.imei, cmd), Buffer.from(bytes), { qos: 1 });
    } else this.socket.write(bytes);
  }

  /** 0x81 login: IMEI, ports, hardware, software, ICCID, signal or protocol version, reason (0 power-on). */
  async login(): Promise<Received & { frame: DecodedDownlink }> {
    const text = (s: string, n: number) => {
      const b = new Uint8Array(n);
      b.set(new TextEncoder().encode(s).subarray(0, n));
      return b;
    };
    const w = new Writer().u8(this.opts.ports);
    const data = Uint8Array.from([
      ...w.bytes(),
      ...text('JUY-4G-V2', 16),
      ...text(this.opts.firmware ?? 'JUY_V1.2.7', 16),
      ...text('89860412102080123456', 20),
      this.opts.imeiFormat ? 0x64 : 25,
      0,
    ]);
    const after = this.received.length;
    this.raw(this.frame(CMD.login, data, this.opts.imei));
    return this.next((f) => f.detail.kind === 'login-reply', after);
  }

  /** 0x82 heartbeat with the ports' status bytes; resolves with the server's answer. */
  async heartbeat(): Promise<void> {
    const after = this.received.length;
    this.send(CMD.heartbeat, Uint8Array.from([25, 30, this.opts.ports, ...this.status]));
    await this.next((f) => f.detail.kind === 'heartbeat-reply', after);
  }

  /** 0x87: a card held to the reader of `port`, asking to charge (operation 2). */
  swipe(port: number, cardNo: number): Uint8Array {
    return this.send(CMD.cardAuth, new Writer().u8(port).u32(cardNo).u8(2).bytes());
  }

  /**
   * 0x85: the charge on `port` ended (reason 0 full, 1 time, 3 manual, 4 energy, 6 no charger, 8 smoke …);
   * energy in the device's 0.01 kWh. Returns the frame, so a test can resend it as the board does when unanswered.
   */
  end(port: number, o: { reason: number; orderNo?: number; seconds?: number; energy?: number; moneyFen?: number; powerW?: number }): Uint8Array {
    const order = this.orders.get(port);
    const orderNo = o.orderNo ?? order?.orderNo ?? 1;
    const seconds = o.seconds ?? (order ? Math.round((Date.now() - order.startedAtMs) / 1000) : 0);
    const data = new Writer()
      .u8(port)
      .u32(orderNo)
      .u32(seconds)
      .u32(o.energy ?? 0)
      .u32(o.moneyFen ?? 0)
      .u8(o.reason)
      .u16(o.powerW ?? 0)
      .u32(order?.cardNo ?? 0)
      .u8(0)
      .zeros(8)
      .bytes();
    this.orders.delete(port);
    this.status[port - 1] = o.reason === 5 || o.reason === 7 || o.reason === 8 ? this.status[port - 1]! : 0;
    return this.send(CMD.end, data);
  }

  /** 0x88 live readings of the working ports: power W, energy in 0.01 kWh, temperature °C. */
  portData(readings: { port: number; powerW: number; energy: number; tempC: number; seconds?: number }[]): Uint8Array {
    const w = new Writer().u8(readings.length).u16(2200).u8(30);
    for (const r of readings) w.u8(r.port).u8(1).u16(100).u16(r.powerW).u32(r.seconds ?? 60).u16(0).u32(r.energy).u8(r.tempC & 0xff);
    return this.send(CMD.portData, w.bytes());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.client) return void (await this.client.endAsync(true));
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }
}
