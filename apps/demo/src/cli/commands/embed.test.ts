import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wl-embed-cli-'));
const corpus = join(dir, 'corpus.txt');
const topics = [
  ['cat', 'dog', 'horse', 'cow'],
  ['hammer', 'saw', 'drill', 'wrench'],
];
// Deterministic two-topic corpus: one sentence per line, whitespace tokens.
writeFileSync(
  corpus,
  Array.from({ length: 600 }, (_, i) => {
    const t = topics[i % 2];
    return Array.from({ length: 6 }, (_, k) => t[(i * 7 + k * 3) % 4]).join(' ');
  }).join('\n'),
);

describe('wordloom embed', () => {
  it('train --json prints tokens, vocab, seconds, wordsPerSecond and lossPerEpoch; similar finds topic mates', () => {
    const out = join(dir, 'v.bin');
    const { code, stdout, stderr } = runCli([
      'embed',
      'train',
      '--corpus',
      corpus,
      '--dim',
      '16',
      '--window',
      '3',
      '--min-count',
      '1',
      '--epochs',
      '4',
      '--sample',
      '0',
      '--out',
      out,
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.tokens).toBe(3600);
    expect(r.vocab).toBe(8);
    expect(r.lossPerEpoch).toHaveLength(4);
    expect(r.lossPerEpoch[3]).toBeLessThan(r.lossPerEpoch[0]);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.wordsPerSecond).toBeGreaterThan(0);
    const similar = runCli(['embed', 'similar', '--vectors', out, '--word', 'cat', '--top', '3', '--json']);
    expect(similar.code, similar.stderr).toBe(0);
    const words = JSON.parse(similar.stdout).similar.map((s: { word: string }) => s.word);
    expect(words.sort()).toEqual(['cow', 'dog', 'horse']);
  });

  it('analogy scores a questions file per section and answers --a --b --c', () => {
    const out = join(dir, 'v.txt');
    expect(
      runCli([
        'embed',
        'train',
        '--method',
        'glove',
        '--corpus',
        corpus,
        '--dim',
        '8',
        '--window',
        '3',
        '--min-count',
        '1',
        '--epochs',
        '10',
        '--out',
        out,
        '--format',
        'word2vec-txt',
      ]).code,
    ).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('8 8');
    const questions = join(dir, 'q.txt');
    writeFileSync(questions, ': animals\ncat dog horse cow\n: unknown\ncat dog horse unicorn\n');
    const r = runCli(['embed', 'analogy', '--vectors', out, '--questions', questions, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const acc = JSON.parse(r.stdout);
    expect(acc.total).toBe(1);
    expect(acc.sections.map((s: { section: string; oov: number }) => [s.section, s.oov])).toEqual([
      ['animals', 0],
      ['unknown', 1],
    ]);
    expect(acc.accuracy).toBe(acc.correct / acc.total);
    const one = runCli([
      'embed',
      'analogy',
      '--vectors',
      out,
      '--a',
      'cat',
      '--b',
      'dog',
      '--c',
      'hammer',
      '--json',
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout).answers).toHaveLength(1);
  });

  it('svd writes GloVe text; bad input fails with one line naming the flag or the word', () => {
    const out = join(dir, 's.txt');
    expect(
      runCli([
        'embed',
        'train',
        '--method',
        'svd',
        '--corpus',
        corpus,
        '--dim',
        '4',
        '--window',
        '2',
        '--min-count',
        '1',
        '--out',
        out,
        '--format',
        'glove',
      ]).code,
    ).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(8);
    const missing = runCli(['embed', 'similar', '--vectors', out, '--word', 'unicorn']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `wordloom: Word "unicorn" passed to 'mostSimilar' is not in the vocabulary\n`,
    );
    const bad = runCli(['embed', 'train', '--corpus', corpus, '--method', 'bert', '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `wordloom: Argument '--method' passed to 'embed train' must be one of 'cbow', 'skipgram', 'glove', 'svd', got "bert"\n`,
    );
  });
});
