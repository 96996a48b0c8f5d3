import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('without --format, writes word2vec text to a .txt or .vec file and binary otherwise', () => {
    const isText = (path: string) => {
      const [header, first] = readFileSync(path, 'latin1').split('\n');
      const values = first
        .split(' ')
        .slice(1)
        .filter((v) => v !== '');
      return /^\d+ 4$/.test(header) && values.length === 4 && values.every((v) => Number.isFinite(Number(v)));
    };
    const train = (out: string) =>
      runCli([
        'embed',
        'train',
        '--corpus',
        corpus,
        '--dim',
        '4',
        '--min-count',
        '1',
        '--epochs',
        '1',
        '--out',
        out,
      ]);
    for (const name of ['t.txt', 'T.VEC']) {
      const r = train(join(dir, name));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).toContain('(word2vec-txt)');
      expect(isText(join(dir, name))).toBe(true);
    }
    const r = train(join(dir, 'b.bin'));
    expect(r.stdout + r.stderr).toContain('(word2vec-bin)');
    expect(isText(join(dir, 'b.bin'))).toBe(false);
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
      `wordloom: Argument '--word' passed to 'embed similar' must be a word of ${out} (8 words), got "unicorn"\n`,
    );
    const bad = runCli(['embed', 'train', '--corpus', corpus, '--method', 'bert', '--out', out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'wordloom: --method: unknown value "bert" (expected one of cbow, skipgram, glove, svd)\n',
    );
  });
});

const fixtures = fileURLToPath(new URL('../../../../../test-fixtures/corpora/', import.meta.url));

