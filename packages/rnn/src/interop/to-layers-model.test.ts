import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeEachBackend } from '@wordloom/backend/testing';
import { describe, expect, it } from 'vitest';
import { GruCell } from '../cells/gru.js';
import { LstmCell } from '../cells/lstm.js';
import { SimpleRnnCell } from '../cells/simple-rnn.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { createEncoder, type EncoderConfig } from '../layers/create-encoder.js';
import { Rnn } from '../layers/rnn.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { sequenceCall } from '../layers/tensor-api.js';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier } from '../models/sequence-classifier.js';
import { maxAbsDiff, randomizeBiases } from './test-support/compare.js';
import { toLayersModel } from './to-layers-model.js';
import { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';
import { assignKerasWeights, kerasWeightsOf } from './weight-layout.js';

const D = 4;
const ENCODERS: Array<[string, Omit<EncoderConfig, 'inputSize'>]> = [
  ['simple RNN tanh', { cell: 'rnn', units: 5 }],
  ['simple RNN relu (identity init)', { cell: 'rnn', units: 4, activation: 'relu' }],
  ['simple RNN sigmoid', { cell: 'rnn', units: 5, activation: 'sigmoid' }],
  ['LSTM', { cell: 'lstm', units: 6 }],
  ['GRU reset-before', { cell: 'gru', units: 6, resetAfter: false }],
  ['stacked LSTM ×3', { cell: 'lstm', units: 5, layers: 3 }],
  ['stacked GRU ×2', { cell: 'gru', units: 4, layers: 2, resetAfter: false }],
  ['bidirectional LSTM concat', { cell: 'lstm', units: 5, bidirectional: 'concat' }],
  ['bidirectional GRU sum', { cell: 'gru', units: 5, bidirectional: 'sum', resetAfter: false }],
  ['bidirectional simple RNN average', { cell: 'rnn', units: 5, bidirectional: 'average' }],
  ['stacked bidirectional LSTM ×2', { cell: 'lstm', units: 4, layers: 2, bidirectional: 'concat' }],
];

describeEachBackend('toLayersModel', () => {
  for (const [name, config] of ENCODERS) {
    it(`${name}: tfjs-layers reproduces the wordloom forward pass (max abs diff < 1e-5)`, () => {
      const encoder = createEncoder({ ...config, inputSize: D, seed: 3 });
      randomizeBiases(encoder, 11);
      const x = tf.randomNormal([3, 7, D], 0, 1, 'float32', 5) as tf.Tensor3D;
      for (const returnSequences of [true, false]) {
        const ours = sequenceCall(encoder, x, { returnSequences });
        const model = toLayersModel(encoder, { returnSequences });
        const theirs = model.predict(x) as tf.Tensor;
        expect(maxAbsDiff(ours.output, theirs)).toBeLessThan(1e-5);
        expect(Math.abs(ours.output.dataSync()[0])).toBeGreaterThan(0); // not a degenerate all-zero output
        tf.dispose([ours.output, ...ours.states, theirs]);
        model.dispose();
      }
      x.dispose();
      encoder.dispose();
    });
  }

  it('a SequenceClassifier becomes recurrent layers → dense softmax with the same probabilities', () => {
    const classifier = new SequenceClassifier({
      inputSize: D,
      classes: 3,
      cell: 'lstm',
      units: 5,
      layers: 2,
      bidirectional: 'concat',
    });
    randomizeBiases(classifier, 4);
    const x = tf.randomNormal([4, 6, D], 0, 1, 'float32', 8) as tf.Tensor3D;
    const model = toLayersModel(classifier);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'Bidirectional', 'Dense']);
    const probs = model.predict(x) as tf.Tensor;
    const { output, states } = sequenceCall(classifier.encoder, x);
    const ours = tf.softmax(
      tf.add(tf.matMul(output as tf.Tensor2D, classifier.head.kernel), classifier.head.bias),
    );
    expect(maxAbsDiff(ours, probs)).toBeLessThan(1e-5);
    tf.dispose([x, probs, output, ...states, ours]);
    model.dispose();
    classifier.dispose();
  });

  it('a full-mode LanguageModel predicts at every step: the last LSTM returns sequences, dense per step', () => {
    const lm = new LanguageModel({
      vocabulary: ['a', 'b', 'c', 'd'],
      mode: 'full',
      layers: 1,
      units: 3,
      embeddingSize: 2,
    });
    randomizeBiases(lm, 2);
    const model = toLayersModel(lm);
    const ids = tf.tensor2d([[0, 1, 2, 3, 1]], [1, 5], 'int32');
    const probs = model.predict(ids) as tf.Tensor;
    expect(probs.shape).toEqual([1, 5, 4]);
    const x = tf.gather(lm.embedding as tf.Variable, ids) as tf.Tensor3D;
    const { output, states } = sequenceCall(lm.encoder, x, { returnSequences: true });
    const logits = tf.add(tf.matMul(tf.reshape(output, [5, 3]), lm.head.kernel), lm.head.bias);
    const ours = tf.reshape(tf.softmax(logits), [1, 5, 4]);
    expect(maxAbsDiff(ours, probs)).toBeLessThan(1e-5);
    tf.dispose([ids, probs, x, output, ...states, logits, ours]);
    model.dispose();
    lm.dispose();
  });

  for (const [embeddingSize, tieWeights] of [
    [0, false],
    [4, false],
    [5, true],
  ] as const)
    it(`a LanguageModel (${embeddingSize ? 'learned embedding' : 'one-hot input'}${tieWeights ? ', tied softmax' : ''}) becomes embedding → LSTMs → dense`, () => {
      const lm = new LanguageModel({
        vocabulary: ['a', 'b', 'c', 'd', 'e', 'f'],
        window: 3,
        layers: 2,
        units: 5,
        embeddingSize,
        tieWeights,
      });
      randomizeBiases(lm, 9);
      const model = toLayersModel(lm);
      expect(model.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'LSTM', 'LSTM', 'Dense']);
      expect(model.layers[0].trainable).toBe(embeddingSize > 0);
      const ids = tf.tensor2d(
        [
          [0, 1, 2],
          [5, 4, 3],
          [2, 2, 1],
        ],
        [3, 3],
        'int32',
      );
      const probs = model.predict(ids) as tf.Tensor;
      const table = lm.embedding ?? tf.eye(6);
      const x = tf.gather(table, ids) as tf.Tensor3D;
      const { output, states } = sequenceCall(lm.encoder, x);
      // A tied head's kernel is the embedding: W_ho = Eᵀ.
      const ours = tf.softmax(
        tf.add(tf.matMul(output as tf.Tensor2D, lm.head.kernel, false, tieWeights), lm.head.bias),
      );
      expect(maxAbsDiff(ours, probs)).toBeLessThan(1e-5);
      tf.dispose([ids, probs, x, output, ...states, ours, ...(lm.embedding ? [] : [table])]);
      model.dispose();
      lm.dispose();
    });
});

