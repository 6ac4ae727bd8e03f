import { defineConfig } from '@playwright/test';

// Each test starts its own Chromium with the built extension (`npm run build` first; `npm test`
// does it). Two cores on CI: two workers.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure' },
});
