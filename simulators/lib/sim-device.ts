import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { deviceTopic, kindDef, parseUplink, Status, type Ack, type DeviceKind, type UplinkChannel } from '../../devices/index.js';
import { CommandInbox, type CommandResult, type ParsedCommand } from './command-inbox.js';
import { createIdSource } from './message-ids.js';
import { createPace, type Pace } from './pace.js';
import { createRng, type Rng } from './random.js';
import { silentLog, type SimLog } from './sim-log.js';
import { Timers } from './timers.js';

export interface SimDeviceOptions {
  mqttUrl: string;
  estateId: string;
  deviceId: string;
  secret: string;
  fw?: string;
  pace?: Pace;
  rng?: Rng;
  log?: SimLog;
  /** Check every outgoing payload against devices/ (a simulator bug throws). Default true; off only for load runs. */
  validate?: boolean;
  /** Per-run tag inside message ids; defaults to a fresh one. */
  idTag?: string;
  /** Extra MQTT.js options (tests: reconnectPeriod, keepalive). */
  mqtt?: Partial<IClientOptions>;
  /** The device's own clock (message `ts`, command expiry); tests share one with the server to let an hour pass. */
  clock?: () => number;
}

export type Fields = Record<string, unknown>;
/** What a device published: the envelope fields are always there. */
export type Sent = Fields & { id: string; ts: string; type: string };

const OFFLINE = JSON.stringify({ online: false });
const CONNECT_TIMEOUT_MS = 10_000;
const GOODBYE_TIMEOUT_MS = 2_000;

/**
 * One simulated device on a real MQTT connection, speaking contract v1: Last Will
 * and retained status, its own `cmd` and `config`, acks with de-duplication and
 * expiry. Kinds extend it with `handleCommand` and their own behaviour.
 * `cutLink()` / `restoreLink()` play a network outage: the socket drops (the
 * broker publishes the Will), events are kept in the device's memory if the kind
 * buffers them (`buffersEvents`) and sent, with their own times, once it is back.
 * Local events: 'online', 'offline', 'command' (cmd, result), 'config' (config), 'refused' (error), 'link' (up).
 */
export abstract class SimDevice extends EventEmitter {
  readonly estateId: string;
  readonly deviceId: string;
  readonly fw: string;
  protected readonly pace: Pace;
  protected readonly rng: Rng;
  protected readonly log: SimLog;
  protected readonly timers: Timers;
  private readonly inbox: CommandInbox;
  private readonly nextId: () => string;
  protected readonly now: () => number;
  private client: MqttClient | undefined;
  private cut = false;
  private readonly outbox: { channel: UplinkChannel; message: Sent; qos: 0 | 1 }[] = [];
  /** Whether events published while the link is cut are kept and sent later (a gate controller's flash), or lost. */
  protected buffersEvents = false;

  protected constructor(readonly kind: DeviceKind, private readonly opts: SimDeviceOptions) {
    super();
    this.estateId = opts.estateId;
    this.deviceId = opts.deviceId;
    this.fw = opts.fw ?? '1.0.0-sim';
    this.pace = opts.pace ?? createPace();
    this.rng = opts.rng ?? createRng();
    this.log = opts.log ?? silentLog;
    this.timers = new Timers(this.log, opts.deviceId);
    this.now = opts.clock ?? Date.now;
    this.inbox = new CommandInbox(kind, this.now);
    this.nextId = createIdSource(opts.deviceId, opts.idTag);
  }

  get online(): boolean {
    return this.client?.connected ?? false;
  }

  /** false between `cutLink()` and `restoreLink()`. */
  get linkUp(): boolean {
    return !this.cut;
  }

  topic(channel: Parameters<typeof deviceTopic>[2]): string {
    return deviceTopic(this.estateId, this.deviceId, channel);
  }

  /** Connects and resolves once the broker accepted us; rejects on bad credentials or timeout. */
  async start(): Promise<void> {
    await this.openLink();
  }

