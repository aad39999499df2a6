import { CameraSim } from './lib/camera-sim.js';
import { ChargerSim } from './lib/charger-sim.js';
import { ElevatorSim } from './lib/elevator-sim.js';
import { GateSim } from './lib/gate-sim.js';
import { runTag } from './lib/message-ids.js';
import { createPace } from './lib/pace.js';
import { createRng } from './lib/random.js';
import type { SimDevice, SimDeviceOptions } from './lib/sim-device.js';
import { silentLog, type SimLog } from './lib/sim-log.js';
import { Timers } from './lib/timers.js';
import type { DayStats, GateLanes } from './estate/activities/context.js';
import { LinliApi } from './estate/api-client.js';
import { createDayClock, type DayClock } from './estate/day-clock.js';
import { settleOvernight } from './estate/day-start.js';
import { apiGuardDesk } from './estate/guard-desk.js';
import { Lane } from './estate/lane.js';
import { allSpecs, estateLayout, type DeviceSpec } from './estate/layout.js';
import { provisionAccounts } from './estate/accounts.js';
import { provision, provisionAmenities, provisionParking, type DeviceConnect, type ParkingSetup } from './estate/provision.js';
import { BoxedElevatorSim } from './vendors/boxed-elevator-sim.js';
import { JuyChargerSim } from './vendors/juy-charger-sim.js';
import { VzenithCameraSim } from './vendors/vzenith-camera-sim.js';
import { estateRegister } from './estate/register.js';
import { createResidents, type Residents } from './estate/residents.js';
import { startScenario } from './estate/scenario.js';

export interface EstateOptions {
  httpUrl: string;
  mqttUrl: string;
  /** A committee account: provisioning registers the estate, its devices, charter, register and demo logins. */
  username: string;
  password: string;
  estateId: string;
  estateName?: string;
  /** How much faster than the default demo pace (a day in 24 minutes at 1). */
  rateScale?: number;
  /** Replays the same day (the register and its plates are the same for an estate whatever the seed). */
  seed?: number;
  /** Simulated hour the day starts at (default 06:30, just before the morning rush). */
  startHour?: number;
  /** false: devices, register and charter only, no day; tests then drive the lanes themselves. */
  scenario?: boolean;
  /** The devices' clock (message ts, command expiry): tests share one with the server to let an hour pass. */
  clock?: () => number;
  log?: SimLog;
}

export interface Estate {
  /** Every simulated device, connected. */
  devices: SimDevice[];
  gates: GateSim[];
  cameras: CameraSim[];
  chargers: ChargerSim[];
  elevators: ElevatorSim[];
  /** Each gate with its in- and out-lane (camera + arm), where cars queue. */
  lanes: GateLanes[];
  residents: Residents;
  parking: ParkingSetup;
  clock: DayClock;
  /** What the day has produced so far (zeros without a scenario). */
  stats: () => DayStats | undefined;
  close(): Promise<void>;
}

