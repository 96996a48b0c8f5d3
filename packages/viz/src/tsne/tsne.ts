import * as tf from '@tensorflow/tfjs-core';
import {
  assertInteger,
  assertNumber,
  assertOneOf,
  availableThreads,
  InvalidArgumentError,
  Random,
} from '@wordloom/core';
import { VizKernels, vizSimdSupported } from '../kernels/viz-kernels.js';
import { type DenseMatrix, type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { fitPca, projectPca } from '../pca.js';
import { approximateNeighbours } from './approximate-knn.js';
import { BarnesHutKernels, barnesHutGradient } from './barnes-hut.js';
import { ExactGradient } from './exact.js';
import { FftRepulsion, fftGradient } from './fft-gradient.js';
import { denseJointProbabilities, sparseJointProbabilities } from './joint-probabilities.js';
import { kernelNeighbours, type Neighbours, nearestNeighbours, squaredDistanceMatrix } from './knn.js';
import { SpaceTree } from './space-tree.js';

/** What {@link TsneOptions.onIteration} receives after every gradient step. */
export interface TsneProgress {
  /** 1-based iteration just completed. */
  iteration: number;
  /** Total iterations planned. */
  iterations: number;
  /**
   * KL divergence as scikit-learn reports it (with the exaggerated P during early exaggeration), evaluated at
   * step `klIteration` — every {@link TsneOptions.klEvery} steps.
   */
  kl: number;
  /** The step at which `kl` was evaluated. */
  klIteration: number;
  /** Whether early exaggeration was on for this step. */
  exaggerated: boolean;
  /** Euclidean norm of the gain-scaled gradient. */
  gradientNorm: number;
  /** The current embedding (`n × dimensions`, row-major); a live view — copy it to keep it. */
  embedding: Float64Array;
}

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** Output dimensions. @default 2 */
  dimensions?: 2 | 3;
  /** Effective number of neighbours (van der Maaten & Hinton 2008, §2); must be below the number of points. @default 30 */
  perplexity?: number;
  /** Number of gradient steps in total, including early exaggeration. @default 1000 */
  iterations?: number;
  /** Learning rate; `'auto'` is `max(n / earlyExaggeration / 4, 50)` (Belkina et al. 2019, as scikit-learn). @default 'auto' */
  learningRate?: number | 'auto';
  /** Factor on P during the first `exaggerationIterations` steps. @default 12 */
  earlyExaggeration?: number;
  /** Steps of early exaggeration (with momentum `initialMomentum`). @default 250 */
  exaggerationIterations?: number;
  /** Momentum during early exaggeration. @default 0.5 */
  initialMomentum?: number;
  /** Momentum afterwards. @default 0.8 */
  finalMomentum?: number;
  /** Lower bound of the per-coordinate adaptive gains (Jacobs 1988). @default 0.01 */
  minGain?: number;
  /**
   * Initial layout: PCA of the input rows scaled to standard deviation 1e-4 on the first axis, or
   * N(0, 1e-4²). With `metric: 'precomputed'` there are no rows to project, so only `'random'` is accepted
   * (as scikit-learn). @default 'pca' ('random' with metric 'precomputed')
   */
  init?: 'pca' | 'random';
  /**
   * Input distances P is calibrated on (scikit-learn's `metric`): `'euclidean'` uses squared Euclidean
   * distances `|x_i − x_j|²`; `'cosine'` the cosine distance `1 − x_i·x_j / (|x_i| |x_j|)` (for word
   * vectors, whose neighbours are by cosine; rows must be non-zero); `'precomputed'`: the input is the
   * `n × n` matrix of distances itself (non-negative, finite; the diagonal is ignored), used as given.
   * @default 'euclidean'
   */
  metric?: TsneMetric;
  /**
   * Gradient method: `'exact'` (dense tfjs ops, O(n²) memory — for up to about 2,000 points), `'barnes-hut'`
   * (sparse P on 3·perplexity neighbours, space-partitioning tree), `'fft'` (the same sparse P; repulsion by
   * FFT-accelerated interpolation, FIt-SNE — linear in n, 2-D only), or `'auto'`, which picks exact for at
   * most {@link EXACT_AUTO_LIMIT} points, Barnes-Hut below {@link FFT_AUTO_LIMIT} and in 3-D, FFT from there
   * on (as openTSNE's `negative_gradient_method='auto'`). @default 'auto'
   */
  method?: 'auto' | 'exact' | 'barnes-hut' | 'fft';
  /** Barnes-Hut accuracy: a cell is summarised when its width / distance is below θ. @default 0.5 */
  theta?: number;
  /**
   * How the sparse methods (Barnes-Hut, FFT) find each point's 3·perplexity nearest neighbours:
   * `'exact'` (blocked brute force), `'approximate'` (NN-descent seeded by a random-projection forest —
   * {@link approximateNeighbours}, seeded by `seed`), or `'auto'`: approximate from
   * {@link APPROXIMATE_NEIGHBORS_AUTO_LIMIT_KERNELS} = 100,000 points where WebAssembly SIMD runs the exact
   * search, else from {@link APPROXIMATE_NEIGHBORS_AUTO_LIMIT} (5,000 on the cpu backend), exact below. The
   * exact method and `metric: 'precomputed'` use every pair: only `'auto'` or `'exact'` there.
   * @default 'auto'
   */
  neighbors?: 'auto' | 'exact' | 'approximate';
  /** Seed of the random initial layout (`init: 'random'`; the PCA init is deterministic). @default 1 */
  seed?: number;
  /** Stop when the gradient norm falls to this, checked every 50 steps as scikit-learn does. @default 1e-7 */
  minGradNorm?: number;
  /** Stop after this many steps without a better KL (checked every 50 steps, after exaggeration). @default 300 */
  iterationsWithoutProgress?: number;
  /**
   * Evaluate the KL divergence for {@link TsneOptions.onIteration} every this many steps (it is also evaluated
   * every 50 steps for the convergence checks and at the end). Evaluating it costs a logarithm per edge of P,
   * about as much as the attractive forces themselves. @default 10
   */
  klEvery?: number;
  /** Called after every step; return `false` (or a promise of it) to stop and keep the current embedding. */
  onIteration?: (progress: TsneProgress) => unknown;
  /** Stops the run between steps; the promise then resolves with the embedding so far (`stopReason: 'aborted'`). */
  signal?: AbortSignal;
  /**
   * Threads the WebAssembly kernels (Barnes-Hut forces, FFT passes, exact neighbours) spread over: this
   * thread plus `threads − 1` workers sharing one memory (Node `worker_threads`; Web Workers in a cross-origin-isolated
   * page — elsewhere one thread). Work is split in fixed ranges whose partial sums are added in order, so
   * a given thread count always gives the same embedding; `threads: 1` is the single-thread result, bit
   * for bit repeatable. Without WebAssembly SIMD the JavaScript paths run (one thread). An integer in
   * [1, 256]. @default availableThreads() (the cores of the machine; 1 in a page that is not isolated)
   */
  threads?: number;
}

