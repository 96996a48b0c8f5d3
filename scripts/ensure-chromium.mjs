#!/usr/bin/env node
// The browser tests (the web page's and the consumer bundles') drive Debian's Chromium, never a
// downloaded browser build. This is the one place that makes sure it is there: `pnpm test` and
// `.ci/run` both call it. As root with apt-get it installs the `chromium` package; otherwise it says
// in one line what to run and fails, before any test starts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const apt = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => existsSync(p));
  if (process.getuid?.() !== 0 || !apt) {
    console.error(
      `wordloom: the browser tests need Debian's chromium at ${CHROMIUM}: run 'sudo apt-get install chromium'`,
    );
    process.exit(1);
  }
  console.error(`wordloom: ${CHROMIUM} is missing; installing Debian's chromium (apt-get install chromium)`);
  const quiet = { stdio: ['ignore', 'ignore', 'inherit'] };
  const update = spawnSync(apt, ['update', '-qq'], quiet);
  const install =
    update.status === 0 &&
    spawnSync(apt, ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      ...quiet,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (install?.status !== 0 || !existsSync(CHROMIUM)) {
    console.error("wordloom: installing chromium failed: run 'apt-get update && apt-get install chromium'");
    process.exit(1);
  }
}
