import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';
import { runInPty } from '../test-support/run-in-pty.js';

let dir: string;
let run: ReturnType<typeof runCli>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-tour-'));
  run = runCli(['tour', '--tiny', '--out', dir, '--backend', 'wasm']);
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wordloom tour', () => {
  it('runs every stage with progress on stderr and a summary on stdout', () => {
    expect(run.stderr).not.toMatch(/wordloom: /);
    expect(run.code).toBe(0);
    for (const stage of [
      '— search',
      '— word vectors',
      '— svd',
      '— t-SNE maps',
      '— MNIST LSTM',
      '— language model',
    ])
      expect(run.stderr).toContain(stage);
    expect(run.stdout).toMatch(/^tour finished in [\d.]+ s on wasm: .*report\.html$/m);
    expect(run.stdout).toMatch(/^completion: i only wish( \S+){28}$/m);
  });

  it('writes a self-contained report.html with every figure inline and the SVD matrix', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    // The chapter's Figs 4-2, 4-4, 4-6, 4-8 and 4-9 (4-10 needs 'woman', which the tiny corpus lacks),
    // the two maps and the two loss curves, all as data URIs; no reference to any other file.
    const figures = html.match(/<img alt="[^"]*" src="data:image\/(svg\+xml|png);base64,/g) ?? [];
    expect(figures).toHaveLength(9);
    for (const fig of ['4-2', '4-4', '4-6', '4-8', '4-9']) expect(html).toContain(`<img alt="Fig ${fig}:`);
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(html).not.toMatch(/<script/);
    // Listing 4-1c's counts, in wordloom's (frequency) word order: the row of 'like' is 2 0 0 1 0 1 0 0.
    expect(html).toContain(
      '<tr><td>like</td><td>2</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td>0</td></tr>',
    );
    expect(html).toContain('“white rabbit”');
  });

  it('reports the held-out perplexity of the LSTM and of the n-gram that the summary holds', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const held = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')).languageModel.heldOut;
    expect(held.validationTokens).toBeGreaterThan(0);
    expect(html).toContain('<h3>Held-out perplexity: text neither model saw</h3>');
    expect(html).toContain(`the last ${held.validationTokens.toLocaleString('en-US')} tokens`);
    expect(html).toContain(`<td>${held.perplexity.toFixed(2)}</td>`);
    expect(html).toContain(`<td>${held.ngram.perplexity.toFixed(2)}</td>`);
    expect(run.stdout).toContain(
      `LSTM ${held.perplexity.toFixed(1)}, ${held.ngram.order}-gram ${held.ngram.perplexity.toFixed(1)}`,
    );
  });

  it('writes summary.json, the vectors, the index and the models the page loads', async () => {
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(summary.backend.name).toBe('wasm');
    expect(summary.search.documents).toBeGreaterThan(500);
    expect(summary.search.queries[0].bm25[0].snippet.toLowerCase()).toContain('rabbit');
    expect(summary.svd.singularValues[0]).toBeCloseTo(2.7573, 3);
    expect(summary.mnist.testImages).toBe(200);
    expect(summary.mnist.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.languageModel.ngram.perplexity).toBeGreaterThan(1);
    const manifest = JSON.parse(await readFile(join(dir, 'web-data.json'), 'utf8'));
    expect(manifest.format).toBe('wordloom-web-data');
    for (const [file, size] of Object.entries(manifest.sizes)) {
      expect((await readFile(join(dir, file))).byteLength, file).toBe(size);
    }
    const w2v = (await readFile(join(dir, 'vectors/skipgram.txt'), 'utf8')).split('\n', 2);
    expect(w2v[0]).toBe(`${summary.wordVectors.skipGram.vocabulary} 32`);
    expect(w2v[1].split(' ')).toHaveLength(33);
  });

  it('refuses --threads beyond its bound at once, naming the flag', () => {
    const bad = runCli(['tour', '--tiny', '--out', join(dir, 'threads'), '--threads', '1000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^wordloom: --threads: 1000 is out of range \(expected an integer >= 1 and <= \d+\)$/m,
    );
    expect(bad.stderr).not.toMatch(/— search/);
  });

  it('Ctrl-C in the MNIST stage stops the tour within 2 s with one line and status 130', () => {
    const run = runInPty(['tour', '--tiny', '--out', join(dir, 'interrupted'), '--backend', 'wasm'], {
      interruptOn: /— MNIST LSTM/,
      timeoutMs: 170_000,
    });
    expect(run.interruptedAt).not.toBeNull();
    expect(run.code).toBe(130);
    expect(run.exitedAt - (run.interruptedAt as number)).toBeLessThan(2);
    expect(run.output).toMatch(/tour interrupted; the files already in .* are complete/);
  }, 180_000);

  it('names a bad size flag', () => {
    const bad = runCli(['tour', '--tiny', '--out', join(dir, 'x'), '--mnist-train', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^wordloom: --mnist-train: 0 is out of range \(expected an integer >= 1 and <= 60000\)$/m,
    );
  });
});
