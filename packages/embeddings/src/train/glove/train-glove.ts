import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import { TrainingDivergedError } from '../../errors/training-diverged-error.js';
import { KeyedVectors } from '../../keyed-vectors.js';
import { simdSupported } from '../../simd/simd-module.js';
import { assertKnownOptions } from '../../validate-options.js';
import type { CooccurrenceMatrix } from '../cooccurrence/cooccurrence-matrix.js';
import type { Allocate, EpochReport } from '../word2vec-engine/train-word2vec.js';
import { type GloveState, gloveWeight } from './glove-kernel.js';
import { gloveRunner } from './glove-runner.js';

/** Options of {@link trainGlove} (Stanford GloVe's names; the defaults of its `demo.sh`). */
export interface GloveOptions {
  /** Vector size. @default 100 */
  dim?: number;
  /** Cut-off of the weighting h(x) = (x/x_max)^α (Stanford's demo.sh; glove.c alone uses 100). @default 10 */
  xMax?: number;
  /** Exponent α of the weighting. @default 0.75 */
  alpha?: number;
  /** AdaGrad initial learning rate η. @default 0.05 */
  learningRate?: number;
  /** Passes over the co-occurrences (demo.sh's `MAX_ITER`). @default 15 */
  epochs?: number;
  /** Which vectors to return: W, W̃, or W + W̃ (Stanford's default `model 2`). @default 'sum' */
  output?: 'W' | 'Wt' | 'sum';
  /** Seed of the initialisation and the shuffle. @default 1 */
  seed?: number;
  /** Worker threads (only in `@wordloom/embeddings/node`). @default 1 */
  threads?: number;
  /** Run the vector arithmetic in WebAssembly SIMD when available and `dim % 4 === 0`. @default true */
  simd?: boolean;
  /** Called after every epoch with its cost. */
  onEpoch?: (report: EpochReport) => void;
  /** Checked between epochs. */
  signal?: AbortSignal;
}

/** What {@link trainGlove} returns. */
export interface GloveResult {
  /** The vectors selected by `output`. */
  vectors: KeyedVectors;
  /** W, W̃ (V × dim) and the biases b, b̃. */
  w: Float32Array;
  wt: Float32Array;
  b: Float32Array;
  bt: Float32Array;
  /** Chapter cost Σ h(X)(wᵢ·w̃ⱼ + bᵢ + b̃ⱼ − log X)² accumulated during each epoch. */
  costPerEpoch: number[];
  /**
   * The cost Stanford glove.c prints per iteration: ½ Σ h(X)·diff² / (number of non-zero entries),
   * i.e. `costPerEpoch / (2 · nonZeros)`.
   */
  entryCostPerEpoch: number[];
  seconds: number;
}

/** Resolved options. */
export type ResolvedGloveOptions = Required<Omit<GloveOptions, 'onEpoch' | 'signal'>> &
  Pick<GloveOptions, 'onEpoch' | 'signal'>;

/** Validates options and fills defaults. */
export function resolveGloveOptions(options: GloveOptions, fn: string): ResolvedGloveOptions {
  assertKnownOptions(
    options,
    [
      'dim',
      'xMax',
      'alpha',
      'learningRate',
      'epochs',
      'output',
      'seed',
      'threads',
      'simd',
      'onEpoch',
      'signal',
    ],
    fn,
  );
  const o = {
    dim: options.dim ?? 100,
    xMax: options.xMax ?? 10,
    alpha: options.alpha ?? 0.75,
    learningRate: options.learningRate ?? 0.05,
    epochs: options.epochs ?? 15,
    output: options.output ?? 'sum',
    seed: options.seed ?? 1,
    threads: options.threads ?? 1,
    simd: options.simd ?? true,
    onEpoch: options.onEpoch,
    signal: options.signal,
  };
  assertInteger(o.dim, 'dim', fn, 1);
  assertNumber(o.xMax, 'xMax', fn, { min: 0, exclusiveMin: true });
  assertNumber(o.alpha, 'alpha', fn, { min: 0 });
  assertNumber(o.learningRate, 'learningRate', fn, { min: 0 });
  assertInteger(o.epochs, 'epochs', fn, 1);
  assertOneOf(o.output, ['W', 'Wt', 'sum'], 'output', fn);
  assertInteger(o.seed, 'seed', fn, 0, 2 ** 32 - 1);
  assertInteger(o.threads, 'threads', fn, 1, 256);
  return o;
}