/** Provisions a whole estate through the HTTP API, connects its devices over MQTT and starts its day. */
export async function startEstate(opts: EstateOptions): Promise<Estate> {
  const log = opts.log ?? silentLog;
  const pace = createPace(opts.rateScale ?? 1);
  const rng = createRng(opts.seed ?? Date.now());
  const now = opts.clock ?? Date.now;
  const layout = estateLayout(opts.estateId);
  const estateName = opts.estateName ?? opts.estateId;
  const api = await LinliApi.login(opts.httpUrl, opts.username, opts.password);
  const connects = new Map<string, DeviceConnect>();
  const secrets = await provision(api, { id: opts.estateId, name: estateName }, allSpecs(layout), log, connects);
  const register = estateRegister(opts.estateId, new Date(now()), layout.lifts);
  const parking = await provisionParking(
    api,
    { estateId: opts.estateId, estateName, gateIds: layout.gates.map((g) => g.gate.id), register, adminPassword: opts.password, now },
    log,
  );
  await provisionAmenities(api, { estateId: opts.estateId, register, liftIds: layout.lifts.map((l) => l.deviceId) }, log);
  await provisionAccounts(api, { estateId: opts.estateId, layout, register, today: new Date(now()) }, log);

  const tag = runTag();
  const base = (spec: DeviceSpec): SimDeviceOptions => ({
    mqttUrl: opts.mqttUrl,
    estateId: opts.estateId,
    deviceId: spec.id,
    secret: secrets.get(spec.id)!,
    fw: `${spec.kind}-sim-1.1`,
    pace,
    rng,
    log,
    idTag: tag,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const gates = layout.gates.map((g) => new GateSim(base(g.gate)));
  /** Where a vendor device reaches the server: what the registration answered. */
  const tcpOf = (spec: DeviceSpec) => {
    const tcp = connects.get(spec.id)?.tcp;
    // A data directory from before the vendor devices holds this one as a Linli device: it stays one.
    if (!tcp) log.warn({ deviceId: spec.id, vendor: spec.registration.vendor }, 'no connect.tcp in the registration answer (registered earlier as a Linli device?): simulated over MQTT');
    return tcp;
  };
  const camera = (spec: DeviceSpec) => {
    const lane = { gateId: String(spec.registration.gateId), direction: spec.registration.direction as 'in' | 'out' };
    const pushUrl = spec.registration.vendor === 'vzenith' ? connects.get(spec.id)?.pushUrl : undefined;
    if (spec.registration.vendor === 'vzenith' && !pushUrl) log.warn({ deviceId: spec.id }, 'no connect.pushUrl in the registration answer (registered earlier as a Linli camera?): simulated over MQTT');
    if (!pushUrl) return new CameraSim({ ...base(spec), ...lane });
    return new VzenithCameraSim({ ...base(spec), ...lane, pushUrl, serialNo: String(spec.registration.serialNo) });
  };
  const cameras = layout.gates.flatMap((g) => [camera(g.cameraIn), camera(g.cameraOut)]);
  const chargers = layout.sheds.map((s) => {
    const ports = Number(s.registration.ports);
    const tcp = s.registration.vendor === 'juy' ? tcpOf(s) : undefined;
    if (!tcp) return new ChargerSim({ ...base(s), ports });
    return new JuyChargerSim({ ...base(s), ports, tcp, imei: String(s.registration.serialNo) });
  });
  const elevators = layout.elevators.map((e) => {
    const floors = { lowestFloor: Number(e.registration.lowestFloor), highestFloor: Number(e.registration.highestFloor) };
    const tcp = e.registration.vendor === 'elevatorcloud' ? tcpOf(e) : undefined;
    if (!tcp) return new ElevatorSim({ ...base(e), ...floors });
    const settings = e.registration.vendorSettings as { faultSource: 'shmashine' };
    return new BoxedElevatorSim({ ...base(e), ...floors, tcp, eid: String(e.registration.serialNo), faultSource: settings.faultSource });
  });
  const devices: SimDevice[] = [...gates, ...cameras, ...chargers, ...elevators];
  try {
    await Promise.all(devices.map((d) => d.start()));
  } catch (err) {
    await Promise.all(devices.map((d) => d.close({ abrupt: true })));
    throw err;
  }
  log.info({ estateId: opts.estateId, devices: devices.length }, 'estate devices online');

  const clock = createDayClock(pace, opts.startHour ?? 6.5);
  const laneTimers = new Timers(log, 'lanes');
  const desk = apiGuardDesk({ estateId: opts.estateId, guard: parking.guard, payments: api, log });
  const laneDeps = { rng, pace, timers: laneTimers, log, desk, repeatWindowMs: parking.repeatWindowMs, stayPlates: new Map<string, string>() };
  const lanes: GateLanes[] = layout.gates.map((g, i) => ({
    gate: gates[i]!,
    in: new Lane(gates[i]!, cameras[2 * i]!, 'in', laneDeps),
    out: new Lane(gates[i]!, cameras[2 * i + 1]!, 'out', laneDeps),
    share: g.share,
  }));
  const residents = createResidents(rng, elevators, register);
  const close = async () => {
    scenario?.close();
    laneTimers.close();
    await Promise.all(devices.map((d) => d.close()));
  };

  let scenario: ReturnType<typeof startScenario> | undefined;
  if (opts.scenario !== false) {
    try {
      const morning = await settleOvernight({ api, estateId: opts.estateId, cars: residents.cars, banned: residents.banned, gates: lanes, rng, now, log });
      scenario = startScenario({ rng, pace, log, clock, residents, gates: lanes, chargers, elevators, guests: morning.guests, ...passes(opts.estateId, parking, now, rng, log) });
    } catch (err) {
      await close();
      throw err;
    }
  }

  return {
    devices,
    gates,
    cameras,
    chargers,
    elevators,
    lanes,
    residents,
    parking,
    clock,
    stats: () => scenario?.stats,
    close,
  };
}

const PASS_HOURS = 6;

/** A resident with a login registers a visitor's car, for the next few hours. */
function passes(estateId: string, parking: ParkingSetup, now: () => number, rng: ReturnType<typeof createRng>, log: SimLog): { issuePass?: (plate: string) => Promise<boolean> } {
  if (parking.hosts.length === 0) return {};
  return {
    issuePass: async (plate) => {
      const host = rng.pick(parking.hosts);
      const t = now();
      const res = await host.account.api.request('POST', `/api/estates/${encodeURIComponent(estateId)}/visitor-passes`, {
        plate,
        validFrom: new Date(t - 60_000).toISOString(),
        validTo: new Date(t + PASS_HOURS * 3_600_000).toISOString(),
      });
      // A household that used up its month's passes (公约 2.6) sends the visitor in as a temporary car.
      if (res.status !== 201) log.debug({ householdId: host.householdId, status: res.status, body: res.body }, 'visitor pass not issued');
      return res.status === 201;
    },
  };
}