/** Distances t-SNE calibrates P on; see {@link TsneOptions.metric}. */
export type TsneMetric = 'euclidean' | 'cosine' | 'precomputed';

/** Why {@link tsne} stopped: `'iterations'` when every planned step of the last stage ran. */
export type TsneStopReason = 'iterations' | 'converged' | 'no-progress' | 'callback' | 'aborted';

/** The result of {@link tsne}. */
export interface TsneResult {
  /** `n × dimensions` coordinates. */
  embedding: DenseMatrix<Float64Array>;
  /** KL(P‖Q) at the last step, without exaggeration once it is over (scikit-learn's `kl_divergence_`). */
  kl: number;
  /** Steps actually run. */
  iterations: number;
  /** The gradient method that ran. */
  method: 'exact' | 'barnes-hut' | 'fft';
  /** How the neighbours were found (`'all'`: the exact method or a precomputed matrix, every pair). */
  neighbors: 'exact' | 'approximate' | 'all';
  /** Degrees of freedom of the Student-t kernel: scikit-learn's `max(dimensions − 1, 1)`. */
  degreesOfFreedom: number;
  learningRate: number;
  stopReason: TsneStopReason;
}

/**
 * Largest point count for which `method: 'auto'` uses the exact gradient: small maps (the chapter's word
 * plots) get the exact objective; from here on Barnes-Hut is both fast and accurate (measured ~2.5× faster
 * than the tfjs exact gradient already at 200 points on wasm).
 */
export const EXACT_AUTO_LIMIT = 200;

/** Fewest points for which `method: 'auto'` uses the FFT gradient in 2-D (openTSNE's switch point). */
export const FFT_AUTO_LIMIT = 10_000;

