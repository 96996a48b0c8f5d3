import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@wordloom/backend';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsProvider } from '../bptt/matmul-provider.js';
import { LanguageModel } from './language-model.js';
import { SoftmaxHead, sampleCandidates } from './softmax-head.js';

describe('SoftmaxHead', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('a stable log-softmax: finite loss and gradient at a logit gap of 500 (as PyTorch)', () => {
    const head = new SoftmaxHead(1, 3, 1);
    head.kernel.assign(tf.tensor2d([[500, 0, 0]]));
    const p = new TfjsProvider();
    // Logits [500, 0, 0], label 1: −log o_1 = 500 + log(1 + 2e−500) = 500 (log(e^−500 / Σ) would be −∞).
    const r = head.lossAndGradients(p, Float32Array.of(1), 1, Int32Array.of(1));
    expect(r.loss).toBeCloseTo(500, 6);
    expect(Array.from(r.grads[1], (g) => Number(g.toFixed(6)))).toEqual([1, -1, 0]);
    // Label 0 is right with probability 1: loss 0, not NaN.
    expect(head.lossAndGradients(p, Float32Array.of(1), 1, Int32Array.of(0)).loss).toBeCloseTo(0, 10);
    head.dispose();
  });

  it('rejects a label ≥ classes or a fractional label instead of reading the next row', () => {
    const head = new SoftmaxHead(1, 3, 1);
    const p = new TfjsProvider();
    for (const bad of [3, 1.5, Number.NaN])
      expect(() => head.lossAndGradients(p, Float32Array.of(1, 1), 2, [0, bad])).toThrow(
        InvalidArgumentError,
      );
    expect(() => head.lossAndGradients(p, Float32Array.of(1), 1, [7])).toThrow(
      /Argument 'labels' passed to 'lossAndGradients' must be integers below 3/,
    );
    head.dispose();
  });
});

describe('sampled softmax', () => {
  beforeAll(() => selectBackend({ backend: 'cpu' }));

  it('draws distinct log-uniform candidates, frequent (low) ids most often', () => {
    const random = new Random(1);
    const hits = new Float64Array(100);
    for (let n = 0; n < 500; n++) {
      const { ids, logExpected, tries } = sampleCandidates(100, 10, random);
      expect(new Set(ids).size).toBe(10);
      expect(tries).toBeGreaterThanOrEqual(10);
      for (const [j, id] of ids.entries()) {
        hits[id]++;
        expect(logExpected[j]).toBeLessThanOrEqual(0);
      }
    }
    // P(0) = log 2 / log 101 ≈ 0.15 per draw: id 0 lands in almost every sample, id 99 rarely.
    expect(hits[0] / 500).toBeGreaterThan(0.7);
    expect(hits[99] / 500).toBeLessThan(0.1);
  });

  it('a language model trained with it lowers the full-softmax loss', async () => {
    const random = new Random(4);
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    // A cycle through the words: each one predicts the next.
    const tokens = Array.from({ length: 600 }, (_, i) => words[(i + (random.next() < 0.05 ? 1 : 0)) % 30]);
    const lm = LanguageModel.fromTokens(tokens, {
      window: 2,
      layers: 1,
      units: 16,
      embeddingSize: 8,
      sampledSoftmax: 6,
    });
    const before = lm.evaluate(tokens).loss;
    await lm.fit(tokens, { epochs: 8, batchSize: 32, learningRate: 0.02 });
    expect(lm.evaluate(tokens).loss).toBeLessThan(before / 2);
    lm.dispose();
  });
});
