import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { twoTopicCorpus } from '../../test-support/two-topic-corpus.js';
import { trainWord2Vec } from './train-word2vec.js';

const corpus = twoTopicCorpus(1500);

function separation(v: Awaited<ReturnType<typeof trainWord2Vec>>['vectors']): number {
  return v.similarity('cat', 'dog') - v.similarity('cat', 'hammer');
}

describe.each([1, 2])('trainWord2Vec (threads: %i)', (threads) => {
  for (const [architecture, loss, simd] of [
    ['skipgram', 'ns', true],
    ['skipgram', 'ns', false],
    ['skipgram', 'hs', true],
    ['cbow', 'ns', true],
    ['cbow', 'hs', false],
  ] as const) {
    it(`${architecture}/${loss}${simd ? ' (SIMD)' : ' (JS)'}: loss falls and topics separate`, async () => {
      const r = await trainWord2Vec(corpus, {
        architecture,
        loss,
        simd,
        dim: 16,
        window: 3,
        minCount: 1,
        sample: 0,
        epochs: 4,
        seed: 5,
        threads,
      });
      expect(r.vocab).toBe(12);
      expect(r.tokens).toBe(12_000);
      expect(r.lossPerEpoch).toHaveLength(4);
      expect(r.lossPerEpoch[3]).toBeLessThan(r.lossPerEpoch[0]);
      expect(r.lossPerEpoch.every(Number.isFinite)).toBe(true);
      expect(separation(r.vectors)).toBeGreaterThan(0.3);
      expect(
        r.vectors
          .mostSimilar({ positive: ['drill'], topN: 3 })
          .every((s) => ['hammer', 'saw', 'wrench', 'chisel', 'pliers'].includes(s.word)),
      ).toBe(true);
    });
  }

  it('streams an async corpus, applies minCount and orders words by frequency', async () => {
    async function* stream() {
      yield ['a', 'a', 'a', 'b', 'b', 'c'];
      yield ['a', 'b', 'd'];
    }
    const r = await trainWord2Vec(stream(), { dim: 4, minCount: 2, epochs: 1, window: 1, threads });
    expect(r.vectors.words).toEqual(['a', 'b']);
    expect(Array.from(r.vectors.counts!)).toEqual([4, 3]);
    expect(r.tokens).toBe(9);
  });

  it('stops when aborted and validates options naming the argument', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(trainWord2Vec(corpus, { minCount: 1, signal: controller.signal })).rejects.toThrow('stop');
    await expect(trainWord2Vec(corpus, { window: 0 })).rejects.toThrow(InvalidArgumentError);
    for (const bad of [0, 1.5, 257])
      await expect(trainWord2Vec(corpus, { threads: bad })).rejects.toThrow(/'threads'/);
    await expect(trainWord2Vec([['x']], { minCount: 1 })).rejects.toThrow(/at least 2/);
  });
});
