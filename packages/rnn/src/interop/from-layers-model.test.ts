import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeEachBackend } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { sequenceCall } from '../layers/tensor-api.js';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier, type SequenceDataset } from '../models/sequence-classifier.js';
import { installChainedOps } from './chained-ops.js';
import { fromLayersModel } from './from-layers-model.js';
import { maxAbsDiff } from './test-support/compare.js';
import { toLayersModel } from './to-layers-model.js';
import { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';

const D = 3;
const random = (seed: number) => ({
  kernelInitializer: tfl.initializers.randomNormal({ stddev: 0.5, seed }),
  recurrentInitializer: tfl.initializers.randomNormal({ stddev: 0.5, seed: seed + 1 }),
  biasInitializer: tfl.initializers.randomNormal({ stddev: 0.5, seed: seed + 2 }),
});
const gates = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;

type Build = (first: { inputShape: [null, number] }, seed: number) => tfl.layers.Layer[];
const KERAS: Array<[string, Build]> = [
  [
    'simpleRNN relu',
    (s, seed) => [
      tfl.layers.simpleRNN({ ...s, ...random(seed), units: 4, activation: 'relu', returnSequences: true }),
    ],
  ],
  [
    'lstm',
    (s, seed) => [tfl.layers.lstm({ ...s, ...random(seed), ...gates, units: 5, returnSequences: true })],
  ],
  [
    'gru',
    (s, seed) => [tfl.layers.gru({ ...s, ...random(seed), ...gates, units: 5, returnSequences: true })],
  ],
  [
    'stacked lstm 6 → gru 3 (different sizes: a Stacked encoder)',
    (s, seed) => [
      tfl.layers.lstm({ ...s, ...random(seed), ...gates, units: 6, returnSequences: true }),
      tfl.layers.gru({ ...random(seed + 5), ...gates, units: 3, returnSequences: true }),
    ],
  ],
  [
    'bidirectional gru (ave) → lstm',
    (s, seed) => [
      tfl.layers.bidirectional({
        ...s,
        layer: tfl.layers.gru({
          ...random(seed),
          ...gates,
          units: 4,
          returnSequences: true,
        }) as tfl.layers.RNN,
        mergeMode: 'ave',
      }),
      tfl.layers.lstm({ ...random(seed + 7), ...gates, units: 3, returnSequences: true }),
    ],
  ],
];

function sequential(layers: tfl.layers.Layer[]): tfl.Sequential {
  const model = tfl.sequential();
  for (const l of layers) model.add(l);
  return model;
}

/** Class = sign pattern of the mean of the first feature over the first and second half of the sequence. */
function toyData(count: number, steps: number, seed: number): SequenceDataset {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const inputs = new Float32Array(count * steps * D);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let a = 0;
    for (let t = 0; t < steps; t++)
      for (let f = 0; f < D; f++) {
        const v = next() * 2;
        inputs[(i * steps + t) * D + f] = v;
        if (f === 0) a += v;
      }
    labels[i] = a > 0 ? 1 : 0;
  }
  return { inputs, labels, count, steps, features: D };
}

