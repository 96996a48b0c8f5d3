import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError, Random } from '@wordloom/core';
import { loadMnist } from '@wordloom/datasets';
import { expect, it } from 'vitest';
import { SequenceClassifier, type SequenceDataset } from './sequence-classifier.js';

async function mnist(split: 'train' | 'test', limit: number): Promise<SequenceDataset> {
  const set = await loadMnist({ split, limit, dtype: 'uint8' });
  return {
    inputs: set.images as Uint8Array,
    labels: set.labels,
    count: set.count,
    steps: set.rows,
    features: set.cols,
  };
}

// Listing 4-3 reads each 28 × 28 digit as 28 time steps of 28 pixels.
describeEachBackend('SequenceClassifier on MNIST rows (Listing 4-3)', () => {
  it('learns 2,000 training images to > 80% test accuracy, leaking no tensor', async () => {
    const train = await mnist('train', 2000);
    const test = await mnist('test', 1000);
    const atStart = tf.memory().numTensors;
    const model = new SequenceClassifier({ inputSize: 28, classes: 10, units: 64, cell: 'lstm', seed: 1 });
    const before = tf.memory().numTensors;
    const epochs: number[] = [];
    const result = await model.fit(train, {
      epochs: 5,
      batchSize: 32,
      learningRate: 0.005,
      onEpochEnd: () => {
        epochs.push(tf.memory().numTensors);
      },
    });
    // The tensor count stays flat across epochs (only the optimizer's slots are added, once).
    expect(new Set(epochs).size).toBe(1);
    expect(result.history).toHaveLength(5);
    expect(result.history[4].loss).toBeLessThan(result.history[0].loss);
    const { accuracy } = await expectNoLeaks(() => model.evaluate(test));
    expect(accuracy).toBeGreaterThan(0.8);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    // Construction + fit's own optimizer (disposed by fit) + dispose: nothing left behind.
    expect(tf.memory().numTensors).toBe(atStart);
  });
}, ['wasm']);

describeEachBackend('SequenceClassifier', () => {
  const tiny = (count: number, seed = 1): SequenceDataset => {
    // Class = whether the sequence sum is positive: learnable from the last state.
    const random = new Random(seed);
    const inputs = Float32Array.from({ length: count * 6 * 2 }, () => random.normal());
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      let s = 0;
      for (let j = 0; j < 12; j++) s += inputs[i * 12 + j];
      labels[i] = s > 0 ? 1 : 0;
    }
    return { inputs, labels, count, steps: 6, features: 2 };
  };

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: training lowers the loss; stacked bidirectional variant too`, async () => {
      const data = tiny(256);
      for (const extra of [{}, { layers: 2, bidirectional: 'concat' as const }]) {
        const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 8, cell, ...extra });
        const before = model.evaluate(data).loss;
        await model.fit(data, { epochs: 4, batchSize: 32, learningRate: 0.01 });
        expect(model.evaluate(data).loss).toBeLessThan(before);
        model.dispose();
      }
    });
  }

  it('stops after the current batch when aborted, reporting where it stopped', async () => {
    const data = tiny(128);
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4 });
    const controller = new AbortController();
    const result = await model.fit(data, {
      epochs: 3,
      batchSize: 16,
      signal: controller.signal,
      onBatchEnd: ({ batch }) => {
        if (batch === 2) controller.abort();
      },
    });
    expect(result.aborted).toBe(true);
    expect(result.state).toEqual({ epoch: 0, batch: 3 });
    model.dispose();
  });

  it('rejects a label ≥ classes or a fractional label (it would corrupt the next example’s loss)', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 4 });
    for (const bad of [2, 0.5, -1]) {
      const data = tiny(8);
      (data.labels as Int32Array | number[]) = Array.from(data.labels, (y, i) => (i === 5 ? bad : y));
      await expect(model.fit(data)).rejects.toThrow(
        /Argument 'data.labels' passed to 'fit' must be integers from 0 to 1 \(classes − 1\)/,
      );
      expect(() => model.evaluate(data)).toThrow(InvalidArgumentError);
    }
    expect(() => new SequenceClassifier({ inputSize: 2, classes: 2, unit: 4 } as never)).toThrow(/'config'/);
    model.dispose();
  });

  it('rejects data of the wrong feature size and bad options, naming them', async () => {
    const model = new SequenceClassifier({ inputSize: 3, classes: 2, units: 4 });
    await expect(model.fit(tiny(8))).rejects.toThrow(/Argument 'data.features' passed to 'fit' must be 3/);
    expect(() => new SequenceClassifier({ inputSize: 3, classes: 1 })).toThrow(InvalidArgumentError);
    expect(() => new SequenceClassifier({ inputSize: 3, classes: 2, cell: 'tcn' as never })).toThrow(
      /'cell'.*one of 'lstm', 'gru', 'rnn'/,
    );
    model.dispose();
  });
});
