import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@wordloom/core';
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
  /** ∂C/∂kernel `O × V`, ∂C/∂bias `V`. */
  grads: [Floats, Floats];
}

/**
 * The output layer `o_t = SoftMax(W_ho h_t + b_o)` with cross-entropy loss. Its gradient is the
 * chapter's eqs. 4.2.1–4.2.6 in matrix form: `∂C/∂s = o − y`, `∂C/∂W_ho = hᵀ(o − y)` (one matmul
 * over all rows), `∂C/∂h = (o − y) W_hoᵀ`.
 */
export class SoftmaxHead {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly inputSize: number,
    readonly classes: number,
    seed = 1,
  ) {
    this.kernel = variableFrom(
      tf.tensor2d(glorotUniform(inputSize, classes, new Random(seed)), [inputSize, classes]),
    );
    this.bias = variableFrom(tf.zeros([classes]));
  }

  get variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }

  /** Logits `N × V` of `N` input rows. */
  logits(p: MatmulProvider, x: Floats, rows: number): Floats {
    const w = p.matrix(this.kernel);
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
    for (let r = 0; r < rows; r++) if (labels[r] >= 0) counted++;
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
      loss -= Math.log(probs[off + y] / sum);
      // ∂C/∂s_j = (o_j − y_j) / N, written over the probabilities.
      for (let j = 0; j < V; j++) probs[off + j] = (probs[off + j] / sum) * scale;
      probs[off + y] -= scale;
    }
    const dKernel = p.mulTransposeA(x, this.inputSize, probs, V, rows);
    const dBias = p.alloc(V);
    for (let r = 0; r < rows; r++) for (let j = 0; j < V; j++) dBias[j] += probs[r * V + j];
    const w = p.matrix(this.kernel);
    const wT = p.transpose(w);
    const dInput = p.mul(probs, rows, wT);
    p.release(wT);
    p.release(w);
    return { loss: loss * scale, correct, dInput, grads: [dKernel, dBias] };
  }

  dispose(): void {
    this.kernel.dispose();
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
