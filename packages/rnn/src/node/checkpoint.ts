import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, UnavailableError, WordloomError } from '@wordloom/core';
import { writeFileAtomic } from '@wordloom/core/node';
import { LanguageModel, type LanguageModelConfig } from '../models/language-model.js';
import { SequenceClassifier, type SequenceClassifierConfig } from '../models/sequence-classifier.js';
import type { TrainingState } from '../models/train-loop.js';

/** Models a checkpoint holds. */
export type CheckpointModel = SequenceClassifier | LanguageModel;

/** What {@link loadCheckpoint} returns. */
export interface Checkpoint<M extends CheckpointModel = CheckpointModel> {
  model: M;
  /** The optimizer with its slots (Adam moments, RMSProp accumulators, iteration count); null if none was saved. */
  optimizer: tf.Optimizer | null;
  /** Where training stood; pass it as `initialState` to `fit`. */
  state: TrainingState | null;
  /** Free-form facts saved with it (corpus name, history). */
  meta: Record<string, unknown>;
}

interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements into the .bin file. */
  offset: number;
}

interface Manifest {
  format: 'wordloom-rnn-checkpoint';
  version: 1;
  kind: 'sequence-classifier' | 'language-model';
  config: SequenceClassifierConfig | LanguageModelConfig;
  weights: TensorEntry[];
  optimizer: { className: string; config: Record<string, unknown>; weights: TensorEntry[] } | null;
  state: TrainingState | null;
  meta: Record<string, unknown>;
}

const MANIFEST = 'checkpoint.json';
const WEIGHTS = 'weights.bin';
const OPTIMIZER = 'optimizer.bin';

/**
 * Saves a model's config and weights, the optimizer's state and the training state to `dir`. Each file
 * is written atomically (temp + rename) and `checkpoint.json` last: it names what the .bin files hold
 * and their sizes, so a reader never pairs a new manifest with half-written weights, and an
 * interrupted save leaves the previous checkpoint loadable.
 */
export async function saveCheckpoint(
  dir: string,
  checkpoint: {
    model: CheckpointModel;
    optimizer?: tf.Optimizer | null;
    state?: TrainingState | null;
    meta?: Record<string, unknown>;
  },
): Promise<void> {
  const { model } = checkpoint;
  if (!(model instanceof SequenceClassifier) && !(model instanceof LanguageModel))
    throw new InvalidArgumentError(
      'checkpoint.model',
      'saveCheckpoint',
      'a SequenceClassifier or LanguageModel',
      model,
    );
  await mkdir(dir, { recursive: true });
  const pathOf = new Map(model.variables.map((v, i) => [v.name, model.variableNames[i]]));
  const weights = await pack(model.variableNames.map((name, i) => ({ name, tensor: model.variables[i] })));
  let optimizer: Manifest['optimizer'] = null;
  let optimizerBytes: Uint8Array | null = null;
  if (checkpoint.optimizer) {
    const o = checkpoint.optimizer;
    const saved = await o.getWeights();
    const packed = await pack(saved.map((w) => ({ name: pathOf.get(w.name) ?? w.name, tensor: w.tensor })));
    optimizer = {
      className: o.getClassName(),
      config: o.getConfig() as Record<string, unknown>,
      weights: packed.entries,
    };
    optimizerBytes = packed.bytes;
  }
  await writeFileAtomic(join(dir, WEIGHTS), async (append) => append(weights.bytes));
  if (optimizerBytes) {
    const bytes = optimizerBytes;
    await writeFileAtomic(join(dir, OPTIMIZER), async (append) => append(bytes));
  }
  const manifest: Manifest = {
    format: 'wordloom-rnn-checkpoint',
    version: 1,
    kind: model instanceof SequenceClassifier ? 'sequence-classifier' : 'language-model',
    config: model.config,
    weights: weights.entries,
    optimizer,
    state: checkpoint.state ?? null,
    meta: checkpoint.meta ?? {},
  };
  await writeFileAtomic(join(dir, MANIFEST), async (append) =>
    append(`${JSON.stringify(manifest, null, 1)}\n`),
  );
}

