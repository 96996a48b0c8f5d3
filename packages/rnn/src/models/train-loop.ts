import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import type { Floats } from '../bptt/matmul-provider.js';
import { TrainingDivergedError } from '../errors/training-diverged-error.js';
import { applyGradients, type ClipOptions } from './optimizer-step.js';

/**
 * Where training stands: the next batch to run, and everything else a bit-exact resume needs. Plain
 * JSON (a checkpoint stores it) except {@link TrainingState.bestWeights}, typed arrays that a checkpoint
 * stores as tensors of their own; pass it back as `initialState` to continue as if never stopped.
 * Dropout masks need no generator position: each batch's masks derive from (seed, epoch, batch).
 */
export interface TrainingState {
  /** Epochs (or, for step-based training, 0) completed before the next batch. */
  epoch: number;
  /** Batches of the current epoch already done (or steps done). */
  batch: number;
  /** The learning rate in effect (with a `learningRateSchedule`). */
  learningRate?: number;
  /** Early-stopping / reduce-on-plateau bookkeeping (when either is on). */
  monitor?: MonitorState;
  /**
   * `full`-mode language models: the hidden states the last batch ended in (per state, `B·H` values),
   * which the next batch starts from. Rebuilding them from the current weights is what made resuming
   * a `full`-mode model inexact: every segment had been read with the weights of its own batch.
   */
  carried?: number[][] | null;
  /**
   * With `earlyStopping.restoreBestWeights`: the weights of the best epoch so far
   * (`monitor.bestEpoch`), one array per model variable in the model's order. Not JSON: `saveCheckpoint`
   * writes them as a file of their own in the same generation, verified on load like the weights, so a
   * run interrupted after its best epoch and resumed ends with the same weights as an uninterrupted one.
   */
  bestWeights?: Float32Array[];
}

/** Early-stopping and plateau bookkeeping kept in {@link TrainingState}. */
export interface MonitorState {
  /** Best monitored value so far (early stopping; null before the first epoch), and its 1-based epoch. */
  best: number | null;
  bestEpoch: number;
  /** Epochs since the last improvement (early stopping). */
  wait: number;
  /** Best value (null before the first epoch) and wait counter of the reduce-on-plateau schedule. */
  plateauBest: number | null;
  plateauWait: number;
}

/** Progress after a batch. */
export interface BatchInfo {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
}

/** Summary of an epoch (or of a step-based run). */
export interface EpochInfo {
  /** 1-based. */
  epoch: number;
  /** Mean training loss over the epoch's batches run in this call. */
  loss: number;
  /** Training accuracy over the epoch's batches run in this call. */
  accuracy: number;
  /** Wall time of the epoch in this call. */
  seconds: number;
  /** The learning rate the epoch trained with. */
  learningRate: number;
  /** Mean loss on the held-out data (`validationSplit` / `validationData`), when given. */
  validationLoss?: number;
  /** Held-out accuracy (classifiers; next-word accuracy for language models). */
  validationAccuracy?: number;
  /** `exp(validationLoss)` (language models). */
  validationPerplexity?: number;
}

/** Quantities early stopping and reduce-on-plateau can watch (lower is better, accuracies higher). */
export type Monitor = 'loss' | 'accuracy' | 'validationLoss' | 'validationAccuracy' | 'validationPerplexity';

const MONITORS: readonly Monitor[] = [
  'loss',
  'accuracy',
  'validationLoss',
  'validationAccuracy',
  'validationPerplexity',
];

/** Lets a callback end training after the current batch (same as returning `false`). */
export interface TrainingControl {
  /** Ends training after the current batch. */
  stop(): void;
}

/** Hooks into {@link trainLoop}; returning `false` (or calling `control.stop()`) ends training. */
export interface Callback {
  /** After every batch; may be async (awaited). */
  onBatchEnd?(info: BatchInfo, control: TrainingControl): unknown;
  /** After every epoch, with the resumable state (save a checkpoint here); may be async. */
  onEpochEnd?(info: EpochInfo, state: TrainingState, control: TrainingControl): unknown;
}

