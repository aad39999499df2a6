import type { Counters, DeviceRecord, PresenceLog } from '../../gateway/index.js';
import type { DeviceKind } from '../../devices/index.js';
import type { Db } from './sqlite.js';
import type { Device, DeviceInfo, DeviceRepo, Estate, EstateRepo } from './types.js';

interface DeviceDbRow {
  id: string;
  estate_id: string;
  kind: string;
  name: string;
  props: string;
  secret_hash: string;
  status: string;
  fw: string | null;
  online: number;
  last_seen: string | null;
  last_event_type: string | null;
  last_event_at: string | null;
  created_at: string;
  decommissioned_at: string | null;
  /** From device_vendor (LEFT JOIN): NULL for a device built to the contract. */
  v_vendor?: string | null;
  v_transport?: string | null;
  v_serial_no?: string | null;
  v_via?: string | null;
}

function toDevice(r: DeviceDbRow): Device {
  return {
    id: r.id,
    estateId: r.estate_id,
    kind: r.kind as DeviceKind,
    name: r.name,
    props: JSON.parse(r.props) as Record<string, unknown>,
    status: r.status as Device['status'],
    fw: r.fw,
    online: r.online === 1,
    lastSeen: r.last_seen,
    lastEvent: r.last_event_type && r.last_event_at ? { type: r.last_event_type, at: r.last_event_at } : null,
    createdAt: r.created_at,
    decommissionedAt: r.decommissioned_at,
    ...(r.v_vendor ? { vendor: { name: r.v_vendor, transport: r.v_transport as 'http' | 'mqtt' | 'tcp', serialNo: r.v_serial_no ?? null, via: r.v_via ?? null } } : {}),
  };
}

/** A device with how it is reached when bought from a vendor (device_vendor, migration 017). */
const WITH_VENDOR = `SELECT d.*, v.vendor AS v_vendor, v.transport AS v_transport, v.serial_no AS v_serial_no, v.via AS v_via
  FROM devices d LEFT JOIN device_vendor v ON v.device_id = d.id`;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true;
}

export function createEstateRepo(db: Db): EstateRepo {
  const insert = db.prepare('INSERT INTO estates (id, name, created_at) VALUES (?, ?, ?)');
  const get = db.prepare('SELECT id, name, created_at AS createdAt FROM estates WHERE id = ?');
  const list = db.prepare('SELECT id, name, created_at AS createdAt FROM estates ORDER BY id');
  return {
    createEstate({ id, name }) {
      try {
        const createdAt = new Date().toISOString();
        insert.run(id, name, createdAt);
        return { id, name, createdAt };
      } catch (err) {
        if (isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },
    getEstate: (id) => get.get(id) as Estate | undefined,
    listEstates: () => list.all() as Estate[],
  };
}

export function createDeviceRepo(db: Db): DeviceRepo {
  const insert = db.prepare(
    `INSERT INTO devices (id, estate_id, kind, name, props, secret_hash, created_at) VALUES (@id, @estateId, @kind, @name, @props, @secretHash, @createdAt)`,
  );
  const get = db.prepare(`${WITH_VENDOR} WHERE d.id = ?`);
  const list = db.prepare(`${WITH_VENDOR} WHERE d.estate_id = ? ORDER BY d.kind, d.id`);
  const setHash = db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
  const decommission = db.prepare(`UPDATE devices SET status = 'decommissioned', decommissioned_at = ? WHERE id = ?`);
  // Every camera read asks which gate and lane the camera serves: answer from memory.
  const infoCache = new Map<string, DeviceInfo | null>();
  return {
    info(id) {
      let hit = infoCache.get(id);
      if (hit === undefined) {
        const r = get.get(id) as DeviceDbRow | undefined;
        const d = r && toDevice(r);
        hit = d ? { id: d.id, estateId: d.estateId, kind: d.kind, name: d.name, props: d.props, status: d.status } : null;
        infoCache.set(id, hit);
      }
      return hit ?? undefined;
    },
    find(id): DeviceRecord | undefined {
      const r = get.get(id) as DeviceDbRow | undefined;
      // A vendor device's commands go through its transport (`vzenith-http`), carried by itself or by the camera that drives it.
      const transport = r?.v_vendor && r.v_transport ? { transport: { name: `${r.v_vendor}-${r.v_transport}`, via: r.v_via ?? r.id } } : {};
      return r && { id: r.id, estateId: r.estate_id, kind: r.kind as DeviceKind, status: r.status as DeviceRecord['status'], secretHash: r.secret_hash, ...transport };
    },
    register(d) {
      try {
        insert.run({ ...d, props: JSON.stringify(d.props), createdAt: new Date().toISOString() });
        infoCache.delete(d.id);
        return toDevice(get.get(d.id) as DeviceDbRow);
      } catch (err) {
        if (isUniqueViolation(err)) return 'exists';
        throw err;
      }
    },
    get(id) {
      const r = get.get(id) as DeviceDbRow | undefined;
      return r && toDevice(r);
    },
    list: (estateId) => (list.all(estateId) as DeviceDbRow[]).map(toDevice),
    setSecretHash: (id, hash) => void setHash.run(hash, id),
    decommission: (id, at) => {
      decommission.run(at, id);
      infoCache.delete(id);
    },
  };
}

export function createPresenceLog(db: Db): PresenceLog {
  const insert = db.prepare('INSERT INTO presence (estate_id, device_id, online, at, reason) VALUES (?, ?, ?, ?, ?)');
  const setOnline = db.prepare('UPDATE devices SET online = ?, last_seen = CASE WHEN ? > COALESCE(last_seen, \'\') THEN ? ELSE last_seen END WHERE id = ?');
  const setFw = db.prepare('UPDATE devices SET fw = ? WHERE id = ?');
  const online = db.prepare('SELECT estate_id AS estateId, id AS deviceId, last_seen AS lastSeen FROM devices WHERE online = 1');
  const record = db.transaction((t: Parameters<PresenceLog['record']>[0]) => {
    insert.run(t.estateId, t.deviceId, t.online ? 1 : 0, t.at, t.reason);
    setOnline.run(t.online ? 1 : 0, t.at, t.at, t.deviceId);
  });
  return {
    record: (t) => record(t),
    setFirmware: (deviceId, fw) => void setFw.run(fw, deviceId),
    onlineDevices: () => online.all() as ReturnType<PresenceLog['onlineDevices']>,
  };
}

/**
 * Refusal counters, summed in memory and written once a second: a device flooding
 * forged publishes must not turn each one into an fsync.
 */
export function createCounters(db: Db): Counters & { flush(): void; close(): void } {
  const bump = db.prepare(
    `INSERT INTO device_counters (device_id, name, count, last_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (device_id, name) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at`,
  );
  let pending = new Map<string, { deviceId: string; name: string; n: number; at: string }>();
  const flush = () => {
    if (pending.size === 0) return;
    const rows = [...pending.values()];
    pending = new Map();
    db.transaction(() => rows.forEach((r) => bump.run(r.deviceId, r.name, r.n, r.at)))();
  };
  const timer = setInterval(flush, 1000);
  timer.unref();
  return {
    bump(deviceId, name, at) {
      const key = `${deviceId}\0${name}`;
      const p = pending.get(key);
      if (p) {
        p.n++;
        p.at = at;
      } else pending.set(key, { deviceId, name, n: 1, at });
    },
    flush,
    close() {
      clearInterval(timer);
      flush();
    },
  };
}
