import { timingSafeEqual } from 'node:crypto';
import type { DeviceKind } from '../../devices/index.js';
import type { Db } from './sqlite.js';
import type { Device, DeviceRepo } from './types.js';
import type { CredentialBox } from './credential-box.js';

/** How a device bought from a vendor is reached (`device_vendor`, migration 017). Never carries its secret. */
export interface VendorDevice {
  deviceId: string;
  vendor: string;
  transport: 'http' | 'mqtt' | 'tcp';
  serialNo: string | null;
  /** The device whose connection carries this one's commands (a gate driven by its camera); null = its own. */
  via: string | null;
  settings: Record<string, unknown>;
}

export interface VendorRegistration {
  device: { id: string; estateId: string; kind: DeviceKind; name: string; props: Record<string, unknown>; secretHash: string };
  vendor: Omit<VendorDevice, 'deviceId' | 'via'> & { tokenHash?: string; secret?: string };
  /** A device this one drives and that is not registered yet (a camera's gate): registered with it, reached through it. */
  serves?: { id: string; kind: DeviceKind; name: string; props: Record<string, unknown>; secretHash: string };
}

export interface VendorRepo {
  /** One transaction: the device, how it is reached, and the device it serves. */
  register(r: VendorRegistration): Device | 'exists' | 'serial-taken' | 'serves-exists';
  get(deviceId: string): VendorDevice | undefined;
  /** The device whose push URL holds this token's digest (compared in constant time). */
  byTokenHash(tokenHash: string): VendorDevice | undefined;
  setTokenHash(deviceId: string, tokenHash: string): void;
  /** Devices whose commands this device's connection carries. */
  carried(deviceId: string): string[];
  /** The credential we present to the device (Hikvision ISAPI password), unsealed; undefined when none or it does not open. Never log it. */
  credential(deviceId: string): string | undefined;
  /** The device of `vendor` registered with this serial number (a JUY IMEI, an elevator box's eid). */
  bySerial(vendor: string, serialNo: string): VendorDevice | undefined;
}

interface Row {
  device_id: string;
  vendor: string;
  transport: string;
  serial_no: string | null;
  via: string | null;
  token_hash: string | null;
  settings: string;
}

const toVendor = (r: Row): VendorDevice => ({
  deviceId: r.device_id,
  vendor: r.vendor,
  transport: r.transport as VendorDevice['transport'],
  serialNo: r.serial_no,
  via: r.via,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
});

class Rollback extends Error {
  constructor(readonly why: 'exists' | 'serial-taken' | 'serves-exists') {
    super(why);
  }
}

export function createVendorRepo(db: Db, devices: DeviceRepo, box: CredentialBox): VendorRepo {
  const insert = db.prepare(
    `INSERT INTO device_vendor (device_id, vendor, transport, serial_no, via, token_hash, settings, secret)
     VALUES (@deviceId, @vendor, @transport, @serialNo, @via, @tokenHash, @settings, @secret)`,
  );
  const serialTaken = db.prepare('SELECT 1 FROM device_vendor WHERE vendor = ? AND serial_no = ?');
  const get = db.prepare('SELECT * FROM device_vendor WHERE device_id = ?');
  const byToken = db.prepare('SELECT * FROM device_vendor WHERE token_hash = ?');
  const setToken = db.prepare('UPDATE device_vendor SET token_hash = ? WHERE device_id = ?');
  const carried = db.prepare('SELECT device_id FROM device_vendor WHERE via = ? ORDER BY device_id');
  const bySerial = db.prepare('SELECT * FROM device_vendor WHERE vendor = ? AND serial_no = ?');
  const secretOf = db.prepare('SELECT secret FROM device_vendor WHERE device_id = ?');
  const register = db.transaction((r: VendorRegistration): Device => {
    if (r.vendor.serialNo && serialTaken.get(r.vendor.vendor, r.vendor.serialNo)) throw new Rollback('serial-taken');
    const created = devices.register(r.device);
    if (created === 'exists') throw new Rollback('exists');
    const row = { vendor: r.vendor.vendor, transport: r.vendor.transport, settings: JSON.stringify(r.vendor.settings) };
    insert.run({ ...row, deviceId: r.device.id, serialNo: r.vendor.serialNo, via: null, tokenHash: r.vendor.tokenHash ?? null, secret: r.vendor.secret === undefined ? null : box.seal(r.vendor.secret, r.device.id) });
    if (r.serves) {
      const gate = devices.register({ ...r.serves, estateId: r.device.estateId });
      if (gate === 'exists') throw new Rollback('serves-exists');
      insert.run({ ...row, settings: '{}', deviceId: r.serves.id, serialNo: null, via: r.device.id, tokenHash: null, secret: null });
    }
    return created;
  });
  return {
    register(r) {
      try {
        return register(r);
      } catch (err) {
        if (err instanceof Rollback) return err.why;
        throw err;
      }
    },
    get(deviceId) {
      const r = get.get(deviceId) as Row | undefined;
      return r && toVendor(r);
    },
    byTokenHash(tokenHash) {
      const r = byToken.get(tokenHash) as Row | undefined;
      if (!r?.token_hash) return undefined;
      const a = Buffer.from(r.token_hash, 'hex');
      const b = Buffer.from(tokenHash, 'hex');
      return a.length === b.length && timingSafeEqual(a, b) ? toVendor(r) : undefined;
    },
    setTokenHash: (deviceId, tokenHash) => void setToken.run(tokenHash, deviceId),
    carried: (deviceId) => (carried.all(deviceId) as { device_id: string }[]).map((r) => r.device_id),
    credential(deviceId) {
      const r = secretOf.get(deviceId) as { secret: string | null } | undefined;
      return r?.secret ? box.open(r.secret, deviceId) : undefined;
    },
    bySerial(vendor, serialNo) {
      const r = bySerial.get(vendor, serialNo) as Row | undefined;
      return r && toVendor(r);
    },
  };
}