/** Keras' `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** @default 'validationLoss' ('loss' when there is no held-out data) */
  monitor?: Monitor;
  /** Stop once this many epochs in a row brought no improvement (Keras' rule). @default 0 (as Keras) */
  patience?: number;
  /** An improvement must beat the best by more than this. @default 0 */
  minDelta?: number;
  /**
   * When training ends (stopped early, by a callback, or after the last epoch; not when aborted by the
   * signal), put back the weights of the best epoch (as Keras 3). They travel in the
   * {@link TrainingState} (`bestWeights`, saved by `saveCheckpoint`), so a resumed run restores the
   * same best epoch as an uninterrupted one; resuming with this on from a state that has a best epoch
   * but not its weights throws. @default false
   */
  restoreBestWeights?: boolean;
}

/**
 * A learning-rate schedule, applied at the start of each epoch e (0-based) to the base rate lr₀:
 * - `{type: 'step', stepSize, gamma = 0.1}`: `lr₀ · γ^⌊e / stepSize⌋` (PyTorch `StepLR`);
 * - `{type: 'exponential', gamma}`: `lr₀ · γ^e` (`ExponentialLR`);
 * - `{type: 'cosine', epochs = fit's epochs, minLearningRate = 0}`:
 *   `lr_min + (lr₀ − lr_min)(1 + cos(π e / E)) / 2` (`CosineAnnealingLR`);
 * - `{type: 'reduceOnPlateau', monitor, factor = 0.1, patience = 10, minDelta = 1e-4, minLearningRate = 0}`:
 *   multiply by `factor` once `patience` epochs in a row improved by no more than `minDelta` (Keras'
 *   `ReduceLROnPlateau`, same defaults);
 * - a function `(epoch, lr₀) => lr`.
 */
export type LearningRateSchedule =
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; epochs?: number; minLearningRate?: number }
  | {
      type: 'reduceOnPlateau';
      monitor?: Monitor;
      factor?: number;
      patience?: number;
      minDelta?: number;
      minLearningRate?: number;
    }
  | ((epoch: number, baseLearningRate: number) => number);

/** Options shared by every `fit`. */
export interface FitOptions extends ClipOptions {
  /** @default 1 */
  epochs?: number;
  /**
   * Stop after this many batches in total (counted from the start of training, so a resumed run stops
   * at the same place); `epochs` is then ignored.
   * @default none
   */
  steps?: number;
  /** @default 128 (classifiers), 32 (language models) */
  batchSize?: number;
  /** A tfjs optimizer; keep it to checkpoint its state. @default tf.train.adam(learningRate, 0.9, 0.999, 1e-8) */
  optimizer?: tf.Optimizer;
  /** Base learning rate lr₀ (of the default optimizer, and of schedules). @default 0.001 */
  learningRate?: number;
  /** Seed of the per-epoch shuffles and dropout masks, an integer in [0, 2³² − 1]. @default 1 */
  seed?: number;
  /** Resume from a checkpoint's state. @default {epoch: 0, batch: 0} */
  initialState?: TrainingState;
  /** Stops after the current batch; `fit` then resolves with `aborted: true`. @default none */
  signal?: AbortSignal;
  /** After every batch (awaited). @default none */
  onBatchEnd?: Callback['onBatchEnd'];
  /** After every epoch (awaited: save a checkpoint here). @default none */
  onEpochEnd?: Callback['onEpochEnd'];
  /** More callbacks, called in order after `onBatchEnd` / `onEpochEnd`. @default [] */
  callbacks?: Callback[];
  /**
   * Hold out the LAST fraction of the examples (of the token stream, for language models), contiguous
   * and unshuffled as Keras' `validation_split`, and report `validationLoss` etc. every epoch.
   * @default 0
   */
  validationSplit?: number;
  /** Held-out data in the model's own format (a dataset, or tokens), instead of a split. @default none */
  validationData?: unknown;
  /** Stop when the monitored quantity stops improving. @default none */
  earlyStopping?: EarlyStoppingOptions;
  /** @default constant */
  learningRateSchedule?: LearningRateSchedule;
  /**
   * Decoupled weight decay λ (Loshchilov & Hutter, AdamW): before each optimizer step every weight is
   * multiplied by `1 − lr·λ`, separately from the gradient (so Adam's scaling does not weaken it),
   * as `torch.optim.AdamW(weight_decay=λ)`. Applies to all variables, biases included (as PyTorch).
   * @default 0
   */
  weightDecay?: number;
}

