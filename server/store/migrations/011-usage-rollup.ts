import type { Migration } from './migration.js';

/** `hr` of a stored ISO UTC time: whole hours since the epoch (NULL for NULL). */
const hr = (t: string) => `unixepoch(${t}) / 3600`;
/** Local (UTC+8) day of a stored time: whole days since the epoch, shifted so a local day starts at its midnight. */
const day = (t: string) => `(unixepoch(${t}) + 28800) / 86400`;

/** Every hour of a charging session's port time, from its start to its end (or onwards while it runs). */
const sessionHours = (row: 'NEW' | 'OLD') =>
  `DELETE FROM usage_charger_hours WHERE ${row}.started_at IS NOT NULL AND estate_id = ${row}.estate_id
     AND hr >= ${hr(`${row}.started_at`)} AND hr <= COALESCE(max(${hr(`${row}.started_at`)}, ${hr(`${row}.ended_at`)}), 1e15);`;
const stayHours = (row: 'NEW' | 'OLD') =>
  `DELETE FROM usage_gate_hours WHERE estate_id = ${row}.estate_id AND hr IN (${hr(`${row}.entry_at`)}, ${hr(`${row}.exit_at`)});`;
const rideHours = (row: 'NEW' | 'OLD') => `
  DELETE FROM usage_elevator_hours WHERE estate_id = ${row}.estate_id AND hr = ${hr(`${row}.at`)};
  DELETE FROM usage_elevator_days WHERE estate_id = ${row}.estate_id AND day = ${day(`${row}.at`)};`;

/** AFTER INSERT, UPDATE (of `columns`) and DELETE triggers that forget the rollup rows a row's old and new times touch. */
function invalidate(table: string, columns: string, forget: (row: 'NEW' | 'OLD') => string): string {
  return `
    CREATE TRIGGER ${table}_usage_insert AFTER INSERT ON ${table} BEGIN ${forget('NEW')} END;
    CREATE TRIGGER ${table}_usage_update AFTER UPDATE OF ${columns} ON ${table} BEGIN ${forget('OLD')} ${forget('NEW')} END;
    CREATE TRIGGER ${table}_usage_delete AFTER DELETE ON ${table} BEGIN ${forget('OLD')} END;`;
}

/**
 * Rollups for the usage reports (server/reports/usage-*.ts): per estate and
 * UTC hour, the figures of that hour, so a year of hourly buckets reads 8,760
 * small rows instead of a year of passages, sessions and rides. Elevators' trips
 * by floor are rolled up per local day (an hour would hold nearly as many rows
 * as the rides themselves).
 *
 * A row is a cache, filled at query time for a closed hour (or day) that lacks
 * one (server/reports/usage-rollup.ts); a missing row means "not filled", so
 * an hour without traffic is stored as zeros. The triggers keep it true:
 * whatever writes a stay, session or ride — a live passage, an offline gate's
 * buffered passages arriving hours late, a correction — deletes the rows of
 * every hour its old and new times touch, in the same transaction, and the next
 * report recomputes them. A charging session touches every hour from its start
 * to its end; while it runs, every hour from its start on.
 *
 * Times are compared as stored (ISO UTC, `toISOString()`), as the reports do.
 */
export const usageRollup: Migration = {
  version: 11,
  name: 'usage report rollups per hour (and elevator trips per day), invalidated by triggers',
  sql: `
    CREATE TABLE usage_gate_hours (
      estate_id TEXT NOT NULL,
      hr INTEGER NOT NULL,
      entries INTEGER NOT NULL,
      exits INTEGER NOT NULL,
      resident_entries INTEGER NOT NULL,
      visitor_entries INTEGER NOT NULL,
      resident_exits INTEGER NOT NULL,
      visitor_exits INTEGER NOT NULL,
      -- The highest the count of cars inside rose above where it stood when the
      -- hour began (0 if it never did): the hour's peak is its start plus this.
      rise INTEGER NOT NULL,
      fees_fen INTEGER NOT NULL,
      visitor_fees_fen INTEGER NOT NULL,
      PRIMARY KEY (estate_id, hr)
    ) WITHOUT ROWID;
    CREATE TABLE usage_charger_hours (
      estate_id TEXT NOT NULL,
      hr INTEGER NOT NULL,
      sessions INTEGER NOT NULL,
      wh REAL NOT NULL,
      revenue_fen INTEGER NOT NULL,
      busy_s INTEGER NOT NULL,
      PRIMARY KEY (estate_id, hr)
    ) WITHOUT ROWID;
    CREATE TABLE usage_elevator_hours (
      estate_id TEXT NOT NULL,
      hr INTEGER NOT NULL,
      rides INTEGER NOT NULL,
      up INTEGER NOT NULL,
      down INTEGER NOT NULL,
      charge_fen INTEGER NOT NULL,
      PRIMARY KEY (estate_id, hr)
    ) WITHOUT ROWID;
    -- The local days whose trips are filled: a day without rides has no trip
    -- rows, and a day's trips count only while it is listed here (filling a day
    -- rewrites its trips whole).
    CREATE TABLE usage_elevator_days (
      estate_id TEXT NOT NULL,
      day INTEGER NOT NULL,
      PRIMARY KEY (estate_id, day)
    ) WITHOUT ROWID;
    CREATE TABLE usage_elevator_trips (
      estate_id TEXT NOT NULL,
      day INTEGER NOT NULL,
      elevator_id TEXT NOT NULL,
      from_floor INTEGER NOT NULL,
      to_floor INTEGER NOT NULL,
      rides INTEGER NOT NULL,
      PRIMARY KEY (estate_id, day, elevator_id, from_floor, to_floor)
    ) WITHOUT ROWID;
    ${invalidate('stays', 'estate_id, entry_at, exit_at, vehicle_class, fee_fen', stayHours)}
    ${invalidate('charging_sessions', 'estate_id, started_at, ended_at, status, energy_wh, fee_fen', sessionHours)}
    ${invalidate('elevator_rides', 'estate_id, elevator_id, at, from_floor, to_floor, charge_fen', rideHours)}
  `,
};
