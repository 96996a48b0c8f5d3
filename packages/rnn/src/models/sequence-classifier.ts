import type * as tf from '@tensorflow/tfjs-core';
import { assertInteger, InvalidArgumentError } from '@wordloom/core';
import { type Floats, type MatmulProvider, TfjsProvider } from '../bptt/matmul-provider.js';
import { SimdProvider } from '../bptt/simd-provider.js';
import { createEncoder, type EncoderConfig } from '../layers/create-encoder.js';
import type { SequenceLayer } from '../layers/sequence-layer.js';
import { applyGradients, type ClipOptions } from './optimizer-step.js';
import { SoftmaxHead } from './softmax-head.js';
import {
  batchSeed,
  checkOptionNames,
  epochBatches,
  type FitOptions,
  type FitResult,
  holdOut,
  trainLoop,
} from './train-loop.js';

/** Labelled sequences, batch-major: example i, step t, feature f at `inputs[(i·steps + t)·features + f]`. */
export interface SequenceDataset {
  /** Values; a `Uint8Array` is read as bytes scaled by 1/255 (MNIST pixels). */
  inputs: Float32Array | Uint8Array;
  labels: ArrayLike<number>;
  count: number;
  steps: number;
  features: number;
}

const CONFIG_KEYS = [
  'classes',
  'inputSize',
  'cell',
  'units',
  'layers',
  'bidirectional',
  'activation',
  'resetAfter',
  'recurrentInitializer',
  'truncate',
  'dropout',
  'recurrentDropout',
  'seed',
];

/**
 * Options of {@link SequenceClassifier}: an encoder config (`dropout` / `recurrentDropout` are Keras'
 * per-layer input and variational recurrent dropout) plus the number of classes.
 */
export interface SequenceClassifierConfig extends EncoderConfig {
  classes: number;
}

/** Options of {@link SequenceClassifier.fit}: the shared {@link FitOptions}, held-out data as a dataset. */
export interface SequenceClassifierFitOptions extends FitOptions {
  /** Held-out examples, evaluated after every epoch. @default none */
  validationData?: SequenceDataset;
}

/** Loss and accuracy of an evaluation. */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

/**
 * Last hidden state → softmax classifier (Listing 4-3): MNIST read row by row as 28 steps of 28 pixels
 * through an LSTM of 128 units, the final h_28 fed to a 10-way softmax; only C_28 contributes to the
 * cost. Training uses the explicit BPTT of the encoder and any tfjs optimizer.
 *
 * The matrix products and LSTM gate math run in wordloom's WebAssembly SIMD kernels
 * (`SimdProvider.shared()`), whatever the tfjs backend — the backend still holds the variables and runs
 * the optimizer; without WebAssembly SIMD they go to the active backend (`TfjsProvider`). Pass a
 * `MatmulProvider` as the second constructor argument to choose (e.g. `Float64Provider` for checks).
 */
export class SequenceClassifier {
  readonly config: Required<Pick<SequenceClassifierConfig, 'classes' | 'inputSize'>> &
    SequenceClassifierConfig;
  readonly encoder: SequenceLayer;
  readonly head: SoftmaxHead;
  private readonly p: MatmulProvider;

  constructor(
    config: SequenceClassifierConfig,
    provider: MatmulProvider = SimdProvider.shared() ?? new TfjsProvider(),
  ) {
    if (config == null || typeof config !== 'object')
      throw new InvalidArgumentError(
        'config',
        'SequenceClassifier',
        'an object with inputSize and classes',
        config,
      );
    for (const key of Object.keys(config))
      if (!CONFIG_KEYS.includes(key))
        throw new InvalidArgumentError(
          'config',
          'SequenceClassifier',
          `known options (${CONFIG_KEYS.join(', ')})`,
          key,
        );
    assertInteger(config.classes, 'classes', 'SequenceClassifier', 2);
    assertInteger(config.inputSize, 'inputSize', 'SequenceClassifier', 1);
    this.config = { ...config };
    this.encoder = createEncoder(config);
    this.head = new SoftmaxHead(this.encoder.outputSize, config.classes, (config.seed ?? 1) + 101);
    this.p = provider;
  }

  /** Every trainable variable: encoder then head. */
  get variables(): tf.Variable[] {
    return [...this.encoder.variables, ...this.head.variables];
  }

  /** Stable names of {@link variables} (checkpoints). */
  get variableNames(): string[] {
    return [...this.encoder.variableNames.map((n) => `encoder/${n}`), 'head/kernel', 'head/bias'];
  }

  private batchInput(data: SequenceDataset, indices: ArrayLike<number>): Floats {
    const { steps: T, features: D } = data;
    const B = indices.length;
    const out = this.p.alloc(T * B * D);
    const scale = data.inputs instanceof Uint8Array ? 1 / 255 : 1;
    for (let b = 0; b < B; b++) {
      const src = indices[b] * T * D;
      for (let t = 0; t < T; t++) {
        const dst = (t * B + b) * D;
        const s = src + t * D;
        for (let f = 0; f < D; f++) out[dst + f] = data.inputs[s + f] * scale;
      }
    }
    return out;
  }

