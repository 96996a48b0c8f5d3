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

  /** Frees the head's variables. */
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

/**
 * Candidates of a sampled softmax: `K` distinct word ids drawn from the log-uniform (Zipfian)
 * distribution `P(k) = log((k + 2)/(k + 1)) / log(V + 1)` — right for ids in descending frequency, as
 * {@link buildVocabulary} orders them — with `logExpected[j]` = log of the expected count of id `ids[j]`
 * in the draws, `log(1 − (1 − P)^tries)` (TensorFlow's `log_uniform_candidate_sampler`, unique).
 */
export function sampleCandidates(vocab: number, k: number, random: Random): SampledCandidates {
  const K = Math.min(k, vocab);
  const logRange = Math.log(vocab + 1);
  const seen = new Set<number>();
  const ids = new Int32Array(K);
  let tries = 0;
  while (seen.size < K) {
    tries++;
    const id = Math.min(vocab - 1, Math.floor(Math.exp(random.next() * logRange)) - 1);
    if (!seen.has(id)) {
      ids[seen.size] = id;
      seen.add(id);
    }
  }
  const logExpected = Float64Array.from(ids, (id) => logExpectedCount(id, vocab, tries));
  return { ids, logExpected, tries };
}

/** Sampled candidates and their log expected counts (see {@link sampleCandidates}). */
export interface SampledCandidates {
  ids: Int32Array;
  logExpected: Float64Array;
  /** Draws it took to find the distinct ids. */
  tries: number;
}

/** `log(1 − (1 − P(id))^tries)`: the log expected count of `id` in a unique log-uniform sample. */
function logExpectedCount(id: number, vocab: number, tries: number): number {
  const p = Math.log((id + 2) / (id + 1)) / Math.log(vocab + 1);
  return Math.log(-Math.expm1(tries * Math.log1p(-p)));
}

/** Row-major transpose of a `rows × cols` buffer. */
function transposed(p: MatmulProvider, a: Floats, rows: number, cols: number): Floats {
  const out = p.alloc(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

/**
 * Sampled softmax loss (Jean et al. 2015, TensorFlow's `sampled_softmax_loss`): each row's softmax runs
 * over its label and the shared sampled candidates only, every logit corrected by `− log E(word)` (its
 * expected count in the sample) so the loss estimates the full softmax's gradient; a candidate equal to
 * the row's label is removed (an accidental hit). Costs `N·K·O` instead of `N·V·O`: for training large
 * vocabularies; evaluate with the full softmax. Gradients are exact for the sampled loss; `correct`
 * counts rows whose label beats every sampled candidate.
 */
export function sampledSoftmaxLoss(
  p: MatmulProvider,
  head: SoftmaxHead,
  x: Floats,
  rows: number,
  labels: ArrayLike<number>,
  candidates: SampledCandidates,
): SoftmaxResult {
  const O = head.inputSize;
  const V = head.classes;
  const { ids, logExpected } = candidates;
  const K = ids.length;
  let counted = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r];
    if (!Number.isInteger(y) || y >= V)
      throw new InvalidArgumentError(
        'labels',
        'sampledSoftmaxLoss',
        `integers below ${V}`,
        `${y} at row ${r}`,
      );
    if (y >= 0) counted++;
  }
  const scale = counted > 0 ? 1 / counted : 0;
  // Rows of W_hoᵀ (V × O): the candidates' and the labels' output vectors.
  const k = head.kernel;
  const m = p.matrix(k);
  const wT = head.tied ? m : p.transpose(m);
  const target = Int32Array.from({ length: rows }, (_, r) => Math.max(0, labels[r]));
  const wc = p.gatherRows(wT, ids); // K × O
  const wy = p.gatherRows(wT, target); // rows × O
  if (!head.tied) p.release(wT);
  p.release(m);
  const b = p.vector(head.bias);
  // Candidate logits x · W_cᵀ (rows × K) as (xᵀ)ᵀ · W_cᵀ.
  const xT = transposed(p, x, rows, O);
  const wcT = transposed(p, wc, K, O);
  const z = p.mulTransposeA(xT, rows, wcT, K, O);
  const expected = Float64Array.from(labels, (y) => (y < 0 ? 0 : logExpectedCount(y, V, candidates.tries)));
  const dz = p.alloc(rows * K);
  const dTrue = new Float64Array(rows);
  const exps = new Float64Array(K);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r];
    if (y < 0) continue;
    let sy = b[y] - expected[r];
    for (let o = 0; o < O; o++) sy += x[r * O + o] * wy[r * O + o];
    let max = sy;
    for (let j = 0; j < K; j++) {
      if (ids[j] === y) continue;
      const v = z[r * K + j] + b[ids[j]] - logExpected[j];
      z[r * K + j] = v;
      if (v > max) max = v;
    }
    let sum = Math.exp(sy - max);
    // Each exp once (kept for the probabilities below): the row's exps are most of this loop's time.
    for (let j = 0; j < K; j++)
      if (ids[j] !== y) {
        const e = Math.exp(z[r * K + j] - max);
        exps[j] = e;
        sum += e;
      }
    loss -= sy - max - Math.log(sum);
    let best = true;
    for (let j = 0; j < K; j++) {
      if (ids[j] === y) continue;
      const pj = exps[j] / sum;
      dz[r * K + j] = pj * scale;
      if (z[r * K + j] > sy) best = false;
    }
    if (best) correct++;
    dTrue[r] = (Math.exp(sy - max) / sum - 1) * scale;
  }
  // ∂C/∂W_c = dzᵀ x (K × O), ∂C/∂x = dz W_c + dTrue ⊙ w_y, ∂C/∂b at the candidates and labels.
  const dWc = p.mulTransposeA(dz, K, x, O, rows);
  const dx = p.mulTransposeA(transposed(p, dz, rows, K), rows, wc, O, K);
  const dBias = p.alloc(V);
  const dW = p.alloc(V * O); // as V × O rows; transposed below for an untied kernel
  // Column sums of dz read row by row (a column walk strides K floats per read), each column still
  // summed in row order in float64.
  const columns = new Float64Array(K);
  for (let r = 0; r < rows; r++) for (let j = 0; j < K; j++) columns[j] += dz[r * K + j];
  for (let j = 0; j < K; j++) {
    const id = ids[j];
    dBias[id] += columns[j];
    for (let o = 0; o < O; o++) dW[id * O + o] += dWc[j * O + o];
  }
  for (let r = 0; r < rows; r++) {
    const y = labels[r];
    if (y < 0) continue;
    const d = dTrue[r];
    dBias[y] += d;
    for (let o = 0; o < O; o++) {
      dW[y * O + o] += d * x[r * O + o];
      dx[r * O + o] += d * wy[r * O + o];
    }
  }
  if (head.tied) return { loss: loss * scale, correct, dInput: dx, grads: [dBias], dTied: dW };
  return { loss: loss * scale, correct, dInput: dx, grads: [transposed(p, dW, V, O), dBias], dTied: null };
}
