import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@wordloom/backend/testing';
import { CorruptArtifactError, InvalidArgumentError, Random, UnavailableError } from '@wordloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LanguageModel } from '../models/language-model.js';
import { SequenceClassifier, type SequenceDataset } from '../models/sequence-classifier.js';
import { checkpointFiles, loadCheckpoint, saveCheckpoint } from './checkpoint.js';

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
    const names = await readdir(path);
    expect(names).toContain('checkpoint.json');
    expect(
      names.filter((n) => /^checkpoint\.000001\.(weights|optimizer)\.[0-9a-f]{8}\.bin$/.test(n)),
    ).toHaveLength(2);
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

describe('checkpoint generations, validation and resume', () => {
  beforeAll(async () => {
    const { selectBackend } = await import('@wordloom/backend');
    await selectBackend({ backend: 'cpu' });
  });

  const optimizers: [string, () => tf.Optimizer][] = [
    ['Adam', () => tf.train.adam(0.02, 0.9, 0.999)],
    ['RMSProp', () => tf.train.rmsprop(0.01, 0.9, 0.1, 1e-7, false)],
    // Not centered RMSProp: tfjs 4.22 subtracts epsilon under its square root (sqrt(ms - mg² - ε)),
    // which gives NaN on the first step whatever the checkpoint does.
    ['SGD', () => tf.train.sgd(0.1)],
    ['Adagrad', () => tf.train.adagrad(0.1)],
    ['Momentum', () => tf.train.momentum(0.05, 0.9, true)],
    ['Adadelta', () => tf.train.adadelta(1, 0.95)],
  ];
  for (const [label, make] of optimizers) {
    it(`resumes ${label} bit-exactly: N steps + save + load + M steps = N + M steps`, async () => {
      const train = data(64);
      const options = { epochs: 4, batchSize: 8, seed: 3 };
      const config = { inputSize: 3, classes: 2, units: 5, cell: 'lstm' as const };
      const straight = new SequenceClassifier(config);
      const o1 = make();
      await straight.fit(train, { ...options, optimizer: o1 });
      const first = new SequenceClassifier(config);
      const o2 = make();
      const controller = new AbortController();
      const stopped = await first.fit(train, {
        ...options,
        optimizer: o2,
        signal: controller.signal,
        onBatchEnd: ({ epoch, batch }) => {
          if (epoch === 2 && batch === 4) controller.abort(); // after 21 of 32 steps
        },
      });
      const path = join(dir, `resume-${label.replace(' ', '-')}`);
      await saveCheckpoint(path, { model: first, optimizer: o2, state: stopped.state });
      first.dispose();
      o2.dispose();
      const before = tf.memory().numTensors;
      const loaded = await loadCheckpoint(path);
      await (loaded.model as SequenceClassifier).fit(train, {
        ...options,
        optimizer: loaded.optimizer ?? undefined,
        initialState: loaded.state ?? undefined,
      });
      expect(values(loaded.model).flat()).toEqual(values(straight).flat());
      straight.dispose();
      o1.dispose();
      loaded.model.dispose();
      loaded.optimizer?.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    });
  }

  it('refuses an optimizer whose state tfjs cannot export, and non-finite weights, before writing', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 2 });
    const path = join(dir, 'refused');
    const adamax = tf.train.adamax(0.01);
    await expect(saveCheckpoint(path, { model, optimizer: adamax })).rejects.toSatisfy(
      (e) => InvalidArgumentError.isInstance(e) && /Adamax/.test((e as Error).message),
    );
    adamax.dispose();
    tf.tidy(() => model.variables[0].assign(tf.fill(model.variables[0].shape, Number.NaN)));
    await expect(saveCheckpoint(path, { model })).rejects.toSatisfy((e) =>
      InvalidArgumentError.isInstance(e),
    );
    expect(existsSync(path)).toBe(false);
    model.dispose();
  });

  it('keeps `keep` generations, loads an older one on request, and reports a missing one', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 2 });
    const path = join(dir, 'generations');
    for (let i = 1; i <= 4; i++) {
      tf.tidy(() => model.variables[0].assign(tf.fill(model.variables[0].shape, i)));
      expect(await saveCheckpoint(path, { model, meta: { i } }, { keep: 3 })).toEqual({ generation: i });
    }
    const newest = await loadCheckpoint(path);
    expect([newest.generation, newest.meta]).toEqual([4, { i: 4 }]);
    const older = await loadCheckpoint(path, { generation: 2 });
    expect(older.model.variables[0].dataSync()[0]).toBe(2);
    await expect(loadCheckpoint(path, { generation: 1 })).rejects.toSatisfy((e) =>
      UnavailableError.isInstance(e),
    );
    await expect(saveCheckpoint(path, { model }, { kep: 1 } as never)).rejects.toThrow(/kep/);
    for (const m of [model, newest.model, older.model]) m.dispose();
  });

  it('fails with typed errors on a missing or damaged checkpoint, leaking no tensors', async () => {
    await expect(loadCheckpoint(join(dir, 'nothing-here'))).rejects.toSatisfy((e) =>
      UnavailableError.isInstance(e),
    );
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 2 });
    const path = join(dir, 'damaged');
    await saveCheckpoint(path, { model });
    model.dispose();
    const bin = (await readdir(path)).find((n) => n.endsWith('.bin')) as string;
    const bytes = await readFile(join(path, bin));
    await writeFile(join(path, bin), bytes.subarray(0, 8));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(path)).rejects.toSatisfy(
      (e) => CorruptArtifactError.isInstance(e) && /holds 8 bytes/.test((e as Error).message),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Writes a round-1 checkpoint (version 1, fixed names, no hashes) from a current one. */
async function toRound1(path: string, edit: (m: Record<string, unknown>) => void = () => {}) {
  const m = JSON.parse(await readFile(join(path, 'checkpoint.json'), 'utf8'));
  const files = m.wordloomGeneration.files;
  await writeFile(join(path, 'weights.bin'), await readFile(join(path, files.weights.path)));
  if (files.optimizer)
    await writeFile(join(path, 'optimizer.bin'), await readFile(join(path, files.optimizer.path)));
  for (const n of await readdir(path)) if (n.startsWith('checkpoint.0')) await rm(join(path, n));
  delete m.wordloomGeneration;
  delete m.optimizer?.accumulators;
  m.version = 1;
  edit(m);
  await writeFile(join(path, 'checkpoint.json'), JSON.stringify(m));
}

describe('round-1 checkpoints and hostile configs', () => {
  beforeAll(async () => {
    const { selectBackend } = await import('@wordloom/backend');
    await selectBackend({ backend: 'cpu' });
  });

  it('still loads a round-1 checkpoint, and the next save replaces its files with a generation', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
    const optimizer = tf.train.adam(0.01);
    const path = join(dir, 'round1');
    await saveCheckpoint(path, { model, optimizer, state: { epoch: 1, batch: 0 } });
    await toRound1(path);
    expect((await readdir(path)).sort()).toEqual(['checkpoint.json', 'optimizer.bin', 'weights.bin']);
    const loaded = await loadCheckpoint(path);
    expect(loaded.generation).toBe(0);
    expect(values(loaded.model)).toEqual(values(model));
    expect(loaded.state).toEqual({ epoch: 1, batch: 0 });
    await saveCheckpoint(path, { model });
    expect(await readdir(path)).not.toContain('weights.bin');
    expect((await loadCheckpoint(path)).generation).toBe(1);
    for (const m of [model, loaded.model]) m.dispose();
    optimizer.dispose();
    loaded.optimizer?.dispose();
  });

  for (const [label, edit] of [
    ['layers: 1e6', (m: Record<string, Record<string, unknown>>) => (m.config.layers = 1e6)],
    ['units: 1e9', (m: Record<string, Record<string, unknown>>) => (m.config.units = 1e9)],
    ['units: 4096', (m: Record<string, Record<string, unknown>>) => (m.config.units = 4096)],
    ['classes: -1', (m: Record<string, Record<string, unknown>>) => (m.config.classes = -1)],
    ['kind: "gpt"', (m: Record<string, unknown>) => (m.kind = 'gpt')],
    ['cell: "transformer"', (m: Record<string, Record<string, unknown>>) => (m.config.cell = 'transformer')],
  ] as const) {
    it(`refuses a small checkpoint.json with ${label} fast, before allocating`, async () => {
      const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
      const path = join(dir, `hostile-${label.replace(/\W+/g, '-')}`);
      await saveCheckpoint(path, { model });
      model.dispose();
      await toRound1(path, edit as (m: Record<string, unknown>) => void);
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      await expect(loadCheckpoint(path)).rejects.toSatisfy((e) => CorruptArtifactError.isInstance(e));
      expect(performance.now() - t0).toBeLessThan(500);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('refuses NaN weights in a round-1 checkpoint', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
    const path = join(dir, 'nan');
    await saveCheckpoint(path, { model });
    model.dispose();
    await toRound1(path);
    const w = await readFile(join(path, 'weights.bin'));
    new DataView(w.buffer, w.byteOffset).setFloat32(12, Number.NaN, true);
    await writeFile(join(path, 'weights.bin'), w);
    await expect(loadCheckpoint(path)).rejects.toThrow(/non-finite value \(NaN\) at element 3/);
  });
});

it('checkpointFiles names the current generation’s files, relative to the folder', async () => {
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
  const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 2 });
  const path = join(dir, 'files');
  await saveCheckpoint(path, { model });
  await saveCheckpoint(path, { model, optimizer: null });
  model.dispose();
  const files = await checkpointFiles(`${path}/./`);
  expect(files.manifest).toBe('checkpoint.json');
  expect(files.weights).toMatch(/^checkpoint\.000002\.weights\.[0-9a-f]{8}\.bin$/);
  expect(files.optimizer).toBeNull();
  expect(await readdir(path)).toContain(files.weights);
});

