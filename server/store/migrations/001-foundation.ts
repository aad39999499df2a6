import type { Migration } from './migration.js';

export const foundation: Migration = {
  version: 1,
  name: 'estates, devices, messages, dead letters, presence, commands, people',
  sql: `
    CREATE TABLE estates (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    -- Device ids are MQTT client ids on one broker, so they are unique across estates.
    CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL REFERENCES estates(id),
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      props TEXT NOT NULL DEFAULT '{}',
      secret_hash TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'active',
      fw TEXT,
      online INTEGER NOT NULL DEFAULT 0,
      last_seen TEXT,
      last_event_type TEXT,
      last_event_at TEXT,
      created_at TEXT NOT NULL,
      decommissioned_at TEXT
    );
    CREATE INDEX devices_estate ON devices(estate_id);

    -- Every accepted uplink message (event, telemetry, ack), stored before its PUBACK.
    CREATE TABLE messages (
      seq INTEGER PRIMARY KEY,
      estate_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      msg_id TEXT NOT NULL,
      type TEXT NOT NULL,
      ts TEXT NOT NULL,
      received_at TEXT NOT NULL,
      clock_skewed INTEGER NOT NULL DEFAULT 0,
      payload TEXT NOT NULL
    );
    -- Contract §Envelope: a repeat of an id already accepted from that device has no effect.
    CREATE UNIQUE INDEX messages_dedupe ON messages(device_id, msg_id);
    CREATE INDEX messages_estate ON messages(estate_id, channel, seq);
    CREATE INDEX messages_device ON messages(device_id, channel, seq);

    CREATE TABLE dead_letters (
      seq INTEGER PRIMARY KEY,
      estate_id TEXT,
      device_id TEXT NOT NULL,
      topic TEXT NOT NULL,
      reason TEXT NOT NULL,
      field TEXT NOT NULL,
      message TEXT NOT NULL,
      payload_bytes INTEGER NOT NULL,
      payload_excerpt TEXT NOT NULL,
      received_at TEXT NOT NULL
    );
    CREATE INDEX dead_letters_estate ON dead_letters(estate_id, seq);
    CREATE INDEX dead_letters_device ON dead_letters(device_id, seq);

    -- Online/offline transitions: the raw material of uptime.
    CREATE TABLE presence (
      seq INTEGER PRIMARY KEY,
      estate_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      online INTEGER NOT NULL,
      at TEXT NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE INDEX presence_device ON presence(device_id, seq);

    CREATE TABLE commands (
      cmd_id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      type TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      requested_by TEXT,
      created_at TEXT NOT NULL,
      expires_at TEXT,
      finished_at TEXT,
      latency_ms REAL,
      error TEXT
    );
    CREATE INDEX commands_device ON commands(device_id, created_at);
    CREATE INDEX commands_estate ON commands(estate_id, created_at);

    -- Per-device refusal counters (ACL, auth); one row per device and counter.
    CREATE TABLE device_counters (
      device_id TEXT NOT NULL,
      name TEXT NOT NULL,
      count INTEGER NOT NULL,
      last_at TEXT NOT NULL,
      PRIMARY KEY (device_id, name)
    );

    CREATE TABLE users (
      username TEXT PRIMARY KEY,
      role TEXT NOT NULL,
      display_name TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      must_change INTEGER NOT NULL DEFAULT 0,
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      username TEXT NOT NULL REFERENCES users(username),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );
  `,
};
