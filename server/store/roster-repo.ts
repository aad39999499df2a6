import { fromRow, insertObject } from './rows.js';
import type { Db } from './sqlite.js';

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
  return {
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
  };
}

export type RosterRepo = ReturnType<typeof createRosterRepo>;