/** Result of `fit`. */
export interface FitResult {
  history: EpochInfo[];
  /** Where training stopped (pass as `initialState` to continue). */
  state: TrainingState;
  /** Stopped by the signal. */
  aborted: boolean;
  /** Stopped by early stopping or a callback. */
  stopped: boolean;
  /** 1-based epoch of the best monitored value when early stopping was on; its weights were restored if asked. */
  bestEpoch?: number;
}

/** What a model's batch step returns to the loop. */
export interface BatchResult {
  loss: number;
  correct: number;
  count: number;
  /** ∂C/∂(each of the hooks' `variables`), applied by the loop (decay, clipping, optimizer step). */
  grads: Floats[];
  /** States to carry into the next batch (`full`-mode language models). */
  carried?: Floats[] | null;
}

/** Model-side hooks of {@link trainLoop}. */
export interface TrainHooks {
  /** The model's variables, in the order of {@link BatchResult.grads}. */
  variables: tf.Variable[];
  /** `clipNorm` when the options give none (language models: 5). @default 0 */
  defaultClipNorm?: number;
  /** Held-out metrics, run after every epoch. */
  validate?: () => { loss: number; accuracy: number; perplexity?: number };
  /** Extra option names the model accepts beyond {@link FitOptions}. */
  extraOptions?: readonly string[];
}

const FIT_OPTIONS = [
  'epochs',
  'steps',
  'batchSize',
  'optimizer',
  'learningRate',
  'seed',
  'initialState',
  'signal',
  'onBatchEnd',
  'onEpochEnd',
  'callbacks',
  'validationSplit',
  'validationData',
  'earlyStopping',
  'learningRateSchedule',
  'weightDecay',
  'clipNorm',
  'clipValue',
];

/** Throws on an option `fit` does not know (an accepted option is never silently ignored). */
export function checkOptionNames(options: object, fn: string, extra: readonly string[] = []): void {
  if (options == null || typeof options !== 'object')
    throw new InvalidArgumentError('options', fn, 'an object', options);
  for (const key of Object.keys(options))
    if (!FIT_OPTIONS.includes(key) && !extra.includes(key))
      throw new InvalidArgumentError('options', fn, `known options (${FIT_OPTIONS.join(', ')})`, key);
}

/** What {@link holdOut} needs to know about a model's training data. */
export interface HoldOutData<T> {
  /** Items (examples, or tokens of a stream) in the data. */
  count: number;
  /** Items `[start, end)` as held-out data. */
  take(start: number, end: number): T;
  /** `validationData` checked and converted into the model's held-out format. */
  given(validationData: unknown): T;
  /** Items in held-out data. */
  size(held: T): number;
  /** Fewest held-out items an evaluation can score. @default 1 */
  minHeld?: number;
  /** What an item is, for messages ('examples', 'tokens'). */
  unit: string;
}

/**
 * The held-out part of `fit`'s data, the same for every model: `validationSplit` holds out the LAST
 * `⌊count · split⌋` items, contiguous and never shuffled into training (Keras' `validation_split`);
 * `validationData` is held-out data of the model's own format; not both. Both are checked here,
 * before any training, so a held-out part too small to score fails at once instead of after an epoch.
 * Returns how many leading items to train on, and the held-out data (null without either option).
 */
export function holdOut<T>(
  options: Pick<FitOptions, 'validationSplit' | 'validationData'>,
  fn: string,
  data: HoldOutData<T>,
): { trainCount: number; validation: T | null } {
  const split = assertNumber(options.validationSplit ?? 0, 'validationSplit', fn, { min: 0, max: 1 });
  const minHeld = data.minHeld ?? 1;
  if (split > 0 && options.validationData != null)
    throw new InvalidArgumentError(
      'validationSplit',
      fn,
      'not both validationSplit and validationData',
      split,
    );
  if (split > 0) {
    const held = Math.floor(data.count * split);
    if (held < minHeld || held >= data.count)
      throw new InvalidArgumentError(
        'validationSplit',
        fn,
        `a fraction holding out at least ${minHeld} of the ${data.count} ${data.unit} and leaving some to train on`,
        split,
      );
    const trainCount = data.count - held;
    return { trainCount, validation: data.take(trainCount, data.count) };
  }
  if (options.validationData == null) return { trainCount: data.count, validation: null };
  const validation = data.given(options.validationData);
  const n = data.size(validation);
  if (n < minHeld)
    throw new InvalidArgumentError(
      'validationData',
      fn,
      `at least ${minHeld} ${data.unit}`,
      `${n} ${data.unit}`,
    );
  return { trainCount: data.count, validation };
}

