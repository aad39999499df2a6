import mqtt, { type MqttClient } from 'mqtt';
import { decodeFrame } from '../../devices/vendors/led485/codec.js';

/**
 * A 臻识 Vzenith plate camera on MQTT (vzicloud "MQTT" messages): it connects to the
 * broker with the settings its registration gave (`connect.mqtt`), publishes
 * `ivs_result` (license in base64, as the camera does), `keep_alive` and `gpio_in` on
 * `{prefix}/message/up/…`, reads `{prefix}/message/down/#`, pulses its relay on
 * `gpio_out`, shows / says what `serial_data` frames carry on its RS-485 board, and
 * replies `{code: 200, id}` on `…/down/{name}/reply` like the field-tested camera
 * (mqtt-gpio_out-reply.json). Built from the vendor's messages, never from Linli's contract.
 */

export interface VzenithMqttSimOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  sn: string;
  /** The firmware's topic layout; default `device/{sn}`. */
  layout?: 'device/{sn}' | '{sn}/device' | '$/device/{sn}';
  /** Reply to downlinks (default true). */
  reply?: boolean;
}

export class VzenithMqttSim {
  client!: MqttClient;
  readonly prefix: string;
  /** Relay pulses received (`gpio_out`): output, ms, when. */
  readonly pulses: { io: number; delay: number; atMs: number }[] = [];
  readonly led: string[] = [];
  readonly voice: string[] = [];
  readonly down: { name: string; json: any }[] = [];
  private seq = Math.floor(Math.random() * 1e6);
  private waiters = new Set<() => void>();

  constructor(readonly opts: VzenithMqttSimOptions) {
    this.prefix = (opts.layout ?? 'device/{sn}').replace('{sn}', opts.sn);
  }

  async connect(): Promise<this> {
    const c = mqtt.connect(this.opts.url, { clientId: this.opts.clientId, username: this.opts.username, password: this.opts.password, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 3000 });
    this.client = c;
    c.on('message', (topic, payload) => this.onMessage(topic, payload));
    c.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    });
    await c.subscribeAsync(`${this.prefix}/message/down/#`, { qos: 1 });
    return this;
  }

  private onMessage(topic: string, payload: Buffer): void {
    let json: any;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const name = topic.slice(`${this.prefix}/message/down/`.length);
    this.down.push({ name, json });
    const body = json?.payload?.body ?? {};
    if (name === 'gpio_out' && body.value === 2) this.pulses.push({ io: body.io, delay: body.delay, atMs: Date.now() });
    if (name === 'serial_data' && typeof body.data === 'string') {
      const f = decodeFrame(Buffer.from(body.data, 'base64'));
      const b = f.ok ? (f.frame.body as { kind?: string; text?: string }) : undefined;
      if (b?.kind === 'temporary-text' && b.text) this.led.push(b.text);
      if (b?.kind === 'voice' && b.text) this.voice.push(b.text);
    }
    if (this.opts.reply !== false && typeof json?.id === 'string') {
      const reply = { code: 200, id: json.id, name, payload: null, sn: this.opts.sn, timestamp: Math.floor(Date.now() / 1000), version: '1.0' };
      this.client.publish(`${this.prefix}/message/down/${name}/reply`, JSON.stringify(reply), { qos: 1 });
    }
    for (const w of [...this.waiters]) w();
  }

  private envelope(name: string, payload: unknown): string {
    return JSON.stringify({ id: `sim${++this.seq}`, sn: this.opts.sn, name, version: '1.0', timestamp: Math.floor(Date.now() / 1000), payload });
  }

  /** A plate read: `ivs_result` with the license in base64 and the camera's clock. */
  async plate(plate: string, o: { confidence?: number; colorType?: number } = {}): Promise<void> {
    const now = Date.now();
    const bj = new Date(now + 8 * 3_600_000);
    const result = {
      license: Buffer.from(plate, 'utf8').toString('base64'),
      colorType: o.colorType ?? 1,
      confidence: o.confidence ?? 95,
      plateid: ++this.seq,
      isoffline: 0,
      type: 1,
      triggerType: 4,
      timeStamp: { Timeval: { sec: Math.floor(now / 1000), usec: (now % 1000) * 1000, decyear: bj.getUTCFullYear(), decmon: bj.getUTCMonth() + 1, decday: bj.getUTCDate(), dechour: bj.getUTCHours(), decmin: bj.getUTCMinutes(), decsec: bj.getUTCSeconds() } },
    };
    await this.client.publishAsync(`${this.prefix}/message/up/ivs_result`, this.envelope('ivs_result', { AlarmInfoPlate: { channel: 0, deviceName: 'IVS', serialno: this.opts.sn, result: { PlateResult: result } } }), { qos: 1 });
  }

  async keepAlive(): Promise<void> {
    await this.client.publishAsync(`${this.prefix}/message/up/keep_alive`, this.envelope('keep_alive', { type: 'keep_alive', body: {} }), { qos: 1 });
  }

  /** The loop detector's input changed. */
  async gpioIn(value: 0 | 1 = 1, source = 0): Promise<void> {
    await this.client.publishAsync(`${this.prefix}/message/up/gpio_in`, this.envelope('gpio_in', { type: 'gpio_in', body: { source, value } }), { qos: 1 });
  }

  /** Waits until `check` holds (after a downlink), or throws after `timeoutMs`. */
  async until(check: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`vzenith-mqtt-sim ${this.opts.sn}: condition not met`);
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

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
