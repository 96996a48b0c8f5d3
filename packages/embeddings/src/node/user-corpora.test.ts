import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { TextDecodeError } from '../errors/text-decode-error.js';
import { KeyedVectors } from '../keyed-vectors.js';
import { trainWord2Vec as trainInBrowser } from '../train/word2vec-engine/train-word2vec.js';
import { fileSentences } from './file-sentences.js';
import { trainWord2Vec } from './train-word2vec-node.js';
import { loadVectors, saveVectors } from './vector-files.js';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/corpora/', import.meta.url));
const files = (await readdir(fixtures)).filter((f) => f.endsWith('.txt')).sort();

async function sentences(path: string, options = {}): Promise<string[][]> {
  const out: string[][] = [];
  for await (const s of fileSentences(path, options)) out.push(s);
  return out;
}

describe("users' own corpora: train → word2vec-bin → load", () => {
  it('covers every committed fixture', () => {
    expect(files).toEqual(expect.arrayContaining(['control-chars.txt', 'latin1.txt', 'crlf.txt', 'cjk.txt']));
  });

  for (const file of files)
    it(`${file}: the file wordloom writes loads back whole and answers queries`, async () => {
      const encoding = file === 'latin1.txt' ? 'latin1' : 'utf-8';
      const { vectors } = await trainWord2Vec(join(fixtures, file), {
        dim: 8,
        minCount: 1,
        epochs: 1,
        sample: 0,
        encoding,
      });
      const dir = await mkdtemp(join(tmpdir(), 'wl-corpus-'));
      const out = join(dir, 'v.bin');
      await saveVectors(out, vectors, 'word2vec-bin');
      const back = await loadVectors(out);
      expect(back.words).toEqual(vectors.words);
      expect(Array.from(back.vectors)).toEqual(Array.from(vectors.vectors));
      const similar = back.mostSimilar({ positive: [back.words[0]], topN: 2 });
      expect(similar).toHaveLength(Math.min(2, back.size - 1));
    });

  it('keeps backspace underlining and a bell inside words; splits on form feeds (Python str.split)', async () => {
    const s = await sentences(join(fixtures, 'control-chars.txt'));
    const words = new Set(s.flat());
    expect(words.has('_\bc_\ba_\bt')).toBe(true);
    expect(words.has('B\bBO\bOL\bLD\bD')).toBe(true);
    expect([...words].some((w) => w.includes('\u0007'))).toBe(true);
    expect([...words].some((w) => w.includes('\f'))).toBe(false);
  });

  it('CRLF line ends do not stick to the last word', async () => {
    const s = await sentences(join(fixtures, 'crlf.txt'));
    expect(s[0].at(-1)).toBe('dog');
  });

  it('refuses Latin-1 bytes read as UTF-8 with the byte and its offset; latin1, replace and ignore read them', async () => {
    const path = join(fixtures, 'latin1.txt');
    const bytes = await readFile(path);
    const offset = bytes.indexOf(0xe9);
    let error: unknown;
    try {
      await sentences(path);
    } catch (e) {
      error = e;
    }
    expect(TextDecodeError.isInstance(error)).toBe(true);
    expect((error as TextDecodeError).offset).toBe(offset);
    expect((error as Error).message).toBe(
      `${path}: byte 0xE9 at offset ${offset} is not valid utf-8 (read the file with encoding 'latin1', or unicodeErrors 'replace' or 'ignore')`,
    );
    expect((await sentences(path, { encoding: 'latin1' }))[0][1]).toBe('café');
    expect((await sentences(path, { unicodeErrors: 'replace' }))[0][1]).toBe('caf\uFFFD');
    expect((await sentences(path, { unicodeErrors: 'ignore' }))[0][1]).toBe('caf');
    // Training from the file refuses it the same way, before any vector exists.
    await expect(trainWord2Vec(path, { minCount: 1 })).rejects.toThrow(TextDecodeError);
  });

  it('names a missing corpus file', async () => {
    await expect(sentences('/nonexistent/corpus.txt')).rejects.toThrow(
      /Argument 'path' passed to 'fileSentences' must be a readable corpus file \(ENOENT\)/,
    );
  });
});