  /** How the device reaches the server: its MQTT connection. A device that speaks a vendor's protocol instead overrides this. */
  protected async openLink(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = mqtt.connect(this.opts.mqttUrl, {
      protocolVersion: 4, // the embedded aedes broker speaks MQTT 3.1.1 only
      clientId: this.deviceId,
      username: this.deviceId,
      password: this.opts.secret,
      clean: true,
      reconnectPeriod: 1_000,
      connectTimeout: CONNECT_TIMEOUT_MS,
      will: { topic: this.topic('status'), payload: Buffer.from(OFFLINE), qos: 1, retain: true },
      ...this.opts.mqtt,
    });
    this.client = client;
    let subscribed = false;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('connect', () => {
      const first = !subscribed;
      subscribed = true;
      this.onConnect(client, first).catch((err: unknown) => {
        if (this.client === client) this.reportFailure(err, 'connect'); // after close() a cut-off subscribe is expected
      });
    });
    client.on('offline', () => this.emit('offline'));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        client.end(true);
        reject(new Error(`${this.deviceId}: MQTT connect refused (${err.message})`));
      };
      client.once('error', onError);
      client.once('connect', () => {
        client.off('error', onError);
        client.on('error', (err) => this.onClientError(err));
        resolve();
      });
    });
  }

  /** Publishes an event (QoS 1) and returns it, id included. */
  publishEvent(type: string, fields: Fields = {}): Promise<Sent> {
    return this.send('event', { ...this.envelope(type), ...fields }, 1);
  }

  publishTelemetry(fields: Fields, qos: 0 | 1 = 0): Promise<Sent> {
    return this.send('telemetry', { ...this.envelope('telemetry'), ...fields }, qos);
  }

  /** A network outage: the socket drops without DISCONNECT, so the broker publishes the Last Will. */
  cutLink(): void {
    const client = this.client;
    if (this.cut || !client) return;
    this.cut = true;
    this.client = undefined;
    client.end(true);
    this.log.debug({ deviceId: this.deviceId }, 'link cut');
    this.emit('link', false);
  }

  /** The network is back: reconnect, say online, then send what was kept meanwhile, oldest first. */
  async restoreLink(): Promise<void> {
    if (!this.cut || this.timers.isClosed) return;
    await this.connect();
    this.cut = false;
    const kept = this.outbox.splice(0);
    for (const m of kept) await this.send(m.channel, m.message, m.qos);
    this.log.debug({ deviceId: this.deviceId, sent: kept.length }, 'link restored');
    this.emit('link', true);
  }

  /**
   * Graceful: says `{"online":false}` itself, then disconnects. Abrupt: drops the
   * socket without DISCONNECT, so the broker publishes the Last Will — a power cut.
   */
  async close(opts: { abrupt?: boolean } = {}): Promise<void> {
    this.timers.close();
    this.outbox.length = 0;
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (opts.abrupt || !client.connected) {
      client.end(true);
      return;
    }
    await withTimeout(client.publishAsync(this.topic('status'), OFFLINE, { qos: 1, retain: true }), GOODBYE_TIMEOUT_MS).catch(() => undefined);
    await withTimeout(client.endAsync(), GOODBYE_TIMEOUT_MS).catch(() => client.end(true));
  }

  /** A kind's answer to a command that passed its schema and has not expired. Quick and synchronous: the ack goes right after. */
  protected abstract handleCommand(cmd: ParsedCommand): CommandResult;

  /** A kind with a retained config (gates) overrides this. */
  protected applyConfig(_config: Fields): void {}

  /** Fields added to the retained `{"online":true,"fw":…}` (gates: the configVersion they hold). */
  protected statusFields(): Fields {
    return {};
  }

  /** Publishes the retained status again, e.g. after a new config arrived. */
  protected async republishStatus(): Promise<void> {
    const client = this.client;
    if (client?.connected) await this.publishStatus(client);
  }

  protected envelope(type: string): { id: string; ts: string; type: string } {
    return { id: this.nextId(), ts: new Date(this.now()).toISOString(), type };
  }

  private async send(channel: UplinkChannel, message: Sent, qos: 0 | 1, retain = false): Promise<Sent> {
    const payload = JSON.stringify(message);
    if (this.opts.validate !== false) {
      const check = parseUplink(this.kind, channel, payload);
      if (!check.ok) throw new Error(`simulator bug: ${this.deviceId} ${channel} ${message.type}: ${check.message}`);
    }
    if (this.cut) {
      // No network: a gate keeps its events for later; telemetry and a camera's reads are lost.
      if (channel === 'event' && this.buffersEvents) this.outbox.push({ channel, message, qos });
      return message;
    }
    const client = this.client;
    if (!client) throw new Error(`${this.deviceId}: not started or already closed`);
    await client.publishAsync(this.topic(channel), payload, { qos, retain });
    return message;
  }

  private async publishStatus(client: MqttClient): Promise<void> {
    const status = { online: true, fw: this.fw, ...this.statusFields() };
    if (this.opts.validate !== false) {
      const check = Status.safeParse(status);
      if (!check.success) throw new Error(`simulator bug: ${this.deviceId} status: ${check.error.issues[0]?.message}`);
    }
    await client.publishAsync(this.topic('status'), JSON.stringify(status), { qos: 1, retain: true });
  }

  private async onConnect(client: MqttClient, first: boolean): Promise<void> {
    this.log.debug({ deviceId: this.deviceId }, 'device connected');
    await this.publishStatus(client);
    if (first) {
      // Later reconnects of the same client re-subscribe by themselves (MQTT.js `resubscribe`).
      const granted = await client.subscribeAsync([this.topic('cmd'), this.topic('config')], { qos: 1 });
      const refused = granted.filter((g) => g.qos === 0x80).map((g) => g.topic);
      if (refused.length > 0) this.log.error({ deviceId: this.deviceId, refused }, 'broker refused our own subscriptions');
    }
    this.emit('online');
  }

  private onClientError(err: Error): void {
    // CONNACK refusals (rotated secret, decommissioned) stop MQTT.js reconnecting: say so once.
    this.log.warn({ deviceId: this.deviceId, err: err.message }, 'device connection error');
    this.emit('refused', err);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === this.topic('cmd')) this.onCommand(payload).catch((err: unknown) => this.reportFailure(err, 'command'));
    else if (topic === this.topic('config')) this.onConfig(payload);
  }

  private async onCommand(payload: Buffer): Promise<void> {
    const outcome = this.inbox.receive(payload);
    switch (outcome.action) {
      case 'drop':
        this.log.warn({ deviceId: this.deviceId, reason: outcome.reason }, 'command dropped');
        return;
      case 'reack':
        this.log.debug({ deviceId: this.deviceId, cmdId: outcome.ack.cmdId }, 'duplicate command: same ack again');
        await this.send('ack', outcome.ack, 1);
        return;
      case 'refuse':
        await this.ack(outcome.cmdId, { ok: false, error: outcome.error });
        return;
      case 'execute': {
        const result = this.handleCommand(outcome.cmd);
        await this.ack(outcome.cmd.cmdId, result);
        this.emit('command', outcome.cmd, result);
      }
    }
  }

  private async ack(cmdId: string, result: CommandResult): Promise<void> {
    const ack: Ack = { ...this.envelope('ack'), type: 'ack', cmdId, ...result };
    this.inbox.remember(ack);
    await this.send('ack', ack, 1);
  }

  private onConfig(payload: Buffer): void {
    const schema = kindDef(this.kind).config;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString());
    } catch {
      this.log.warn({ deviceId: this.deviceId }, 'config is not JSON: ignored');
      return;
    }
    const parsed = schema ? schema.safeParse(json) : { success: true as const, data: json };
    if (!parsed.success) {
      this.log.warn({ deviceId: this.deviceId, issue: parsed.error.issues[0]?.message }, 'config fails its schema: ignored');
      return;
    }
    this.applyConfig(parsed.data as Fields);
    this.emit('config', parsed.data);
  }

  protected reportFailure(err: unknown, what: string): void {
    this.log.error({ deviceId: this.deviceId, what, err: (err as Error)?.message ?? String(err) }, 'simulated device failed');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
