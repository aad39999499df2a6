import { CMD, Writer, type DecodedDownlink } from '../../devices/vendors/juy/index.js';
import { ChargerSim, type ChargerSimOptions } from '../lib/charger-sim.js';
import type { Fields, Sent } from '../lib/sim-device.js';
import { JuySim } from './juy-sim.js';

export interface JuyChargerSimOptions extends ChargerSimOptions {
  /** `connect.tcp` from the registration's answer. */
  tcp: { host: string; port: number };
  /** The 4G module's IMEI, as registered (`serialNo`). */
  imei: string;
  /** Real ms between heartbeats (the server asks for 60 s and marks the board offline after three missed). */
  heartbeatMs?: number;
}

/** 0x85 stop reasons (TCP 通信协议 V1.2): what ended a charge, by what the shed saw. */
const END_REASON: Record<string, number> = { full: 0, 'max-minutes': 1, stop: 3, 'max-wh': 4, 'no-charger': 6, overtemp: 7 };
const HEARTBEAT_MS = 30_000;
/** A "charge until full" start still stops by itself after this long (the board's own limit). */
const FULL_MODE_MINUTES = 12 * 60;
const WH_PER_UNIT = 10; // the board counts energy in 0.01 kWh

/**
 * An e-bike shed whose controller is a JUY-class 4G board speaking its binary 5AA5
 * frames over TCP to Linli's JUY listener: the bikes, batteries and relays are a
 * `ChargerSim`'s, the wire is the vendor's. A swipe is a `0x87` card request
 * (the card's number as the reader reports it), the server's `0x83` start or
 * `0x84` stop is answered and acted on, a `0x87` refusal sends the bike away, a
 * charge that ends (full, limit reached, stopped, unplugged, overheated) is a
 * `0x85` with its meter, live power goes as `0x88`, and heartbeats (`0x82`) carry
 * every port's status byte.
 */
export class JuyChargerSim extends ChargerSim {
  private readonly board: JuySim;
  /** The state each port last reported through the simulation (to tell an unplug mid-charge from one after). */
  private readonly last = new Map<number, string>();
  /** The order the server started on each port, and when. */
  private readonly running = new Map<number, { orderNo: number; cardNo: number; sinceMs: number }>();
  private loggedIn = false;
  private stopped = false;

  constructor(private readonly juyOpts: JuyChargerSimOptions) {
    super(juyOpts);
    this.board = new JuySim({ host: juyOpts.tcp.host, port: juyOpts.tcp.port, imei: juyOpts.imei, ports: juyOpts.ports, autoAnswer: false });
  }

  override get online(): boolean {
    return this.loggedIn && !this.board.closed;
  }

  /** Logs in over TCP instead of MQTT, then heartbeats and reads the server's frames. */
  protected override async openLink(): Promise<void> {
    await this.board.connect();
    const reply = await this.board.login();
    if (reply.frame.detail.kind !== 'login-reply' || (reply.frame.detail.result !== 0 && reply.frame.detail.result !== 0xf0)) {
      await this.board.close();
      throw new Error(`${this.deviceId}: the JUY listener refused the board's login`);
    }
    this.loggedIn = true;
    this.timers.every(this.juyOpts.heartbeatMs ?? HEARTBEAT_MS, () => this.heartbeat());
    void this.listen();
  }

  override async close(opts: { abrupt?: boolean } = {}): Promise<void> {
    this.stopped = true;
    await super.close(opts);
    await this.board.close();
  }

  /**
   * What the shed would have published, told in the board's frames: a swipe is a
   * `0x87`, a charge ending a `0x85`; states the board cannot tell apart (a bike
   * plugged in but not charging) only change the next heartbeat's status byte.
   */
  override publishEvent(type: string, fields: Fields = {}): Promise<Sent> {
    const sent = { ...this.envelope(type), ...fields } as Sent;
    if (!this.online) return Promise.resolve(sent);
    const port = Number(fields.port);
    if (type === 'port.request') this.swipe(port, String(fields.cardId));
    else if (type === 'port.state') this.portChanged(port, String(fields.state), typeof fields.reason === 'string' ? fields.reason : undefined);
    // Alarms: an overheat reaches the server as the 0x85 that it ended the charge with.
    return Promise.resolve(sent);
  }

