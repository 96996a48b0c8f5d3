import { InvalidArgumentError } from '@wordloom/core';
import { describe, expect, it } from 'vitest';
import { zipfCorpus } from '../../test-support/zipf-corpus.js';
import { buildCooccurrence } from '../cooccurrence/build-cooccurrence.js';
import { trainGlove } from './train-glove.js';
import { trainGloveOnCorpus } from './train-glove-corpus.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('trainGloveOnCorpus', () => {
  it.each([true, false])(
    'gives trainGlove(buildCooccurrence(…))’s vectors and costs bit for bit (threads: 1, simd: %s)',
    async (simd) => {
      const corpus = zipfCorpus(300, 20_000, 9);
      const counting = { window: 6, weighting: 'harmonic', minCount: 2 } as const;
      const training = { dim: 8, epochs: 3, seed: 5, threads: 1, simd, xMax: 10 };
      const m = await buildCooccurrence(corpus, counting);
      const want = await trainGlove(m, training);
      const got = await trainGloveOnCorpus(corpus, { ...counting, ...training });
      expect(got.nonZeros).toBe(m.nonZeros);
      expect(got.costPerEpoch).toEqual(want.costPerEpoch);
      for (const key of ['w', 'wt', 'b', 'bt'] as const) expect(bits(got[key])).toEqual(bits(want[key]));
      expect(got.vectors.words).toEqual(m.words);
      expect(got.vectors.counts).toEqual(m.counts);
    },
  );

  it('trains on two threads: the cost falls', async () => {
    const r = await trainGloveOnCorpus(zipfCorpus(200, 10_000, 4), {
      window: 4,
      dim: 8,
      epochs: 5,
      threads: 2,
    });
    expect(r.costPerEpoch[4]).toBeLessThan(r.costPerEpoch[0]);
  });

  it('refuses unknown and bad options, and a corpus without co-occurrences, by name', async () => {
    const corpus = [['a', 'b', 'c']];
    await expect(trainGloveOnCorpus(corpus, { windowSize: 2 } as never)).rejects.toThrow(
      /there is no option 'windowSize'/,
    );
    await expect(trainGloveOnCorpus(corpus, { window: 0 })).rejects.toThrow(
      /'window'.*trainGloveOnCorpus|trainGloveOnCorpus.*'window'/,
    );
    await expect(trainGloveOnCorpus(corpus, { xMax: 0 })).rejects.toThrow(/'xMax'/);
    const none = trainGloveOnCorpus([['a'], ['b']], { dim: 4 });
    await expect(none).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(trainGloveOnCorpus([['a'], ['b']], { dim: 4 })).rejects.toThrow(/'corpus'/);
  });
});
