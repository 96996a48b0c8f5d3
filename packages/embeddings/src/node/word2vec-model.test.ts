import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WordloomError } from '@wordloom/core';
import { mutations } from '@wordloom/core/testing';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../errors/model-file-error.js';
import { Word2Vec } from '../model/word2vec-model.js';
import { twoTopicCorpus } from '../test-support/two-topic-corpus.js';
import { trainWord2Vec } from '../train/word2vec-engine/train-word2vec.js';
import { loadWord2Vec, saveWord2Vec } from './word2vec-model-files.js';

const corpus = twoTopicCorpus(400);
// More text, as users bring it: the two known topics and a third, colours, the first corpus never saw.
const colours = ['red', 'green', 'blue', 'yellow', 'purple', 'orange'];
const more = twoTopicCorpus(600, 11).map((sentence, i) =>
  i % 3 === 0 ? sentence.map((_, k) => colours[(i * 5 + k * 7) % 6]) : sentence,
);
const options = { dim: 8, window: 3, minCount: 1, sample: 0, epochs: 3, seed: 7 } as const;

function bytesOf(model: Word2Vec): Uint8Array {
  const parts = [...model.toBytes()];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('Word2Vec: a trainable model that saves whole and continues training', () => {
  for (const loss of ['ns', 'hs'] as const) {
    it(`${loss}: trains like trainWord2Vec, saves and loads bit for bit, continues identically after a load`, async () => {
      const model = await Word2Vec.train(corpus, { ...options, loss });
      const reference = await trainWord2Vec(corpus, { ...options, loss, threads: 1 });
      expect(Array.from(model.vectors.vectors)).toEqual(Array.from(reference.vectors.vectors));
      expect(Array.from(model.outputVectors)).toEqual(Array.from(reference.outputVectors));

      const dir = await mkdtemp(join(tmpdir(), 'wl-w2v-model-'));
      const path = join(dir, 'model.w2v');
      await saveWord2Vec(path, model);
      expect(await readdir(dir)).toEqual(['model.w2v']); // atomic: no temporary file left
      const loaded = await loadWord2Vec(path);
      expect(loaded.words).toEqual(model.words);
      expect(Array.from(loaded.counts)).toEqual(Array.from(model.counts));
      expect(loaded.options).toEqual(model.options);
      expect(Array.from(loaded.outputVectors)).toEqual(Array.from(model.outputVectors));

      // gensim: build_vocab(more, update=True); train(more). The same with and without the file round trip.
      for (const m of [model, loaded]) {
        expect(await m.buildVocab(more, { update: true })).toBe(6);
        await m.train(more, { epochs: 3 });
      }
      expect(loaded.words).toEqual(model.words);
      expect(Array.from(loaded.vectors.vectors)).toEqual(Array.from(model.vectors.vectors));
      expect(Array.from(loaded.outputVectors)).toEqual(Array.from(model.outputVectors));
      const v = model.vectors;
      expect(v.has('red')).toBe(true);
      // Counts add up over both corpora.
      const catsInMore = more.flat().filter((w) => w === 'cat').length;
      expect(model.counts[model.words.indexOf('cat')]).toBe(
        reference.vectors.counts![reference.vectors.words.indexOf('cat')] + catsInMore,
      );
      // The new topic was learned; the old one is still there.
      expect(v.similarity('red', 'blue')).toBeGreaterThan(v.similarity('red', 'cat'));
      expect(v.similarity('cat', 'dog')).toBeGreaterThan(v.similarity('cat', 'hammer'));
    });
  }

  it('continues training on more text of known words (vectors move, words unknown to the model are skipped)', async () => {
    const model = await Word2Vec.train(corpus, options);
    const before = model.vectors.vectors.slice();
    const losses = await model.train([...corpus.slice(0, 100), ['cat', 'unicorn', 'dog']], {
      epochs: 1,
      alpha: 0.01,
    });
    expect(losses).toHaveLength(1);
    expect(model.words).not.toContain('unicorn');
    expect(Array.from(model.vectors.vectors)).not.toEqual(Array.from(before));
  });

  it('refuses what would silently do nothing or the wrong thing', async () => {
    const model = await Word2Vec.train(corpus, options);
    await expect(model.buildVocab(more, {} as never)).rejects.toThrow(
      /Argument 'update' passed to 'buildVocab' must be true/,
    );
    await expect(model.train(more, { epoch: 2 } as never)).rejects.toThrow(/there is no option 'epoch'/);
    await expect(model.train('red green' as never)).rejects.toThrow(/'corpus' passed to 'train'/);
    await expect(Word2Vec.train(corpus, { ...options, threads: 2 })).rejects.toThrow(/one thread/);
  });

  it('refuses corrupt, truncated and foreign files with ModelFileError, and fuzzed ones with typed errors only', async () => {
    const model = await Word2Vec.train(corpus, { ...options, epochs: 1 });
    const bytes = bytesOf(model);
    const dir = await mkdtemp(join(tmpdir(), 'wl-w2v-bad-'));
    const flipped = bytes.slice();
    flipped[bytes.length >> 1] ^= 0x10;
    await writeFile(join(dir, 'flipped'), flipped);
    await expect(loadWord2Vec(join(dir, 'flipped'))).rejects.toThrow(
      /model\/?.*flipped: checksum mismatch|flipped: checksum mismatch/,
    );
    await writeFile(join(dir, 'short'), bytes.subarray(0, 100));
    await expect(loadWord2Vec(join(dir, 'short'))).rejects.toThrow(ModelFileError);
    await writeFile(join(dir, 'vectors.bin'), '3 2\nabc');
    await expect(loadWord2Vec(join(dir, 'vectors.bin'))).rejects.toThrow(/not a wordloom word2vec model/);
    await expect(loadWord2Vec(join(dir, 'short'), { maxBytes: 10 })).rejects.toThrow(/at most maxBytes = 10/);
    let ok = 0;
    for (const m of mutations(bytes, { seed: 3, count: 1000 })) {
      try {
        Word2Vec.fromBytes(m.bytes);
        ok++;
      } catch (error) {
        if (!WordloomError.isInstance(error)) throw new Error(`case ${m.index} (${m.description}): ${error}`);
      }
    }
    // Only mutations that leave the bytes as they were (e.g. an append of nothing) may load.
    expect(ok).toBeLessThan(20);
    expect((await readFile(join(dir, 'flipped'))).length).toBe(bytes.length);
  });
});
