import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,background,widget,extension,gateway,demo,bench}/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
});
