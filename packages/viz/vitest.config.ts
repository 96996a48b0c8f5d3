import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'viz',
    include: ['src/**/*.test.ts', 'assembly/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
