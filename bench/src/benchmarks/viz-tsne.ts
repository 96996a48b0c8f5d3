import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@wordloom/backend';
import { availableThreads } from '@wordloom/core';
import { loadMnist } from '@wordloom/datasets';
import { type DenseMatrix, pca, trustworthiness, tsne } from '@wordloom/viz';
// @ts-expect-error tsne-js ships no type declarations
import TsneJs from 'tsne-js';
import { record } from '../harness.js';

const PYTHON = '/usr/bin/python3';

// scikit-learn 1.2 Barnes-Hut t-SNE with the same settings as wordloom's defaults (init='pca',
// learning_rate='auto', early exaggeration 12, θ = 0.5), on the same float32 matrix; also scores both
// embeddings with sklearn's own trustworthiness so the quality numbers come from one implementation.
const SKLEARN = `
import json, resource, sys, time
import numpy as np
from sklearn.manifold import TSNE, trustworthiness
x_path, n, d, iters, ours_path, trust = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6] == '1'
y_path = sys.argv[7] if len(sys.argv) > 7 else ''
x = np.fromfile(x_path, dtype='<f4').reshape(n, d)
t = time.perf_counter()
model = TSNE(n_components=2, perplexity=30.0, n_iter=iters, init='pca', learning_rate='auto', method='barnes_hut', angle=0.5, random_state=1)
y = model.fit_transform(x)
seconds = time.perf_counter() - t
out = {'seconds': seconds, 'kl': float(model.kl_divergence_), 'iterations': int(model.n_iter_), 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
if y_path:
    y.astype('<f8').tofile(y_path)
if trust:
    ours = np.fromfile(ours_path, dtype='<f8').reshape(n, 2)
    out['trust'] = float(trustworthiness(x, y, n_neighbors=10))
    out['oursTrustBySklearn'] = float(trustworthiness(x, ours, n_neighbors=10))
print(json.dumps(out))
`;

interface SklearnRun {
  seconds: number;
  maxRssMB?: number;
  kl: number;
  iterations: number;
  trust?: number;
  oursTrustBySklearn?: number;
  /** Killed at the time cap (`VIZ_TSNE_SKLEARN_TIMEOUT`). */
  timedOut?: boolean;
}

/**
 * t-SNE on MNIST (PCA to 50 with wordloom's PCA, perplexity 30, 1,000 iterations): wordloom (auto method)
 * against scikit-learn's Barnes-Hut TSNE at 5,000 and 20,000 points; at 50,000 and 60,000 points (all of
 * MNIST's training images; wordloom's auto method is 'fft' there) against scikit-learn with 2 OpenMP
 * threads, with time, peak memory, KL and trustworthiness@10 of both embeddings (by wordloom's function:
 * scikit-learn's builds n × n matrices; above 20,000 points estimated on a seeded 5,000-point sample), scikit-learn
 * killed after `VIZ_TSNE_SKLEARN_TIMEOUT` seconds (default 1,800; the row then says it did not finish); and against tsne-js (exact, pure JS) at 1,000 points, all in the
 * same run. The machine is shared: the load average is in every row.
 *
 * `VIZ_TSNE_SIZES=2000 pnpm bench viz-tsne` runs only the listed sizes as a trial: the rows are printed,
 * not recorded (and scikit-learn is skipped when /usr/bin/python3 has none). `VIZ_TSNE_MAX=5000` records
 * only the rows of at most that many points.
 * `VIZ_TSNE_THREADS=1` runs wordloom's kernels on that many threads (default: `availableThreads()`); every
 * row's note says how many ran.
 */
/** wordloom's `threads` (`VIZ_TSNE_THREADS`, default `availableThreads()`). */
function tsneThreads(): number {
  const raw = process.env.VIZ_TSNE_THREADS;
  if (raw === undefined) return availableThreads();
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`VIZ_TSNE_THREADS: not an integer >= 1: ${raw}`);
  return threads;
}

