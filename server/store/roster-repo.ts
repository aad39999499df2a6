import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';
import type { HostAllowance } from '../notify/address-policy.js';

export interface StoredChannel {
  id: string;
  estateId: string;
  /** A username, or `external:<name>` for a contact outside the estate (the elevator company). */
  owner: string;
  kind: 'dingtalk' | 'wecom' | 'json';
  url: string;
  secret?: string;
  prefs: Record<string, unknown>;
  createdAt: string;
}

export function createRosterRepo(db: Db) {
  const repo = {
    roster(estateId: string): unknown | undefined {
      const r = db.prepare('SELECT roster FROM rosters WHERE estate_id = ?').get(estateId) as { roster: string } | undefined;
      return r && JSON.parse(r.roster);
    },
    saveRoster(estateId: string, roster: unknown, by: string, at: string): void {
      db.prepare(
        `INSERT INTO rosters (estate_id, roster, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (estate_id) DO UPDATE SET roster = excluded.roster, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(estateId, JSON.stringify(roster), by, at);
    },
    volunteers: (estateId: string) =>
      db.prepare('SELECT * FROM volunteer_profiles WHERE estate_id = ? ORDER BY points DESC, username').all(estateId).map((r) => fromRow<{ username: string; skills: string[]; points: number }>(r as Record<string, unknown>, ['skills'])!),
    setSkills(estateId: string, username: string, skills: string[]): void {
      db.prepare(
        `INSERT INTO volunteer_profiles (estate_id, username, skills) VALUES (?, ?, ?)
         ON CONFLICT (estate_id, username) DO UPDATE SET skills = excluded.skills`,
      ).run(estateId, username, JSON.stringify(skills));
    },
    addPoints(estateId: string, username: string, points: number): void {
      db.prepare(
        `INSERT INTO volunteer_profiles (estate_id, username, skills, points) VALUES (?, ?, '[]', ?)
         ON CONFLICT (estate_id, username) DO UPDATE SET points = points + excluded.points`,
      ).run(estateId, username, points);
    },
    channels: (estateId: string, owner: string) =>
      db.prepare('SELECT * FROM notification_channels WHERE estate_id = ? AND owner = ?').all(estateId, owner).map((r) => fromRow<StoredChannel>(r as Record<string, unknown>, ['prefs'])!),
    allChannels: (estateId: string) => db.prepare('SELECT * FROM notification_channels WHERE estate_id = ? ORDER BY owner').all(estateId).map((r) => fromRow<StoredChannel>(r as Record<string, unknown>, ['prefs'])!),
    addChannel: (c: StoredChannel) => insertObject(db, 'notification_channels', c, ['prefs']),
    deleteChannel: (id: string, estateId: string) => db.prepare('DELETE FROM notification_channels WHERE id = ? AND estate_id = ?').run(id, estateId).changes === 1,

    /** The LAN hosts the committee allowed this estate's webhooks to reach (migration 016). */
    allowedHosts: (estateId: string) =>
      (db.prepare('SELECT host, loopback, added_by, added_at FROM notify_allowed_hosts WHERE estate_id = ? ORDER BY host').all(estateId) as AllowedHostRow[]).map(toAllowedHost),
    /** Replaces the list; a host already there keeps who added it and its loopback mark. */
    setAllowedHosts: db.transaction((estateId: string, hosts: { host: string; loopback: boolean }[], by: string, at: string) => {
      const before = new Map(repoAllowed(estateId).map((h) => [h.host, h]));
      db.prepare('DELETE FROM notify_allowed_hosts WHERE estate_id = ?').run(estateId);
      const insert = db.prepare('INSERT INTO notify_allowed_hosts (estate_id, host, loopback, added_by, added_at) VALUES (?, ?, ?, ?, ?)');
      for (const h of hosts) {
        const kept = before.get(h.host);
        insert.run(estateId, h.host, h.loopback || kept?.loopback ? 1 : 0, kept?.addedBy ?? by, kept?.addedAt ?? at);
      }
    }),
    /** What an estate's webhooks may connect to besides public addresses: its allowed hosts. */
    allowanceOf: (estateId: string): HostAllowance => toAllowance(repoAllowed(estateId)),
    /** The same for one channel, by its estate (what the notifier asks when it sends). */
    allowanceOfChannel(channelId: string): HostAllowance {
      const c = db.prepare('SELECT estate_id FROM notification_channels WHERE id = ?').get(channelId) as { estate_id: string } | undefined;
      return toAllowance(c ? repoAllowed(c.estate_id) : []);
    },
  };
  return repo;
  function repoAllowed(estateId: string) {
    return (db.prepare('SELECT host, loopback, added_by, added_at FROM notify_allowed_hosts WHERE estate_id = ?').all(estateId) as AllowedHostRow[]).map(toAllowedHost);
  }
}

interface AllowedHostRow {
  host: string;
  loopback: number;
  added_by: string;
  added_at: string;
}
export interface AllowedHost {
  host: string;
  /** Listed by the install's administrator: may be this server itself. */
  loopback: boolean;
  addedBy: string;
  addedAt: string;
}
const toAllowedHost = (r: AllowedHostRow): AllowedHost => ({ host: r.host, loopback: r.loopback === 1, addedBy: r.added_by, addedAt: r.added_at });
const toAllowance = (hosts: AllowedHost[]): HostAllowance => ({ hosts: new Set(hosts.map((h) => h.host)), loopbackHosts: new Set(hosts.filter((h) => h.loopback).map((h) => h.host)) });

export type RosterRepo = ReturnType<typeof createRosterRepo>;
