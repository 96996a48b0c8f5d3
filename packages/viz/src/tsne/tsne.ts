import { assertInteger, assertNumber, assertOneOf, InvalidArgumentError, Random } from '@wordloom/core';
import { type DenseMatrix, type MatrixInput, toDenseMatrix } from '../matrix/dense-matrix.js';
import { fitPca, projectPca } from '../pca.js';
import { barnesHutGradient } from './barnes-hut.js';
import { ExactGradient } from './exact.js';
import { denseJointProbabilities, sparseJointProbabilities } from './joint-probabilities.js';
import { nearestNeighbours, squaredDistanceMatrix } from './knn.js';
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
  /** Initial layout: PCA scaled to standard deviation 1e-4 on the first axis, or N(0, 1e-4²). @default 'pca' */
  init?: 'pca' | 'random';
  /**
   * Gradient method: `'exact'` (dense tfjs ops, O(n²) memory — for up to about 2,000 points), `'barnes-hut'`
   * (sparse P on 3·perplexity neighbours, space-partitioning tree), or `'auto'`, which picks exact for at
   * most {@link EXACT_AUTO_LIMIT} points. @default 'auto'
   */
  method?: 'auto' | 'exact' | 'barnes-hut';
  /** Barnes-Hut accuracy: a cell is summarised when its width / distance is below θ. @default 0.5 */
  theta?: number;
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
}

/** Why {@link tsne} stopped. */
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
  method: 'exact' | 'barnes-hut';
  learningRate: number;
  stopReason: TsneStopReason;
}

/**
 * Largest point count for which `method: 'auto'` uses the exact gradient: small maps (the chapter's word
 * plots) get the exact objective; from here on Barnes-Hut is both fast and accurate (measured ~2.5× faster
 * than the tfjs exact gradient already at 200 points on wasm).
 */
export const EXACT_AUTO_LIMIT = 200;

/** Most points the exact method accepts: its dense P and distance matrices take 8·n² bytes each. */
export const EXACT_MAX_POINTS = 10_000;

/** Steps between convergence checks (scikit-learn's `_N_ITER_CHECK`). */
const CHECK_EVERY = 50;

/**
 * t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008; Barnes-Hut variant: van der
 * Maaten 2014), following scikit-learn's optimiser step for step: perplexity-calibrated Gaussian P
 * (symmetric), Student-t Q with one degree of freedom, early exaggeration, momentum gradient descent with
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
  const init = assertOneOf(options.init ?? 'pca', ['pca', 'random'] as const, 'init', fn);
  const requested = assertOneOf(
    options.method ?? 'auto',
    ['auto', 'exact', 'barnes-hut'] as const,
    'method',
    fn,
  );
  const method = requested === 'auto' ? (n <= EXACT_AUTO_LIMIT ? 'exact' : 'barnes-hut') : requested;
  if (method === 'exact' && n > EXACT_MAX_POINTS)
    throw new InvalidArgumentError(
      'method',
      fn,
      `'barnes-hut' or 'auto' above ${EXACT_MAX_POINTS} points (exact needs n² memory)`,
      method,
    );
  const learningRate =
    options.learningRate === undefined || options.learningRate === 'auto'
      ? Math.max(n / earlyExaggeration / 4, 50)
      : assertNumber(options.learningRate, 'learningRate', fn, { min: 0, exclusiveMin: true });

  const y = initialLayout(x, dims, init, seed);
  let gradient: (grad: Float64Array, exaggeration: number, computeKl: boolean) => number;
  let release = () => {};
  if (method === 'exact') {
    const p = denseJointProbabilities(await squaredDistanceMatrix(x), n, perplexity);
    const exact = new ExactGradient(p, n, dims);
    gradient = (grad, exaggeration, computeKl) => exact.compute(y, grad, exaggeration, computeKl);
    release = () => exact.dispose();
  } else {
    // k = 3·perplexity neighbours carry all but a negligible part of each Gaussian (van der Maaten 2014, §4.1).
    const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
    const p = sparseJointProbabilities(await nearestNeighbours(x, k), perplexity);
    const tree = new SpaceTree(dims);
    gradient = (grad, exaggeration, computeKl) => {
      tree.build(y, n);
      return barnesHutGradient(y, dims, p, exaggeration, theta, tree, grad, computeKl);
    };
  }

  const grad = new Float64Array(n * dims);
  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims);
  let kl = Number.NaN;
  let done = 0;
  let stopReason: TsneStopReason = 'iterations';
  let klAt = 0;
  let lastExaggeration = 1;
  try {
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
    // Stopped between KL evaluations (aborted): evaluate it once at the final layout, never report a stale one.
    if (done > 0 && klAt !== done) kl = gradient(new Float64Array(n * dims), lastExaggeration, true);
  } finally {
    release();
  }
  return {
    embedding: { data: y, rows: n, cols: dims },
    kl,
    iterations: done,
    method,
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
