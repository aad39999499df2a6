import type { Migration } from './migration.js';

export const notifyAllowedHosts: Migration = {
  version: 16,
  name: 'the LAN hosts a committee allows its webhooks to reach',
  sql: `
    -- Webhooks go to public internet addresses only; an estate's committee may name hosts of its
    -- own LAN (a NAS, a home server) that its channels may reach too. host: as written in a URL,
    -- normalised (lower case, no brackets, no trailing dot). loopback = 1: listed by the install's
    -- own administrator (an account of no estate), who alone may let a webhook reach this server.
    CREATE TABLE notify_allowed_hosts (
      estate_id TEXT NOT NULL,
      host TEXT NOT NULL,
      loopback INTEGER NOT NULL DEFAULT 0,
      added_by TEXT NOT NULL,
      added_at TEXT NOT NULL,
      PRIMARY KEY (estate_id, host)
    );
  `,
};
