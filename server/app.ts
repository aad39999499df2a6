import type { Logger } from 'pino';
import { createGateway, systemClock, type Clock } from '../gateway/index.js';
import { createAuth } from './auth/sessions.js';
import type { Config } from './config.js';
import { buildHttp } from './http/app.js';
import { createLiveHub } from './live/hub.js';
import { createPrivacy } from './privacy/personal-data.js';
import { createMetrics } from './metrics.js';
import { openSqliteStore } from './store/index.js';
import { createInfluxSink } from './telemetry/influx-sink.js';
import { cachedDirectory } from './parking/directory.js';
import { estateDirectorySource } from './parking/estate-directory.js';
import { createParking } from './parking/service.js';
import { createAlerts } from './alerts/alerts.js';
import { createCharging } from './charging/service.js';
import { createElevators } from './elevator/service.js';
import { createAlertEngine } from './alerts/engine.js';
import { createAlertSources } from './alerts/sources.js';
import type { Roster } from './alerts/roster.js';
import { AlertsSection } from './charter/alerts-schema.js';
import { createNotifier } from './notify/deliver.js';
import { startUsagePrefill } from './reports/usage-prefill.js';
import { createVzenithHttp } from './vendors/vzenith-http.js';
import { createVzenithMqtt } from './vendors/vzenith-mqtt.js';
import { createJuyMqtt } from './vendors/juy-mqtt.js';
import { createHikvisionHttp } from './vendors/hikvision-http.js';
import { httpBaseOf, type Endpoints } from './vendors/connect.js';
import { startElevatorboxTcp } from './vendors/elevatorbox-tcp.js';
import { startJuyTcp } from './vendors/juy-tcp.js';

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  /** Skip building the dashboard bundle (API-only tests). */
  withoutDashboard?: boolean;
}

async function loadDashboard(log: Logger) {
  try {
    const { bundleDashboard } = await import('../dashboard/bundle.js');
    return await bundleDashboard();
  } catch (err) {
    log.error({ err }, 'dashboard bundle failed; serving the API without it');
    return undefined;
  }
}

/**
 * Composes one Linli process: store → gateway (embedded broker) → auth, live
 * feed, metrics → HTTP. Everything started here is stopped by `close()`, in the
 * reverse order, intake first so nothing is accepted that cannot be stored.
 */