/** Rewrites checkpoint.json (and its generation's copy) with `edit` applied and a valid signature. */
async function resign(path: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const { createHash } = await import('node:crypto');
  const m = JSON.parse(await readFile(join(path, 'checkpoint.json'), 'utf8'));
  const { wordloomGeneration: envelope, ...body } = m;
  edit(body);
  const unsigned = {
    ...body,
    wordloomGeneration: { generation: envelope.generation, files: envelope.files },
  };
  const sha256 = createHash('sha256').update(JSON.stringify(unsigned)).digest('hex');
  const text = JSON.stringify({
    ...unsigned,
    wordloomGeneration: { ...unsigned.wordloomGeneration, sha256 },
  });
  await writeFile(join(path, 'checkpoint.json'), text);
  await writeFile(join(path, `checkpoint.${String(envelope.generation).padStart(6, '0')}.json`), text);
}

describeEachBackend('language-model checkpoints: resume and restoreBestWeights', (backend) => {
  const random = new Random(3);
  const words = 'a b c d e f g h'.split(' ');
  const tokens = Array.from({ length: 300 }, () => words[random.int(8)]);

  for (const mode of ['window', 'full'] as const)
    it(`a ${mode}-mode model with dropout resumes from a mid-epoch checkpoint bit for bit`, async () => {
      const config = {
        mode,
        window: 4,
        sequenceLength: 8,
        layers: 2,
        units: 8,
        embeddingSize: 6,
        dropout: 0.3,
        recurrentDropout: 0.2,
        seed: 2,
      };
      const options = { epochs: 2, batchSize: 8, seed: 5 };
      const straight = LanguageModel.fromTokens(tokens, config);
      const o1 = tf.train.adam(0.01);
      await straight.fit(tokens, { ...options, optimizer: o1 });
      const first = LanguageModel.fromTokens(tokens, config);
      const o2 = tf.train.adam(0.01);
      const controller = new AbortController();
      const stopped = await first.fit(tokens, {
        ...options,
        optimizer: o2,
        signal: controller.signal,
        onBatchEnd: ({ epoch, batch }) => {
          if (epoch === 1 && batch === 2) controller.abort();
        },
      });
      expect(stopped.state).toMatchObject({ epoch: 1, batch: 3 });
      expect(stopped.state.carried ? 'carried' : 'none').toBe(mode === 'full' ? 'carried' : 'none');
      const path = join(dir, `lm-resume-${mode}-${backend}`);
      await saveCheckpoint(path, { model: first, optimizer: o2, state: stopped.state });
      first.dispose();
      o2.dispose();
      const loaded = await loadCheckpoint(path);
      await (loaded.model as LanguageModel).fit(tokens, {
        ...options,
        optimizer: loaded.optimizer ?? undefined,
        initialState: loaded.state ?? undefined,
      });
      expect(values(loaded.model)).toEqual(values(straight));
      // Dropout was on: without it, the same run ends elsewhere.
      const plain = LanguageModel.fromTokens(tokens, { ...config, dropout: 0, recurrentDropout: 0 });
      const o3 = tf.train.adam(0.01);
      await plain.fit(tokens, { ...options, optimizer: o3 });
      expect(values(plain)).not.toEqual(values(straight));
      for (const m of [straight, loaded.model, plain]) m.dispose();
      for (const o of [o1, o3, loaded.optimizer]) o?.dispose();
    });

  for (const mode of ['window', 'full'] as const)
    it(`restoreBestWeights across a checkpoint (${mode} mode): interrupted after the best epoch, resumed, it ends on the uninterrupted run's best weights`, async () => {
      const config = {
        mode,
        window: 4,
        sequenceLength: 8,
        layers: 1,
        units: 16,
        embeddingSize: 8,
        dropout: 0.1,
        seed: 4,
      };
      // Random tokens: the held-out loss worsens once the model starts memorizing the training part.
      const options = {
        epochs: 10,
        batchSize: 8,
        seed: 7,
        validationSplit: 0.25,
        earlyStopping: { patience: 3, restoreBestWeights: true },
      };
      const straight = LanguageModel.fromTokens(tokens, config);
      const o1 = tf.train.adam(0.03);
      const atEpoch: number[][][] = [];
      const a = await straight.fit(tokens, {
        ...options,
        optimizer: o1,
        onEpochEnd: () => {
          atEpoch.push(values(straight));
        },
      });
      const best = a.bestEpoch as number;
      expect(a.history.length).toBeGreaterThan(best);
      expect(values(straight)).toEqual(atEpoch[best - 1]);
      expect(values(straight)).not.toEqual(atEpoch.at(-1));

      const first = LanguageModel.fromTokens(tokens, config);
      const o2 = tf.train.adam(0.03);
      const controller = new AbortController();
      const stopped = await first.fit(tokens, {
        ...options,
        optimizer: o2,
        signal: controller.signal,
        onBatchEnd: ({ epoch, batch }) => {
          if (epoch === best && batch === 1) controller.abort();
        },
      });
      expect(stopped.state).toMatchObject({ epoch: best, batch: 2, monitor: { bestEpoch: best } });
      const path = join(dir, `lm-best-${mode}-${backend}`);
      await saveCheckpoint(path, { model: first, optimizer: o2, state: stopped.state });
      first.dispose();
      o2.dispose();
      // The best weights are a file of the generation, not numbers in the manifest.
      const files = await checkpointFiles(path);
      expect(files.best).toMatch(/^checkpoint\.000001\.best\.[0-9a-f]{8}\.bin$/);
      const manifest = JSON.parse(await readFile(join(path, 'checkpoint.json'), 'utf8'));
      expect(manifest.state.bestWeights).toBeUndefined();
      const loaded = await loadCheckpoint(path);
      expect(loaded.state?.bestWeights?.map((w) => Array.from(w))).toEqual(atEpoch[best - 1]);
      const resumed = await (loaded.model as LanguageModel).fit(tokens, {
        ...options,
        optimizer: loaded.optimizer ?? undefined,
        initialState: loaded.state ?? undefined,
      });
      expect(resumed.bestEpoch).toBe(best);
      expect(values(loaded.model)).toEqual(values(straight));
      for (const m of [straight, loaded.model]) m.dispose();
      for (const o of [o1, loaded.optimizer]) o?.dispose();
    });
});

