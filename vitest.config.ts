import { defineConfig } from 'vitest/config';

// One project per workspace package; each package's own vitest.config.ts (if any) is merged in;
// e2e/faults kills and fuzzes the built packages.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'e2e/faults'],
  },
});