export async function startLinli(config: Config, opts: StartOptions) {
  const startedAt = Date.now();
  const log = opts.log;
  const store = openSqliteStore({ dataDir: config.dataDir, sync: config.dbSync, log });
  const gateway = await createGateway(
    { directory: store.devices, sink: store.intake, presenceLog: store.presence, commandLog: store.commands, counters: store.counters, clock: opts.clock ?? systemClock, log },
    {
      host: config.host,
      mqttPort: config.mqttPort,
      mqttsPort: config.mqttsPort,
      tls: config.tls,
      offlineDebounceMs: config.offlineDebounceMs,
      cmdAckTimeoutMs: config.cmdAckTimeoutMs,
      clockSkewMs: config.clockSkewMs,
    },
  );
  const clockNow = () => (opts.clock ?? systemClock).now();
  const auth = createAuth({ users: store.users, sessionHours: config.sessionHours, log, now: clockNow, estateName: (id) => store.estates.getEstate(id)?.name });
  const firstAdmin = await auth.bootstrap(config.adminPassword);
  // Plates, card ids, residents' phones and names: whole for the committee, masked for everyone else, in every answer and live message.
  const privacy = createPrivacy({
    source: { estateIds: () => store.estates.listEstates().map((e) => e.id), model: store.estateModel, passPlates: (e, h) => store.parking.passesOf(e, h).map((p) => p.plate) },
    now: clockNow,
  });
  const live = createLiveHub({ gateway, log, store, privacy, now: clockNow });
  // Logout, a password changed or reset, a login switched off: that session's `/live` sockets close at once.
  auth.onSessionsEnded((tokenHashes) => live.closeSessions(tokenHashes));
  const metrics = createMetrics(gateway);
  // SQLite keeps every message; at scale raw telemetry also goes to InfluxDB for the long charts.
  const influx = config.influx ? createInfluxSink({ gateway, log }, config.influx) : undefined;
  const directory = cachedDirectory(estateDirectorySource(store.estateModel), { ttlMs: 3000, now: () => (opts.clock ?? systemClock).now() });
  const parking = createParking({
    repo: store.parking,
    charters: store.charters,
    devices: store.devices,
    directory,
    estateIds: () => store.estates.listEstates().map((e) => e.id),
    gateway,
    live,
    log,
    now: () => (opts.clock ?? systemClock).now(),
  });
  const now = () => (opts.clock ?? systemClock).now();
  const alerts = createAlerts({ repo: store.alerts, live, log, now });
  let notifyPerson: ((estateId: string, username: string, note: { kind: string; title: string; text: string }) => void) | undefined;
  const charging = createCharging({
    notifyPerson: (e, u, n) => notifyPerson?.(e, u, n),
    repo: store.charging,
    charter: parking.charter,
    card: (estateId, cardId) => store.estateModel.getCard(estateId, cardId),
    gateway,
    alerts,
    live,
    log,
    now,
  });
  const elevators = createElevators({
    repo: store.elevators,
    accounts: store.charging,
    charter: parking.charter,
    card: (estateId, cardId) => store.estateModel.getCard(estateId, cardId),
    household: (estateId, id) => store.estateModel.getHousehold(estateId, id),
    elevator: (id) => {
      const d = store.devices.info(id);
      return d?.kind === 'elevator' ? { lowestFloor: Number(d.props.lowestFloor ?? 1), highestFloor: Number(d.props.highestFloor ?? 7) } : undefined;
    },
    gateway,
    alerts,
    live,
    log,
    now,
  });
  // Webhooks reach public addresses, and the LAN hosts the channel's estate allowed: checked as each one connects.
  const notifier = createNotifier({ repo: store.deliveries, log, now, allowance: (channelId) => store.roster.allowanceOfChannel(channelId) });
  const engine = createAlertEngine({
    alerts,
    repo: store.alerts,
    roster: (estateId) => store.roster.roster(estateId) as Roster | undefined,
    rules: (estateId) => parking.charter(estateId, now())?.document.alerts ?? AlertsSection.parse({ clause: '7.1' }),
    deviceKind: (id) => store.devices.info(id)?.kind,
    channels: (estateId, owner) => store.roster.channels(estateId, owner).map((c) => ({ id: c.id, kind: c.kind, url: c.url, secret: c.secret, prefs: c.prefs })),
    send: (d) => notifier.send(d),
    live,
    log,
    now,
  });
  notifyPerson = engine.notifyPerson;
  const sources = createAlertSources({
    gateway,
    alerts,
    now,
    isOnline: (id) => gateway.isOnline(id),
    staleWhitelists: () => store.estates.listEstates().flatMap((e) => store.parking.gateConfigs(e.id).map((g) => ({ estateId: g.estateId, gateId: g.gateId, version: g.version, reportedVersion: g.reportedVersion, publishedAt: g.publishedAt }))),
  });
  // Escalation, reminders, maintenance modes ending, whitelist checks: once every config.alertTickMs.
  const alertTimer = setInterval(() => {
    try {
      engine.tick();
      sources.sweep();
    } catch (err) {
      log.error({ err }, 'alert tick failed');
    }
  }, config.alertTickMs);
  alertTimer.unref();
  // Devices bought from vendors: their transports at the edge, into the gateway's vendor seam (issue 12).
  const vzenith = createVzenithHttp({ gateway, vendors: store.vendors, devices: store.devices, log, now });
  // 臻识 cameras and JUY boards on their own MQTT topics on our broker.
  const vzenithMqtt = createVzenithMqtt({ gateway, vendors: store.vendors, devices: store.devices, log, now });
  const juyMqtt = createJuyMqtt({ gateway, vendors: store.vendors, devices: store.devices, log, now, sessionOnPort: (shedId, port) => store.charging.activeOnPort(shedId, port)?.id });
  const hikvision = createHikvisionHttp({ gateway, vendors: store.vendors, devices: store.devices, log, now, savedConfig: (gateId) => store.parking.gateConfig(gateId) });
  // Where devices reach this server, known once the listeners have their ports.
  const endpoints: Endpoints = { httpBase: '', mqtt: { host: config.host, port: gateway.mqttPort }, tcp: {} };
  // Elevator monitoring boxes: elevatorcloud-style frames on our own TCP listener (LINLI_ELEVATOR_TCP_PORT).
  const elevatorBoxes = await startElevatorboxTcp(
    { gateway, devices: store.devices, estateIds: () => store.estates.listEstates().map((e) => e.id), vendors: store.vendors, openAlerts: (id) => store.alerts.openForDevice(id), log, now },
    { host: config.host, port: config.elevatorTcpPort },
  );
  // JUY-class shed controllers: 5AA5 binary frames on our own TCP listener (LINLI_JUY_TCP_PORT).
  const juy = await startJuyTcp({
    gateway, vendors: store.vendors, devices: store.devices, log, now, host: config.host, port: config.juyTcpPort,
    sessionOnPort: (shedId, port) => store.charging.activeOnPort(shedId, port)?.id,
  });
  const dashboard = opts.withoutDashboard ? undefined : await loadDashboard(log);
  const http = await buildHttp({
    store, gateway, auth, live, privacy, metrics, metricsToken: config.metricsToken, log, dashboard, startedAt, parking, directory, charging, alerts, elevators, engine,
    vendors: { routes: [vzenith.routes, hikvision.routes], endpoints: () => endpoints },
  });
  await http.listen({ port: config.httpPort, host: config.host });
  const httpPort = (http.server.address() as { port: number }).port;
  const url = `http://${config.host}:${httpPort}`;
  endpoints.httpBase = httpBaseOf(config.publicUrl, config.host, httpPort);
  endpoints.mqtt.host = new URL(endpoints.httpBase).hostname.replace(/^\[|\]$/g, '');
  endpoints.tcp.elevatorcloud = { host: endpoints.mqtt.host, port: elevatorBoxes.port };
  endpoints.tcp.juy = { host: endpoints.mqtt.host, port: juy.port };
  log.info({ httpPort, mqttPort: gateway.mqttPort, elevatorTcpPort: elevatorBoxes.port, juyTcpPort: juy.port, mqttsPort: gateway.mqttsPort, url }, 'linli ready');
  // The committee's usage charts read per-hour rollups: fill them in the background, so a first look is quick too.
  const usagePrefill = startUsagePrefill({ usage: store.usage, estateIds: () => store.estates.listEstates().map((e) => e.id), now, log });

  let closing: Promise<void> | undefined;
  return {
    url,
    httpPort,
    mqttPort: gateway.mqttPort,
    mqttUrl: `mqtt://${config.host}:${gateway.mqttPort}`,
    firstAdmin,
    store,
    gateway,
    live,
    http,
    influx,
    parking,
    charging,
    alerts,
    elevators,
    engine,
    sources,
    notifier,
    vzenith,
    vzenithMqtt,
    juyMqtt,
    hikvision,
    endpoints,
    elevatorBoxes,
    juy,
    close(): Promise<void> {
      closing ??= (async () => {
        live.close();
        vzenith.close();
        vzenithMqtt.close();
        juyMqtt.close();
        await elevatorBoxes.close();
        await juy.close();
        hikvision.close();
        parking.close();
        charging.close();
        elevators.close();
        clearInterval(alertTimer);
        usagePrefill.stop();
        sources.close();
        notifier.close();
        await gateway.close();
        await influx?.close();
        await http.close();
        store.close();
        log.info('linli stopped');
      })();
      return closing;
    },
  };
}

export type Linli = Awaited<ReturnType<typeof startLinli>>;