  private check(data: SequenceDataset, fn: string): void {
    if (data == null || typeof data !== 'object' || data.inputs == null)
      throw new InvalidArgumentError('data', fn, 'a {inputs, labels, count, steps, features} dataset', data);
    if (data.features !== this.config.inputSize)
      throw new InvalidArgumentError(
        'data.features',
        fn,
        `${this.config.inputSize} (the model's inputSize)`,
        data.features,
      );
    if (data.inputs.length !== data.count * data.steps * data.features || data.labels.length < data.count)
      throw new InvalidArgumentError(
        'data',
        fn,
        'inputs of length count·steps·features and count labels',
        `${data.inputs.length} inputs, ${data.labels.length} labels`,
      );
    const C = this.config.classes;
    for (let i = 0; i < data.count; i++) {
      const y = data.labels[i];
      // A label ≥ classes would index the next row's logits; a fractional one would be truncated.
      if (!Number.isInteger(y) || y < 0 || y >= C)
        throw new InvalidArgumentError(
          'data.labels',
          fn,
          `integers from 0 to ${C - 1} (classes − 1)`,
          `${y} at example ${i}`,
        );
    }
  }

  /**
   * Loss, correct count and ∂C/∂(every variable) on the examples `indices` of `data` — forward, softmax
   * cross-entropy of the last output, explicit BPTT back to the first step.
   */
  computeGradients(
    data: SequenceDataset,
    indices: ArrayLike<number>,
    options: { training?: { seed: number } | null } = {},
  ): { loss: number; correct: number; grads: Floats[] } {
    const B = indices.length;
    const x = this.batchInput(data, indices);
    const labels = new Int32Array(B);
    for (let b = 0; b < B; b++) labels[b] = data.labels[indices[b]];
    const run = this.encoder.forwardRaw(
      this.p,
      { kind: 'dense', data: x, features: data.features },
      data.steps,
      B,
      { keep: true, training: options.training ?? null },
    );
    const head = this.head.lossAndGradients(this.p, run.last, B, labels);
    const enc = this.encoder.backwardRaw(this.p, run.tape, { dLast: head.dInput });
    return { loss: head.loss, correct: head.correct, grads: [...enc.grads, ...head.grads] };
  }

  /** One optimizer step on the examples `indices`; returns the batch loss and accuracy. */
  trainBatch(
    optimizer: tf.Optimizer,
    data: SequenceDataset,
    indices: ArrayLike<number>,
    clip: ClipOptions = {},
  ): { loss: number; accuracy: number } {
    const { loss, correct, grads } = this.computeGradients(data, indices);
    applyGradients(optimizer, this.variables, grads, clip);
    return { loss, accuracy: correct / indices.length };
  }

  /**
   * Mini-batch training over shuffled epochs (Listing 4-3: batch 128, Adam 1e-3, 2 epochs), with
   * Keras' `validationSplit` (the LAST fraction of the examples, never shuffled into training) or
   * `validationData` (a {@link SequenceDataset}), early stopping, schedules and weight decay.
   */
  async fit(data: SequenceDataset, options: SequenceClassifierFitOptions = {}): Promise<FitResult> {
    this.check(data, 'fit');
    checkOptionNames(options, 'fit');
    const batchSize = assertInteger(options.batchSize ?? 128, 'batchSize', 'fit', 1);
    const { steps, features } = data;
    const { trainCount: count, validation } = holdOut(options, 'fit', {
      count: data.count,
      take: (start, end): SequenceDataset => ({
        inputs: data.inputs.subarray(start * steps * features, end * steps * features),
        labels: Array.prototype.slice.call(data.labels, start, end),
        count: end - start,
        steps,
        features,
      }),
      given: (held) => {
        this.check(held as SequenceDataset, 'fit');
        return held as SequenceDataset;
      },
      size: (held) => held.count,
      unit: 'examples',
    });
    const seed = options.seed ?? 1;
    const batch = epochBatches(count, batchSize, seed);
    return trainLoop(
      'fit',
      options,
      Math.ceil(count / batchSize),
      (epoch, b) => {
        const idx = batch(epoch, b);
        const { loss, correct, grads } = this.computeGradients(data, idx, {
          training: { seed: batchSeed(seed, epoch, b) },
        });
        return { loss, correct, count: idx.length, grads };
      },
      {
        variables: this.variables,
        validate: validation ? () => this.evaluate(validation) : undefined,
      },
    );
  }

  /** Class probabilities are not needed here: predicted classes of every example. */
  predict(data: SequenceDataset, batchSize = 1000): Int32Array {
    return this.run(data, batchSize).predictions;
  }

  /** Mean cross-entropy and accuracy over a dataset (forward only). */
  evaluate(data: SequenceDataset, batchSize = 1000): Evaluation {
    const { loss, correct } = this.run(data, batchSize);
    return { loss: loss / data.count, accuracy: correct / data.count };
  }

  private run(
    data: SequenceDataset,
    batchSize: number,
  ): { loss: number; correct: number; predictions: Int32Array } {
    this.check(data, 'evaluate');
    assertInteger(batchSize, 'batchSize', 'evaluate', 1);
    const C = this.config.classes;
    const predictions = new Int32Array(data.count);
    let loss = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const B = Math.min(batchSize, data.count - start);
      const idx = Int32Array.from({ length: B }, (_, i) => start + i);
      const x = this.batchInput(data, idx);
      const run = this.encoder.forwardRaw(
        this.p,
        { kind: 'dense', data: x, features: data.features },
        data.steps,
        B,
      );
      const logits = this.head.logits(this.p, run.last, B);
      for (let b = 0; b < B; b++) {
        let arg = 0;
        let max = -Infinity;
        for (let j = 0; j < C; j++)
          if (logits[b * C + j] > max) {
            max = logits[b * C + j];
            arg = j;
          }
        let sum = 0;
        for (let j = 0; j < C; j++) sum += Math.exp(logits[b * C + j] - max);
        const y = data.labels[start + b];
        loss -= logits[b * C + y] - max - Math.log(sum);
        predictions[start + b] = arg;
        if (arg === y) correct++;
      }
    }
    return { loss, correct, predictions };
  }

  /** Frees the variables. */
  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
  }
}
