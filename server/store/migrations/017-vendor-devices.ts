import type { Migration } from './migration.js';

export const vendorDevices: Migration = {
  version: 17,
  name: 'devices that speak a vendor protocol: how to reach them, and what they really sent',
  sql: `
    -- A device bought from a vendor (臻识, Hikvision, JUY, elevator boxes) rather than built to the contract.
    -- transport: http | mqtt | tcp. via: the device whose connection carries this one's commands (a gate
    -- driven by its camera's relay); NULL = its own. token_hash: SHA-256 (hex) of the token in its push URL,
    -- never the token. serial_no: what the device calls itself (Vzenith serialno, Hikvision serial, JUY IMEI,
    -- elevator eid). settings: JSON the transport reads (heartbeat mode, board). secret: a credential we must
    -- present to the device (Hikvision ISAPI password): never answered, never logged.
    CREATE TABLE device_vendor (
      device_id TEXT PRIMARY KEY,
      vendor TEXT NOT NULL,
      transport TEXT NOT NULL,
      serial_no TEXT,
      via TEXT,
      token_hash TEXT,
      settings TEXT NOT NULL DEFAULT '{}',
      secret TEXT
    );
    CREATE UNIQUE INDEX device_vendor_token ON device_vendor(token_hash) WHERE token_hash IS NOT NULL;
    CREATE UNIQUE INDEX device_vendor_serial ON device_vendor(vendor, serial_no) WHERE serial_no IS NOT NULL;
    CREATE INDEX device_vendor_via ON device_vendor(via) WHERE via IS NOT NULL;

    -- What a vendor device sent, beside the contract message it became (images and logins left out): for support.
    CREATE TABLE vendor_raw (
      device_id TEXT NOT NULL,
      msg_id TEXT NOT NULL,
      vendor TEXT NOT NULL,
      raw TEXT NOT NULL,
      PRIMARY KEY (device_id, msg_id)
    );

    -- What an ack proves when less than done ("delivered" in a vendor's HTTP reply).
    ALTER TABLE commands ADD COLUMN note TEXT;
  `,
};
