import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
/**
 * The vendors' real messages live beside the project, in `../shared/fixtures/devices/`
 * (nobody on this project wrote them, so they are not copied in). Where a checkout has no
 * such folder, the test files that read it cannot run: they are left out, and said so
 * (`.ci/run` prints the line too), rather than failing on a missing file.
 */
export const DEVICE_FIXTURES = join(root, '..', 'shared', 'fixtures', 'devices');
const readsFixtures = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? readsFixtures(join(dir, e.name)) : e.name.endsWith('.test.ts') && readFileSync(join(root, dir, e.name), 'utf8').includes('shared/fixtures/devices') ? [join(dir, e.name)] : [],
  );
const missing = existsSync(DEVICE_FIXTURES) ? [] : readsFixtures('test');
if (missing.length > 0) console.warn(`device fixtures not found at ${DEVICE_FIXTURES}: ${missing.length} test files that read them are not run (${missing.join(', ')})`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...missing],
    // Integration tests start real brokers and servers on free ports; each file runs in its own fork.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
