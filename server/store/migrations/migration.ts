/**
 * A versioned migration. Append only: a released migration is never edited; a
 * change to the schema is a new file. Each runs in one transaction with the bump
 * of `schema_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
