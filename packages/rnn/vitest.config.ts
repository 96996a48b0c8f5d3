import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'rnn',
    include: ['src/**/*.test.ts', 'assembly/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
