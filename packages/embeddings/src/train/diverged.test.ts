import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import { TrainingDivergedError } from '../errors/training-diverged-error.js';
import { LISTING_4_1B_CORPUS } from '../test-support/chapter-corpus.js';
import { twoTopicCorpus } from '../test-support/two-topic-corpus.js';
import { trainBookSkipGram } from './book/train-book.js';
import { buildCooccurrence } from './cooccurrence/build-cooccurrence.js';
import { CooccurrenceMatrix } from './cooccurrence/cooccurrence-matrix.js';
import { trainGlove } from './glove/train-glove.js';
import { svdEmbeddings } from './svd/svd-embeddings.js';
import { trainWord2Vec } from './word2vec-engine/train-word2vec.js';

async function diverged(p: Promise<unknown>): Promise<TrainingDivergedError> {
  try {
    await p;
  } catch (e) {
    if (TrainingDivergedError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a TrainingDivergedError');
}

const corpus = twoTopicCorpus(300);

describe('training stops with TrainingDivergedError instead of returning NaN vectors', () => {
  for (const simd of [true, false])
    it(`word2vec with alpha 1e30 (${simd ? 'SIMD' : 'JS'} kernel)`, async () => {
      let epochs = 0;
      const e = await diverged(
        trainWord2Vec(corpus, {
          dim: 8,
          minCount: 1,
          sample: 0,
          epochs: 3,
          alpha: 1e30,
          minAlpha: 1e30,
          simd,
          onEpoch: () => {
            epochs++;
          },
        }),
      );
      expect(e.epoch).toBe(1);
      expect(epochs).toBe(0); // no epoch with a non-finite loss was reported as done
      expect(e.message).toMatch(
        /^trainWord2Vec: (the loss|a weight) is .* in epoch 1: training diverged \(lower alpha\)$/,
      );
    });

  it('GloVe with eta 1e30 (glove.c skips overflowing entries, so the cost alone stays finite)', async () => {
    const m = await buildCooccurrence(corpus, { window: 2, weighting: 'harmonic' });
    const e = await diverged(trainGlove(m, { dim: 8, epochs: 5, learningRate: 1e30 }));
    expect(e.epoch).toBe(1);
    expect(e.message).toMatch(
      /^trainGlove: .* in epoch 1: training diverged \(lower learningRate \(eta\)\)$/,
    );
    // A sane rate on the same matrix trains.
    const ok = await trainGlove(m, { dim: 8, epochs: 2 });
    expect(ok.vectors.vectors.every(Number.isFinite)).toBe(true);
  });

  it('SVD of counts that overflow float32 vectors', () => {
    const m = new CooccurrenceMatrix(
      ['a', 'b'],
      Int32Array.from([1, 1]),
      Int32Array.from([0, 1, 2]),
      Int32Array.from([0, 1]),
      Float64Array.from([1e39, 1e39]),
    );
    expect(() => svdEmbeddings(m, { dim: 1, weighting: 'US' })).toThrow(TrainingDivergedError);
    const huge = new CooccurrenceMatrix(
      ['a', 'b'],
      Int32Array.from([1, 1]),
      Int32Array.from([0, 1, 2]),
      Int32Array.from([0, 1]),
      Float64Array.from([1e300, 1e300]),
    );
    // Its products overflow float64: refused, not factorised into zeros.
    expect(() => svdEmbeddings(huge, { dim: 1 })).toThrow(/products stay finite/);
    const nan = new CooccurrenceMatrix(
      ['a', 'b'],
      Int32Array.from([1, 1]),
      Int32Array.from([0, 1, 2]),
      Int32Array.from([0, 1]),
      Float64Array.from([Number.NaN, 1]),
    );
    expect(() => svdEmbeddings(nan, { dim: 1 })).toThrow(/'matrix' .* finite values \(entry 1 is NaN\)/);
  });
});

describeEachBackend('the book-faithful trainer diverges with a typed error', () => {
  it('skip-gram with learning rate 1e38 names the first bad step and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const e = await diverged(
      Promise.resolve().then(() =>
        trainBookSkipGram(LISTING_4_1B_CORPUS, {
          dim: 8,
          epochs: 20,
          learningRate: 1e38,
          gradients: 'analytic',
        }),
      ),
    );
    expect(e.message).toMatch(/^trainBookSkipGram: the loss of step \d+ is (NaN|Infinity) in epoch \d+/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
