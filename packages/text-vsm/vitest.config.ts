import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'text-vsm',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
