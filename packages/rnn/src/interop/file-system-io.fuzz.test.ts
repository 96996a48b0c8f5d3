import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { WordloomError } from '@wordloom/core';
import { type Mutation, mutations } from '@wordloom/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SequenceClassifier } from '../models/sequence-classifier.js';
import { fileSystemIO } from './file-system-io.js';
import { toLayersModel } from './to-layers-model.js';

// Seeded fuzzing of fileSystemIO.load: 1,000 mutations of model.json and 1,000 of the weights file of
// a saved generation (hashed: every load throws a WordloomError or returns the exact original weights),
// and 1,000 mutations of a tfjs-node folder's model.json (no hashes: typed errors, never a raw one,
// never an allocation beyond the weights it names). No load leaks a tensor.

const root = mkdtempSync(join(tmpdir(), 'wl-layers-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let saved = '';
let plain = '';
let weightsFile = '';
let originalWeights = new Uint8Array(0);

beforeAll(async () => {
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
  const classifier = new SequenceClassifier({ inputSize: 3, classes: 3, units: 4, cell: 'lstm' });
  const model = toLayersModel(classifier);
  saved = join(root, 'saved');
  await model.save(fileSystemIO(saved));
  model.dispose();
  classifier.dispose();
  const json = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
  weightsFile = json.wordloomGeneration.files.weights.path;
  originalWeights = readFileSync(join(saved, weightsFile));
  // The same model as tfjs-node writes it: model.json + weights.bin, no wordloomGeneration.
  plain = join(root, 'plain');
  cpSync(saved, plain, { recursive: true });
  writeFileSync(join(plain, 'weights.bin'), originalWeights);
  delete json.wordloomGeneration;
  json.weightsManifest[0].paths = ['./weights.bin'];
  writeFileSync(join(plain, 'model.json'), JSON.stringify(json));
});

async function verdict(dir: string, m: Mutation, checkSame: boolean): Promise<'typed' | 'same' | 'loaded'> {
  const before = tf.memory().numTensors;
  let result: 'typed' | 'same' | 'loaded';
  try {
    const artifacts = await fileSystemIO(dir, { maxBytes: 1e6 }).load?.();
    const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts?.weightData));
    result = Buffer.from(data).equals(originalWeights) ? 'same' : 'loaded';
    if (checkSame && result === 'same') {
      // The hashed path must also give tfjs-layers a model it builds: the whole artifact is the original.
      const model = await tfl.loadLayersModel(fileSystemIO(dir));
      model.dispose();
    }
  } catch (error) {
    if (!WordloomError.isInstance(error))
      throw new Error(`case ${m.index} (${m.description}): untyped ${String(error)}`, { cause: error });
    result = 'typed';
  }
  if (tf.memory().numTensors !== before)
    throw new Error(`case ${m.index} (${m.description}): leaked tensors`);
  return result;
}

describe('fileSystemIO.load fuzz', () => {
  it('1,000 mutations of a saved generation’s model.json: typed errors only, never a silent change', async () => {
    const valid = readFileSync(join(saved, 'model.json'));
    const dir = join(root, 'm1');
    cpSync(saved, dir, { recursive: true });
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const m of mutations(valid, { seed: 18, count: 1000 })) {
      writeFileSync(join(dir, 'model.json'), m.bytes);
      counts[await verdict(dir, m, true)]++;
    }
    expect(counts.loaded).toBe(0);
    expect(counts.typed).toBeGreaterThan(900);
  });

  it('1,000 mutations of a saved generation’s weights: typed errors only, never a silent change', async () => {
    const dir = join(root, 'm2');
    cpSync(saved, dir, { recursive: true });
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const m of mutations(originalWeights, { seed: 19, count: 1000 })) {
      writeFileSync(join(dir, weightsFile), m.bytes);
      counts[await verdict(dir, m, false)]++;
    }
    expect(counts.loaded).toBe(0);
  });

  it('1,000 mutations of a tfjs-node model.json (no hashes): typed errors, never a raw one', async () => {
    const valid = readFileSync(join(plain, 'model.json'));
    const dir = join(root, 'm3');
    cpSync(plain, dir, { recursive: true });
    const counts = { typed: 0, same: 0, loaded: 0 };
    for (const m of mutations(valid, { seed: 20, count: 1000 })) {
      writeFileSync(join(dir, 'model.json'), m.bytes);
      counts[await verdict(dir, m, false)]++;
    }
    expect(counts.typed).toBeGreaterThan(500);
  });
});
