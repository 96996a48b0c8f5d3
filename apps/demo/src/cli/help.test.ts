import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const main = resolve(here, '../../dist/cli/main.js');
const hook = resolve(here, 'test-support/trace-imports.mjs');
const dir = mkdtempSync(join(tmpdir(), 'wordloom-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The module URLs `wordloom <args>` resolves. */
function modulesLoadedBy(args: string[]): string[] {
  const trace = join(dir, `${args.join('-') || 'none'}.txt`);
  const result = spawnSync(process.execPath, ['--import', hook, main, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WORDLOOM_TRACE_FILE: trace },
  });
  expect(result.status).toBe(0);
  return readFileSync(trace, 'utf8').trim().split('\n');
}

// `wordloom --help` answers fast because no command loads its packages (tfjs, the numeric libraries,
// the progress bar) before its action runs.
const HEAVY =
  /@tensorflow|(@wordloom|packages)\/(backend|datasets|text-vsm|embeddings|rnn|viz)\/|cli-progress/;

describe('start-up', () => {
  it.each([[['--help']], [['search', '--help']], [['lm', 'train', '--help']], [['tour', '--help']]])(
    '`wordloom %s` loads no numeric package',
    (args) => {
      const heavy = modulesLoadedBy(args).filter((url) => HEAVY.test(url));
      expect(heavy).toEqual([]);
    },
  );
});