/**
 * Fewest points for which `neighbors: 'auto'` searches approximately (NN-descent) where the exact search
 * runs in tfjs (no WebAssembly SIMD) on a backend with a native matmul (wasm, tensorflow, GPU): the exact
 * search grows as n², the approximate one about as n log n.
 * Measured on MNIST (PCA 50, k = 91, wasm): exact 2.2 s, approximate 11 s at 10,000 points — the exact one
 * stays faster up to about this size.
 */
export const APPROXIMATE_NEIGHBORS_AUTO_LIMIT = 50_000;

/**
 * {@link APPROXIMATE_NEIGHBORS_AUTO_LIMIT} where the exact search runs on the WebAssembly SIMD kernels (any
 * backend, when the runtime has SIMD). Measured on 60,000 MNIST points (PCA 50, k = 91, 2 threads, a loaded
 * 2-core machine): exact 64 s, approximate 90 s (recall 0.9988); with the exact search growing as n² and the
 * approximate one about as n log n they cross near 100,000 points.
 */
export const APPROXIMATE_NEIGHBORS_AUTO_LIMIT_KERNELS = 100_000;

/**
 * {@link APPROXIMATE_NEIGHBORS_AUTO_LIMIT} on the plain `cpu` backend, whose matmul is JavaScript: exact
 * search took 9.6 s at 4,000 points there, approximate 8.8 s.
 */
export const APPROXIMATE_NEIGHBORS_AUTO_LIMIT_CPU = 5_000;

/**
 * Memory bound of the exact method: 2 GiB. It holds about {@link EXACT_BYTES_PER_PAIR} bytes per pair of
 * points at its peak (float64 distances, conditional and joint P while calibrating; float32 P, exaggerated P,
 * mask and the step's `n × n` temporaries in tfjs).
 */
export const EXACT_MAX_BYTES = 2 ** 31;

/** Estimated peak bytes per pair of points of the exact method (see {@link EXACT_MAX_BYTES}). */
export const EXACT_BYTES_PER_PAIR = 64;

/** Most points the exact method accepts: `√(EXACT_MAX_BYTES / EXACT_BYTES_PER_PAIR)` = 5,792. */
export const EXACT_MAX_POINTS = Math.floor(Math.sqrt(EXACT_MAX_BYTES / EXACT_BYTES_PER_PAIR));

/** Steps between convergence checks (scikit-learn's `_N_ITER_CHECK`). */
const CHECK_EVERY = 50;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008; Barnes-Hut variant: van der
 * Maaten 2014), following scikit-learn's optimiser step for step: perplexity-calibrated Gaussian P
 * (symmetric), Student-t Q with scikit-learn's `max(dimensions − 1, 1)` degrees of freedom, early exaggeration, momentum gradient descent with
 * adaptive gains (the gains and momentum buffer restart when exaggeration ends, as in scikit-learn).
 *
 * Rows must be finite and `perplexity` below the number of rows; both are checked with a clear error.
 */
