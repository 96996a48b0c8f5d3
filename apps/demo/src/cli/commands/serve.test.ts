import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-serve-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Serving the page itself is driven in Chromium by e2e/web-page.test.ts.
describe('wordloom serve', () => {
  it('refuses a folder without tour output, saying what to run', () => {
    const r = runCli(['serve', '--dir', dir, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `wordloom: '${dir}' holds no tour output (web-data.json is missing): run \`wordloom tour --out ${dir}\` first\n`,
    );
  });

  it('names a bad port', () => {
    const r = runCli(['serve', '--dir', dir, '--port', '70000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wordloom: Argument '--port' passed to 'wordloom serve' must be/);
  });
});
