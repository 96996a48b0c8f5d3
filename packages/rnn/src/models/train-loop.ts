import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertNumber, Random } from '@wordloom/core';
import { TrainingDivergedError } from '../errors/training-diverged-error.js';
import type { ClipOptions } from './optimizer-step.js';

/** Where training stands: the next batch to run. A checkpoint stores it; resuming starts there. */
export interface TrainingState {
  /** Epochs (or, for step-based training, 0) completed before the next batch. */
  epoch: number;
  /** Batches of the current epoch already done (or steps done). */
  batch: number;
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
  epoch: number;
  /** Mean training loss over the epoch's batches (run in this call). */
  loss: number;
  /** Training accuracy over the epoch's batches (run in this call). */
  accuracy: number;
  /** Wall time of the epoch in this call. */
  seconds: number;
}

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
  /** @default 128 */
  batchSize?: number;
  /** A tfjs optimizer; keep it to checkpoint its state. @default tf.train.adam(learningRate) */
  optimizer?: tf.Optimizer;
  /** Learning rate of the default optimizer. @default 0.001 */
  learningRate?: number;
  /** Seed of the per-epoch shuffles (epoch e shuffles with a generator derived from seed and e). @default 1 */
  seed?: number;
  /** Resume from a checkpoint's state. @default {epoch: 0, batch: 0} */
  initialState?: TrainingState;
  /** Stops after the current batch; `fit` then resolves with `aborted: true`. @default none */
  signal?: AbortSignal;
  /** After every batch. @default none */
  onBatchEnd?: (info: BatchInfo) => void | Promise<void>;
  /** After every epoch (awaited: save a checkpoint here). @default none */
  onEpochEnd?: (info: EpochInfo, state: TrainingState) => void | Promise<void>;
}

/** Result of `fit`. */
export interface FitResult {
  history: EpochInfo[];
  /** Where training stopped (pass as `initialState` to continue). */
  state: TrainingState;
  aborted: boolean;
}

/** The order of examples in epoch `epoch`: a shuffle that depends only on (seed, epoch). */
export function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return new Random((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
}

/**
 * The epoch/batch loop every model shares: deterministic order from (seed, epoch), resumable at any
 * batch, interruptible, with progress callbacks.
 */
export async function trainLoop(
  fn: string,
  options: FitOptions,
  batchesPerEpoch: number,
  runBatch: (
    epoch: number,
    batch: number,
    optimizer: tf.Optimizer,
  ) => { loss: number; correct: number; count: number },
): Promise<FitResult> {
  const steps = options.steps == null ? Infinity : assertInteger(options.steps, 'steps', fn, 1);
  const epochs = Number.isFinite(steps)
    ? Math.ceil(steps / batchesPerEpoch)
    : assertInteger(options.epochs ?? 1, 'epochs', fn, 1);
  const lr = assertNumber(options.learningRate ?? 0.001, 'learningRate', fn, { min: 0, exclusiveMin: true });
  const optimizer = options.optimizer ?? tf.train.adam(lr);
  const start = options.initialState ?? { epoch: 0, batch: 0 };
  assertInteger(start.epoch, 'initialState.epoch', fn, 0);
  assertInteger(start.batch, 'initialState.batch', fn, 0, batchesPerEpoch);
  const history: EpochInfo[] = [];
  const state: TrainingState = { ...start };
  try {
    for (let epoch = start.epoch; epoch < epochs; epoch++) {
      const t0 = performance.now();
      let lossSum = 0;
      let correct = 0;
      let count = 0;
      let batches = 0;
      const end = Math.min(batchesPerEpoch, steps - epoch * batchesPerEpoch);
      for (let b = epoch === start.epoch ? start.batch : 0; b < end; b++) {
        if (options.signal?.aborted) return { history, state, aborted: true };
        const r = runBatch(epoch, b, optimizer);
        if (!Number.isFinite(r.loss)) throw new TrainingDivergedError('the loss', r.loss);
        lossSum += r.loss;
        correct += r.correct;
        count += r.count;
        batches++;
        state.epoch = epoch;
        state.batch = b + 1;
        await options.onBatchEnd?.({
          epoch,
          batch: b,
          batches: batchesPerEpoch,
          loss: r.loss,
          accuracy: r.correct / r.count,
        });
      }
      if (end === batchesPerEpoch) {
        state.epoch = epoch + 1;
        state.batch = 0;
      }
      const info = {
        epoch: epoch + 1,
        loss: batches ? lossSum / batches : Number.NaN,
        accuracy: count ? correct / count : Number.NaN,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(info);
      await options.onEpochEnd?.(info, { ...state });
    }
    return { history, state, aborted: false };
  } finally {
    if (!options.optimizer) optimizer.dispose();
  }
}
