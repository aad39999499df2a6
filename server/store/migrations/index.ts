import { foundation } from './001-foundation.js';
import type { Migration } from './migration.js';

export type { Migration };

/** Every migration, one file each, numbered; `migrate()` applies the ones a database lacks, in order. */
export const MIGRATIONS: Migration[] = [foundation];
