import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
// the progress bar) before its action runs, and because the CLI itself is one bundled module
// (apps/demo/scripts/bundle-cli.mjs): Node resolves, reads and compiles one file, not one per module.
const HEAVY =
  /@tensorflow|(@wordloom|packages)\/(backend|datasets|text-vsm|embeddings|rnn|viz)\/|cli-progress/;
const COMMANDS = [[['--help']], [['search', '--help']], [['lm', 'train', '--help']], [['tour', '--help']]];

describe('start-up', () => {
  it.each(COMMANDS)('`wordloom %s` loads no numeric package', (args) => {
    const heavy = modulesLoadedBy(args).filter((url) => HEAVY.test(url));
    expect(heavy).toEqual([]);
  });

  it.each(COMMANDS)('`wordloom %s` reads one file of JavaScript: the CLI bundle', (args) => {
    // Node resolves the entry point twice; one distinct file is the point.
    const files = new Set(modulesLoadedBy(args).filter((url) => !url.startsWith('node:')));
    expect([...files]).toEqual([pathToFileURL(main).href]);
  });

  it('every module the bundle loads later, when a command runs, is there', () => {
    const bundle = readFileSync(main, 'utf8');
    const lazy = [...bundle.matchAll(/import\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)].map((m) => m[1]);
    // run-tour (tour), the t-SNE and SVD stages (plot), the static server (serve).
    expect(lazy.length).toBeGreaterThanOrEqual(4);
    for (const path of lazy) expect(existsSync(resolve(dirname(main), path)), path).toBe(true);
  });

  it('starts with the shebang, so the bin runs as `wordloom`', () => {
    expect(readFileSync(main, 'utf8').split('\n', 1)[0]).toBe('#!/usr/bin/env node');
  });
});