describeEachBackend('fromLayersModel', () => {
  installChainedOps();
  for (const [name, build] of KERAS)
    it(`${name}: the wordloom encoder reproduces tfjs-layers (max abs diff < 1e-5)`, () => {
      const model = sequential(build({ inputShape: [null, D] }, 21));
      const encoder = fromLayersModel(model) as SequenceLayer;
      const x = tf.randomNormal([3, 6, D], 0, 1, 'float32', 2) as tf.Tensor3D;
      const theirs = model.predict(x) as tf.Tensor;
      const ours = sequenceCall(encoder, x, { returnSequences: true });
      expect(maxAbsDiff(ours.output, theirs)).toBeLessThan(1e-5);
      tf.dispose([x, theirs, ours.output, ...ours.states]);
      model.dispose();
      encoder.dispose();
    });

  it('a tfjs-layers LSTM classifier loads into wordloom, fine-tunes with its BPTT (loss falls) and exports back', async () => {
    const model = sequential([
      tfl.layers.lstm({ inputShape: [null, D], ...random(3), ...gates, units: 8 }),
      tfl.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    const classifier = fromLayersModel(model) as SequenceClassifier;
    expect(classifier).toBeInstanceOf(SequenceClassifier);
    expect(classifier.config).toMatchObject({ cell: 'lstm', units: 8, layers: 1, classes: 2 });
    const data = toyData(128, 6, 7);
    const x = tf.tensor3d(data.inputs, [data.count, data.steps, D]);
    // Before training: same predictions as the tfjs-layers model.
    const before = model.predict(x) as tf.Tensor;
    expect(Array.from(classifier.predict(data))).toEqual(Array.from(tf.argMax(before, 1).dataSync()));
    const loss0 = classifier.evaluate(data).loss;
    await classifier.fit(data, { epochs: 15, batchSize: 32, learningRate: 0.02 });
    const loss1 = classifier.evaluate(data).loss;
    expect(loss1).toBeLessThan(0.8 * loss0);
    // And back: the fine-tuned weights give the same probabilities in tfjs-layers.
    const exported = toLayersModel(classifier);
    const after = exported.predict(x) as tf.Tensor;
    expect(Array.from(tf.argMax(after, 1).dataSync())).toEqual(Array.from(classifier.predict(data)));
    const { output, states } = sequenceCall(classifier.encoder, x);
    const ours = tf.softmax(
      tf.add(tf.matMul(output as tf.Tensor2D, classifier.head.kernel), classifier.head.bias),
    );
    expect(maxAbsDiff(ours, after)).toBeLessThan(1e-5);
    tf.dispose([x, before, after, output, ...states, ours]);
    model.dispose();
    exported.dispose();
    classifier.dispose();
  });

  it('a functional tf.model (input layer, same chain) converts like a Sequential', () => {
    const input = tfl.input({ shape: [null, D] });
    const h = tfl.layers.lstm({ ...random(40), ...gates, units: 4 }).apply(input) as tfl.SymbolicTensor;
    const y = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(h) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: y });
    const classifier = fromLayersModel(model) as SequenceClassifier;
    const x = tf.randomNormal([2, 5, D], 0, 1, 'float32', 4) as tf.Tensor3D;
    const theirs = model.predict(x) as tf.Tensor;
    const { output, states } = sequenceCall(classifier.encoder, x);
    const ours = tf.softmax(
      tf.add(tf.matMul(output as tf.Tensor2D, classifier.head.kernel), classifier.head.bias),
    );
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-5);
    tf.dispose([x, theirs, output, ...states, ours]);
    model.dispose();
    classifier.dispose();
  });

  it('embedding → LSTMs → dense with a vocabulary becomes a LanguageModel with the same loss', () => {
    const words = 'the cat sat on the mat and the dog sat on the log'.split(' ');
    const original = LanguageModel.fromTokens(words, { window: 3, layers: 2, units: 6, embeddingSize: 4 });
    const keras = toLayersModel(original);
    const lm = fromLayersModel(keras, { vocabulary: [...original.vocabulary] }) as LanguageModel;
    expect(lm).toBeInstanceOf(LanguageModel);
    expect(lm.config).toMatchObject({ mode: 'window', window: 3, layers: 2, units: 6, embeddingSize: 4 });
    expect(lm.evaluate(words).loss).toBeCloseTo(original.evaluate(words).loss, 5);
    keras.dispose();
    lm.dispose();
    original.dispose();
  });
});

describe('fromLayersModel: unsupported combinations throw naming the option', () => {
  installChainedOps();
  const cases: Array<[string, () => tfl.layers.Layer[]]> = [
    ['recurrentActivation', () => [tfl.layers.lstm({ inputShape: [null, D], units: 2 })]], // default hardSigmoid
    [
      'activation',
      () => [
        tfl.layers.gru({
          inputShape: [null, D],
          units: 2,
          activation: 'relu',
          recurrentActivation: 'sigmoid',
        }),
      ],
    ],
    ['useBias', () => [tfl.layers.simpleRNN({ inputShape: [null, D], units: 2, useBias: false })]],
    ['dropout', () => [tfl.layers.simpleRNN({ inputShape: [null, D], units: 2, dropout: 0.2 })]],
    ['goBackwards', () => [tfl.layers.simpleRNN({ inputShape: [null, D], units: 2, goBackwards: true })]],
    [
      'mergeMode',
      () => [
        tfl.layers.bidirectional({
          inputShape: [null, D],
          layer: tfl.layers.simpleRNN({ units: 2 }) as tfl.layers.RNN,
          mergeMode: 'mul',
        }),
      ],
    ],
    [
      'units',
      () => [
        tfl.layers.simpleRNN({ inputShape: [null, D], units: 2, returnSequences: true }),
        tfl.layers.simpleRNN({ units: 3 }),
        tfl.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    ],
    ['layer', () => [tfl.layers.conv1d({ inputShape: [5, D], filters: 2, kernelSize: 2 })]],
  ];
  for (const [option, build] of cases)
    it(option, () => {
      const model = sequential(build());
      let caught: unknown;
      try {
        fromLayersModel(model);
      } catch (error) {
        caught = error;
      }
      expect(UnsupportedLayersOptionError.isInstance(caught)).toBe(true);
      expect((caught as UnsupportedLayersOptionError).option).toBe(option);
      expect((caught as Error).message).toContain(`Option '${option}'`);
      model.dispose();
    });

  it('an embedding model without a vocabulary names options.vocabulary', () => {
    const model = sequential([
      tfl.layers.embedding({ inputDim: 5, outputDim: 2, inputShape: [3] }),
      tfl.layers.lstm({ units: 2, ...gates }),
      tfl.layers.dense({ units: 5, activation: 'softmax' }),
    ]);
    expect(() => fromLayersModel(model)).toThrow(/Argument 'options.vocabulary' passed to 'fromLayersModel'/);
    model.dispose();
  });
});
