// Browser tests: the built site (dist/) served by `astro preview`, driven in Debian's
// Chromium through playwright-core. Run by `npm run test:e2e` after `astro build`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