export default async function vizTsne(command: string): Promise<void> {
  const trial = process.env.VIZ_TSNE_SIZES;
  if (trial !== undefined) return trialRun(trial);
  const max = Number(process.env.VIZ_TSNE_MAX ?? Infinity);
  if (!(max >= 1000)) throw new Error(`VIZ_TSNE_MAX: not a size >= 1000: ${process.env.VIZ_TSNE_MAX}`);
  const backend = await selectBackend();
  const backendName = `${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''}${backend.simd ? ', SIMD' : ''})`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-viz-tsne-'));
  try {
    const mnist = await loadMnist({ split: 'train', limit: 60_000 });
    const pixels = mnist.rows * mnist.cols;
    const reduce = async (n: number): Promise<DenseMatrix<Float64Array>> => {
      const fitted = pca(
        { data: mnist.images.subarray(0, n * pixels) as Float32Array, rows: n, cols: pixels },
        { components: 50 },
      );
      const data = Float64Array.from(await fitted.projected.data());
      fitted.dispose();
      return { data, rows: n, cols: 50 };
    };
    const load = () => `load avg ${loadavg()[0].toFixed(1)}`;

    for (const n of [5_000, 20_000].filter((size) => size <= max)) {
      const x = await reduce(n);
      const xPath = join(dir, `x${n}.f32`);
      writeFileSync(xPath, new Uint8Array(Float32Array.from(x.data).buffer));
      const start = performance.now();
      const ours = await tsne(x, { perplexity: 30, iterations: 1000, seed: 1, threads: tsneThreads() });
      const seconds = (performance.now() - start) / 1000;
      const oursLoad = load();
      const oursPath = join(dir, `y${n}.f64`);
      writeFileSync(oursPath, new Uint8Array(ours.embedding.data.buffer));
      const trust = await trustworthiness(x, ours.embedding, { k: 10 });
      // sklearn's trustworthiness builds dense n × n int64 matrices: only at 5,000 points.
      const sk = runSklearn(xPath, n, 1000, oursPath, n <= 5_000);
      // On a loaded 2-core machine OpenMP's two threads can be slower than one: at 5,000 points also time
      // sklearn single-threaded and compare with the faster of the two.
      const single = n <= 5_000 ? runSklearn(xPath, n, 1000, oursPath, false, 1) : undefined;
      const peerSeconds = Math.min(sk.seconds, single?.seconds ?? Infinity);
      const klGap = ((ours.kl - sk.kl) / sk.kl) * 100;
      // The reference of the large runs' acceptance: Barnes-Hut with exact neighbours at 20,000 points.
      let bhNote = '';
      if (n === 20_000 && ours.method !== 'barnes-hut') {
        const bhStart = performance.now();
        const bh = await tsne(x, {
          perplexity: 30,
          iterations: 1000,
          seed: 1,
          method: 'barnes-hut',
          neighbors: 'exact',
          threads: tsneThreads(),
        });
        const bhSeconds = (performance.now() - bhStart) / 1000;
        const bhTrust = await trustworthiness(x, bh.embedding, { k: 10 });
        bhNote = `; wordloom barnes-hut with exact neighbours: ${bhSeconds.toFixed(1)} s, KL ${bh.kl.toFixed(4)}, trustworthiness@10 ${bhTrust.toFixed(4)}`;
      }
      record(
        {
          benchmark: 'viz-tsne',
          workload: `t-SNE of ${n.toLocaleString('en')} MNIST images (PCA 50), perplexity 30, 1,000 iterations`,
          seconds,
          peer: `scikit-learn 1.2 TSNE barnes_hut${single ? ' (faster of default OpenMP threads and 1 thread)' : ''}`,
          peerSeconds,
          backend: backendName,
          note:
            `wordloom ${ours.method} (${ours.neighbors} neighbours, ${tsneThreads()} thread${tsneThreads() > 1 ? 's' : ''}): KL ${ours.kl.toFixed(4)} vs sklearn ${sk.kl.toFixed(4)} (${klGap >= 0 ? '+' : ''}${klGap.toFixed(1)}%), ` +
            `trustworthiness@10 ${trust.toFixed(4)}` +
            (sk.trust !== undefined
              ? ` (by sklearn's function: wordloom ${sk.oursTrustBySklearn?.toFixed(4)}, sklearn ${sk.trust.toFixed(4)})`
              : '') +
            (single
              ? `; sklearn ${sk.seconds.toFixed(2)} s with default threads, ${single.seconds.toFixed(2)} s with OMP_NUM_THREADS=1`
              : '') +
            `${bhNote}; ${oursLoad}`,
        },
        command,
      );
    }

    for (const n of [50_000, 60_000].filter((size) => size <= max)) {
      const x = await reduce(n);
      const row = await largeRow(x, dir, true);
      record(
        {
          benchmark: 'viz-tsne',
          workload: `t-SNE of ${n.toLocaleString('en')} MNIST images (PCA 50), perplexity 30, 1,000 iterations`,
          seconds: row.seconds,
          peer: `scikit-learn 1.2 TSNE barnes_hut, 2 OpenMP threads (OMP_WAIT_POLICY=PASSIVE), capped at ${sklearnTimeout()} s`,
          peerSeconds: row.sk?.seconds ?? null,
          backend: backendName,
          note: `${row.note}; ${load()}`,
        },
        command,
      );
    }

    // tsne-js is exact and pure JS: time its setup and 30 iterations, extrapolate to 1,000 iterations.
    const n = 1_000;
    const x = await reduce(n);
    for (const method of ['auto', 'exact'] as const) {
      const start = performance.now();
      const ours = await tsne(x, { perplexity: 30, iterations: 1000, seed: 1, method });
      const seconds = (performance.now() - start) / 1000;
      const peer = timeTsneJs(x, 30);
      record(
        {
          benchmark: 'viz-tsne',
          workload: `t-SNE of 1,000 MNIST images (PCA 50), perplexity 30, 1,000 iterations, wordloom ${ours.method}`,
          seconds,
          peer: 'tsne-js 1.0.3 (exact)',
          peerSeconds: peer.extrapolated,
          backend: backendName,
          note:
            `tsne-js time extrapolated: setup ${peer.setup.toFixed(2)} s + 1,000 × ${(peer.perIteration * 1000).toFixed(0)} ms/iteration measured over ${peer.measured} iterations; ` +
            `wordloom KL ${ours.kl.toFixed(4)}; ${load()}`,
        },
        command,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runSklearn(
  xPath: string,
  n: number,
  iterations: number,
  oursPath: string,
  trust: boolean,
  threads?: number,
  yPath = '',
  timeoutSeconds?: number,
): SklearnRun {
  // PASSIVE: idle OpenMP threads sleep instead of spinning (STYLE.md rule 9).
  const env =
    threads === undefined
      ? process.env
      : { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: 'PASSIVE' };
  const result = spawnSync(
    PYTHON,
    ['-c', SKLEARN, xPath, String(n), '50', String(iterations), oursPath, trust ? '1' : '0', yPath],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env,
      ...(timeoutSeconds !== undefined
        ? { timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL' as const }
        : {}),
    },
  );
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT')
    return { seconds: Number.NaN, kl: Number.NaN, iterations: 0, timedOut: true };
  if (result.status !== 0) throw new Error(`scikit-learn run failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as SklearnRun;
}

function timeTsneJs(
  x: DenseMatrix,
  iterations: number,
): { setup: number; perIteration: number; measured: number; extrapolated: number } {
  const rows: number[][] = [];
  for (let i = 0; i < x.rows; i++) rows.push(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  const model = new TsneJs({
    dim: 2,
    perplexity: 30,
    earlyExaggeration: 4,
    learningRate: 100,
    nIter: 1000,
    metric: 'euclidean',
  });
  model.init({ data: rows, type: 'dense' });
  const stamps: number[] = [];
  const start = performance.now();
  const stop = new Error('enough iterations measured');
  model.on('progressIter', () => {
    stamps.push(performance.now());
    if (stamps.length > iterations) throw stop;
  });
  try {
    model.run();
  } catch (error) {
    if (error !== stop) throw error;
  }
  const setup = (stamps[0] - start) / 1000;
  const perIteration = (stamps[stamps.length - 1] - stamps[0]) / 1000 / (stamps.length - 1);
  return { setup, perIteration, measured: stamps.length - 1, extrapolated: setup + 1000 * perIteration };
}

/** Seeded sample of points trustworthiness@10 is estimated on at 50,000 and 60,000 points (exact: n² distances). */
const TRUST_SAMPLE = 5_000;

/** scikit-learn's time cap at the large sizes, in seconds (`VIZ_TSNE_SKLEARN_TIMEOUT`). */
function sklearnTimeout(): number {
  const raw = process.env.VIZ_TSNE_SKLEARN_TIMEOUT ?? '1800';
  const seconds = Number(raw);
  if (!(seconds > 0)) throw new Error(`VIZ_TSNE_SKLEARN_TIMEOUT: not a positive number of seconds: ${raw}`);
  return seconds;
}

/**
 * One large run: wordloom (auto: fft with approximate neighbours) and scikit-learn with 2 threads under a
 * time cap, both scored by wordloom's trustworthiness@10 (on a seeded 5,000-point sample above 20,000
 * points: their neighbourhoods among all n).
 */
async function largeRow(
  x: DenseMatrix<Float64Array>,
  dir: string,
  withPeer: boolean | 'optional',
): Promise<{ seconds: number; sk?: SklearnRun; note: string }> {
  const n = x.rows;
  const xPath = join(dir, `x${n}.f32`);
  writeFileSync(xPath, new Uint8Array(Float32Array.from(x.data).buffer));
  const rssBefore = process.resourceUsage().maxRSS / 1024;
  const start = performance.now();
  let firstStep = Number.NaN;
  let lastStep = Number.NaN;
  // As `wordloom tsne` runs it (KL every 10 steps for the progress line); the first two steps time the setup.
  const ours = await tsne(x, {
    perplexity: 30,
    iterations: 1000,
    seed: 1,
    threads: tsneThreads(),
    onIteration: ({ iteration }) => {
      if (iteration === 1) firstStep = performance.now();
      lastStep = performance.now();
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  const perStep = (lastStep - firstStep) / 1000 / Math.max(1, ours.iterations - 1);
  const setup = (firstStep - start) / 1000 - perStep;
  const oursPath = join(dir, `y${n}.f64`);
  writeFileSync(oursPath, new Uint8Array(ours.embedding.data.buffer));
  // The FFT method's cost per step grows with the square of the map's side: say how large it got.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of ours.embedding.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const sample = n > 20_000 ? TRUST_SAMPLE : undefined;
  const trustOptions = { k: 10, ...(sample ? { sample, seed: 1 } : {}) };
  const trust = await trustworthiness(x, ours.embedding, trustOptions);
  let sk: SklearnRun | undefined;
  let skTrust = Number.NaN;
  const cap = sklearnTimeout();
  if (withPeer === true || (withPeer === 'optional' && hasSklearn())) {
    const yPath = join(dir, `sk${n}.f64`);
    sk = runSklearn(xPath, n, 1000, oursPath, false, 2, yPath, cap);
    if (!sk.timedOut) {
      const y = new Float64Array(readFileSync(yPath).buffer.slice(0));
      skTrust = await trustworthiness(x, { data: y, rows: n, cols: 2 }, trustOptions);
    }
  }
  const trustWhat = sample ? ` (estimated on a seeded ${sample.toLocaleString('en')}-point sample)` : '';
  const note =
    `wordloom ${ours.method} with ${ours.neighbors} neighbours on ${tsneThreads()} thread${tsneThreads() > 1 ? 's' : ''}: ${ours.iterations} iterations (${ours.stopReason}), ` +
    `setup (neighbours, P) ${setup.toFixed(1)} s + ${(perStep * 1000).toFixed(0)} ms/iteration (final map ${(hi - lo).toFixed(0)} units across), KL ${ours.kl.toFixed(4)}, ` +
    `trustworthiness@10 ${trust.toFixed(4)}${trustWhat}, peak RSS ${rss.toFixed(0)} MB (process peak; ${rssBefore.toFixed(0)} MB before the run)` +
    (sk?.timedOut
      ? `; sklearn (2 threads) did not finish in ${cap} s (VIZ_TSNE_SKLEARN_TIMEOUT)`
      : sk
        ? `; sklearn: ${sk.seconds.toFixed(1)} s, KL ${sk.kl.toFixed(4)}, trustworthiness@10 ${skTrust.toFixed(4)} (wordloom's function, same sample), peak RSS ${sk.maxRssMB?.toFixed(0)} MB`
        : '; sklearn not run');
  return { seconds, sk: sk?.timedOut ? undefined : sk, note };
}

function hasSklearn(): boolean {
  return spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
}

/** `VIZ_TSNE_SIZES=…`: the large-run code path at the given sizes, printed instead of recorded. */
async function trialRun(sizes: string): Promise<void> {
  const backend = await selectBackend();
  const dir = mkdtempSync(join(tmpdir(), 'bench-viz-tsne-'));
  try {
    for (const n of sizes.split(',').map(Number)) {
      if (!Number.isInteger(n) || n < 100) throw new Error(`VIZ_TSNE_SIZES: not a size >= 100: ${sizes}`);
      const mnist = await loadMnist({ split: 'train', limit: n });
      const pixels = mnist.rows * mnist.cols;
      const fitted = pca({ data: mnist.images as Float32Array, rows: n, cols: pixels }, { components: 50 });
      const x = { data: Float64Array.from(await fitted.projected.data()), rows: n, cols: 50 };
      fitted.dispose();
      const row = await largeRow(x, dir, 'optional');
      console.log(
        `trial (not recorded), ${n} points on ${backend.name}: ${row.seconds.toFixed(1)} s; ${row.note}; load avg ${loadavg()[0].toFixed(1)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
