import {
  assertInteger,
  assertNumber,
  assertOneOf,
  availableThreads,
  InvalidArgumentError,
  Random,
} from '@wordloom/core';
import { TrainingDivergedError } from '../../errors/training-diverged-error.js';
import { KeyedVectors } from '../../keyed-vectors.js';
import { KernelThreads, simdSupported } from '../../simd/simd-module.js';
import { assertKnownOptions } from '../../validate-options.js';
import type { CooccurrenceMatrix } from '../cooccurrence/cooccurrence-matrix.js';
import type { EpochReport } from '../word2vec-engine/train-word2vec.js';
import { DistinctValues, rankByFrequency } from './distinct-values.js';
import { type GloveState, gloveEpoch, gloveWeight } from './glove-kernel.js';
import { allocateGlove, type GloveArrays } from './glove-memory.js';

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
  /**
   * Threads sharing the parameters (Hogwild over contiguous shares of the shuffled entries, as glove.c's
   * pthreads): worker threads of @wordloom/core's `KernelPool` over one shared WebAssembly memory (Node,
   * or a cross-origin-isolated page; elsewhere one thread). `threads: 1` is bit-for-bit deterministic;
   * more threads race. The plain JS loop (`simd: false`) runs on one thread.
   * @default availableThreads()
   */
  threads?: number;
  /** Train in the compiled WebAssembly SIMD kernel when available and `dim % 4 === 0`. @default true */
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
  /** Number of non-zero co-occurrences trained on. */
  nonZeros: number;
  seconds: number;
}

/** Resolved options. */
export type ResolvedGloveOptions = Required<Omit<GloveOptions, 'onEpoch' | 'signal'>> &
  Pick<GloveOptions, 'onEpoch' | 'signal'>;

/** The names of {@link GloveOptions}. */
const GLOVE_OPTIONS = [
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
] as const;