/** Loads what {@link saveCheckpoint} wrote: a new model (and optimizer) with the saved values. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UnavailableError(join(dir, MANIFEST), `No checkpoint in '${dir}': ${MANIFEST} is missing`);
    throw new WordloomError(`Checkpoint '${dir}' is unreadable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (manifest.format !== 'wordloom-rnn-checkpoint' || manifest.version !== 1)
    throw new WordloomError(`'${join(dir, MANIFEST)}' is not a wordloom RNN checkpoint (version 1)`);
  const model =
    manifest.kind === 'sequence-classifier'
      ? new SequenceClassifier(manifest.config as SequenceClassifierConfig)
      : new LanguageModel(manifest.config as LanguageModelConfig);
  try {
    const data = await readFloats(join(dir, WEIGHTS), manifest.weights);
    const byName = new Map(manifest.weights.map((e) => [e.name, e]));
    model.variableNames.forEach((name, i) => {
      const e = byName.get(name);
      const v = model.variables[i];
      if (!e || e.shape.join() !== v.shape.join())
        throw new WordloomError(`Checkpoint '${dir}' has no weight '${name}' of shape [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(data.subarray(e.offset, e.offset + v.size), v.shape)));
    });
    let optimizer: tf.Optimizer | null = null;
    if (manifest.optimizer) {
      optimizer = createOptimizer(manifest.optimizer.className, manifest.optimizer.config);
      const values = await readFloats(join(dir, OPTIMIZER), manifest.optimizer.weights);
      const nameOf = new Map(model.variableNames.map((n, i) => [n, model.variables[i].name]));
      const tensors = manifest.optimizer.weights.map((e) => ({
        name: nameOf.get(e.name) ?? e.name,
        tensor: tf.tensor(values.subarray(e.offset, e.offset + size(e.shape)), e.shape),
      }));
      await optimizer.setWeights(tensors);
      tf.dispose(tensors.map((t) => t.tensor));
    }
    return { model, optimizer, state: manifest.state, meta: manifest.meta ?? {} };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function createOptimizer(className: string, c: Record<string, unknown>): tf.Optimizer {
  const n = (k: string) => c[k] as number;
  switch (className) {
    case 'Adam':
      return tf.train.adam(n('learningRate'), n('beta1'), n('beta2'), n('epsilon'));
    case 'RMSProp':
      return tf.train.rmsprop(
        n('learningRate'),
        n('decay'),
        n('momentum'),
        n('epsilon'),
        c.centered as boolean,
      );
    case 'SGD':
      return tf.train.sgd(n('learningRate'));
    case 'Adagrad':
      return tf.train.adagrad(n('learningRate'), n('initialAccumulatorValue'));
    default:
      throw new WordloomError(
        `Checkpoint optimizer '${className}' is not supported (Adam, RMSProp, SGD, Adagrad)`,
      );
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

async function pack(
  named: { name: string; tensor: tf.Tensor }[],
): Promise<{ entries: TensorEntry[]; bytes: Uint8Array }> {
  const total = named.reduce((s, { tensor }) => s + tensor.size, 0);
  const out = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    out.set(Float32Array.from((await tensor.data()) as Float32Array | Int32Array), offset);
    entries.push({ name, shape: tensor.shape, offset });
    offset += tensor.size;
  }
  return { entries, bytes: new Uint8Array(out.buffer) };
}

async function readFloats(path: string, entries: TensorEntry[]): Promise<Float32Array> {
  const bytes = await readFile(path);
  const expected = entries.reduce((s, e) => Math.max(s, e.offset + size(e.shape)), 0) * 4;
  if (bytes.byteLength !== expected)
    throw new WordloomError(
      `Checkpoint file '${path}' holds ${bytes.byteLength} bytes, its manifest says ${expected}`,
    );
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
