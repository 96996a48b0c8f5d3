import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Random } from '@wordloom/core';
import type { Floats, MatmulProvider } from '../bptt/matmul-provider.js';
import { variableFrom } from '../cells/variable-from.js';
import { glorotUniform } from '../init/initializers.js';

/** Loss, accuracy and gradients of a softmax layer on a batch of rows. */
export interface SoftmaxResult {
  /** Mean cross-entropy `−(1/N) Σ log o^(y)` (the chapter's C averaged over rows). */
  loss: number;
  /** Rows whose arg-max is the label. */
  correct: number;
  /** ∂C/∂(inputs of the head), `N × O`. */
  dInput: Floats;
  /** ∂C/∂(each of the head's `variables`): kernel `O × V` and bias `V`, or only the bias when tied. */
  grads: Floats[];
  /** Tied head: ∂C/∂(the tied `V × O` embedding) from the output side, to add to its input-side gradient. */
  dTied: Floats | null;
}

/**
 * The output layer `o_t = SoftMax(W_ho h_t + b_o)` with cross-entropy loss. Its gradient is the
 * chapter's eqs. 4.2.1–4.2.6 in matrix form: `∂C/∂s = o − y`, `∂C/∂W_ho = hᵀ(o − y)` (one matmul
 * over all rows), `∂C/∂h = (o − y) W_hoᵀ`.
 */
export class SoftmaxHead {
  /** W_ho `O × V`; with weight tying, the tied embedding `V × O` (used as its transpose). */
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
  /** Whether `kernel` is a language model's embedding used transposed (Press & Wolf 2017). */
  readonly tied: boolean;

  /**
   * @param seed of the kernel's initializer (Glorot uniform), ignored when tied.
   * @param tiedTo a `classes × inputSize` embedding to use as `W_hoᵀ` instead of a kernel of its own:
   *   `o = softmax(h Eᵀ + b)`, the embedding then trained from both ends.
   */
  constructor(
    readonly inputSize: number,
    readonly classes: number,
    seed = 1,
    tiedTo: tf.Variable | null = null,
  ) {
    this.tied = tiedTo !== null;
    this.kernel =
      tiedTo ??
      variableFrom(tf.tensor2d(glorotUniform(inputSize, classes, new Random(seed)), [inputSize, classes]));
    this.bias = variableFrom(tf.zeros([classes]));
  }

  /** The head's own variables (the bias only when tied: the embedding belongs to the model). */
  get variables(): tf.Variable[] {
    return this.tied ? [this.bias] : [this.kernel, this.bias];
  }

  /** W_ho as a provider matrix `O × V`. */
  private weights(p: MatmulProvider) {
    const w = p.matrix(this.kernel);
    if (!this.tied) return w;
    const t = p.transpose(w);
    p.release(w);
    return t;
  }

  /** Logits `N × V` of `N` input rows. */
  logits(p: MatmulProvider, x: Floats, rows: number): Floats {
    const w = this.weights(p);
    const out = p.mul(x, rows, w);
    p.release(w);
    const b = p.vector(this.bias);
    const V = this.classes;
    for (let r = 0; r < rows; r++) for (let j = 0; j < V; j++) out[r * V + j] += b[j];
    return out;
  }

  /**
   * Forward and backward for `rows` inputs with integer labels; rows with label < 0 are ignored.
   * The loss is averaged over counted rows.
   */
  lossAndGradients(p: MatmulProvider, x: Floats, rows: number, labels: ArrayLike<number>): SoftmaxResult {
    const V = this.classes;
    const probs = this.logits(p, x, rows);
    let counted = 0;
    for (let r = 0; r < rows; r++) {
      const y = labels[r];
      if (!Number.isInteger(y) || y >= V)
        throw new InvalidArgumentError(
          'labels',
          'lossAndGradients',
          `integers below ${V} (the number of classes; < 0 = ignored)`,
          `${y} at row ${r}`,
        );
      if (y >= 0) counted++;
    }
    const scale = counted > 0 ? 1 / counted : 0;
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      const off = r * V;
      const y = labels[r];
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < V; j++)
        if (probs[off + j] > max) {
          max = probs[off + j];
          arg = j;
        }
      const logitY = y >= 0 ? probs[off + y] : 0;
      let sum = 0;
      for (let j = 0; j < V; j++) {
        const e = Math.exp(probs[off + j] - max);
        probs[off + j] = e;
        sum += e;
      }
      if (y < 0) {
        probs.fill(0, off, off + V);
        continue;
      }
      if (arg === y) correct++;
      // log o_y = (s_y − max) − log Σ exp(s_j − max): finite at any logit gap, where
      // log(exp(s_y − max) / Σ) underflows to log 0 = −∞ once s_y − max < −104 in float32.
      loss -= logitY - max - Math.log(sum);
      // ∂C/∂s_j = (o_j − y_j) / N, written over the probabilities.
      for (let j = 0; j < V; j++) probs[off + j] = (probs[off + j] / sum) * scale;
      probs[off + y] -= scale;
    }
    const dBias = p.alloc(V);
    for (let r = 0; r < rows; r++) for (let j = 0; j < V; j++) dBias[j] += probs[r * V + j];
    if (this.tied) {
      // ∂C/∂E = (∂C/∂W_ho)ᵀ = (o − y)ᵀ h, and ∂C/∂h = (o − y) E.
      const e = p.matrix(this.kernel);
      const dInput = p.mul(probs, rows, e);
      p.release(e);
      const dTied = p.mulTransposeA(probs, V, x, this.inputSize, rows);
      return { loss: loss * scale, correct, dInput, grads: [dBias], dTied };
    }
    const dKernel = p.mulTransposeA(x, this.inputSize, probs, V, rows);
    const w = p.matrix(this.kernel);
    const wT = p.transpose(w);
    const dInput = p.mul(probs, rows, wT);
    p.release(wT);
    p.release(w);
    return { loss: loss * scale, correct, dInput, grads: [dKernel, dBias], dTied: null };
  }

  dispose(): void {
    if (!this.tied) this.kernel.dispose();
    this.bias.dispose();
  }
}

/** Softmax of one row of logits at a temperature, in place into a new Float64Array. */
export function softmaxRow(
  logits: ArrayLike<number>,
  offset: number,
  size: number,
  temperature = 1,
): Float64Array {
  const out = new Float64Array(size);
  let max = -Infinity;
  for (let j = 0; j < size; j++) max = Math.max(max, logits[offset + j]);
  let sum = 0;
  for (let j = 0; j < size; j++) {
    out[j] = Math.exp((logits[offset + j] - max) / temperature);
    sum += out[j];
  }
  for (let j = 0; j < size; j++) out[j] /= sum;
  return out;
}
