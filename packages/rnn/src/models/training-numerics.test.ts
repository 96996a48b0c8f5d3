import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { Random } from '@wordloom/core';
import { expect, it } from 'vitest';
import { LanguageModel, type LanguageModelConfig, type LanguageModelFitOptions } from './language-model.js';
import { SequenceClassifier, type SequenceDataset } from './sequence-classifier.js';
import type { FitResult } from './train-loop.js';

// Pins today's training numerics bit for bit: a benchmark of LanguageModel training is on record, and
// a refactor of the loop, the models or the checkpoints must not move a single weight. The hashes
// were computed on the code as it stood before the refactor that added this file (same seed, same
// options); a change that alters them is a change of numerics and needs the benchmark re-run.

/** SHA-256 (first 16 hex digits) of every weight's float32 bytes and of each epoch's reported numbers. */
function fingerprint(variables: tf.Variable[], result: FitResult): string {
  const hash = createHash('sha256');
  for (const v of variables) {
    const w = Float32Array.from(v.dataSync() as Float32Array);
    hash.update(new Uint8Array(w.buffer));
  }
  for (const h of result.history)
    hash.update(
      JSON.stringify([
        h.epoch,
        h.loss,
        h.accuracy,
        h.learningRate,
        h.validationLoss,
        h.validationAccuracy,
        h.validationPerplexity,
      ]),
    );
  return hash.digest('hex').slice(0, 16);
}

const random = new Random(11);
const words = 'the a cat dog sat ran on under mat log and then'.split(' ');
// Zipf-ish: low ids far more frequent, as a real vocabulary (so a sampled softmax sees real hits).
const tokens = Array.from(
  { length: 600 },
  () => words[Math.min(words.length - 1, Math.floor(random.next() ** 2 * 13))],
);

const lmCases: [string, Omit<LanguageModelConfig, 'vocabulary'>, LanguageModelFitOptions][] = [
  [
    'window LSTM, embedding, dropout, validationSplit',
    {
      mode: 'window',
      window: 4,
      layers: 2,
      units: 8,
      embeddingSize: 6,
      dropout: 0.2,
      recurrentDropout: 0.2,
      seed: 3,
    },
    { epochs: 2, batchSize: 16, seed: 5, validationSplit: 0.2 },
  ],
  [
    'full LSTM (the benchmark’s shape), dropout, validationSplit',
    {
      mode: 'full',
      sequenceLength: 8,
      layers: 2,
      units: 8,
      embeddingSize: 4,
      dropout: 0.25,
      recurrentDropout: 0.1,
      seed: 4,
    },
    { epochs: 2, batchSize: 4, seed: 6, validationSplit: 0.15, learningRate: 0.01 },
  ],
  [
    'full LSTM, sampled softmax, validationData, schedule',
    {
      mode: 'full',
      sequenceLength: 7,
      layers: 1,
      units: 8,
      embeddingSize: 5,
      sampledSoftmax: 5,
      dropout: 0.1,
      seed: 7,
    },
    {
      epochs: 2,
      batchSize: 3,
      seed: 8,
      validationData: tokens.slice(0, 80),
      learningRateSchedule: { type: 'cosine' },
      learningRate: 0.02,
    },
  ],
  [
    'full GRU, tied weights, weight decay, clipNorm',
    {
      mode: 'full',
      cell: 'gru',
      sequenceLength: 6,
      layers: 2,
      units: 6,
      embeddingSize: 6,
      tieWeights: true,
      seed: 9,
    },
    { epochs: 2, batchSize: 5, seed: 2, weightDecay: 0.01, clipNorm: 1, validationSplit: 0.1 },
  ],
  [
    'window simple RNN, one-hot input, early stopping',
    { mode: 'window', cell: 'rnn', window: 3, layers: 1, units: 8, embeddingSize: 0, seed: 1 },
    {
      epochs: 2,
      batchSize: 32,
      seed: 3,
      validationSplit: 0.25,
      earlyStopping: { patience: 0, restoreBestWeights: true },
    },
  ],
];

/**
 * Hashes of the cases above, computed before the refactor; the same on both backends (the optimizer
 * runs on the backend, the products in the SIMD kernels), kept per backend should they ever part.
 */
const BEFORE: Record<string, string> = {
  'window LSTM, embedding, dropout, validationSplit': '1c1361a3b3e78498',
  'full LSTM (the benchmark’s shape), dropout, validationSplit': '25dbde7eb58a3235',
  'full LSTM, sampled softmax, validationData, schedule': 'ac62aca9d6b56df4',
  'full GRU, tied weights, weight decay, clipNorm': '6d8885574b91f669',
  'window simple RNN, one-hot input, early stopping': 'a25419867e8bf703',
  classifier: '4415ea491ab94f27',
};
const PINNED: Record<string, Record<string, string>> = { cpu: BEFORE, wasm: BEFORE };

function classifierData(count: number): SequenceDataset {
  const r = new Random(21);
  const inputs = Float32Array.from({ length: count * 5 * 3 }, () => r.normal());
  const labels = Int32Array.from({ length: count }, (_, i) =>
    inputs[i * 15] + inputs[i * 15 + 7] > 0 ? 1 : 0,
  );
  return { inputs, labels, count, steps: 5, features: 3 };
}

describeEachBackend('training numerics are pinned bit for bit', (backend) => {
  for (const [name, config, options] of lmCases)
    it(`LanguageModel: ${name}`, async () => {
      const lm = LanguageModel.fromTokens(tokens, config);
      const result = await lm.fit(tokens, options);
      const got = fingerprint(lm.variables, result);
      lm.dispose();
      expect(got).toBe(PINNED[backend][name]);
    });

  it('SequenceClassifier: LSTM, dropout, validationSplit', async () => {
    const model = new SequenceClassifier({
      inputSize: 3,
      classes: 2,
      units: 6,
      layers: 2,
      dropout: 0.2,
      recurrentDropout: 0.2,
      seed: 5,
    });
    const result = await model.fit(classifierData(80), {
      epochs: 2,
      batchSize: 16,
      seed: 4,
      validationSplit: 0.25,
      learningRate: 0.01,
    });
    const got = fingerprint(model.variables, result);
    model.dispose();
    expect(got).toBe(PINNED[backend].classifier);
  });
});
