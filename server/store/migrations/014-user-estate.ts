import type { Migration } from './migration.js';

export const userEstate: Migration = {
  version: 14,
  name: 'an account may belong to one estate',
  sql: `
    -- NULL: the install's own people (the first admin), who look after every estate.
    -- Set: a committee member, volunteer, guard or resident of that estate, refused everywhere else.
    ALTER TABLE users ADD COLUMN estate_id TEXT REFERENCES estates(id);
  `,
};
