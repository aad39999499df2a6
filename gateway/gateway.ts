import { Aedes, type Client } from 'aedes';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { deviceTopic, MAX_PAYLOAD_BYTES, type Ack } from '../devices/index.js';
import { assertSameEstate, CommandError, createCommands, type CommandRequest, type SendOptions } from './commands.js';
import { GatewayBus, type DeviceSession } from './events.js';
import { Connections, createHooks } from './hooks.js';
import { createIntake, deadLetter } from './intake.js';
import { acceptWebSocket, listenTcp, listenTls, type Listening } from './listeners.js';
import { limitPackets } from './packet-limit.js';
import type { Clock, CommandLog, Counters, DeviceDirectory, IntakeSink, PresenceLog } from './ports.js';
import { createPresence } from './presence.js';
import { createVendorSeam, type Transport } from './vendor.js';
import { VendorMqttRegistry, type VendorMqtt } from './vendor-mqtt.js';

export interface GatewayDeps {
  directory: DeviceDirectory;
  sink: IntakeSink;
  presenceLog: PresenceLog;
  commandLog: CommandLog;
  counters: Counters;
  clock: Clock;
  log: Logger;
}

export interface GatewayOptions {
  host: string;
  mqttPort: number;
  mqttsPort?: number;
  tls?: { cert: string; key: string };
  offlineDebounceMs: number;
  cmdAckTimeoutMs: number;
  clockSkewMs: number;
}

/**
 * Payloads over the contract's 64 KiB still reach intake (and become dead letters,
 * keeping the device connected); a packet four times that size is cut off at the
 * socket before aedes buffers it.
 */
const SOCKET_PACKET_LIMIT = 4 * MAX_PAYLOAD_BYTES;