export async function tsne(input: MatrixInput, options: TsneOptions = {}): Promise<TsneResult> {
  const fn = 'tsne';
  const x = toDenseMatrix(input, 'input', fn);
  const n = x.rows;
  const dims = options.dimensions ?? 2;
  if (dims !== 2 && dims !== 3) throw new InvalidArgumentError('dimensions', fn, '2 or 3', dims);
  if (n < 2) throw new InvalidArgumentError('input', fn, 'at least 2 rows', n);
  const perplexity = assertNumber(options.perplexity ?? 30, 'perplexity', fn, { min: 0, exclusiveMin: true });
  if (perplexity >= n)
    throw new InvalidArgumentError('perplexity', fn, `less than the number of points (${n})`, perplexity);
  const iterations = assertInteger(options.iterations ?? 1000, 'iterations', fn, 1);
  const earlyExaggeration = assertNumber(options.earlyExaggeration ?? 12, 'earlyExaggeration', fn, {
    min: 1,
  });
  const exaggerationIterations = assertInteger(
    options.exaggerationIterations ?? 250,
    'exaggerationIterations',
    fn,
    0,
  );
  const initialMomentum = assertNumber(options.initialMomentum ?? 0.5, 'initialMomentum', fn, {
    min: 0,
    max: 1,
  });
  const finalMomentum = assertNumber(options.finalMomentum ?? 0.8, 'finalMomentum', fn, { min: 0, max: 1 });
  const minGain = assertNumber(options.minGain ?? 0.01, 'minGain', fn, { min: 0 });
  const theta = assertNumber(options.theta ?? 0.5, 'theta', fn, { min: 0 });
  const seed = assertInteger(options.seed ?? 1, 'seed', fn, -(2 ** 31), 2 ** 32 - 1);
  const minGradNorm = assertNumber(options.minGradNorm ?? 1e-7, 'minGradNorm', fn, { min: 0 });
  const withoutProgress = assertInteger(
    options.iterationsWithoutProgress ?? 300,
    'iterationsWithoutProgress',
    fn,
    1,
  );
  const klEvery = assertInteger(options.klEvery ?? 10, 'klEvery', fn, 1);
  const threads = assertInteger(options.threads ?? availableThreads(), 'threads', fn, 1, 256);
  const metric = assertOneOf(
    options.metric ?? 'euclidean',
    ['euclidean', 'cosine', 'precomputed'] as const,
    'metric',
    fn,
  );
  const init = assertOneOf(
    options.init ?? (metric === 'precomputed' ? 'random' : 'pca'),
    ['pca', 'random'] as const,
    'init',
    fn,
  );
  if (metric === 'precomputed' && init === 'pca')
    throw new InvalidArgumentError(
      'init',
      fn,
      "'random' with metric 'precomputed' (there are no rows to project)",
      init,
    );
  if (metric === 'precomputed') checkDistanceMatrix(x, fn);
  const dof = Math.max(dims - 1, 1);
  const requested = assertOneOf(
    options.method ?? 'auto',
    ['auto', 'exact', 'barnes-hut', 'fft'] as const,
    'method',
    fn,
  );
  const method =
    requested !== 'auto'
      ? requested
      : n <= EXACT_AUTO_LIMIT
        ? 'exact'
        : n >= FFT_AUTO_LIMIT && dims === 2
          ? 'fft'
          : 'barnes-hut';
  if (method === 'fft' && dims !== 2)
    throw new InvalidArgumentError(
      'method',
      fn,
      "'barnes-hut' or 'exact' in 3-D ('fft' interpolates in 2-D)",
      method,
    );
  if (method === 'exact' && n > EXACT_MAX_POINTS)
    throw new InvalidArgumentError(
      'method',
      fn,
      `'barnes-hut', 'fft' or 'auto' above ${EXACT_MAX_POINTS.toLocaleString('en-US')} points: exact would need about ` +
        `${((EXACT_BYTES_PER_PAIR * n * n) / 2 ** 30).toFixed(1)} GiB here, over its ${EXACT_MAX_BYTES / 2 ** 30} GiB bound`,
      method,
    );
  const requestedNeighbors = assertOneOf(
    options.neighbors ?? 'auto',
    ['auto', 'exact', 'approximate'] as const,
    'neighbors',
    fn,
  );
  if (requestedNeighbors === 'approximate' && (method === 'exact' || metric === 'precomputed'))
    throw new InvalidArgumentError(
      'neighbors',
      fn,
      `'auto' or 'exact' with ${method === 'exact' ? "method 'exact'" : "metric 'precomputed'"} (it uses every pair)`,
      requestedNeighbors,
    );
  const neighbors: 'exact' | 'approximate' =
    requestedNeighbors === 'auto'
      ? n >=
        (vizSimdSupported()
          ? APPROXIMATE_NEIGHBORS_AUTO_LIMIT_KERNELS
          : tf.getBackend() === 'cpu'
            ? APPROXIMATE_NEIGHBORS_AUTO_LIMIT_CPU
            : APPROXIMATE_NEIGHBORS_AUTO_LIMIT)
        ? 'approximate'
        : 'exact'
      : requestedNeighbors;
  const learningRate =
    options.learningRate === undefined || options.learningRate === 'auto'
      ? Math.max(n / earlyExaggeration / 4, 50)
      : assertNumber(options.learningRate, 'learningRate', fn, { min: 0, exclusiveMin: true });

  const y = initialLayout(x, dims, init, seed);
  let gradient: (grad: Float64Array, exaggeration: number, computeKl: boolean) => number;
  let release = () => {};
  // One kernel instance (and worker pool) for the whole run, for what runs on it: the Barnes-Hut forces, the
  // FFT gradient's passes and attraction, and the exact neighbour search. The exact method runs in tfjs.
  const kernels = vizSimdSupported() && method !== 'exact' ? await VizKernels.start(threads) : null;
  const grad = new Float64Array(n * dims);
  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims);
  let kl = Number.NaN;
  let done = 0;
  let stopReason: TsneStopReason = 'iterations';
  let klAt = 0;
  let lastExaggeration = 1;
  try {
    // The rows distances are taken between: unit rows for cosine, as |u − v|² = 2 (1 − cos) for unit u, v.
    const rows = metric === 'cosine' ? unitRows(x, fn) : x;
    const scaleDistances = (d: Float64Array) => {
      if (metric === 'cosine') for (let e = 0; e < d.length; e++) d[e] /= 2;
      return d;
    };
    if (method === 'exact') {
      const distances =
        metric === 'precomputed' ? precomputedDense(x) : scaleDistances(await squaredDistanceMatrix(rows));
      const p = denseJointProbabilities(distances, n, perplexity);
      const exact = new ExactGradient(p, n, dims, dof);
      gradient = (grad, exaggeration, computeKl) => exact.compute(y, grad, exaggeration, computeKl);
      release = () => exact.dispose();
    } else {
      // k = 3·perplexity neighbours carry all but a negligible part of each Gaussian (van der Maaten 2014, §4.1).
      const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
      const neighbours =
        metric === 'precomputed'
          ? precomputedNeighbours(x, k)
          : neighbors === 'approximate'
            ? await approximateNeighbours(rows, k, {
                seed,
                ...(options.signal ? { signal: options.signal } : {}),
              })
            : kernels
              ? kernelNeighbours(kernels, rows, k)
              : await nearestNeighbours(rows, k);
      scaleDistances(neighbours.distances);
      const p = sparseJointProbabilities(neighbours, perplexity);
      // The neighbour search's arena is done with (its results were copied out): the gradient lays out its
      // own from here on, and nothing may reset the kernels' memory during the run.
      kernels?.reset();
      if (method === 'fft') {
        // One workspace for the whole run: grid buffers and the kernel's spectrum are reused across steps; the
        // FFT passes and the attraction on the WebAssembly kernels where the runtime has SIMD.
        const repulsion = new FftRepulsion({}, kernels);
        gradient = (grad, exaggeration, computeKl) =>
          fftGradient(y, p, exaggeration, grad, computeKl, repulsion);
      } else if (kernels) {
        const bh = new BarnesHutKernels(kernels, p, dims, theta, dof);
        gradient = (grad, exaggeration, computeKl) => bh.compute(y, grad, exaggeration, computeKl);
      } else {
        const tree = new SpaceTree(dims);
        gradient = (grad, exaggeration, computeKl) => {
          tree.build(y, n);
          return barnesHutGradient(y, dims, p, exaggeration, theta, tree, grad, computeKl, 'grouped', dof);
        };
      }
    }

    const stages = [
      {
        until: Math.min(exaggerationIterations, iterations),
        momentum: initialMomentum,
        exaggeration: earlyExaggeration,
      },
      { until: iterations, momentum: finalMomentum, exaggeration: 1 },
    ];
    stageLoop: for (const stage of stages) {
      if (done >= stage.until) continue;
      // An early stop of the exaggeration stage is not the run's reason: the next stage still runs.
      stopReason = 'iterations';
      update.fill(0);
      gains.fill(1);
      let bestKl = Infinity;
      let bestIteration = done;
      // scikit-learn gives the exaggeration stage its own length as the no-progress window.
      const window = stage.exaggeration === 1 ? withoutProgress : stage.until;
      for (let it = done; it < stage.until; it++) {
        if (options.signal?.aborted) {
          stopReason = 'aborted';
          break stageLoop;
        }
        const check = (it + 1) % CHECK_EVERY === 0 || it === iterations - 1;
        const computeKl =
          check ||
          it === stage.until - 1 ||
          (options.onIteration !== undefined && (it + 1) % klEvery === 0) ||
          it === 0;
        const stepKl = gradient(grad, stage.exaggeration, computeKl);
        let norm2 = 0;
        for (let e = 0; e < grad.length; e++) {
          let g = grad[e];
          const gain = update[e] * g < 0 ? gains[e] + 0.2 : gains[e] * 0.8;
          gains[e] = Math.max(gain, minGain);
          g *= gains[e];
          norm2 += g * g;
          update[e] = stage.momentum * update[e] - learningRate * g;
          y[e] += update[e];
        }
        if (!Number.isFinite(norm2))
          throw new InvalidArgumentError(
            'learningRate',
            fn,
            'small enough for a finite gradient',
            learningRate,
          );
        if (computeKl) {
          kl = stepKl;
          klAt = it + 1;
        }
        lastExaggeration = stage.exaggeration;
        done = it + 1;
        const gradientNorm = Math.sqrt(norm2);
        if (options.onIteration) {
          const answer = await options.onIteration({
            iteration: done,
            iterations,
            kl,
            klIteration: klAt,
            exaggerated: stage.exaggeration !== 1,
            gradientNorm,
            embedding: y,
          });
          if (answer === false) {
            stopReason = 'callback';
            break stageLoop;
          }
        }
        if (check) {
          if (stepKl < bestKl) {
            bestKl = stepKl;
            bestIteration = it;
          } else if (it - bestIteration > window) {
            stopReason = 'no-progress';
            break;
          }
          if (gradientNorm <= minGradNorm) {
            stopReason = 'converged';
            break;
          }
        }
      }
    }
    // Every planned step ran: that is why it stopped, whatever a last check said.
    if (done === iterations && (stopReason === 'converged' || stopReason === 'no-progress'))
      stopReason = 'iterations';
    // Stopped between KL evaluations (aborted): evaluate it once at the final layout, never report a stale one.
    if (done > 0 && klAt !== done) kl = gradient(new Float64Array(n * dims), lastExaggeration, true);
  } finally {
    release();
    kernels?.close();
  }
  return {
    embedding: { data: y, rows: n, cols: dims },
    kl,
    iterations: done,
    method,
    neighbors: method === 'exact' || metric === 'precomputed' ? 'all' : neighbors,
    degreesOfFreedom: dof,
    learningRate,
    stopReason,
  };
}

