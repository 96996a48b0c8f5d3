import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describeEachBackend } from '@wordloom/backend/testing';
import { CorruptArtifactError } from '@wordloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const weightsFile = json.wordloomGeneration.files.weights.path;
    expect(weightsFile).toMatch(/^model\.000001\.weights\.[0-9a-f]{8}\.bin$/);
    expect(readdirSync(dir).sort()).toEqual(['model.000001.json', weightsFile, 'model.json'].sort());
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(json.weightsManifest[0].paths).toEqual([`./${weightsFile}`]);
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

describe('fileSystemIO containment and validation', () => {
  beforeAll(async () => {
    const { selectBackend } = await import('@wordloom/backend');
    await selectBackend({ backend: 'cpu' });
  });

  /** The parts of model.json the tests edit. */
  interface ModelJSONParts {
    modelTopology: { config: { layers: { config: { units: number } }[] } };
    weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
  }

  /** A tfjs-node style folder: model.json + weights.bin, no hashes. */
  async function plainFolder(name: string, edit: (json: ModelJSONParts) => void = () => {}) {
    const classifier = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
    const model = toLayersModel(classifier);
    const dir = join(root, name);
    await model.save(fileSystemIO(dir));
    model.dispose();
    classifier.dispose();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const file = json.wordloomGeneration.files.weights.path;
    writeFileSync(join(dir, 'weights.bin'), readFileSync(join(dir, file)));
    for (const n of readdirSync(dir)) if (n.startsWith('model.0')) rmSync(join(dir, n));
    delete json.wordloomGeneration;
    json.weightsManifest[0].paths = ['./weights.bin'];
    edit(json);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    return dir;
  }

  it('loads a tfjs-node folder (model.json + weights.bin) and replaces it with a generation on save', async () => {
    const dir = await plainFolder('plain');
    const loaded = await tfl.loadLayersModel(fileSystemIO(dir));
    await loaded.save(fileSystemIO(dir));
    expect(readdirSync(dir)).not.toContain('weights.bin');
    (await tfl.loadLayersModel(fileSystemIO(dir))).dispose();
    loaded.dispose();
  });

  for (const [label, path] of [
    ['an absolute path', '/etc/passwd'],
    ['a path up and out', '../../../../etc/passwd'],
    ['a path out and back in', '../plain-x/weights.bin'],
  ]) {
    it(`refuses weightsManifest.paths with ${label}, naming model.json`, async () => {
      const dir = await plainFolder(`escape-${label.replace(/\W+/g, '-')}`, (json) => {
        json.weightsManifest[0].paths = [path];
      });
      await expect(fileSystemIO(dir).load?.()).rejects.toSatisfy(
        (e) => CorruptArtifactError.isInstance(e) && /model\.json/.test((e as Error).message),
      );
    });
  }

  it('refuses a symbolic link that points out of the folder', async () => {
    const dir = await plainFolder('symlink');
    rmSync(join(dir, 'weights.bin'));
    symlinkSync('/etc/hostname', join(dir, 'weights.bin'));
    await expect(fileSystemIO(dir).load?.()).rejects.toThrow(/links out of the model's folder/);
  });

  it('refuses a model.json claiming units: 1e9 before building anything, and wrong weight sizes', async () => {
    const huge = await plainFolder('huge', (json) => {
      json.modelTopology.config.layers[0].config.units = 1e9;
    });
    const before = tf.memory().numTensors;
    await expect(tfl.loadLayersModel(fileSystemIO(huge))).rejects.toSatisfy((e) =>
      CorruptArtifactError.isInstance(e),
    );
    const big = await plainFolder('big', (json) => {
      json.modelTopology.config.layers[0].config.units = 4096;
    });
    await expect(tfl.loadLayersModel(fileSystemIO(big))).rejects.toThrow(/need at least 16777218 weights/);
    const short = await plainFolder('short', (json) => {
      json.weightsManifest[0].weights[0].shape = [2, 13];
    });
    await expect(tfl.loadLayersModel(fileSystemIO(short))).rejects.toThrow(/the files hold/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a damaged generation, unknown options and a budget overrun', async () => {
    const model = toLayersModel(new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 }));
    const dir = join(root, 'damaged');
    await model.save(fileSystemIO(dir));
    model.dispose();
    await expect(fileSystemIO(dir, { maxBytes: 16 }).load?.()).rejects.toThrow(/budget of 16/);
    expect(() => fileSystemIO(dir, { keeep: 1 } as never)).toThrow(/keeep/);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const file = join(dir, json.wordloomGeneration.files.weights.path);
    const bytes = readFileSync(file);
    bytes[10] ^= 4;
    writeFileSync(file, bytes);
    await expect(fileSystemIO(dir).load?.()).rejects.toThrow(/SHA-256 differs/);
  });
});