describe('weight layout', () => {
  it("copies LSTM weights unchanged and negates the GRU's z block (Keras z = 1 − wordloom z)", () => {
    const lstm = new LstmCell({ inputSize: 2, units: 1 });
    const [k] = kerasWeightsOf(lstm);
    expect(Array.from(k.dataSync())).toEqual(Array.from(lstm.kernel.dataSync()));
    const gru = new GruCell({ inputSize: 1, units: 1, resetAfter: false });
    gru.kernel.assign(tf.tensor2d([[1, 2, 3]]));
    gru.bias.assign(tf.tensor1d([0.5, 0.25, -1]));
    const [gk, , gb] = kerasWeightsOf(gru);
    expect(Array.from(gk.dataSync())).toEqual([-1, 2, 3]);
    expect(Array.from(gb.dataSync())).toEqual([-0.5, 0.25, -1]);
    tf.dispose([k, gk, gb]);
    lstm.dispose();
    gru.dispose();
  });
});

describe('weight layout arguments', () => {
  it('assignKerasWeights names weights of the wrong shapes; a reset-after GRU names resetAfter', () => {
    const lstm = new LstmCell({ inputSize: 2, units: 1 });
    expect(() => assignKerasWeights(lstm, [tf.zeros([2, 4]), tf.zeros([1, 4])])).toThrow(
      /Argument 'weights' passed to 'assignKerasWeights' must be \[kernel, recurrent_kernel, bias\] of shapes \[2,4\], \[1,4\], \[4\]/,
    );
    const gru = new GruCell({ inputSize: 1, units: 1 });
    expect(() => kerasWeightsOf(gru)).toThrow(/Option 'resetAfter'/);
    lstm.dispose();
    gru.dispose();
  });
});

describe('unsupported combinations', () => {
  it('a GRU with the reset gate after the matmul (the default) throws naming resetAfter', () => {
    const layer = new Rnn(new GruCell({ inputSize: 2, units: 3 }));
    expect(() => toLayersModel(layer)).toThrow(UnsupportedLayersOptionError);
    expect(() => toLayersModel(layer)).toThrow(/Option 'resetAfter' of GruCell cannot be converted/);
    try {
      toLayersModel(layer);
    } catch (error) {
      expect(UnsupportedLayersOptionError.isInstance(error) && error.option).toBe('resetAfter');
    }
    layer.dispose();
  });

  it('tfjs-layers 4.22 itself refuses resetAfter: true (why the GRU above cannot be exported)', () => {
    expect(() =>
      tfl.layers.gru({ units: 2, resetAfter: true } as Parameters<typeof tfl.layers.gru>[0]),
    ).toThrow(/does not support reset_after/);
  });

  it('a Bidirectional of two different cell kinds throws naming forwardLayer', () => {
    const bi = new Bidirectional(
      new Rnn(new LstmCell({ inputSize: 2, units: 3 })),
      new Rnn(new SimpleRnnCell({ inputSize: 2, units: 3 })),
    );
    expect(() => toLayersModel(bi)).toThrow(/Option 'forwardLayer' of Bidirectional/);
    bi.dispose();
  });

  it('anything else throws an InvalidArgumentError naming model', () => {
    expect(() => toLayersModel({} as SequenceLayer)).toThrow(/Argument 'model' passed to 'toLayersModel'/);
  });
});