/** PCA scaled so the first coordinate has standard deviation 1e-4 (scikit-learn's init='pca'), or random. */
function initialLayout(x: DenseMatrix, dims: number, init: 'pca' | 'random', seed: number): Float64Array {
  const n = x.rows;
  if (init === 'random' || x.cols < dims) {
    const rng = new Random(seed);
    const y = new Float64Array(n * dims);
    for (let e = 0; e < y.length; e++) y[e] = 1e-4 * rng.normal();
    return y;
  }
  const y = projectPca(x, fitPca(x, dims), dims);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i * dims];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (y[i * dims] - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const scale = std > 0 ? 1e-4 / std : 1;
  for (let e = 0; e < y.length; e++) y[e] *= scale;
  return y;
}

/** Rows scaled to unit Euclidean norm (cosine metric); a zero row has no direction and is refused. */
function unitRows(x: DenseMatrix, fn: string): DenseMatrix<Float64Array> {
  const { rows: n, cols: d, data } = x;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let a = 0; a < d; a++) norm += data[i * d + a] * data[i * d + a];
    norm = Math.sqrt(norm);
    if (!(norm > 0))
      throw new InvalidArgumentError(
        'input',
        fn,
        "rows with a non-zero norm for metric 'cosine'",
        `row ${i}`,
      );
    for (let a = 0; a < d; a++) out[i * d + a] = data[i * d + a] / norm;
  }
  return { data: out, rows: n, cols: d };
}

