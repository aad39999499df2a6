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
import { Lane } from './estate/lane.js';
import { allSpecs, estateLayout, type DeviceSpec } from './estate/layout.js';
import { provision } from './estate/provision.js';
import { createResidents } from './estate/residents.js';
import { startScenario } from './estate/scenario.js';

export interface EstateOptions {
  httpUrl: string;
  mqttUrl: string;
  /** A committee account: provisioning registers the estate and its devices. */
  username: string;
  password: string;
  estateId: string;
  estateName?: string;
  /** How much faster than the default demo pace (a day in 24 minutes at 1). */
  rateScale?: number;
  /** Replays the same residents and the same day. */
  seed?: number;
  /** Simulated hour the day starts at (default 06:30, just before the morning rush). */
  startHour?: number;
  /** false: devices only, no residents; tests then drive the devices themselves. */
  scenario?: boolean;
  log?: SimLog;
}

export interface Estate {
  /** Every simulated device, connected. */
  devices: SimDevice[];
  gates: GateSim[];
  cameras: CameraSim[];
  chargers: ChargerSim[];
  elevators: ElevatorSim[];
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
  const layout = estateLayout(opts.estateId);
  const api = await LinliApi.login(opts.httpUrl, opts.username, opts.password);
  const secrets = await provision(api, { id: opts.estateId, name: opts.estateName ?? opts.estateId }, allSpecs(layout), log);

  const tag = runTag();
  const base = (spec: DeviceSpec): SimDeviceOptions => ({
    mqttUrl: opts.mqttUrl,
    estateId: opts.estateId,
    deviceId: spec.id,
    secret: secrets.get(spec.id)!,
    fw: `${spec.kind}-sim-1.0`,
    pace,
    rng,
    log,
    idTag: tag,
  });
  const gates = layout.gates.map((g) => new GateSim(base(g.gate)));
  const camera = (spec: DeviceSpec) => new CameraSim({ ...base(spec), gateId: String(spec.registration.gateId), direction: spec.registration.direction as 'in' | 'out' });
  const cameras = layout.gates.flatMap((g) => [camera(g.cameraIn), camera(g.cameraOut)]);
  const chargers = layout.sheds.map((s) => new ChargerSim({ ...base(s), ports: Number(s.registration.ports) }));
  const elevators = layout.elevators.map(
    (e) => new ElevatorSim({ ...base(e), lowestFloor: Number(e.registration.lowestFloor), highestFloor: Number(e.registration.highestFloor) }),
  );
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
  const laneDeps = { rng, pace, timers: laneTimers, log };
  const gateLanes: GateLanes[] = layout.gates.map((g, i) => ({
    gate: gates[i]!,
    in: new Lane(gates[i]!, cameras[2 * i]!, 'in', laneDeps),
    out: new Lane(gates[i]!, cameras[2 * i + 1]!, 'out', laneDeps),
    share: g.share,
  }));
  const residents = createResidents(rng, elevators);
  const scenario =
    opts.scenario === false ? undefined : startScenario({ rng, pace, log, clock, residents, gates: gateLanes, chargers, elevators });

  return {
    devices,
    gates,
    cameras,
    chargers,
    elevators,
    clock,
    stats: () => scenario?.stats,
    async close() {
      scenario?.close();
      laneTimers.close();
      await Promise.all(devices.map((d) => d.close()));
    },
  };
}