describe('the best-weights file of a checkpoint', () => {
  beforeAll(async () => {
    const { selectBackend } = await import('@wordloom/backend');
    await selectBackend({ backend: 'cpu' });
  });

  /** A checkpoint whose state carries best weights (2 + the variables' values). */
  async function withBest(name: string): Promise<{ path: string; best: number[][] }> {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
    const best = model.variables.map((v) => Float32Array.from(v.dataSync(), (x) => x + 2));
    const path = join(dir, name);
    const state = {
      epoch: 3,
      batch: 0,
      monitor: { best: 0.5, bestEpoch: 2, wait: 1, plateauBest: null, plateauWait: 0 },
      bestWeights: best,
    };
    await saveCheckpoint(path, { model, state });
    model.dispose();
    return { path, best: best.map((w) => Array.from(w)) };
  }

  it('round-trips as its own tensors, verified by size and SHA-256', async () => {
    const { path, best } = await withBest('best-roundtrip');
    const loaded = await loadCheckpoint(path);
    expect(loaded.state?.bestWeights?.map((w) => Array.from(w))).toEqual(best);
    expect(loaded.state?.bestWeights?.every((w) => w instanceof Float32Array)).toBe(true);
    expect(loaded.state?.monitor?.bestEpoch).toBe(2);
    loaded.model.dispose();
    const file = (await checkpointFiles(path)).best as string;
    const bytes = await readFile(join(path, file));
    bytes[5] ^= 1;
    await writeFile(join(path, file), bytes);
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(path)).rejects.toSatisfy((e) => CorruptArtifactError.isInstance(e));
    await rm(join(path, file));
    await expect(loadCheckpoint(path)).rejects.toSatisfy((e) => CorruptArtifactError.isInstance(e));
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const [label, edit, message] of [
    ['entries dropped, file kept', (m: Record<string, unknown>) => delete m.bestWeights, /best-weights file/],
    [
      'weights smuggled into the JSON state',
      (m: Record<string, Record<string, unknown>>) => (m.state.bestWeights = [[1, 2]]),
      /in the JSON/,
    ],
    [
      'an entry renamed',
      (m: Record<string, { name: string }[]>) => (m.bestWeights[0].name = 'encoder/other'),
      /no best-epoch weight/,
    ],
    ['no state', (m: Record<string, unknown>) => (m.state = null), /no training state/],
  ] as const)
    it(`refuses a re-signed manifest with its best weights' ${label}`, async () => {
      const { path } = await withBest(`best-${label.replace(/\W+/g, '-')}`);
      await resign(path, edit as (m: Record<string, unknown>) => void);
      const before = tf.memory().numTensors;
      await expect(loadCheckpoint(path)).rejects.toSatisfy(
        (e) => CorruptArtifactError.isInstance(e) && message.test((e as Error).message),
      );
      expect(tf.memory().numTensors).toBe(before);
    });

  it('refuses best weights that do not fit the model, before writing', async () => {
    const model = new SequenceClassifier({ inputSize: 2, classes: 2, units: 3 });
    const path = join(dir, 'best-refused');
    await expect(
      saveCheckpoint(path, { model, state: { epoch: 1, batch: 0, bestWeights: [new Float32Array(2)] } }),
    ).rejects.toThrow(/'checkpoint.state.bestWeights'/);
    const nan = model.variables.map((v) => new Float32Array(v.size).fill(Number.NaN));
    await expect(
      saveCheckpoint(path, { model, state: { epoch: 1, batch: 0, bestWeights: nan } }),
    ).rejects.toThrow(/'checkpoint.state.bestWeights'/);
    expect(existsSync(path)).toBe(false);
    model.dispose();
  });
});