/** A precomputed distance matrix must be square, finite and non-negative (its diagonal is ignored). */
function checkDistanceMatrix(x: DenseMatrix, fn: string): void {
  if (x.rows !== x.cols)
    throw new InvalidArgumentError(
      'input',
      fn,
      "a square n × n distance matrix with metric 'precomputed'",
      `${x.rows} × ${x.cols}`,
    );
  for (let e = 0; e < x.data.length; e++)
    if (!(x.data[e] >= 0) || x.data[e] === Infinity)
      throw new InvalidArgumentError('input', fn, 'finite non-negative distances', x.data[e]);
}

function precomputedDense(x: DenseMatrix): Float64Array {
  const n = x.rows;
  const out = Float64Array.from(x.data);
  for (let i = 0; i < n; i++) out[i * n + i] = 0;
  return out;
}

/** The k smallest entries of each row of a distance matrix (self excluded), nearest first, ties by index. */
function precomputedNeighbours(x: DenseMatrix, k: number): Neighbours {
  const n = x.rows;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const order = new Int32Array(n - 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) order[m++] = j;
    const row = x.data.subarray(i * n, (i + 1) * n);
    const sorted = Array.from(order).sort((a, b) => row[a] - row[b] || a - b);
    for (let c = 0; c < k; c++) {
      indices[i * k + c] = sorted[c];
      distances[i * k + c] = row[sorted[c]];
    }
  }
  return { k, indices, distances };
}