/** Builds the initial state: uniform (−0.5, 0.5)/dim weights and biases, AdaGrad sums 1, shuffled entries. */
export function prepareGlove(
  matrix: CooccurrenceMatrix,
  o: ResolvedGloveOptions,
  allocate: Allocate = (n) => new ArrayBuffer(n),
  shared = false,
): GloveState {
  const v = matrix.size;
  const d = o.dim;
  // SIMD: w, wt, gw, gwt live in one WebAssembly memory (shared with workers when `shared`).
  const block = v * d * 4;
  let memory: WebAssembly.Memory | undefined;
  if (o.simd && d % 4 === 0 && 4 * block < 2 ** 31 && simdSupported()) {
    const pages = Math.ceil((4 * block) / 65536) || 1;
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  }
  const weights = (index: number, fill?: number) => {
    if (!memory) return f32(v * d, fill);
    const a = new Float32Array(memory.buffer, index * block, v * d);
    if (fill !== undefined) a.fill(fill);
    return a;
  };
  if (matrix.nonZeros === 0)
    throw new InvalidArgumentError('matrix', 'trainGlove', 'a co-occurrence matrix with non-zero entries');
  const f32 = (n: number, fill?: number) => {
    const a = new Float32Array(allocate(n * 4));
    if (fill !== undefined) a.fill(fill);
    return a;
  };
  const rng = new Random(o.seed);
  const init = (a: Float32Array) => {
    for (let i = 0; i < a.length; i++) a[i] = (rng.next() - 0.5) / d;
    return a;
  };
  const nnz = matrix.nonZeros;
  const order = new Int32Array(nnz);
  for (let e = 0; e < nnz; e++) order[e] = e;
  rng.shuffle(order);
  const rowOf = new Int32Array(nnz);
  for (let i = 0; i < v; i++) for (let p = matrix.rowPtr[i]; p < matrix.rowPtr[i + 1]; p++) rowOf[p] = i;
  const rows = new Int32Array(allocate(nnz * 4));
  const cols = new Int32Array(allocate(nnz * 4));
  const values = f32(nnz);
  const logs = new Float64Array(allocate(nnz * 8));
  const hs = f32(nnz);
  for (let e = 0; e < nnz; e++) {
    rows[e] = rowOf[order[e]];
    cols[e] = matrix.cols[order[e]];
    values[e] = matrix.values[order[e]];
    logs[e] = Math.log(matrix.values[order[e]]);
    hs[e] = gloveWeight(matrix.values[order[e]], o.xMax, o.alpha);
  }
  return {
    dim: d,
    w: init(weights(0)),
    wt: init(weights(1)),
    b: init(f32(v)),
    bt: init(f32(v)),
    gw: weights(2, 1),
    gwt: weights(3, 1),
    gb: f32(v, 1),
    gbt: f32(v, 1),
    rows,
    cols,
    values,
    logs,
    weights: hs,
    xMax: o.xMax,
    alpha: o.alpha,
    memory,
  };
}

