import { defineProject } from 'vitest/config';

// Fault injection against the built packages (run `pnpm build` first, as `pnpm test` does): child
// processes save in a loop and are killed with SIGKILL at seeded random moments. Seeded and bounded.
export default defineProject({
  test: {
    name: 'faults',
    include: ['*.fault.test.ts'],
    testTimeout: 400_000,
  },
});
