import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeEachBackend } from '@wordloom/backend/testing';
import { afterAll, expect, it } from 'vitest';
import { SequenceClassifier, type SequenceDataset } from '../models/sequence-classifier.js';
import { fileSystemIO } from './file-system-io.js';
import { maxAbsDiff } from './test-support/compare.js';
import { toLayersModel } from './to-layers-model.js';

const root = mkdtempSync(join(tmpdir(), 'wordloom-layers-io-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function data(count: number): SequenceDataset {
  const steps = 5;
  const inputs = new Float32Array(count * steps * 2);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 3;
    for (let t = 0; t < steps; t++) {
      inputs[(i * steps + t) * 2] = Math.sin(i + t) + labels[i];
      inputs[(i * steps + t) * 2 + 1] = Math.cos(i * t);
    }
  }
  return { inputs, labels, count, steps, features: 2 };
}

describeEachBackend('fileSystemIO', (backend) => {
  it('a model trained in wordloom, saved in the Layers format, reloads with tf.loadLayersModel and predicts the same', async () => {
    const train = data(60);
    const classifier = new SequenceClassifier({
      inputSize: 2,
      classes: 3,
      cell: 'gru',
      resetAfter: false,
      units: 6,
      layers: 2,
      bidirectional: 'concat',
    });
    await classifier.fit(train, { epochs: 3, batchSize: 20, learningRate: 0.05 });
    const dir = join(root, `model-${backend}`);
    const exported = toLayersModel(classifier);
    await exported.save(fileSystemIO(dir));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // 2 bidirectional GRU levels × 2 directions × 3 arrays + dense kernel and bias.
    expect(json.weightsManifest[0].weights).toHaveLength(14);

    const loaded = await tfl.loadLayersModel(fileSystemIO(dir));
    const x = tf.tensor3d(train.inputs, [train.count, train.steps, 2]);
    const a = exported.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    expect(Array.from(tf.argMax(b, 1).dataSync())).toEqual(Array.from(classifier.predict(train)));
    tf.dispose([x, a, b]);
    exported.dispose();
    loaded.dispose();
    classifier.dispose();
  });

  it('load names the directory when there is no model.json', async () => {
    const dir = join(root, `empty-${backend}`);
    await expect(tfl.loadLayersModel(fileSystemIO(dir))).rejects.toThrow(
      /cannot read a TF.js model from .*model\.json/,
    );
  });
});
