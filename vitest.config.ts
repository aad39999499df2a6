import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real brokers and servers on free ports; each file runs in its own fork.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