function checkKeys(value: object, allowed: readonly string[], argument: string, fn: string): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key))
      throw new InvalidArgumentError(argument, fn, `an object with only ${allowed.join(', ')}`, key);
}

const SCHEDULE_KEYS: Record<string, readonly string[]> = {
  step: ['type', 'stepSize', 'gamma'],
  exponential: ['type', 'gamma'],
  cosine: ['type', 'epochs', 'minLearningRate'],
  reduceOnPlateau: ['type', 'monitor', 'factor', 'patience', 'minDelta', 'minLearningRate'],
};

/** The order of examples in epoch `epoch`: a shuffle that depends only on (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return new Random((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
}

/**
 * The examples of batch `batch` of epoch `epoch`: the `batchSize`-long slices, in turn, of that epoch's
 * {@link epochOrder} (the last one shorter), the shuffle made once per epoch.
 */
export function epochBatches(
  count: number,
  batchSize: number,
  seed: number,
): (epoch: number, batch: number) => Int32Array {
  let order: Int32Array = new Int32Array(0);
  let orderEpoch = -1;
  return (epoch, batch) => {
    if (orderEpoch !== epoch) {
      order = epochOrder(count, seed, epoch);
      orderEpoch = epoch;
    }
    return order.subarray(batch * batchSize, Math.min(count, (batch + 1) * batchSize));
  };
}

/** A 32-bit seed for the dropout masks of batch `batch` of epoch `epoch` (independent of resumes). */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0x9e3779b1);
  h = Math.imul(h ^ (epoch + 1), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15) ^ (batch + 1), 0x27d4eb2f);
  return (h ^ (h >>> 13)) >>> 0;
}

const yieldNow: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

/** Work between two yields to the event loop, so a SIGINT handler's abort lands within one batch. */
const YIELD_MS = 50;

function isBetter(monitor: Monitor, value: number, best: number | null, minDelta: number): boolean {
  if (best === null) return true;
  return monitor === 'accuracy' || monitor === 'validationAccuracy'
    ? value > best + minDelta
    : value < best - minDelta;
}

function monitored(info: EpochInfo, monitor: Monitor, fn: string): number {
  const v = info[monitor];
  if (v === undefined)
    throw new InvalidArgumentError(
      'earlyStopping.monitor',
      fn,
      `a quantity this fit reports (${monitor} needs validationSplit or validationData)`,
      monitor,
    );
  return v;
}

/** Sets a tfjs optimizer's learning rate (SGD caches it as a scalar; the others read the field). */
function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else if (typeof o.learningRate === 'number') o.learningRate = lr;
  else
    throw new InvalidArgumentError(
      'optimizer',
      'fit',
      'a tfjs optimizer with a learningRate (needed by learningRateSchedule)',
      optimizer.getClassName(),
    );
}

/** Validates a schedule and returns the rate of epoch `e` given the plateau-adjusted current rate. */
function scheduleOf(
  schedule: LearningRateSchedule | undefined,
  base: number,
  epochs: number,
  fn: string,
): ((epoch: number, current: number) => number) | null {
  if (schedule == null) return null;
  if (typeof schedule === 'function')
    return (e) => assertNumber(schedule(e, base), 'learningRateSchedule(epoch)', fn, { min: 0 });
  const type = assertOneOf(
    (schedule as { type: string }).type,
    ['step', 'exponential', 'cosine', 'reduceOnPlateau'],
    'learningRateSchedule.type',
    fn,
  );
  checkKeys(schedule, SCHEDULE_KEYS[type], 'learningRateSchedule', fn);
  switch (type) {
    case 'step': {
      const s = schedule as { stepSize: number; gamma?: number };
      const size = assertInteger(s.stepSize, 'learningRateSchedule.stepSize', fn, 1);
      const gamma = assertNumber(s.gamma ?? 0.1, 'learningRateSchedule.gamma', fn, { min: 0 });
      return (e) => base * gamma ** Math.floor(e / size);
    }
    case 'exponential': {
      const gamma = assertNumber((schedule as { gamma: number }).gamma, 'learningRateSchedule.gamma', fn, {
        min: 0,
      });
      return (e) => base * gamma ** e;
    }
    case 'cosine': {
      const s = schedule as { epochs?: number; minLearningRate?: number };
      const E = assertInteger(s.epochs ?? epochs, 'learningRateSchedule.epochs', fn, 1);
      const min = assertNumber(s.minLearningRate ?? 0, 'learningRateSchedule.minLearningRate', fn, {
        min: 0,
      });
      return (e) => min + ((base - min) * (1 + Math.cos((Math.PI * Math.min(e, E)) / E))) / 2;
    }
    default:
      // reduceOnPlateau: the current rate, reduced after each epoch by the loop.
      return (_e, current) => current;
  }
}

