import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CorruptArtifactError, InvalidArgumentError, UnavailableError, WordloomError } from '@wordloom/core';
import { type GenerationReader, readGeneration, writeGeneration } from '@wordloom/core/node';
import { LanguageModel, type LanguageModelConfig } from '../models/language-model.js';
import { SequenceClassifier, type SequenceClassifierConfig } from '../models/sequence-classifier.js';
import type { TrainingState } from '../models/train-loop.js';
import { checkModelConfig } from './checkpoint-config.js';

/** Models a checkpoint holds. */
export type CheckpointModel = SequenceClassifier | LanguageModel;

/** What {@link loadCheckpoint} returns. */
export interface Checkpoint<M extends CheckpointModel = CheckpointModel> {
  model: M;
  /** The optimizer with its slots (Adam moments and β powers, RMSProp accumulators, iteration count); null if none was saved. */
  optimizer: tf.Optimizer | null;
  /** Where training stood; pass it as `initialState` to `fit`. */
  state: TrainingState | null;
  /** Free-form facts saved with it (corpus name, history). */
  meta: Record<string, unknown>;
  /** The generation loaded (0 for a round-1 single-generation checkpoint). */
  generation: number;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Generations kept in the folder, the new one included; older ones are deleted after the switch. @default 2 */
  keep?: number;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** Load this kept generation instead of the newest. @default the newest */
  generation?: number;
  /** Largest weights or optimizer file accepted, in bytes (checked before reading). @default 2 ** 31 */
  maxBytes?: number;
}

interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in float32 elements into the .bin file. */
  offset: number;
}

interface OptimizerEntry {
  className: string;
  config: Record<string, unknown>;
  weights: TensorEntry[];
  /** Adam's and Adamax's running β powers, which tfjs's getWeights leaves out. */
  accumulators?: Record<string, number>;
}

interface Manifest {
  format: 'wordloom-rnn-checkpoint';
  version: 1 | 2;
  kind: 'sequence-classifier' | 'language-model';
  config: SequenceClassifierConfig | LanguageModelConfig;
  weights: TensorEntry[];
  optimizer: OptimizerEntry | null;
  /** The state without its `bestWeights`, which are the `best` file's tensors, described here. */
  state: TrainingState | null;
  /** Entries of the `best` file: the state's `bestWeights` by variable name (absent without them). */
  bestWeights?: TensorEntry[];
  meta: Record<string, unknown>;
}

const MANIFEST = 'checkpoint.json';
/** Round-1 layout: one generation, these two names. */
const LEGACY_WEIGHTS = 'weights.bin';
const LEGACY_OPTIMIZER = 'optimizer.bin';

/** Optimizers whose whole state tfjs can export, with the slots each keeps per variable. */
const SLOTS: Record<string, (c: Record<string, unknown>) => number> = {
  Adam: () => 2,
  RMSProp: (c) => (c.centered ? 3 : 2),
  SGD: () => 0,
  Adagrad: () => 1,
  Momentum: () => 1,
  Adadelta: () => 2,
};

/**
 * Saves a model's config and weights, the optimizer's complete state and the training state to `dir`
 * as a new generation (TensorFlow's `CheckpointManager`): `checkpoint.<N>.weights.<rand>.bin`,
 * `checkpoint.<N>.optimizer.<rand>.bin`, with `earlyStopping.restoreBestWeights` the state's best-epoch
 * weights as `checkpoint.<N>.best.<rand>.bin`, and a manifest with each file's size and SHA-256, renamed
 * over `checkpoint.json` last, the folder fsynced, generations beyond `keep` pruned after the switch. A
 * kill or a full disk at any moment leaves the previous checkpoint loadable; a second writer on the same
 * folder gets a `LockedError`.
 *
 * The optimizer state includes what tfjs's `getWeights` omits — Adam's accumulated β₁ᵗ and β₂ᵗ — so
 * that training resumed from the checkpoint is bit-for-bit the training that was interrupted.
 * Supported optimizers: Adam, RMSProp, SGD, Adagrad, Momentum, Adadelta (tfjs cannot export Adamax).
 */