/** Validates options (also accepting the names in `more`, the caller's own) and fills defaults. */
export function resolveGloveOptions(
  options: GloveOptions,
  fn: string,
  more: readonly string[] = [],
): ResolvedGloveOptions {
  assertKnownOptions(options, [...GLOVE_OPTIONS, ...more], fn);
  const o = {
    dim: options.dim ?? 100,
    xMax: options.xMax ?? 10,
    alpha: options.alpha ?? 0.75,
    learningRate: options.learningRate ?? 0.05,
    epochs: options.epochs ?? 15,
    output: options.output ?? 'sum',
    seed: options.seed ?? 1,
    threads: options.threads ?? availableThreads(),
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

/**
 * Builds the initial state: the entries of `matrix` (i, j, log X, h(X)) in a random order (Fisher–Yates
 * with the seed, as glove.c's `shuffle`), then uniform (−0.5, 0.5)/dim weights and biases and AdaGrad
 * sums of 1. With `o.simd` (and `dim % 4 === 0`, WebAssembly SIMD here) everything lives in one
 * WebAssembly memory for the compiled kernel, shared between threads when `o.threads > 1`. When the
 * matrix has at most nnz/8 distinct values of X (a corpus repeats them: see {@link DistinctValues}),
 * log X and h(X) are stored once per value, the values numbered by decreasing frequency, and an entry
 * holds its value's index (`valueTable`; false stores them per entry, for the tests that compare both —
 * the results are the same bits).
 */
export function prepareGlove(
  matrix: CooccurrenceMatrix,
  o: ResolvedGloveOptions,
  valueTable = true,
): GloveState {
  const v = matrix.size;
  const nnz = matrix.nonZeros;
  if (nnz === 0)
    throw new InvalidArgumentError('matrix', 'trainGlove', 'a co-occurrence matrix with non-zero entries');
  // The table saves 8 bytes per entry and costs 12 per value (and its hash while filling).
  const table = valueTable ? DistinctValues.of(matrix.values, Math.floor(nnz / 8)) : null;
  const arrays = allocateGloveState(v, nnz, table ? table.count : null, o);
  const { rows, cols, values, logs, weights } = arrays;
  for (let i = 0; i < v; i++)
    for (let p = matrix.rowPtr[i]; p < matrix.rowPtr[i + 1]; p++) {
      rows[p] = i;
      cols[p] = matrix.cols[p];
    }
  if (table && values) {
    for (let p = 0; p < nnz; p++) values[p] = table.indexOf(matrix.values[p]);
    const order = rankByFrequency(values, table.count);
    for (let r = 0; r < table.count; r++) logs[r] = table.values[order[r]];
    logX(logs, weights, table.count, o);
  } else {
    logs.set(matrix.values);
    logX(logs, weights, nnz, o);
  }
  return finishGlove(arrays, o);
}

/** True when `o` trains in the compiled kernel: `o.simd`, `dim % 4 === 0` and WebAssembly SIMD here. */
export function usesCompiledGlove(o: ResolvedGloveOptions): boolean {
  return o.simd && o.dim % 4 === 0 && simdSupported();
}

/**
 * Zero-filled arrays for `v` words and `nnz` entries (log X and h(X) for `distinct` values, or per entry
 * when null): in one WebAssembly memory for the compiled kernel ({@link usesCompiledGlove}; shared
 * between threads when `o.threads > 1`), else one ArrayBuffer.
 */
export function allocateGloveState(
  v: number,
  nnz: number,
  distinct: number | null,
  o: ResolvedGloveOptions,
): GloveArrays {
  const d = o.dim;
  const wasm = usesCompiledGlove(o);
  return (
    (wasm && o.threads > 1
      ? allocateGlove(v, d, nnz, distinct, { wasm, slots: o.threads, shared: true })
      : null) ??
    (wasm ? allocateGlove(v, d, nnz, distinct, { wasm, slots: 1, shared: false }) : null) ??
    (allocateGlove(v, d, nnz, distinct, { wasm: false, slots: 1, shared: false }) as GloveArrays)
  );
}

/** Replaces X by log X in `logs[0 … n)` and puts h(X) in `weights`. */
export function logX(logs: Float64Array, weights: Float32Array, n: number, o: ResolvedGloveOptions): void {
  for (let k = 0; k < n; k++) {
    const x = logs[k];
    logs[k] = Math.log(x);
    weights[k] = gloveWeight(x, o.xMax, o.alpha);
  }
}

/**
 * The state from filled entries (CSR order): shuffles them (Fisher–Yates with the seed, as glove.c's
 * `shuffle`), then draws uniform (−0.5, 0.5)/dim weights and biases and sets the AdaGrad sums to 1.
 */
export function finishGlove(arrays: GloveArrays, o: ResolvedGloveOptions): GloveState {
  const { cols, values, nonZeros: nnz } = arrays;
  const d = o.dim;
  // The shuffle swaps the entries themselves (no index array: 4 bytes per entry less at the peak); the
  // swaps are those of Random.shuffle over 0 … nnz − 1, so the order is the one that shuffle gives.
  const rng = new Random(o.seed);
  // A packed entry is its two halves (values, cols).
  if (arrays.packed && values)
    for (let a = nnz - 1; a > 0; a--) {
      const b = rng.int(a + 1);
      const x = values[a];
      values[a] = values[b];
      values[b] = x;
      const c = cols[a];
      cols[a] = cols[b];
      cols[b] = c;
    }
  else shuffleEntries(arrays, rng);
  for (const a of [arrays.w, arrays.wt, arrays.b, arrays.bt])
    for (let i = 0; i < a.length; i++) a[i] = (rng.next() - 0.5) / d;
  for (const a of [arrays.gw, arrays.gwt, arrays.gb, arrays.gbt]) a.fill(1);
  return { dim: d, xMax: o.xMax, alpha: o.alpha, ...arrays };
}

/** The Fisher–Yates swaps of {@link finishGlove} on unpacked entries. */
function shuffleEntries(arrays: GloveArrays, rng: Random): void {
  const { rows, cols, values, logs, weights, nonZeros: nnz } = arrays;
  for (let a = nnz - 1; a > 0; a--) {
    const b = rng.int(a + 1);
    const r = rows[a];
    rows[a] = rows[b];
    rows[b] = r;
    const c = cols[a];
    cols[a] = cols[b];
    cols[b] = c;
    if (values) {
      const x = values[a];
      values[a] = values[b];
      values[b] = x;
    } else {
      const l = logs[a];
      logs[a] = logs[b];
      logs[b] = l;
      const h = weights[a];
      weights[a] = weights[b];
      weights[b] = h;
    }
  }
}

/**
 * Runs `o.epochs` AdaGrad passes over the state's entries — the compiled kernel on up to `o.threads`
 * threads, each on a contiguous share of the shuffled entries (Hogwild, as glove.c's pthreads), or the
 * plain JS kernel on this thread — checking `signal` before and yielding to the event loop after each
 * pass. Returns the chapter's cost per epoch.
 */
export async function runGloveEpochs(state: GloveState, o: ResolvedGloveOptions): Promise<number[]> {
  const nnz = state.nonZeros;
  const wasm = state.wasm;
  const threads = wasm ? await KernelThreads.start(wasm.memory, Math.min(o.threads, wasm.slots)) : null;
  const costs: number[] = [];
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      o.signal?.throwIfAborted();
      const t0 = performance.now();
      let cost = 0;
      if (wasm && threads) {
        const n = threads.threads;
        threads.run(
          'gloveEpoch',
          Array.from({ length: n }, (_, t) => [
            wasm.config,
            Math.floor((nnz * t) / n),
            Math.floor((nnz * (t + 1)) / n),
            o.learningRate,
            wasm.results + 8 * t,
          ]),
        );
        const results = new Float64Array(wasm.memory.buffer, wasm.results, n);
        for (let t = 0; t < n; t++) cost += results[t];
      } else cost = gloveEpoch(state, 0, nnz, o.learningRate, 0).cost;
      checkGloveDivergence(state, epoch, cost);
      costs.push(cost);
      o.onEpoch?.({
        epoch: epoch + 1,
        epochs: o.epochs,
        loss: cost,
        entryCost: cost / (2 * nnz),
        seconds: (performance.now() - t0) / 1000,
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    threads?.close();
  }
  return costs;
}

/** Packs a trained state into the result (`words` and their `counts`: the matrix's). */
export function gloveResult(
  words: readonly string[],
  counts: Int32Array,
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
    vectors: new KeyedVectors(words, out, o.dim, counts),
    w,
    wt,
    b: Float32Array.from(s.b),
    bt: Float32Array.from(s.bt),
    costPerEpoch,
    entryCostPerEpoch: costPerEpoch.map((c) => c / (2 * s.nonZeros)),
    nonZeros: s.nonZeros,
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
 * h(x) = (x/x_max)^α) on a co-occurrence matrix with AdaGrad: the compiled WebAssembly kernel on
 * `threads` threads (see {@link GloveOptions.threads}). Browser-safe; also exported by
 * `@wordloom/embeddings/node`.
 */
export async function trainGlove(
  matrix: CooccurrenceMatrix,
  options: GloveOptions = {},
): Promise<GloveResult> {
  const o = resolveGloveOptions(options, 'trainGlove');
  o.signal?.throwIfAborted();
  const start = performance.now();
  const state = prepareGlove(matrix, o);
  const costs = await runGloveEpochs(state, o);
  return gloveResult(matrix.words, matrix.counts, state, o, costs, (performance.now() - start) / 1000);
}

/**
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