/** Packs a trained state into the result. */
export function gloveResult(
  matrix: CooccurrenceMatrix,
  s: GloveState,
  o: ResolvedGloveOptions,
  costPerEpoch: number[],
  seconds: number,
): GloveResult {
  const w = Float32Array.from(s.w);
  const wt = Float32Array.from(s.wt);
  let out: Float32Array;
  if (o.output === 'W') out = w.slice();
  else if (o.output === 'Wt') out = wt.slice();
  else {
    out = new Float32Array(w.length);
    for (let i = 0; i < w.length; i++) out[i] = w[i] + wt[i];
  }
  return {
    vectors: new KeyedVectors(matrix.words, out, o.dim, matrix.counts),
    w,
    wt,
    b: Float32Array.from(s.b),
    bt: Float32Array.from(s.bt),
    costPerEpoch,
    entryCostPerEpoch: costPerEpoch.map((c) => c / (2 * s.values.length)),
    seconds,
  };
}

/**
 * Throws {@link TrainingDivergedError} after an epoch whose cost or any parameter is not finite. The
 * kernel skips an entry whose weighted difference overflows (as glove.c does, printing "Caught NaN"),
 * so a diverging run keeps a finite cost: the parameters are checked too.
 */
export function checkGloveDivergence(s: GloveState, epoch: number, cost: number): void {
  const advice = 'lower learningRate (eta)';
  if (!Number.isFinite(cost))
    throw new TrainingDivergedError('trainGlove', epoch + 1, `the cost is ${cost}`, advice);
  for (const a of [s.w, s.wt, s.b, s.bt])
    for (let i = 0; i < a.length; i++)
      if (!Number.isFinite(a[i]))
        throw new TrainingDivergedError('trainGlove', epoch + 1, `a parameter is ${a[i]}`, advice);
}

/**
 * Trains GloVe (Pennington, Socher & Manning 2014; the chapter's weighted least-squares cost with
 * h(x) = (x/x_max)^α) on a co-occurrence matrix with AdaGrad, one thread. Browser-safe; worker threads
 * via `trainGlove` from `@wordloom/embeddings/node`.
 */
export async function trainGlove(
  matrix: CooccurrenceMatrix,
  options: GloveOptions = {},
): Promise<GloveResult> {
  const o = resolveGloveOptions(options, 'trainGlove');
  if (o.threads !== 1)
    throw new InvalidArgumentError(
      'threads',
      'trainGlove',
      "1 in the browser-safe entry (use '@wordloom/embeddings/node')",
      o.threads,
    );
  const start = performance.now();
  const state = prepareGlove(matrix, o);
  const run = gloveRunner(state, false);
  const costs: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    o.signal?.throwIfAborted();
    const t0 = performance.now();
    const cost = run(0, state.values.length, o.learningRate);
    checkGloveDivergence(state, epoch, cost);
    costs.push(cost);
    o.onEpoch?.({
      epoch: epoch + 1,
      epochs: o.epochs,
      loss: cost,
      entryCost: cost / (2 * state.values.length),
      seconds: (performance.now() - t0) / 1000,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return gloveResult(matrix, state, o, costs, (performance.now() - start) / 1000);
}

/**
 * The chapter's GloVe cost evaluated directly: Σ over non-zero Xᵢⱼ of h(Xᵢⱼ)(wᵢᵀw̃ⱼ + bᵢ + b̃ⱼ − log Xᵢⱼ)².
 */
export function gloveCost(
  matrix: CooccurrenceMatrix,
  params: { w: Float32Array; wt: Float32Array; b: Float32Array; bt: Float32Array },
  /** Weighting of the cost. @default { xMax: 10, alpha: 0.75 } */
  options: { xMax?: number; alpha?: number } = {},
): number {
  const xMax = options.xMax ?? 10;
  const alpha = options.alpha ?? 0.75;
  const d = params.w.length / matrix.size;
  let cost = 0;
  for (let i = 0; i < matrix.size; i++)
    for (let p = matrix.rowPtr[i]; p < matrix.rowPtr[i + 1]; p++) {
      const j = matrix.cols[p];
      const x = matrix.values[p];
      let dot = params.b[i] + params.bt[j] - Math.log(x);
      for (let k = 0; k < d; k++) dot += params.w[i * d + k] * params.wt[j * d + k];
      cost += gloveWeight(x, xMax, alpha) * dot * dot;
    }
  return cost;
}