describe('strings where token arrays belong', () => {
  it('trainWord2Vec refuses sentences that are strings (they would train on letters)', async () => {
    const e = await trainWord2Vec(['the cat sat'] as never, { minCount: 1 }).catch((x) => x);
    expect(InvalidArgumentError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(
      /^Argument 'corpus' passed to 'trainWord2Vec' must be an iterable of sentences, each an array of string tokens, e\.g\. \[\["the", "cat", "sat"\]\]; sentence 1 is the string "the cat sat" \(split it into tokens/,
    );
    await expect(trainWord2Vec([['a', 3 as never]], { minCount: 1 })).rejects.toThrow(
      /sentence 1 is not an array of strings/,
    );
  });

  it('the browser-safe trainWord2Vec refuses a file path and says where paths work', async () => {
    await expect(trainInBrowser('corpus.txt' as never)).rejects.toThrow(
      /'corpus' passed to 'trainWord2Vec' must be .*a file path is read only by trainWord2Vec from '@wordloom\/embeddings\/node'/,
    );
  });

  it('trainers refuse unknown options', async () => {
    await expect(trainWord2Vec([['a', 'b']], { epoch: 3 } as never)).rejects.toThrow(
      /there is no option 'epoch'/,
    );
  });

  it('mostSimilar refuses a string where a list goes; doesntMatch ignores unknown words (gensim)', () => {
    const kv = new KeyedVectors(['king', 'queen', 'apple'], Float32Array.from([1, 0.1, 1, 0.2, 0, 1]), 2);
    expect(() => kv.mostSimilar({ positive: 'king' as never })).toThrow(
      `Argument 'positive' passed to 'mostSimilar' must be a list of words, e.g. ["king"], not a string, got "king"`,
    );
    expect(() => kv.mostSimilar({ positive: ['king'], negative: 'queen' as never })).toThrow(/'negative'/);
    expect(kv.doesntMatch(['king', 'unicorn', 'queen', 'apple'])).toBe('apple');
    expect(() => kv.doesntMatch(['unicorn'])).toThrow(/at least one word of the vocabulary/);
    expect(() => kv.doesntMatch('king' as never)).toThrow(/'words' passed to 'doesntMatch' must be a list/);
  });

  it('uses raw vectors in mostSimilar as given (gensim 4.2), not normalised', () => {
    const kv = new KeyedVectors(['x', 'y', 'd'], Float32Array.from([1, 0, 0, 1, 0.6, 0.8]), 2);
    // [10, 0] + [0, 1]: as given it points along x (nearest x); normalised first it would be the diagonal d.
    expect(
      kv.mostSimilar({
        positive: [
          [10, 0],
          [0, 1],
        ],
        topN: 1,
      })[0].word,
    ).toBe('x');
    expect(
      kv.mostSimilar({
        positive: [
          [1, 0],
          [0, 1],
        ],
        topN: 1,
      })[0].word,
    ).toBe('d');
  });
});

describe('saveVectors', () => {
  it('refuses NaN before writing anything: no file, no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wl-nan-'));
    const kv = new KeyedVectors(['a', 'b'], Float32Array.from([1, Number.NaN]), 1);
    await expect(saveVectors(join(dir, 'v.bin'), kv, 'word2vec-bin')).rejects.toThrow(InvalidArgumentError);
    expect(await readdir(dir)).toEqual([]);
    await writeFile(join(dir, 'keep.bin'), 'old');
    await expect(saveVectors(join(dir, 'keep.bin'), kv, 'glove')).rejects.toThrow(/is NaN/);
    expect(await readFile(join(dir, 'keep.bin'), 'utf8')).toBe('old');
  });
});