describe("wordloom embed on users' own files (test-fixtures/corpora)", () => {
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.txt')))
    it(`${file}: train → word2vec-bin → similar and analogy`, () => {
      const out = join(dir, `${file}.bin`);
      const flags = file === 'latin1.txt' ? ['--encoding', 'latin1'] : [];
      const t = runCli([
        'embed',
        'train',
        '--corpus',
        join(fixtures, file),
        ...flags,
        '--dim',
        '8',
        '--min-count',
        '1',
        '--epochs',
        '1',
        '--out',
        out,
        '--json',
      ]);
      expect(t.code, t.stderr).toBe(0);
      const vocab = JSON.parse(t.stdout).vocab as number;
      // The most frequent words, read back from the file wordloom wrote (as loadVectors would).
      const words = wordsOf(out);
      expect(words).toHaveLength(vocab);
      const similar = runCli([
        'embed',
        'similar',
        '--vectors',
        out,
        '--word',
        words[0],
        '--top',
        '2',
        '--json',
      ]);
      expect(similar.code, similar.stderr).toBe(0);
      expect(JSON.parse(similar.stdout).similar).toHaveLength(Math.min(2, vocab - 1));
      if (vocab >= 4) {
        const a = runCli([
          'embed',
          'analogy',
          '--vectors',
          out,
          '--a',
          words[0],
          '--b',
          words[1],
          '--c',
          words[2],
          '--json',
        ]);
        expect(a.code, a.stderr).toBe(0);
        expect(JSON.parse(a.stdout).answers).toHaveLength(1);
      }
      if (file !== 'control-chars.txt') return;
      // Human output never carries the raw control bytes of words such as "_\bc_\ba_\bt".
      const human = runCli([
        'embed',
        'similar',
        '--vectors',
        out,
        '--word',
        words[0],
        '--top',
        String(vocab - 1),
      ]);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check.
      expect(human.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    });

  it('refuses Latin-1 bytes read as UTF-8, naming the byte offset and the flags that read them', () => {
    const path = join(fixtures, 'latin1.txt');
    const offset = readFileSync(path).indexOf(0xe9);
    const r = runCli(['embed', 'train', '--corpus', path, '--min-count', '1', '--out', join(dir, 'l.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').at(-2)).toBe(
      `wordloom: --corpus: ${path}: byte 0xE9 at offset ${offset} is not valid utf-8 (pass --encoding latin1, or --unicode-errors replace or ignore)`,
    );
    expect(existsSync(join(dir, 'l.bin'))).toBe(false);
    const replaced = runCli([
      'embed',
      'train',
      '--corpus',
      path,
      '--unicode-errors',
      'replace',
      '--min-count',
      '1',
      '--dim',
      '4',
      '--epochs',
      '1',
      '--out',
      join(dir, 'l.bin'),
      '--json',
    ]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(wordsOf(join(dir, 'l.bin'))).toContain('caf\uFFFD');
  });
});

describe('wordloom embed: bounds and hostile input', () => {
  for (const [flag, value, message] of [
    ['--negative', '1e9', '--negative: not an integer: "1e9" (expected an integer >= 1 and <= 1000)'],
    [
      '--negative',
      '1000000000',
      '--negative: 1000000000 is out of range (expected an integer >= 1 and <= 1000)',
    ],
    ['--dim', '100000', '--dim: 100000 is out of range (expected an integer >= 1 and <= 4096)'],
    ['--window', '0', '--window: 0 is out of range (expected an integer >= 1 and <= 1000)'],
    ['--epochs', 'abc', '--epochs: not a number: "abc" (expected an integer >= 1 and <= 10000)'],
    ['--eta', '0', '--eta: 0 is out of range (expected a number > 0)'],
    ['--x-max', 'NaN', '--x-max: not a number: "NaN" (expected a number > 0)'],
    ['--encoding', 'ebcdic', '--encoding: unknown value "ebcdic" (expected one of utf-8, latin1)'],
  ] as const)
    it(`${flag} ${value} fails at once naming the limit`, () => {
      const r = runCli(['embed', 'train', '--corpus', corpus, flag, value, '--out', join(dir, 'x.bin')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`wordloom: ${message}\n`);
    });

  it('probes --out before training', () => {
    const r = runCli(['embed', 'train', '--corpus', corpus, '--out', join(dir, 'missing', 'v.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wordloom: --out: cannot write .*v\.bin: folder .*missing: no such file or directory\n$/,
    );
  });

  it('--loss softmax refuses a corpus its dense model cannot hold', () => {
    const big = join(dir, 'big.txt');
    writeFileSync(
      big,
      Array.from({ length: 4000 }, (_, i) =>
        Array.from({ length: 10 }, (_, k) => `w${(i * 10 + k) % 3000}`).join(' '),
      ).join('\n'),
    );
    const r = runCli(['embed', 'train', '--corpus', big, '--loss', 'softmax', '--out', join(dir, 'x.bin')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^wordloom: --loss: softmax trains the chapter's dense model, .*3000 words.* the limit is 256 MiB \(use --loss ns or hs/,
    );
    const small = join(dir, 'small.txt');
    writeFileSync(
      small,
      Array.from({ length: 300 }, (_, i) => `w${i % 200} w${(i * 7) % 200} w${(i * 3) % 200}`).join('\n'),
    );
    const slow = runCli([
      'embed',
      'train',
      '--corpus',
      small,
      '--loss',
      'softmax',
      '--min-count',
      '1',
      '--dim',
      '4096',
      '--epochs',
      '10000',
      '--out',
      join(dir, 'x.bin'),
    ]);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(
      /^wordloom: --loss: softmax on this corpus \(900 tokens, 200 words\) at --dim 4096 for 10000 epochs needs up to .* multiply-adds; the limit is 1e\+12/,
    );
  });

  it('analogy --questions on a binary file prints no raw control bytes', () => {
    const out = join(dir, 'v.bin');
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + (i >> 3)) & 0xff)));
    writeFileSync(join(dir, 'esc.txt'), ': \u001b[31mred\u0007\ncat dog horse cow\n');
    for (const q of [garbage, join(dir, 'esc.txt')]) {
      const r = runCli(['embed', 'analogy', '--vectors', out, '--questions', q]);
      expect(r.code, r.stderr).toBe(0);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check.
      expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });

  it('glove follows Stanford demo.sh (x_max 10, 15 iterations) and reports glove.c cost, no words/s', () => {
    const out = join(dir, 'g.txt');
    const r = runCli([
      'embed',
      'train',
      '--method',
      'glove',
      '--corpus',
      corpus,
      '--dim',
      '8',
      '--min-count',
      '1',
      '--out',
      out,
      '--format',
      'glove',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect([j.xMax, j.alpha, j.eta, j.epochs]).toEqual([10, 0.75, 0.05, 15]);
    expect(j.lossPerEpoch).toHaveLength(15);
    expect(j.wordsPerSecond).toBeNull();
    expect(j.lossPerEpoch[14]).toBeLessThan(j.lossPerEpoch[0]);
    const human = runCli([
      'embed',
      'train',
      '--method',
      'glove',
      '--corpus',
      corpus,
      '--dim',
      '8',
      '--min-count',
      '1',
      '--epochs',
      '2',
      '--x-max',
      '100',
      '--eta',
      '0.1',
      '--out',
      out,
    ]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).not.toMatch(/words\/s/);
    expect(human.stdout).toMatch(/cost \(glove\.c's ½Σf\(X\)·diff² \/ non-zeros\) per epoch: /);
  });
});

/** The words of a word2vec binary file, in order (a reader independent of the package's). */
function wordsOf(path: string): string[] {
  const b = readFileSync(path);
  const nl = b.indexOf(0x0a);
  const [n, d] = b.subarray(0, nl).toString('latin1').split(' ').map(Number);
  const words: string[] = [];
  let o = nl + 1;
  for (let r = 0; r < n; r++) {
    const sp = b.indexOf(0x20, o);
    words.push(b.subarray(o, sp).toString('utf8'));
    o = sp + 1 + 4 * d + 1;
  }
  return words;
}
