import type { Alert } from '../alerts/types.js';
import type { Store } from '../store/index.js';
import type { DeviceInput, Interval } from './uptime.js';

/**
 * Which alerts mean the device cannot be used (down even while it is online):
 *
 * - `gate.fault`: the barrier is stuck or broken; cars queue or the gate stands open.
 * - `elevator.*` of severity critical or high (trapped, door open while running,
 *   stopped outside a door zone, overspeed, over-travel, door fault, power loss, an
 *   unknown code): the lift is out of service. Not `elevator.emergency-call` (a
 *   button pressed; if people are shut in, `elevator.trapped` follows), nor the
 *   medium/low hints (e-bike in the car, door held open, repeated reopening), after
 *   which the lift still runs.
 * - `charger.smoke`, `charger.over-temperature` (and the raw `charger.overtemp`
 *   raised when the estate has no charging charter): the whole shed was stopped;
 *   `charger.power-loss`: the shed has no power. Other `charger.*` alarms stop one
 *   port, not the shed.
 * - Not `device.offline`: offline time comes from the presence transitions
 *   themselves, to the millisecond, not from the debounced alert.
 *
 * A fault ends at the alert's `clearedAt`: when the device cleared it, or, for one
 * that needs a person (overspeed, over-travel…: GB/T 7588.1 wants a competent
 * person to check before the lift returns to service), when a person closed it.
 */
export function isUnusable(a: Pick<Alert, 'kind' | 'severity'>): boolean {
  if (a.kind === 'gate.fault') return true;
  if (a.kind.startsWith('elevator.')) return a.kind !== 'elevator.emergency-call' && (a.severity === 'critical' || a.severity === 'high');
  return ['charger.smoke', 'charger.over-temperature', 'charger.overtemp', 'charger.power-loss'].includes(a.kind);
}

const PAGE = 1000;

/** Transitions of one device up to `toIso`, back to and including the last one before `fromIso` (it sets the state at the start). */
function presenceFor(store: Store, estateId: string, deviceId: string, fromIso: string, toIso: string): DeviceInput['presence'] {
  const out: DeviceInput['presence'] = [];
  let before: number | undefined;
  for (;;) {
    const page = store.history.presence({ estateId, deviceId, limit: PAGE, before });
    for (const r of page) {
      if (r.at >= toIso) continue;
      out.push({ at: Date.parse(r.at), online: r.online });
      if (r.at < fromIso) {
        // Offline when the period starts: it had been online (installed) before; history further back changes nothing.
        if (!r.online) out.push({ at: Date.parse(r.at), online: true });
        return out.reverse();
      }
    }
    if (page.length < PAGE) return out.reverse();
    before = page[page.length - 1]!.seq;
  }
}

/** What `uptime.ts` needs for an estate's devices over a window (ms), read from the store. */
export function loadUptimeInputs(store: Store, q: { estateId: string; window: Interval; kind?: string; deviceId?: string }): DeviceInput[] {
  const fromIso = new Date(q.window.from).toISOString();
  const toIso = new Date(q.window.to).toISOString();
  const devices = store.devices.list(q.estateId).filter((d) => (!q.kind || d.kind === q.kind) && (!q.deviceId || d.id === q.deviceId));
  const faults = store.alerts.overlapping(q.estateId, fromIso, toIso).filter(isUnusable);
  const maintenance = store.alerts.maintenancePeriods(q.estateId, fromIso, toIso);
  return devices.map((d) => ({
    deviceId: d.id,
    kind: d.kind,
    name: d.name,
    registeredAt: Date.parse(d.createdAt),
    decommissionedAt: d.decommissionedAt ? Date.parse(d.decommissionedAt) : undefined,
    presence: presenceFor(store, q.estateId, d.id, fromIso, toIso),
    faults: faults.filter((a) => a.deviceId === d.id).map((a) => ({ from: Date.parse(a.raisedAt), to: a.clearedAt ? Date.parse(a.clearedAt) : Infinity })),
    maintenance: maintenance
      .filter((m) => m.deviceId === d.id)
      .map((m) => ({ from: Date.parse(m.since), to: Math.min(Date.parse(m.until), m.endedAt ? Date.parse(m.endedAt) : Infinity) })),
  }));
}
