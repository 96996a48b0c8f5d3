import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { Random, UnavailableError, WordloomError } from '@wordloom/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier, type SequenceDataset } from '../models/sequence-classifier.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wordloom-rnn-ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function data(count: number): SequenceDataset {
  const random = new Random(4);
  const inputs = Float32Array.from({ length: count * 5 * 3 }, () => random.normal());
  const labels = Int32Array.from({ length: count }, (_, i) =>
    inputs[i * 15] + inputs[i * 15 + 14] > 0 ? 1 : 0,
  );
  return { inputs, labels, count, steps: 5, features: 3 };
}

const values = (m: { variables: tf.Variable[] }) => m.variables.map((v) => Array.from(v.dataSync()));

describeEachBackend('checkpoints', (backend) => {
  it('resuming from a mid-training checkpoint (weights + Adam state + position) equals uninterrupted training', async () => {
    const train = data(96);
    const options = { epochs: 3, batchSize: 16, seed: 9 };
    // Uninterrupted: 3 epochs.
    const straight = new SequenceClassifier({ inputSize: 3, classes: 2, units: 6, cell: 'gru' });
    const o1 = tf.train.adam(0.01);
    await straight.fit(train, { ...options, optimizer: o1 });
    // Interrupted after epoch 1, batch 2 of epoch 2; saved; reloaded into fresh objects; continued.
    const first = new SequenceClassifier({ inputSize: 3, classes: 2, units: 6, cell: 'gru' });
    const o2 = tf.train.adam(0.01);
    const controller = new AbortController();
    const stopped = await first.fit(train, {
      ...options,
      optimizer: o2,
      signal: controller.signal,
      onBatchEnd: ({ epoch, batch }) => {
        if (epoch === 1 && batch === 2) controller.abort();
      },
    });
    expect(stopped.state).toEqual({ epoch: 1, batch: 3 });
    const path = join(dir, backend);
    await saveCheckpoint(path, {
      model: first,
      optimizer: o2,
      state: stopped.state,
      meta: { note: 'mid-epoch' },
    });
    expect((await readdir(path)).sort()).toEqual(['checkpoint.json', 'optimizer.bin', 'weights.bin']);
    const loaded = await loadCheckpoint(path);
    expect(loaded.meta).toEqual({ note: 'mid-epoch' });
    expect(values(loaded.model)).toEqual(values(first));
    const resumed = loaded.model as SequenceClassifier;
    await resumed.fit(train, {
      ...options,
      optimizer: loaded.optimizer ?? undefined,
      initialState: loaded.state ?? undefined,
    });
    const a = values(straight).flat();
    const b = values(resumed).flat();
    // Bit for bit: same data order (seeded per epoch), same Adam moments and step count.
    expect(b).toEqual(a);
    for (const m of [straight, first, resumed]) m.dispose();
    for (const o of [o1, o2, loaded.optimizer]) o?.dispose();
  });

  it('round-trips a language model: same vocabulary, same predictions', async () => {
    const tokens = 'the cat sat on the mat and the dog sat on the log'.split(' ');
    const lm = LanguageModel.fromTokens(tokens, { units: 8, layers: 2, window: 2, embeddingSize: 3 });
    await lm.fit(tokens, { epochs: 3, batchSize: 4 });
    const path = join(dir, `lm-${backend}`);
    await saveCheckpoint(path, { model: lm });
    const { model, optimizer, state } = await loadCheckpoint(path);
    expect(optimizer).toBeNull();
    expect(state).toBeNull();
    expect(model).toBeInstanceOf(LanguageModel);
    expect((model as LanguageModel).vocabulary).toEqual(lm.vocabulary);
    expect((model as LanguageModel).complete('the cat', { words: 4 })).toEqual(
      lm.complete('the cat', { words: 4 }),
    );
    lm.dispose();
    model.dispose();
  });
});

it('fails with typed errors on a missing or inconsistent checkpoint', async () => {
  await expect(loadCheckpoint(join(dir, 'nothing-here'))).rejects.toSatisfy((e) =>
    UnavailableError.isInstance(e),
  );
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
  const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 2 });
  const path = join(dir, 'truncated');
  await saveCheckpoint(path, { model });
  const bytes = await readFile(join(path, 'weights.bin'));
  await writeFile(join(path, 'weights.bin'), bytes.subarray(0, 8));
  await expect(loadCheckpoint(path)).rejects.toSatisfy(
    (e) => WordloomError.isInstance(e) && /holds 8 bytes/.test((e as Error).message),
  );
  model.dispose();
});
