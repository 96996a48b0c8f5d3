import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The repository's examples/ (one program per chapter listing), checked from the demo's suite.
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const examples = join(root, 'examples');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

function run(file: string, args: string[]) {
  const r = spawnSync(
    bin('tsx'),
    ['--tsconfig', join(examples, 'tsconfig.json'), join(examples, file), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, WORDLOOM_BACKEND: 'cpu' },
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-examples-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('examples/', () => {
  it('type-checks every listing against the public package APIs', () => {
    const r = spawnSync(bin('tsc'), ['-p', join(examples, 'tsconfig.json')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("4-1c prints the chapter's co-occurrence counts and plots the SVD vectors", async () => {
    const svg = join(dir, 'svd.svg');
    const r = run('4-1c-svd.ts', [svg]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('I . like Machine Learning TensorFlow prefer Python');
    // like–I twice; I–prefer once; '.' after Learning, TensorFlow and Python.
    expect(lines[2]).toBe('[0. 0. 2. 0. 0. 0. 1. 0.]');
    expect(lines[3]).toBe('[0. 0. 0. 0. 1. 1. 0. 1.]');
    expect(await readFile(svg, 'utf8')).toContain('>TensorFlow<');
  });

  it('4-2a and 4-2b read a vector file: queen − woman + man = king (cosine 1 by construction)', async () => {
    const file = join(dir, 'tiny.txt');
    // GloVe text: queen − woman + man = (1, 1, 0) = king exactly. mostSimilar averages unit vectors:
    // q̂ − ŵ + m̂ = (0.707, 1, −0.293), whose cosine with king is (0.707 + 1)/√2 / 1.259 = 0.959.
    await writeFile(file, 'king 1 1 0\nqueen 1 0 1\nman 0 1 0\nwoman 0 0 1\napple 0 0.2 0.9\n');
    const a = run('4-2a-load-vectors.ts', [file]);
    expect(a.stdout).toContain(`Found 5 word vectors of 3 dimensions in ${file}.`);
    const b = run('4-2b-analogy.ts', [file]);
    expect(b.stdout).toMatch(/^Cosine Similarity 1.000000\n/);
    expect(b.stdout).toMatch(/queen − woman \+ man ≈ king \(0\.959\)/);
  });
});
