import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, assertNumber, assertOneOf, Random, UnavailableError } from '@wordloom/core';
import { TrainingDivergedError } from '../../errors/training-diverged-error.js';
import { KeyedVectors } from '../../keyed-vectors.js';
import { type BookTrainingDataOptions, createTrainingData } from './create-training-data.js';

/** Options of {@link trainBookCbow} and {@link trainBookSkipGram} (the listings' values as defaults). */
export interface BookTrainerOptions extends BookTrainingDataOptions {
  /** Embedding size (`emb_dims`). @default 128 */
  dim?: number;
  /** Adam learning rate. @default 0.001 */
  learningRate?: number;
  /** @default 100 */
  epochs?: number;
  /** @default 10 */
  batchSize?: number;
  /**
   * Reproduce the listings' training loop exactly: `batch_index` is never advanced, so every step
   * trains on the first `batchSize` records (that is why Listing 4-1a prints a loss of 1.09e-5 and
   * Listing 4-1b 1.0227 — the entropy floor of that one batch). When false, the epoch walks through all
   * `len(x_train)//batch_size` batches in order.
   * @default false
   */
  repeatFirstBatch?: boolean;
  /**
   * `'autodiff'`: tfjs computes the gradients of the listing's graph (needs tfjs' gradients registered,
   * see {@link trainBookCbow}); `'analytic'`: one `tf.customGrad` op with the hand-derived gradients
   * ∂L/∂logits = (softmax − y)/B, ∂W_outer = hᵀ∂logits, ∂W = xᵀ(∂logits·W_outerᵀ), biases = column sums —
   * works without any registered gradient (the CLI uses it). Both give the same updates.
   * @default 'autodiff'
   */
  gradients?: 'autodiff' | 'analytic';
  /** Seed of the N(0, 0.02) initialisation. @default 1 */
  seed?: number;
  /** Called after every epoch with the mean loss of its steps. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Checked between epochs; when aborted, training stops with the signal's reason (weights freed). */
  signal?: AbortSignal;
}

/** What the book-faithful trainers return. */
export interface BookTrainerResult {
  /** Rows of the input embedding matrix W (the listings' `W_embed_trained`). */
  vectors: KeyedVectors;
  /** Mean softmax cross-entropy of each epoch's steps (before each update). */
  lossPerEpoch: number[];
  /** Loss on the epoch's last batch after its update — the number the listings print. */
  printedLossPerEpoch: number[];
}

/** `optimizer.minimize`, turning tfjs' missing-gradient error into an actionable one. */
function minimize(optimizer: tf.Optimizer, f: () => tf.Scalar): tf.Scalar {
  try {
    return optimizer.minimize(f, true)!;
  } catch (error) {
    if (error instanceof Error && /gradient function not found/.test(error.message))
      throw new UnavailableError(
        'tfjs gradients',
        "The book-faithful trainers use tfjs autodiff, whose gradients tfjs-core does not register by itself: import '@tensorflow/tfjs-core/dist/register_all_gradients' (or use @tensorflow/tfjs) first",
        { cause: error },
      );
    throw error;
  }
}