/** The best epoch's weights a resumed `restoreBestWeights` run starts from (checked), or null before any epoch. */
function startingBestWeights(
  start: TrainingState,
  monitor: MonitorState,
  variables: tf.Variable[],
  fn: string,
): Float32Array[] | null {
  const saved = start.bestWeights;
  if (saved === undefined) {
    if (monitor.best === null) return null;
    throw new InvalidArgumentError(
      'initialState',
      fn,
      `a state with bestWeights (earlyStopping.restoreBestWeights needs the weights of the recorded best epoch ${monitor.bestEpoch}; save the state with saveCheckpoint, or resume without restoreBestWeights)`,
      'a state without them',
    );
  }
  const expected = `one Float32Array per model variable, of its size (${variables.map((v) => v.size).join(', ')})`;
  if (!Array.isArray(saved) || saved.length !== variables.length)
    throw new InvalidArgumentError('initialState.bestWeights', fn, expected, saved);
  saved.forEach((w, i) => {
    if (!(w instanceof Float32Array) || w.length !== variables[i].size)
      throw new InvalidArgumentError(
        'initialState.bestWeights',
        fn,
        expected,
        `${String(w?.constructor?.name)} at ${i}`,
      );
  });
  return saved;
}

/**
 * The epoch/batch loop every model shares: deterministic order from (seed, epoch), resumable at any
 * batch, interruptible (it yields to the event loop at least every 50 ms of work), with held-out
 * validation, callbacks, early stopping, learning-rate schedules and decoupled weight decay.
 */