export async function saveCheckpoint(
  dir: string,
  checkpoint: {
    model: CheckpointModel;
    optimizer?: tf.Optimizer | null;
    state?: TrainingState | null;
    meta?: Record<string, unknown>;
  },
  options: SaveCheckpointOptions = {},
): Promise<{ generation: number }> {
  const fn = 'saveCheckpoint';
  for (const k of Object.keys(options))
    if (k !== 'keep') throw new InvalidArgumentError(k, fn, 'a known option (keep)');
  const { model } = checkpoint;
  if (!(model instanceof SequenceClassifier) && !(model instanceof LanguageModel))
    throw new InvalidArgumentError('checkpoint.model', fn, 'a SequenceClassifier or LanguageModel', model);
  const pathOf = new Map(model.variables.map((v, i) => [v.name, model.variableNames[i]]));
  const weights = await pack(
    model.variableNames.map((name, i) => ({ name, tensor: model.variables[i] })),
    'checkpoint.model',
  );
  let optimizer: OptimizerEntry | null = null;
  let optimizerBytes: Uint8Array | null = null;
  if (checkpoint.optimizer) {
    const o = checkpoint.optimizer;
    const className = o.getClassName();
    if (!(className in SLOTS))
      throw new InvalidArgumentError(
        'checkpoint.optimizer',
        fn,
        `one of ${Object.keys(SLOTS).join(', ')} (tfjs cannot export the state of ${className})`,
      );
    const saved = await o.getWeights();
    const packed = await pack(
      saved.map((w) => ({ name: pathOf.get(w.name) ?? w.name, tensor: w.tensor })),
      'checkpoint.optimizer',
    );
    optimizer = { className, config: o.getConfig() as Record<string, unknown>, weights: packed.entries };
    if (className === 'Adam') {
      const adam = o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
      optimizer.accumulators = {
        accBeta1: (await adam.accBeta1.data())[0],
        accBeta2: (await adam.accBeta2.data())[0],
      };
    }
    optimizerBytes = packed.bytes;
  }
  const { bestWeights, ...jsonState } = checkpoint.state ?? { epoch: 0, batch: 0 };
  let best: Packed | null = null;
  if (bestWeights !== undefined) {
    const expected = `one Float32Array per model variable, of its size (${model.variables.map((v) => v.size).join(', ')})`;
    if (!Array.isArray(bestWeights) || bestWeights.length !== model.variables.length)
      throw new InvalidArgumentError('checkpoint.state.bestWeights', fn, expected, bestWeights);
    best = packValues(
      model.variableNames.map((name, i) => {
        const w = bestWeights[i];
        const v = model.variables[i];
        if (!(w instanceof Float32Array) || w.length !== v.size)
          throw new InvalidArgumentError(
            'checkpoint.state.bestWeights',
            fn,
            expected,
            `${String(w?.constructor?.name)} at ${i}`,
          );
        return { name, shape: v.shape, values: w };
      }),
      'checkpoint.state.bestWeights',
    );
  }
  const files: Record<string, Uint8Array> = { weights: weights.bytes };
  if (optimizerBytes) files.optimizer = optimizerBytes;
  if (best) files.best = best.bytes;
  const { generation } = await writeGeneration(
    dir,
    MANIFEST,
    files,
    () =>
      ({
        format: 'wordloom-rnn-checkpoint',
        version: 2,
        kind: model instanceof SequenceClassifier ? 'sequence-classifier' : 'language-model',
        config: model.config,
        weights: weights.entries,
        optimizer,
        state: checkpoint.state ? jsonState : null,
        ...(best ? { bestWeights: best.entries } : {}),
        meta: checkpoint.meta ?? {},
      }) satisfies Manifest,
    { keep: options.keep ?? 2, legacyFiles: [LEGACY_WEIGHTS, LEGACY_OPTIMIZER] },
  );
  return { generation };
}