function train(
  mode: 'cbow' | 'skipgram',
  corpus: string,
  options: BookTrainerOptions,
  fn: string,
): BookTrainerResult {
  const dim = options.dim ?? 128;
  const learningRate = options.learningRate ?? 0.001;
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 10;
  const gradients = options.gradients ?? 'autodiff';
  assertOneOf(gradients, ['autodiff', 'analytic'], 'gradients', fn);
  assertInteger(dim, 'dim', fn, 1);
  assertNumber(learningRate, 'learningRate', fn, { min: 0, exclusiveMin: true });
  assertInteger(epochs, 'epochs', fn, 1);
  assertInteger(batchSize, 'batchSize', fn, 1);
  const data = createTrainingData(corpus, mode, options);
  const v = data.words.length;
  const batches = Math.floor(data.records / batchSize);
  assertInteger(batches, 'corpus', fn, 1);
  const rng = new Random(options.seed ?? 1);
  const normal = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.02);
  // hidden = xW + b; logits = hidden·W_outer + b_outer (the listings' graph, biases included).
  // tidy disposes the initial values; the variables (which keep their own reference) survive it.
  const w = tf.tidy(() => tf.variable(tf.tensor2d(normal(v * dim), [v, dim])));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(normal(dim))));
  const wOuter = tf.tidy(() => tf.variable(tf.tensor2d(normal(dim * v), [dim, v])));
  const bOuter = tf.tidy(() => tf.variable(tf.tensor1d(normal(v))));
  const xs = tf.tensor2d(data.inputs, [data.records, v]);
  const ys = tf.tidy(
    () => tf.cast(tf.oneHot(tf.tensor1d(data.targets, 'int32'), v), 'float32') as tf.Tensor2D,
  );
  const optimizer = tf.train.adam(learningRate);
  const autodiffCost = (x: tf.Tensor2D, y: tf.Tensor2D) =>
    tf.losses.softmaxCrossEntropy(
      y,
      tf.add(tf.matMul(tf.add(tf.matMul(x, w), b), wOuter), bOuter),
    ) as tf.Scalar;
  const analytic = tf.customGrad((...args: unknown[]) => {
    const [x, y, w1, b1, w2, b2, save] = args as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const hidden = tf.add(tf.matMul(x, w1), b1) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(hidden, w2), b2) as tf.Tensor2D;
    const value = tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1))) as tf.Scalar;
    save([x, y, w2, hidden, logits]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, sw2, sh, sl] = saved as [
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
          tf.Tensor2D,
        ];
        const dLogits = tf.mul(tf.sub(tf.softmax(sl), sy), tf.div(dy, sx.shape[0])) as tf.Tensor2D;
        const dHidden = tf.matMul(dLogits, sw2, false, true);
        return [
          tf.zerosLike(sx),
          tf.zerosLike(sy),
          tf.matMul(sx, dHidden, true, false),
          tf.sum(dHidden, 0),
          tf.matMul(sh, dLogits, true, false),
          tf.sum(dLogits, 0),
        ];
      },
    };
  });
  const cost = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar =>
    gradients === 'analytic' ? (analytic(x, y, w, b, wOuter, bOuter) as tf.Scalar) : autodiffCost(x, y);
  const lossPerEpoch: number[] = [];
  const printedLossPerEpoch: number[] = [];
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      options.signal?.throwIfAborted();
      const losses: tf.Scalar[] = [];
      let last = 0;
      for (let k = 0; k < batches; k++) {
        last = options.repeatFirstBatch ? 0 : k * batchSize;
        const start = last;
        const l = tf.tidy(() => {
          const x = tf.slice(xs, [start, 0], [batchSize, v]) as tf.Tensor2D;
          const y = tf.slice(ys, [start, 0], [batchSize, v]) as tf.Tensor2D;
          return minimize(optimizer, () => cost(x, y));
        });
        losses.push(l);
      }
      const stacked = tf.stack(losses);
      const stepLosses = Array.from(stacked.dataSync());
      tf.dispose([stacked, ...losses]);
      // One read per epoch (not per step, which would stall the backend); the first bad step is named.
      const bad = stepLosses.findIndex((l) => !Number.isFinite(l));
      if (bad >= 0)
        throw new TrainingDivergedError(
          fn,
          epoch + 1,
          `the loss of step ${bad + 1} is ${stepLosses[bad]}`,
          'lower learningRate',
        );
      lossPerEpoch.push(stepLosses.reduce((a, b) => a + b, 0) / stepLosses.length);
      const printed = tf.tidy(() =>
        cost(
          tf.slice(xs, [last, 0], [batchSize, v]) as tf.Tensor2D,
          tf.slice(ys, [last, 0], [batchSize, v]) as tf.Tensor2D,
        ),
      );
      printedLossPerEpoch.push(printed.dataSync()[0]);
      printed.dispose();
      options.onEpoch?.(epoch + 1, lossPerEpoch[epoch]);
    }
    const embedding = w.dataSync() as Float32Array;
    return {
      vectors: new KeyedVectors(data.words, Float32Array.from(embedding), dim),
      lossPerEpoch,
      printedLossPerEpoch,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([w, b, wOuter, bOuter, xs, ys]);
  }
}

/**
 * Listing 4-1a, CBOW with a full softmax over the vocabulary, trained by tfjs autodiff and Adam
 * (128 dims, window 2, batch 10, lr 0.001, 100 epochs). For small vocabularies only: the softmax is
 * dense (use `trainWord2Vec` for real corpora). Needs tfjs' gradients registered
 * (`import '@tensorflow/tfjs-core/dist/register_all_gradients'`, or `@tensorflow/tfjs`); otherwise it
 * throws an `UnavailableError` saying so.
 */
export function trainBookCbow(corpus: string, options: BookTrainerOptions = {}): BookTrainerResult {
  return train('cbow', corpus, options, 'trainBookCbow');
}

/** Listing 4-1b, skip-gram with a full softmax (same model and defaults as {@link trainBookCbow}). */
export function trainBookSkipGram(corpus: string, options: BookTrainerOptions = {}): BookTrainerResult {
  return train('skipgram', corpus, options, 'trainBookSkipGram');
}
