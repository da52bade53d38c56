import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Hooks synthesize stacks and generate organizations: slow on a busy two-core machine.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
