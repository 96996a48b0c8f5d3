import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@wordloom/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SequenceClassifier, type SequenceDataset } from '../models/sequence-classifier.js';
import { loadCheckpoint } from './checkpoint.js';

// Resume across processes: a separate Node process (the built package, its own tfjs instance) trains
// 2.5 epochs with Adam and saves; this process loads into fresh objects and trains on. The weights
// equal 4 uninterrupted epochs here, bit for bit.

const dist = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'wl-ckpt-process-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const { selectBackend } = await import('@wordloom/backend');
  await selectBackend({ backend: 'cpu' });
});

/** The dataset, built the same way in both processes. */
const dataSource = `(Random) => {
  const random = new Random(4);
  const count = 64;
  const inputs = Float32Array.from({ length: count * 5 * 3 }, () => random.normal());
  const labels = Int32Array.from({ length: count }, (_, i) => (inputs[i * 15] + inputs[i * 15 + 14] > 0 ? 1 : 0));
  return { inputs, labels, count, steps: 5, features: 3 };
}`;
const options = { epochs: 4, batchSize: 8, seed: 3 };
const config = { inputSize: 3, classes: 2, units: 5, cell: 'lstm' };

it('a checkpoint saved by another process resumes Adam bit-exactly here', async () => {
  const dir = join(root, 'ckpt');
  const script = `
    const { selectBackend } = await import(${JSON.stringify(dist('../backend/dist/index.js'))});
    await selectBackend({ backend: 'cpu' });
    const tf = (await import(${JSON.stringify(dist('dist/peer/tfjs-core.node.js'))})).default;
    const { SequenceClassifier } = await import(${JSON.stringify(dist('dist/index.js'))});
    const { saveCheckpoint } = await import(${JSON.stringify(dist('dist/node/index.js'))});
    const { Random } = await import(${JSON.stringify(dist('../core/dist/index.js'))});
    const data = (${dataSource})(Random);
    const model = new SequenceClassifier(${JSON.stringify(config)});
    const optimizer = tf.train.adam(0.02, 0.9, 0.999);
    const controller = new AbortController();
    const { state } = await model.fit(data, {
      ...${JSON.stringify(options)}, optimizer, signal: controller.signal,
      onBatchEnd: ({ epoch, batch }) => { if (epoch === 2 && batch === 3) controller.abort(); },
    });
    await saveCheckpoint(${JSON.stringify(dir)}, { model, optimizer, state });`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);

  const data = (new Function(`return ${dataSource}`)() as (r: typeof Random) => SequenceDataset)(Random);
  const straight = new SequenceClassifier(config as never);
  const o1 = tf.train.adam(0.02, 0.9, 0.999);
  await straight.fit(data, { ...options, optimizer: o1 });
  const loaded = await loadCheckpoint(dir);
  expect(loaded.state).toEqual({ epoch: 2, batch: 4 });
  await (loaded.model as SequenceClassifier).fit(data, {
    ...options,
    optimizer: loaded.optimizer ?? undefined,
    initialState: loaded.state ?? undefined,
  });
  const flat = (m: { variables: tf.Variable[] }) => m.variables.flatMap((v) => Array.from(v.dataSync()));
  expect(flat(loaded.model)).toEqual(flat(straight));
  for (const m of [straight, loaded.model]) m.dispose();
  o1.dispose();
  loaded.optimizer?.dispose();
});
