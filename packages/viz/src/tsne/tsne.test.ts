import { describeEachBackend, expectNoLeaks } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { expect, it } from 'vitest';
import { knnAccuracy } from '../metrics/knn-accuracy.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { tsne } from './tsne.js';

/** Smallest distance between points of different blobs over the largest spread inside a blob. */
function separation(y: Float64Array, labels: number[], dims: number): number {
  let within = 0;
  let between = Infinity;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      let d = 0;
      for (let a = 0; a < dims; a++) d += (y[i * dims + a] - y[j * dims + a]) ** 2;
      if (labels[i] === labels[j]) within = Math.max(within, d);
      else between = Math.min(between, d);
    }
  }
  return Math.sqrt(between / within);
}

describeEachBackend('tsne', (backend) => {
  for (const method of ['exact', 'barnes-hut'] as const) {
    it(`keeps well-separated Gaussian blobs separated (${method}, 2-D)`, async () => {
      const { x, labels } = gaussianBlobs(4, 30, 8);
      const result = await expectNoLeaks(() => tsne(x, { method, perplexity: 10, iterations: 400, seed: 3 }));
      expect(result.method).toBe(method);
      expect(result.iterations).toBeGreaterThan(250);
      expect(await knnAccuracy(result.embedding, labels, { k: 5 })).toBe(1);
      expect(separation(result.embedding.data, labels, 2)).toBeGreaterThan(1);
      expect(await trustworthiness(x, result.embedding, { k: 10 })).toBeGreaterThan(0.9);
      expect(Number.isFinite(result.kl)).toBe(true);
      expect(result.kl).toBeGreaterThan(0);
    });
  }

  it('embeds in 3-D with the octree', async () => {
    // scikit-learn's 2 degrees of freedom in 3-D converge more slowly than the Cauchy kernel. On 90 points
    // the local minimum reached moved with rounding (kNN accuracy 0.86–0.99 here, 0.90–0.98 in
    // scikit-learn 1.2 over 6 seeds), so this uses 300 points at perplexity 20, where scikit-learn reaches
    // 1.000 at all 5 seeds tried and wordloom ≥ 0.997 over 3 data seeds × 1 and 2 threads × cpu and wasm.
    const { x, labels } = gaussianBlobs(3, 100, 6);
    for (const threads of [1, 2]) {
      const result = await tsne(x, {
        dimensions: 3,
        method: 'barnes-hut',
        perplexity: 20,
        iterations: 1000,
        threads,
      });
      expect(result.embedding.cols).toBe(3);
      expect(await knnAccuracy(result.embedding, labels)).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('gives the same coordinates for the same seed, different ones for another seed (random init)', async () => {
    const { x } = gaussianBlobs(3, 20, 5);
    const run = (seed: number) =>
      tsne(x, { init: 'random', seed, iterations: 120, perplexity: 8, method: 'barnes-hut' });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect([...a.embedding.data]).toEqual([...b.embedding.data]);
    expect([...a.embedding.data]).not.toEqual([...c.embedding.data]);
    if (backend === 'cpu') {
      const e1 = await tsne(x, { seed: 9, iterations: 60, perplexity: 8, method: 'exact' });
      const e2 = await tsne(x, { seed: 9, iterations: 60, perplexity: 8, method: 'exact' });
      expect([...e1.embedding.data]).toEqual([...e2.embedding.data]);
    }
  });

  it('reports KL to the callback, lowers it after exaggeration, and stops when the callback says so', async () => {
    const { x } = gaussianBlobs(3, 20, 5);
    const seen: Array<{ iteration: number; kl: number; exaggerated: boolean }> = [];
    const result = await tsne(x, {
      perplexity: 8,
      iterations: 1000,
      klEvery: 1,
      onIteration: ({ iteration, kl, exaggerated, klIteration }) => {
        expect(klIteration).toBe(iteration);
        seen.push({ iteration, kl, exaggerated });
        return iteration < 300;
      },
    });
    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(300);
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(seen[249].exaggerated).toBe(true);
    expect(seen[250].exaggerated).toBe(false);
    expect(seen[299].kl).toBeLessThan(seen[250].kl);
    expect(result.kl).toBe(seen[299].kl);
  });

  it('stops on an aborted signal and still returns the embedding with a fresh KL', async () => {
    const { x } = gaussianBlobs(2, 20, 5);
    const controller = new AbortController();
    const result = await tsne(x, {
      perplexity: 8,
      signal: controller.signal,
      onIteration: ({ iteration }) => {
        if (iteration === 40) controller.abort();
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.iterations).toBe(40);
    expect(Number.isFinite(result.kl)).toBe(true);
  });

  it('rejects NaN rows and perplexity ≥ n with errors naming the argument', async () => {
    const rows = [
      [0, 1],
      [1, Number.NaN],
      [2, 2],
      [3, 1],
    ];
    await expect(tsne(rows, { perplexity: 1 })).rejects.toThrow(
      "Argument 'input' passed to 'tsne' must be finite in every entry (row 1, column 1), got NaN",
    );
    const ok = [
      [0, 1],
      [1, 0],
      [2, 2],
      [3, 1],
    ];
    const error = await tsne(ok, { perplexity: 4 }).catch((e) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "Argument 'perplexity' passed to 'tsne' must be less than the number of points (4), got 4",
    );
    await expect(tsne(ok, { dimensions: 4 as 2 })).rejects.toThrow(/'dimensions'.*2 or 3/);
    await expect(tsne([[1, 2], [3]], {})).rejects.toThrow(/rows of equal length/);
    // The exact method's memory bound: refused before any allocation, saying what to use instead.
    const large = { data: new Float64Array(6_000), rows: 6_000, cols: 1 };
    await expect(tsne(large, { method: 'exact' })).rejects.toThrow(
      /'method' passed to 'tsne' must be 'barnes-hut', 'fft' or 'auto' above 5,792 points: exact would need about 2\.1 GiB here, over its 2 GiB bound/,
    );
    await expect(tsne(ok, { perplexity: 1, metric: 'manhattan' as 'cosine' })).rejects.toThrow(/'metric'/);
  });

  it("says 'iterations' when every step ran, 'converged' only when it stopped early", async () => {
    const { x } = gaussianBlobs(2, 15, 4);
    const all = await tsne(x, { perplexity: 5, iterations: 300, minGradNorm: 0 });
    expect(all.stopReason).toBe('iterations');
    expect(all.iterations).toBe(300);
    expect(all.degreesOfFreedom).toBe(1);
    const early = await tsne(x, { perplexity: 5, iterations: 1000, minGradNorm: 1e9 });
    expect(early.stopReason).toBe('converged');
    // Exaggeration stops at its first check (step 50); the second stage starts there (as scikit-learn's
    // `it + 1`) and stops at its own first check, step 100.
    expect(early.iterations).toBe(100);
  });

  it('3-D uses 2 degrees of freedom, as scikit-learn', async () => {
    const { x } = gaussianBlobs(2, 15, 4);
    const result = await tsne(x, { dimensions: 3, perplexity: 5, iterations: 260, method: 'exact' });
    expect(result.degreesOfFreedom).toBe(2);
  });

  it("metric 'cosine' equals t-SNE on the directly computed cosine distances (1 − cos) as 'precomputed'", async () => {
    const { x } = gaussianBlobs(3, 12, 5, { spacing: 4 });
    const n = x.rows;
    const d = x.cols;
    const direct = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let dot = 0;
        let ni = 0;
        let nj = 0;
        for (let a = 0; a < d; a++) {
          dot += x.data[i * d + a] * x.data[j * d + a];
          ni += x.data[i * d + a] ** 2;
          nj += x.data[j * d + a] ** 2;
        }
        direct[i * n + j] = 1 - dot / Math.sqrt(ni * nj);
      }
    for (const method of ['exact', 'barnes-hut'] as const) {
      // Two steps: enough for P to shape the layout; longer runs diverge chaotically from rounding-level
      // differences (Barnes-Hut's cell choices are discontinuous), which says nothing about P.
      const options = { method, perplexity: 6, iterations: 2, init: 'random' as const, seed: 4 };
      const cosine = await tsne(x, { ...options, metric: 'cosine' });
      const pre = await tsne({ data: direct, rows: n, cols: n }, { ...options, metric: 'precomputed' });
      const euclidean = await tsne(x, options);
      let diff = 0;
      let other = 0;
      let scale = 0;
      for (let e = 0; e < cosine.embedding.data.length; e++) {
        diff = Math.max(diff, Math.abs(cosine.embedding.data[e] - pre.embedding.data[e]));
        other = Math.max(other, Math.abs(cosine.embedding.data[e] - euclidean.embedding.data[e]));
        scale = Math.max(scale, Math.abs(pre.embedding.data[e]));
      }
      // exact: float32 distance matmul; Barnes-Hut: kNN distances re-ranked in float64.
      expect(diff / scale).toBeLessThan(method === 'exact' ? 1e-4 : 1e-9);
      expect(other / scale).toBeGreaterThan(0.1); // and it is not the Euclidean map
      expect(cosine.kl).toBeCloseTo(pre.kl, 4);
    }
    await expect(
      tsne({ data: direct, rows: n, cols: n }, { metric: 'precomputed', init: 'pca' }),
    ).rejects.toThrow(/'init' passed to 'tsne' must be 'random' with metric 'precomputed'/);
    await expect(tsne(x, { metric: 'precomputed' })).rejects.toThrow(/square n × n distance matrix/);
    const zero = [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    await expect(tsne(zero, { metric: 'cosine', perplexity: 1 })).rejects.toThrow(
      /non-zero norm for metric 'cosine', got "row 0"/,
    );
  });

  it("method 'fft' runs the same optimisation as the exact gradient (Barnes-Hut at θ = 0), to interpolation error", async () => {
    if (backend !== 'cpu') return; // no tfjs in the gradient: one backend is enough
    const { x } = gaussianBlobs(3, 40, 6);
    // Two steps: the adaptive gains switch on gradient signs, so longer runs diverge chaotically from any
    // rounding-level difference; the gradient itself is compared to the exact one in fft-gradient.test.ts.
    const options = { perplexity: 10, iterations: 2, seed: 2 };
    const fft = await tsne(x, { ...options, method: 'fft' });
    const exact = await tsne(x, { ...options, method: 'barnes-hut', theta: 0 });
    expect(fft.method).toBe('fft');
    let diff = 0;
    let scale = 0;
    for (let e = 0; e < fft.embedding.data.length; e++) {
      diff = Math.max(diff, Math.abs(fft.embedding.data[e] - exact.embedding.data[e]));
      scale = Math.max(scale, Math.abs(exact.embedding.data[e]));
    }
    expect(diff / scale).toBeLessThan(1e-6);
    expect(fft.kl).toBeCloseTo(exact.kl, 6);
    await expect(tsne(x, { method: 'fft', dimensions: 3 })).rejects.toThrow(
      /'method' passed to 'tsne' must be 'barnes-hut' or 'exact' in 3-D/,
    );
  });
});
