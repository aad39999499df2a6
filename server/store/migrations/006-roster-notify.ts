import type { Migration } from './migration.js';

export const rosterNotify: Migration = {
  version: 6,
  name: 'alert claims and timeline, volunteers and the duty roster, notification channels and deliveries, maintenance mode',
  sql: `
    ALTER TABLE alerts ADD COLUMN claimed_by TEXT;
    ALTER TABLE alerts ADD COLUMN claimed_at TEXT;
    ALTER TABLE alerts ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE alerts ADD COLUMN device_kind TEXT;

    -- Everything that happened to an alert, in order: raised, notified, reminded, escalated, claimed, resolved…
    CREATE TABLE alert_events (
      id INTEGER PRIMARY KEY,
      alert_id TEXT NOT NULL,
      at TEXT NOT NULL,
      what TEXT NOT NULL,
      by_user TEXT,
      detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX alert_events_alert ON alert_events(alert_id, id);

    CREATE TABLE volunteer_profiles (
      estate_id TEXT NOT NULL,
      username TEXT NOT NULL,
      skills TEXT NOT NULL,
      points INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (estate_id, username)
    );
    -- The estate's roster as one document (shifts, swaps, committee, elevator company), versioned by replacement.
    CREATE TABLE rosters (
      estate_id TEXT PRIMARY KEY,
      roster TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE notification_channels (
      id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      owner TEXT NOT NULL,
      kind TEXT NOT NULL,
      url TEXT NOT NULL,
      secret TEXT,
      prefs TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL
    );
    CREATE INDEX notification_channels_owner ON notification_channels(estate_id, owner);
    CREATE TABLE deliveries (
      id TEXT PRIMARY KEY,
      alert_id TEXT NOT NULL,
      recipient TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      channel_kind TEXT NOT NULL,
      target TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      http_status INTEGER,
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      delivered_at TEXT
    );
    CREATE INDEX deliveries_alert ON deliveries(alert_id, created_at);
    CREATE INDEX deliveries_recent ON deliveries(created_at);
    CREATE TABLE maintenance_mode (
      device_id TEXT PRIMARY KEY,
      estate_id TEXT NOT NULL,
      until TEXT NOT NULL,
      reason TEXT NOT NULL,
      by_user TEXT NOT NULL,
      since TEXT NOT NULL
    );
  `,
};
