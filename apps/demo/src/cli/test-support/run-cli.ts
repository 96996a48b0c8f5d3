import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/cli/main.js');

/** Runs the built `wordloom` CLI as a user would, returning its exit code and output. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDLOOM_BACKEND: undefined, ...env },
    timeout: 300_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
