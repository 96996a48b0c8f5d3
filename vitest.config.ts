import { defineConfig } from 'vitest/config';

// One project per workspace package; each package's own vitest.config.ts (if any) is merged in;
// e2e/faults kills and fuzzes the built packages; bench and scripts test the benchmark harness and the
// repository checks.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'e2e/faults', 'bench', 'scripts'],
  },
});