export async function trainLoop(
  fn: string,
  options: FitOptions,
  batchesPerEpoch: number,
  runBatch: (epoch: number, batch: number, carried: Floats[] | null) => BatchResult,
  hooks: TrainHooks,
): Promise<FitResult> {
  checkOptionNames(options, fn, hooks.extraOptions);
  const steps = options.steps == null ? Infinity : assertInteger(options.steps, 'steps', fn, 1);
  const epochs = Number.isFinite(steps)
    ? Math.ceil(steps / batchesPerEpoch)
    : assertInteger(options.epochs ?? 1, 'epochs', fn, 1);
  const optimizerRate = (options.optimizer as unknown as { learningRate?: unknown } | undefined)
    ?.learningRate;
  const base = assertNumber(
    options.learningRate ?? (typeof optimizerRate === 'number' ? optimizerRate : 0.001),
    'learningRate',
    fn,
    { min: 0, exclusiveMin: true },
  );
  const clip = {
    clipNorm: options.clipNorm ?? hooks.defaultClipNorm ?? 0,
    clipValue: options.clipValue ?? 0,
  };
  const decay = assertNumber(options.weightDecay ?? 0, 'weightDecay', fn, { min: 0 });
  // The models read the seed themselves for their batches' shuffles and masks: one check for all.
  assertInteger(options.seed ?? 1, 'seed', fn, 0, 2 ** 32 - 1);
  const start = options.initialState ?? { epoch: 0, batch: 0 };
  if (start == null || typeof start !== 'object')
    throw new InvalidArgumentError('initialState', fn, 'a TrainingState', start);
  assertInteger(start.epoch, 'initialState.epoch', fn, 0);
  assertInteger(start.batch, 'initialState.batch', fn, 0, batchesPerEpoch);
  if (!Array.isArray(options.callbacks ?? []))
    throw new InvalidArgumentError('callbacks', fn, 'an array of callbacks', options.callbacks);
  const callbacks: Callback[] = [
    { onBatchEnd: options.onBatchEnd, onEpochEnd: options.onEpochEnd },
    ...(options.callbacks ?? []),
  ];
  const schedule = scheduleOf(options.learningRateSchedule, base, epochs, fn);
  const plateau =
    options.learningRateSchedule != null &&
    typeof options.learningRateSchedule === 'object' &&
    options.learningRateSchedule.type === 'reduceOnPlateau'
      ? options.learningRateSchedule
      : null;
  const plateauMonitor = plateau
    ? assertOneOf(
        plateau.monitor ?? (hooks.validate ? 'validationLoss' : 'loss'),
        MONITORS,
        'learningRateSchedule.monitor',
        fn,
      )
    : null;
  if (plateau) {
    assertNumber(plateau.factor ?? 0.1, 'learningRateSchedule.factor', fn, { min: 0, max: 1 });
    assertInteger(plateau.patience ?? 10, 'learningRateSchedule.patience', fn, 0);
    assertNumber(plateau.minDelta ?? 1e-4, 'learningRateSchedule.minDelta', fn, { min: 0 });
    assertNumber(plateau.minLearningRate ?? 0, 'learningRateSchedule.minLearningRate', fn, { min: 0 });
  }
  const early = options.earlyStopping ?? null;
  if (early) {
    checkKeys(early, ['monitor', 'patience', 'minDelta', 'restoreBestWeights'], 'earlyStopping', fn);
    if (early.restoreBestWeights !== undefined && typeof early.restoreBestWeights !== 'boolean')
      throw new InvalidArgumentError(
        'earlyStopping.restoreBestWeights',
        fn,
        'a boolean',
        early.restoreBestWeights,
      );
  }
  const earlyMonitor = early
    ? assertOneOf(
        early.monitor ?? (hooks.validate ? 'validationLoss' : 'loss'),
        MONITORS,
        'earlyStopping.monitor',
        fn,
      )
    : null;
  const patience = early ? assertInteger(early.patience ?? 0, 'earlyStopping.patience', fn, 0) : 0;
  const minDelta = early ? assertNumber(early.minDelta ?? 0, 'earlyStopping.minDelta', fn, { min: 0 }) : 0;

  const variables = hooks.variables;
  let learningRate = start.learningRate ?? base;
  const monitor: MonitorState = start.monitor
    ? { ...start.monitor }
    : { best: null, bestEpoch: 0, wait: 0, plateauBest: null, plateauWait: 0 };
  const restoreBest = early?.restoreBestWeights === true;
  let bestWeights: Float32Array[] | null = restoreBest
    ? startingBestWeights(start, monitor, variables, fn)
    : null;
  // Whether the variables hold `bestWeights` (no batch since they were taken): nothing to put back.
  let atBest = false;
  let carried: Floats[] | null = start.carried ? start.carried.map((s) => Float64Array.from(s)) : null;
  let position = { epoch: start.epoch, batch: start.batch };
  let partial = { loss: 0, correct: 0, count: 0, batches: 0 };
  // Plain JSON with only what this run uses (float32 values round-trip exactly through JSON numbers).
  const snapshot = (): TrainingState => ({
    ...position,
    ...(schedule || start.learningRate !== undefined ? { learningRate } : {}),
    ...(early || plateau ? { monitor: { ...monitor } } : {}),
    ...(carried ? { carried: carried.map((s) => Array.from(s)) } : {}),
    // Shared, not copied: a new best replaces the arrays, never writes into them.
    ...(bestWeights ? { bestWeights } : {}),
  });
  let stopRequested = false;
  const control: TrainingControl = {
    stop: () => {
      stopRequested = true;
    },
  };
  const history: EpochInfo[] = [];
  let lastYield = performance.now();
  let stopped = false;
  // Made last, once every option has been checked: nothing above can leak its variables.
  const optimizer = options.optimizer ?? tf.train.adam(base, 0.9, 0.999, 1e-8);
  try {
    for (let epoch = start.epoch; epoch < epochs && !stopped; epoch++) {
      const t0 = performance.now();
      if (epoch !== start.epoch || start.learningRate === undefined)
        learningRate = schedule ? schedule(epoch, learningRate) : learningRate;
      if (schedule || start.learningRate !== undefined) setLearningRate(optimizer, learningRate);
      partial = { loss: 0, correct: 0, count: 0, batches: 0 };
      const end = Math.min(batchesPerEpoch, steps - epoch * batchesPerEpoch);
      for (let b = epoch === start.epoch ? start.batch : 0; b < end; b++) {
        if (options.signal?.aborted) return { history, state: snapshot(), aborted: true, stopped: false };
        const r = runBatch(epoch, b, b === 0 ? null : carried);
        if (!Number.isFinite(r.loss)) throw new TrainingDivergedError('the loss', r.loss);
        // AdamW order: the gradient is taken at w, then w ← (1 − lr·λ) w, then the optimizer's step.
        if (decay > 0)
          tf.tidy(() => {
            for (const v of variables) v.assign(tf.mul(v, 1 - learningRate * decay));
          });
        applyGradients(optimizer, variables, r.grads, clip);
        atBest = false;
        carried = r.carried ?? null;
        partial.loss += r.loss;
        partial.correct += r.correct;
        partial.count += r.count;
        partial.batches++;
        position = { epoch, batch: b + 1 };
        const info = {
          epoch,
          batch: b,
          batches: batchesPerEpoch,
          loss: r.loss,
          accuracy: r.correct / r.count,
        };
        for (const c of callbacks) if ((await c.onBatchEnd?.(info, control)) === false) stopRequested = true;
        if (performance.now() - lastYield >= YIELD_MS) {
          await yieldNow();
          lastYield = performance.now();
        }
        if (stopRequested) break;
      }
      const finished = position.batch === end && position.epoch === epoch;
      if (!finished) {
        // Stopped by a callback mid-epoch.
        stopped = true;
        break;
      }
      if (end === batchesPerEpoch) {
        position = { epoch: epoch + 1, batch: 0 };
        carried = null;
      }
      const info: EpochInfo = {
        epoch: epoch + 1,
        loss: partial.batches ? partial.loss / partial.batches : Number.NaN,
        accuracy: partial.count ? partial.correct / partial.count : Number.NaN,
        seconds: (performance.now() - t0) / 1000,
        learningRate,
      };
      if (hooks.validate) {
        const v = hooks.validate();
        info.validationLoss = v.loss;
        info.validationAccuracy = v.accuracy;
        if (v.perplexity !== undefined) info.validationPerplexity = v.perplexity;
      }
      if (plateau && plateauMonitor) {
        const value = monitored(info, plateauMonitor, fn);
        if (isBetter(plateauMonitor, value, monitor.plateauBest, plateau.minDelta ?? 1e-4)) {
          monitor.plateauBest = value;
          monitor.plateauWait = 0;
        } else if (++monitor.plateauWait >= (plateau.patience ?? 10)) {
          learningRate = Math.max(plateau.minLearningRate ?? 0, learningRate * (plateau.factor ?? 0.1));
          monitor.plateauWait = 0;
        }
      }
      if (early && earlyMonitor) {
        const value = monitored(info, earlyMonitor, fn);
        if (isBetter(earlyMonitor, value, monitor.best, minDelta)) {
          monitor.best = value;
          monitor.bestEpoch = info.epoch;
          monitor.wait = 0;
          if (restoreBest) {
            bestWeights = variables.map((v) => v.dataSync().slice() as Float32Array);
            atBest = true;
          }
        } else if (++monitor.wait >= patience) stopped = true;
      }
      history.push(info);
      for (const c of callbacks)
        if ((await c.onEpochEnd?.(info, snapshot(), control)) === false) stopRequested = true;
      if (stopRequested) stopped = true;
    }
    if (bestWeights && !atBest) {
      const saved = bestWeights;
      variables.forEach((v, i) => {
        tf.tidy(() => v.assign(tf.tensor(saved[i], v.shape)));
      });
    }
    return {
      history,
      state: snapshot(),
      aborted: false,
      stopped,
      ...(early ? { bestEpoch: monitor.bestEpoch } : {}),
    };
  } finally {
    if (!options.optimizer) optimizer.dispose();
  }
}