  /** Live readings of the charging ports as `0x88`. */
  override publishTelemetry(fields: Fields): Promise<Sent> {
    const sent = { ...this.envelope('telemetry'), ...fields } as Sent;
    if (!this.online) return Promise.resolve(sent);
    const readings = this.ports
      .filter((p) => p.state === 'charging')
      .map((p) => ({ port: p.port, powerW: Math.round(p.powerW), energy: Math.round(p.energyWh / WH_PER_UNIT), tempC: Math.round(p.tempC), seconds: this.secondsOn(p.port) }));
    if (readings.length > 0) this.board.portData(readings);
    return Promise.resolve(sent);
  }

  private heartbeat(): void {
    if (!this.online) return;
    this.board.heartbeat().catch(() => undefined);
  }

  private secondsOn(port: number): number {
    const r = this.running.get(port);
    return r ? Math.max(0, Math.round((Date.now() - r.sinceMs) / 1000)) : 0;
  }

  private swipe(port: number, cardId: string): void {
    if (!/^\d{1,10}$/.test(cardId) || Number(cardId) > 0xffffffff) {
      // The reader reports a card by its 32-bit number; one it cannot read is no request at all: the resident gives up.
      this.log.warn({ deviceId: this.deviceId, port }, 'card not readable by the JUY reader: no request sent');
      this.handleCommand({ type: 'deny', cmdId: `local-${port}`, port, reason: 'card-unreadable' });
      return;
    }
    this.board.status[port - 1] = 0;
    this.board.swipe(port, Number(cardId));
  }

  private portChanged(port: number, state: string, reason: string | undefined): void {
    const was = this.last.get(port);
    this.last.set(port, state);
    const run = this.running.get(port);
    if (state === 'charging') {
      this.board.status[port - 1] = 1;
      return;
    }
    if (was === 'charging' && run) {
      // The relay opened: the board reports the charge's end with its meter, and resends until answered.
      const code = state === 'available' ? END_REASON['no-charger']! : state === 'fault' ? END_REASON.overtemp! : (END_REASON[state === 'full' ? 'full' : (reason ?? 'stop')] ?? END_REASON.stop!);
      const p = this.ports[port - 1]!;
      this.board.orders.set(port, { orderNo: run.orderNo, cardNo: run.cardNo, startedAtMs: run.sinceMs });
      this.board.end(port, { reason: code, orderNo: run.orderNo, seconds: this.secondsOn(port), energy: Math.round(p.energyWh / WH_PER_UNIT), powerW: Math.round(p.powerW) });
      this.running.delete(port);
    }
    this.board.status[port - 1] = state === 'fault' ? 4 : 0;
  }

  /** The server's frames, in order, as they arrive. */
  private async listen(): Promise<void> {
    let seen = 0;
    while (!this.stopped && !this.board.closed) {
      try {
        await this.board.next(() => true, seen, 60_000);
      } catch {
        continue;
      }
      const fresh = this.board.received.slice(seen);
      seen += fresh.length;
      for (const r of fresh) if (r.frame.ok) this.act(r.frame as DecodedDownlink);
    }
    this.loggedIn = false;
    if (!this.stopped) this.emit('offline');
  }

  private act(f: DecodedDownlink): void {
    const d = f.detail;
    if (d.kind === 'start') {
      const minutes =
        d.chargeModeName === 'time' ? Math.max(1, Math.ceil(d.param / 60)) : FULL_MODE_MINUTES;
      const result = this.handleCommand({ type: 'start', cmdId: `juy-${d.orderNo}`, port: d.port, sessionId: `juy-order-${d.orderNo}`, maxMinutes: minutes, ...(d.chargeModeName === 'energy' ? { maxWh: d.param * WH_PER_UNIT } : {}) });
      if (result.ok) this.running.set(d.port, { orderNo: d.orderNo, cardNo: d.cardNo, sinceMs: Date.now() });
      this.board.send(CMD.remoteStart, new Writer().u8(d.port).u32(d.orderNo).u8(d.startMode).u8(result.ok ? 0 : 1).bytes());
    } else if (d.kind === 'stop') {
      const run = this.running.get(d.port);
      const result = !run ? 1 : run.orderNo !== d.orderNo ? 2 : 0;
      this.board.send(CMD.remoteStop, new Writer().u8(d.port).u32(d.orderNo).u8(result).bytes());
      // The relay opens; the end (0x85, manual) follows from the port's own change.
      if (result === 0) this.handleCommand({ type: 'stop', cmdId: `juy-stop-${d.orderNo}`, port: d.port, reason: 'server' });
    } else if (d.kind === 'card-auth-reply' && d.result !== 0) {
      this.handleCommand({ type: 'deny', cmdId: `juy-deny-${d.port}`, port: d.port, reason: `juy-${d.result}` });
    }
  }
}