/** The MQTT edge: embedded aedes, device auth + ACL, intake, presence, commands. */
export async function createGateway(deps: GatewayDeps, opts: GatewayOptions) {
  const log = deps.log.child({ module: 'gateway' });
  const bus = new GatewayBus((event, err) => log.error({ err, event }, 'gateway listener failed'));
  const conns = new Connections();
  const intake = createIntake({ sink: deps.sink, bus, clock: deps.clock, clockSkewMs: opts.clockSkewMs, log });
  const presence = createPresence({ log: deps.presenceLog, bus, clock: deps.clock, debounceMs: opts.offlineDebounceMs, logger: log });
  const vendorMqtt = new VendorMqttRegistry();
  const hooks = createHooks({ directory: deps.directory, counters: deps.counters, presenceLog: deps.presenceLog, intake, bus, clock: deps.clock, log, vendorMqtt }, conns);
  // drainTimeout: one frozen subscriber must not stall delivery to everyone else.
  const broker = await Aedes.createBroker({ ...hooks, drainTimeout: 10_000, maxClientsIdLength: 64 });

  const publish = (topic: string, payload: unknown, retain: boolean) =>
    broker.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain, dup: false }, (err) => {
      if (err) log.error({ err, topic }, 'publish failed');
    });
  const vendorSeam = createVendorSeam({ intake, presence, directory: deps.directory, clock: deps.clock, log });
  /** Vendor transports by name: a device registered with one gets its commands through it, not our MQTT. */
  const transports = new Map<string, Transport>();
  const commands = createCommands({
    log: deps.commandLog,
    bus,
    clock: deps.clock,
    logger: log,
    defaultTtlMs: opts.cmdAckTimeoutMs,
    publish: (device, payload) => {
      const route = deps.directory.find(device.deviceId)?.transport;
      const transport = route && transports.get(route.name);
      if (!route) publish(deviceTopic(device.estateId, device.deviceId, 'cmd'), payload, false);
      else if (transport) transport.deliver(device, payload, route.via);
      else log.warn({ deviceId: device.deviceId, transport: route.name }, 'command not delivered: its transport is not running');
    },
  });

  bus.on('message', (m) => {
    if (m.channel === 'ack') commands.onAck(m.device, m.message as unknown as Ack);
  });
  broker.on('clientReady', (client: Client) => {
    const s = conns.sessions.get(client);
    if (s && conns.latest.get(s.deviceId) === client) {
      presence.connected(s);
      conns.vendor.get(client)?.connected?.(s);
    }
  });
  broker.on('clientDisconnect', (client: Client) => {
    const s = conns.sessions.get(client);
    // A connection closed by a takeover is not the device going away.
    if (!s || conns.latest.get(s.deviceId) !== client) return;
    conns.latest.delete(s.deviceId);
    presence.disconnected(s, 'disconnected');
    conns.vendor.get(client)?.disconnected?.(s);
  });
  broker.on('clientError', (client: Client, err: Error) => log.debug({ deviceId: client.id, err: err.message }, 'client error'));

  function accept(conn: Duplex, req?: IncomingMessage): void {
    let client: Client | undefined;
    const limited = limitPackets(conn, SOCKET_PACKET_LIMIT, (announced) => {
      const s = client && conns.sessions.get(client);
      if (!s) return;
      const why = { reason: 'too-large', field: '', message: `payload: packet of ${announced} bytes cut off at the socket (limit ${SOCKET_PACKET_LIMIT})` };
      intake.submitDeadLetter(deadLetter(s, '(socket)', Buffer.alloc(0), new Date(deps.clock.now()).toISOString(), why), s, () => {});
    });
    client = broker.handle(limited, req);
  }

  presence.closeStaleIntervals();
  const listeners: Listening[] = [await listenTcp(accept, opts.mqttPort, opts.host)];
  if (opts.tls) listeners.push(await listenTls(accept, opts.mqttsPort ?? 8883, opts.host, opts.tls));
  log.info({ mqttPort: listeners[0]!.port, mqttsPort: listeners[1]?.port }, 'mqtt listening');

  function sessionOf(deviceId: string): DeviceSession {
    const rec = deps.directory.find(deviceId);
    if (!rec || rec.status !== 'active') throw new Error(`device ${deviceId} is not an active device`);
    if (rec.transport && !transports.has(rec.transport.name)) {
      throw new CommandError(`transport: device ${deviceId} is reached through ${rec.transport.name}, which this server does not run`, 'transport');
    }
    return { deviceId: rec.id, estateId: rec.estateId, kind: rec.kind };
  }

  return {
    on: bus.on.bind(bus),
    mqttPort: listeners[0]!.port,
    mqttsPort: listeners[1]?.port,
    /** Hand a WebSocket upgraded at `/mqtt` to the broker. */
    acceptWebSocket: (ws: WebSocket, req: IncomingMessage) => acceptWebSocket(accept, ws, req),
    /** A command for a device of `opts.estateId`; a device of another estate is refused (`WrongEstateError`). */
    sendCommand(deviceId: string, req: CommandRequest, opts: SendOptions) {
      return commands.send(sessionOf(deviceId), req, opts);
    },
    /**
     * Retained config (e.g. a gate's offline whitelist) the device reads on every (re)connect,
     * compiled for `opts.estateId`: a device of another estate is refused (`WrongEstateError`).
     */
    publishConfig(deviceId: string, config: Record<string, unknown>, opts: { estateId: string }): void {
      const s = sessionOf(deviceId);
      assertSameEstate(s, opts.estateId, log, 'retained config');
      // A vendor device reads no retained MQTT config; its transport pushes settings its own way, or not yet.
      const route = deps.directory.find(deviceId)?.transport;
      if (route) {
        const transport = transports.get(route.name);
        if (transport?.config) return transport.config(s, config, route.via);
        return void log.debug({ deviceId, transport: route.name }, 'config not published: its vendor transport does not take configs');
      }
      publish(deviceTopic(s.estateId, s.deviceId, 'config'), config, true);
    },
    /** Close a device's connection now (secret rotated, decommissioned); a vendor transport drops what it holds for it. */
    disconnect(deviceId: string): void {
      conns.forget(deviceId);
      conns.latest.get(deviceId)?.close();
      for (const t of transports.values()) t.forget?.(deviceId);
      vendorSeam.gone([deviceId], 'disconnected');
    },
    /**
     * The seam for vendor transports at the edge (HTTP push, TCP, vendor MQTT topics):
     * decoded contract messages into the same intake, dead letters, presence.
     */
    vendorIntake: vendorSeam,
    /** Vendor devices on their own MQTT topics: the transport's ACL and reader for them (gateway/vendor-mqtt.ts). */
    registerVendorMqtt: (name: string, handler: VendorMqtt) => vendorMqtt.register(name, handler),
    /** A vendor transport's downlink on its devices' own topics (QoS 1, not retained); only subscribed devices that its ACL let in receive it. */
    publishVendor(topic: string, payload: Buffer, done?: (err?: Error) => void): void {
      broker.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (err) => {
        if (err) log.error({ err, topic }, 'vendor publish failed');
        done?.(err ?? undefined);
      });
    },
    /** Whether the device's own MQTT connection is up now (vendor devices on our broker). */
    mqttConnected: (deviceId: string) => conns.latest.has(deviceId),
    /** A vendor transport's way to receive the commands of the devices registered with it. */
    hasTransport: (name: string) => transports.has(name),
    registerTransport(name: string, transport: Transport): () => void {
      transports.set(name, transport);
      return () => {
        if (transports.get(name) === transport) transports.delete(name);
      };
    },
    isOnline: (deviceId: string) => presence.isOnline(deviceId),
    stats: () => ({ connected: broker.connectedClients, online: presence.onlineCount(), commandsInFlight: commands.inFlightCount() }),
    /** Stop intake first (listeners), then write what is queued, then close the broker. */
    async close(): Promise<void> {
      // A listening server closes only once its sockets have: stop accepting, then close the clients.
      const stopped = Promise.all(listeners.map((l) => l.close().catch(() => undefined)));
      for (const client of conns.latest.values()) client.close();
      await stopped;
      vendorSeam.close();
      intake.close();
      commands.close();
      presence.close();
      await new Promise<void>((res) => broker.close(() => res()));
    },
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;
