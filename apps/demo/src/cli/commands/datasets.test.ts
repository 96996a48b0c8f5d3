import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

describe('wordloom datasets mnist', () => {
  it('summarises the embedded MNIST as exactly the documented JSON', () => {
    const { code, stdout, stderr } = runCli(['datasets', 'mnist', '--json']);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('{"train":60000,"test":10000,"rows":28,"cols":28,"firstLabels":[5,0,4,1,9]}\n');
  });

  it.skipIf(!existsSync('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz'))(
    'reads Fashion-MNIST from --dir',
    () => {
      const { code, stdout } = runCli([
        'datasets',
        'mnist',
        '--dir',
        '/usr/share/datasets/fashion-mnist',
        '--json',
      ]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        train: 60000,
        test: 10000,
        rows: 28,
        cols: 28,
        firstLabels: [9, 0, 0, 3, 0],
      });
    },
  );

  it('fails with one line for a missing folder and for a corrupt file', async () => {
    const missing = runCli(['datasets', 'mnist', '--dir', '/nonexistent/mnist', '--json']);
    expect(missing.code).toBe(1);
    // Under --json the failure is also one JSON object on stdout.
    expect(JSON.parse(missing.stdout).error.message).toMatch(
      /^cannot read \/nonexistent\/mnist\/train-images/,
    );
    expect(missing.stderr).toMatch(
      /^wordloom: cannot read \/nonexistent\/mnist\/train-images-idx3-ubyte: no such file/,
    );
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);

    const dir = await mkdtemp(join(tmpdir(), 'wl-cli-mnist-'));
    for (const name of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ]) {
      await writeFile(join(dir, name), new Uint8Array([0, 0, 8, 1, 0, 0, 0, 9, 1, 2]));
    }
    const corrupt = runCli(['datasets', 'mnist', '--dir', dir]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    expect(corrupt.stderr).toMatch(
      /^wordloom: .*-idx\d-ubyte: is truncated: .* needs 17 bytes, the file holds 10$/m,
    );
  });
});

describe('wordloom datasets corpora', () => {
  it('lists every corpus with its token count', () => {
    const { code, stdout, stderr } = runCli(['datasets', 'corpora', '--json']);
    expect(code, stderr).toBe(0);
    const corpora = JSON.parse(stdout) as {
      name: string;
      source: string;
      tokens: number;
      sentences: number;
    }[];
    expect(corpora).toHaveLength(22);
    const byName = Object.fromEntries(corpora.map((c) => [c.name, c]));
    expect(byName['chapter-three-sentences']).toMatchObject({ source: 'chapter', sentences: 3, tokens: 10 });
    // Listing 4-5's passage ends 15 sentences: 13 periods and 2 exclamation marks.
    expect(byName['chapter-alice'].sentences).toBe(15);
    expect(byName['carroll-alice'].tokens).toBeGreaterThan(25_000);
    const books = corpora.filter((c) => c.source === 'gutenberg' && c.name !== 'gutenberg');
    expect(byName.gutenberg.tokens).toBe(books.reduce((sum, c) => sum + c.tokens, 0));
  });
});
