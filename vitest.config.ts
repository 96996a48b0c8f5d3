import { defineConfig } from 'vitest/config';

// One project per workspace package; each package's own vitest.config.ts (if any) is merged in.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