/**
 * Loads what {@link saveCheckpoint} wrote: a new model (and optimizer) with the saved values. Every
 * file's size and SHA-256 is checked against the manifest; the config is checked to be in range and
 * consistent with the size of the weights file before any tensor is made; non-finite weights, wrong
 * shapes and unknown optimizers are refused. Every failure is a `WordloomError` naming the file, and a
 * failed load leaves no tensor behind. Round-1 checkpoints (`weights.bin` beside a version-1
 * `checkpoint.json`, no hashes) still load, with the same structural checks.
 */
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<Checkpoint> {
  const fn = 'loadCheckpoint';
  for (const k of Object.keys(options))
    if (k !== 'generation' && k !== 'maxBytes')
      throw new InvalidArgumentError(k, fn, 'a known option (generation, maxBytes)');
  const maxBytes = options.maxBytes ?? 2 ** 31;
  try {
    return await readGeneration(dir, MANIFEST, (g) => loadFrom(dir, g, maxBytes), options);
  } catch (error) {
    if (UnavailableError.isInstance(error) && options.generation === undefined)
      throw new UnavailableError(join(dir, MANIFEST), `No checkpoint in '${dir}': ${MANIFEST} is missing`, {
        cause: error,
      });
    throw error;
  }
}

async function loadFrom(dir: string, g: GenerationReader, maxBytes: number): Promise<Checkpoint> {
  const where = g.manifestPath;
  const m = g.body as unknown as Manifest;
  if (m.format !== 'wordloom-rnn-checkpoint')
    throw new CorruptArtifactError(where, `is not a wordloom RNN checkpoint (format '${String(m.format)}')`);
  const legacy = g.generation === null;
  if (legacy ? m.version !== 1 : m.version !== 2)
    throw new CorruptArtifactError(
      where,
      `has version ${String(m.version)}; this wordloom reads version 2 and round-1 version 1 checkpoints`,
    );
  const bytesOf = async (role: 'weights' | 'optimizer' | 'best'): Promise<number> => {
    if (!legacy) return g.files[role]?.bytes ?? -1;
    if (role === 'best') return -1;
    const path = join(dir, role === 'weights' ? LEGACY_WEIGHTS : LEGACY_OPTIMIZER);
    return (await stat(path).catch(() => null))?.size ?? -1;
  };
  const weightsBytes = await bytesOf('weights');
  if (weightsBytes < 0) throw new CorruptArtifactError(where, 'names no weights file, or it is missing');
  // Everything the model's size depends on is checked against the weights file first, so a 2 KB
  // manifest claiming `units: 1e9` fails here instead of allocating.
  checkModelConfig(where, m.kind, m.config, weightsBytes / 4);
  const weightEntries = checkEntries(where, 'weights', m.weights, weightsBytes);
  let optimizerEntry: OptimizerEntry | null = null;
  if (m.optimizer !== null) {
    optimizerEntry = checkOptimizer(where, m.optimizer);
    checkEntries(where, 'optimizer.weights', optimizerEntry.weights, await bytesOf('optimizer'));
  }
  let bestEntries: TensorEntry[] | null = null;
  if (m.bestWeights !== undefined) {
    if (m.state === null)
      throw new CorruptArtifactError(where, 'has best-epoch weights but no training state');
    bestEntries = checkEntries(where, 'bestWeights', m.bestWeights, await bytesOf('best'));
  } else if (!legacy && g.files.best !== undefined)
    throw new CorruptArtifactError(where, 'names a best-weights file that its bestWeights do not describe');
  if (weightsBytes > maxBytes)
    throw new CorruptArtifactError(
      where,
      `weights of ${weightsBytes} bytes exceed the budget of ${maxBytes}`,
    );
  const read = async (role: 'weights' | 'optimizer' | 'best') =>
    legacy
      ? readLegacy(join(dir, role === 'weights' ? LEGACY_WEIGHTS : LEGACY_OPTIMIZER), maxBytes)
      : floats(await g.read(role));
  // Every file is read and verified before a tensor exists.
  const data = await read('weights');
  assertFinite(where, 'weights', data);
  const optimizerValues = optimizerEntry ? await read('optimizer') : null;
  if (optimizerValues) assertFinite(where, 'optimizer', optimizerValues);
  // The best-epoch weights: a file of the same generation (its size and SHA-256 checked by g.read).
  const bestValues = bestEntries ? await read('best') : null;
  if (bestValues) assertFinite(where, 'best-epoch weights', bestValues);
  let model: CheckpointModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  try {
    model =
      m.kind === 'sequence-classifier'
        ? new SequenceClassifier(m.config as SequenceClassifierConfig)
        : new LanguageModel(m.config as LanguageModelConfig);
    const byName = new Map(weightEntries.map((e) => [e.name, e]));
    if (byName.size !== model.variables.length)
      throw new CorruptArtifactError(
        where,
        `holds ${weightEntries.length} weights, a ${m.kind} of this config has ${model.variables.length}`,
      );
    const made = model;
    made.variableNames.forEach((name, i) => {
      const e = byName.get(name);
      const v = made.variables[i];
      if (!e || e.shape.join() !== v.shape.join())
        throw new CorruptArtifactError(where, `has no weight '${name}' of shape [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(data.subarray(e.offset, e.offset + v.size), v.shape)));
    });
    const state = checkState(where, m.state);
    if (state && bestEntries && bestValues) state.bestWeights = bestOf(where, bestEntries, bestValues, made);
    if (optimizerEntry && optimizerValues)
      optimizer = await restoreOptimizer(where, optimizerEntry, optimizerValues, made);
    return {
      model: made,
      optimizer,
      state,
      meta: checkMeta(where, m.meta),
      generation: g.generation ?? 0,
    };
  } catch (error) {
    model?.dispose();
    optimizer?.dispose();
    if (WordloomError.isInstance(error)) throw error;
    throw new CorruptArtifactError(where, `cannot be loaded: ${(error as Error).message}`, { cause: error });
  }
}

async function restoreOptimizer(
  where: string,
  entry: OptimizerEntry,
  values: Float32Array,
  model: CheckpointModel,
): Promise<tf.Optimizer> {
  const n = model.variables.length;
  const slots = SLOTS[entry.className](entry.config);
  // An optimizer saved before its first step has only its iteration count: tfjs makes slots lazily.
  if (entry.weights.length !== 1 + slots * n && entry.weights.length !== 1)
    throw new CorruptArtifactError(
      where,
      `optimizer ${entry.className} holds ${entry.weights.length} tensors, expected 1 or ${1 + slots * n} for ${n} variables`,
    );
  const [iter, ...rest] = entry.weights;
  if (iter.shape.length !== 0 || !Number.isSafeInteger(values[iter.offset]) || values[iter.offset] < 0)
    throw new CorruptArtifactError(where, 'optimizer iteration count is not a non-negative integer');
  rest.forEach((e, k) => {
    const v = model.variables[k % n];
    if (e.shape.join() !== v.shape.join())
      throw new CorruptArtifactError(
        where,
        `optimizer slot '${e.name}' has shape [${e.shape}], expected [${v.shape}]`,
      );
  });
  const optimizer = createOptimizer(where, entry.className, entry.config);
  const tensors = entry.weights.map((e, k) => ({
    name: e.name,
    tensor:
      k === 0
        ? tf.scalar(values[e.offset], 'int32')
        : tf.tensor(values.subarray(e.offset, e.offset + size(e.shape)), e.shape),
  }));
  try {
    await optimizer.setWeights(tensors);
  } catch (error) {
    optimizer.dispose();
    throw error;
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
  if (entry.className === 'Adam') {
    // tfjs's setWeights recomputes β^(t+1) as one float32 pow, where training multiplied by β t times
    // (t roundings): restore the saved products exactly. (Round 1 did not save them; for those
    // checkpoints tfjs's reconstruction stays, correct to float32 rounding.)
    const acc = entry.accumulators;
    const adam = optimizer as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    if (acc)
      tf.tidy(() => {
        adam.accBeta1.assign(tf.scalar(acc.accBeta1));
        adam.accBeta2.assign(tf.scalar(acc.accBeta2));
      });
  }
  return optimizer;
}

function createOptimizer(where: string, className: string, c: Record<string, unknown>): tf.Optimizer {
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
    case 'Momentum':
      return tf.train.momentum(n('learningRate'), n('momentum'), c.useNesterov as boolean);
    case 'Adadelta':
      return tf.train.adadelta(n('learningRate'), n('rho'), n('epsilon'));
    default:
      throw new CorruptArtifactError(where, `optimizer '${className}' is not supported`);
  }
}

/** The numeric and boolean options each optimizer's config must carry. */
const OPTIMIZER_FIELDS: Record<string, { numbers: string[]; booleans: string[] }> = {
  Adam: { numbers: ['learningRate', 'beta1', 'beta2', 'epsilon'], booleans: [] },
  RMSProp: { numbers: ['learningRate', 'decay', 'momentum', 'epsilon'], booleans: ['centered'] },
  SGD: { numbers: ['learningRate'], booleans: [] },
  Adagrad: { numbers: ['learningRate', 'initialAccumulatorValue'], booleans: [] },
  Momentum: { numbers: ['learningRate', 'momentum'], booleans: ['useNesterov'] },
  Adadelta: { numbers: ['learningRate', 'rho', 'epsilon'], booleans: [] },
};

function checkOptimizer(where: string, o: unknown): OptimizerEntry {
  const bad = (what: string) => new CorruptArtifactError(where, `optimizer: ${what}`);
  if (o === null || typeof o !== 'object') throw bad('is not an object');
  const e = o as OptimizerEntry;
  if (typeof e.className !== 'string' || !Object.hasOwn(OPTIMIZER_FIELDS, e.className))
    throw bad(`'${String(e.className)}' is not one of ${Object.keys(OPTIMIZER_FIELDS).join(', ')}`);
  if (e.config === null || typeof e.config !== 'object') throw bad('config is not an object');
  const fields = OPTIMIZER_FIELDS[e.className];
  for (const k of fields.numbers)
    if (typeof e.config[k] !== 'number' || !Number.isFinite(e.config[k]))
      throw bad(`config.${k} is not a finite number`);
  for (const k of fields.booleans)
    if (typeof e.config[k] !== 'boolean') throw bad(`config.${k} is not a boolean`);
  if (e.accumulators !== undefined) {
    const a = e.accumulators as Record<string, unknown> | null;
    if (
      e.className !== 'Adam' ||
      a === null ||
      typeof a !== 'object' ||
      !['accBeta1', 'accBeta2'].every((k) => typeof a[k] === 'number' && Number.isFinite(a[k]))
    )
      throw bad('accumulators are malformed');
  }
  return e;
}

/** Entries are well-formed and tile the file exactly (no gap, no overlap, nothing past its end). */
function checkEntries(where: string, what: string, entries: unknown, bytes: number): TensorEntry[] {
  const bad = (why: string) => new CorruptArtifactError(where, `${what}: ${why}`);
  if (!Array.isArray(entries)) throw bad('is not a list');
  if (bytes < 0) throw bad('the file it describes is missing');
  let next = 0;
  const names = new Set<string>();
  for (const e of entries as TensorEntry[]) {
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.name !== 'string' ||
      !Array.isArray(e.shape) ||
      e.shape.length > 8 ||
      !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      e.offset !== next
    )
      throw bad(`entry ${names.size} is malformed or out of order`);
    if (names.has(e.name)) throw bad(`'${e.name}' appears twice`);
    names.add(e.name);
    next += size(e.shape);
    if (next * 4 > bytes) throw bad(`entries need more than the file's ${bytes} bytes`);
  }
  if (next * 4 !== bytes) throw bad(`entries cover ${next * 4} bytes, the file holds ${bytes}`);
  return entries as TensorEntry[];
}

/** The best-epoch weights in the model's variable order, each entry named and shaped as its variable. */
function bestOf(
  where: string,
  entries: TensorEntry[],
  values: Float32Array,
  model: CheckpointModel,
): Float32Array[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  if (byName.size !== model.variables.length)
    throw new CorruptArtifactError(
      where,
      `holds ${entries.length} best-epoch weights, the model has ${model.variables.length} variables`,
    );
  return model.variableNames.map((name, i) => {
    const e = byName.get(name);
    const v = model.variables[i];
    if (!e || e.shape.join() !== v.shape.join())
      throw new CorruptArtifactError(where, `has no best-epoch weight '${name}' of shape [${v.shape}]`);
    return values.slice(e.offset, e.offset + v.size);
  });
}

function checkState(where: string, s: unknown): TrainingState | null {
  if (s === null) return null;
  const st = s as TrainingState;
  if (
    typeof st !== 'object' ||
    !Number.isSafeInteger(st.epoch) ||
    st.epoch < 0 ||
    !Number.isSafeInteger(st.batch) ||
    st.batch < 0
  )
    throw new CorruptArtifactError(where, 'state is not {epoch, batch} of non-negative integers');
  // Best-epoch weights come only from their own verified file, never from the JSON.
  if (Object.hasOwn(st, 'bestWeights'))
    throw new CorruptArtifactError(
      where,
      'state holds bestWeights in the JSON (they belong in the best file)',
    );
  return st;
}

function checkMeta(where: string, meta: unknown): Record<string, unknown> {
  if (meta === undefined) return {};
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw new CorruptArtifactError(where, 'meta is not an object');
  return meta as Record<string, unknown>;
}

function assertFinite(where: string, what: string, data: Float32Array): void {
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i]))
      throw new CorruptArtifactError(where, `${what} hold a non-finite value (${data[i]}) at element ${i}`);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function floats(bytes: Uint8Array): Float32Array {
  // A fresh, aligned copy: the file's buffer may start at any offset.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function readLegacy(path: string, maxBytes: number): Promise<Float32Array> {
  const { readFile } = await import('node:fs/promises');
  const info = await stat(path).catch(() => null);
  if (!info) throw new CorruptArtifactError(path, 'is missing (named by its round-1 checkpoint.json)');
  if (info.size > maxBytes)
    throw new CorruptArtifactError(path, `holds ${info.size} bytes, above the budget of ${maxBytes}`);
  return floats(await readFile(path));
}

interface Packed {
  entries: TensorEntry[];
  bytes: Uint8Array;
}

async function pack(named: { name: string; tensor: tf.Tensor }[], argument: string): Promise<Packed> {
  const values: { name: string; shape: number[]; values: Float32Array | Int32Array }[] = [];
  for (const { name, tensor } of named)
    values.push({ name, shape: tensor.shape, values: (await tensor.data()) as Float32Array | Int32Array });
  return packValues(values, argument);
}

/** Concatenates float32 values into one file's bytes and its entries, refusing non-finite values. */
function packValues(
  named: { name: string; shape: number[]; values: Float32Array | Int32Array }[],
  argument: string,
): Packed {
  const total = named.reduce((s, { values }) => s + values.length, 0);
  const out = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const { name, shape, values } of named) {
    // set() converts an int32 tensor's values (an optimizer's iteration count) as Float32Array.from did.
    out.set(values, offset);
    entries.push({ name, shape, offset });
    offset += values.length;
  }
  for (let i = 0; i < out.length; i++)
    if (!Number.isFinite(out[i]))
      throw new InvalidArgumentError(
        argument,
        'saveCheckpoint',
        'finite weights (training diverged?)',
        out[i],
      );
  return { entries, bytes: new Uint8Array(out.buffer) };
}

/**
 * The files that make up the current (or a kept) generation of a checkpoint, as names inside `dir`:
 * for copying or serving a checkpoint (the demo's web page fetches `checkpoint.json` and `weights`);
 * `best` is the best-epoch weights of a `restoreBestWeights` run, or null.
 * Verifies the manifest's own hash, not the data files.
 */
export async function checkpointFiles(
  dir: string,
  options: { generation?: number } = {},
): Promise<{ manifest: string; weights: string; optimizer: string | null; best: string | null }> {
  return readGeneration(
    dir,
    MANIFEST,
    async (g) => {
      if (g.generation === null)
        return {
          manifest: MANIFEST,
          weights: LEGACY_WEIGHTS,
          optimizer: (await stat(join(dir, LEGACY_OPTIMIZER)).catch(() => null)) ? LEGACY_OPTIMIZER : null,
          best: null,
        };
      const weights = g.files.weights?.path;
      if (!weights) throw new CorruptArtifactError(g.manifestPath, 'names no weights file');
      return {
        manifest: basename(g.manifestPath),
        weights,
        optimizer: g.files.optimizer?.path ?? null,
        best: g.files.best?.path ?? null,
      };
    },
    options,
  );
}
