import { describeEachBackend } from '@wordloom/backend/testing';
import { InvalidArgumentError } from '@wordloom/core';
import { loadMnist } from '@wordloom/datasets';
import { expect, it } from 'vitest';
import { vizSimdSupported } from '../kernels/viz-kernels.js';
import type { DenseMatrix } from '../matrix/dense-matrix.js';
import { trustworthiness } from '../metrics/trustworthiness.js';
import { pca } from '../pca.js';
import { gaussianBlobs } from '../test-support/fixtures.js';
import { approximateNeighbours } from './approximate-knn.js';
import { nearestNeighbours } from './knn.js';
import { tsne } from './tsne.js';

/** The first n MNIST training images reduced to 50 principal components (as the CLI and bench do). */
async function mnist50(n: number): Promise<DenseMatrix<Float64Array>> {
  const mnist = await loadMnist({ split: 'train', limit: n });
  const fitted = pca(
    { data: mnist.images as Float32Array, rows: n, cols: mnist.rows * mnist.cols },
    { components: 50 },
  );
  const data = Float64Array.from(await fitted.projected.data());
  fitted.dispose();
  return { data, rows: n, cols: 50 };
}

describeEachBackend('approximateNeighbours', (backend) => {
  it('finds at least 95% of the exact 91 nearest neighbours of MNIST digits (PCA 50), at their exact distances, the same for the same seed', async () => {
    if (backend !== 'cpu') return; // typed-array code: one backend is enough (the exact reference uses tfjs)
    const x = await mnist50(3000);
    const k = 91; // t-SNE's 3 × perplexity 30 + 1
    const exact = await nearestNeighbours(x, k);
    const approx = await approximateNeighbours(x, k, { seed: 3 });
    let found = 0;
    for (let i = 0; i < x.rows; i++) {
      const truth = new Set(exact.indices.subarray(i * k, (i + 1) * k));
      for (let c = 0; c < k; c++) {
        const j = approx.indices[i * k + c];
        expect(j).not.toBe(i);
        if (truth.has(j)) found++;
        if (c > 0)
          expect(approx.distances[i * k + c]).toBeGreaterThanOrEqual(approx.distances[i * k + c - 1]);
      }
      // Distances are the float64 squared distances of the pairs found.
      const j = approx.indices[i * k + 7];
      let s = 0;
      for (let a = 0; a < 50; a++) s += (x.data[i * 50 + a] - x.data[j * 50 + a]) ** 2;
      expect(approx.distances[i * k + 7]).toBe(s);
    }
    const recall = found / (x.rows * k);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    const again = await approximateNeighbours(x, k, { seed: 3 });
    expect(again.indices).toEqual(approx.indices);
  }, 400_000);

  it('is exact when one leaf holds every point (no tree split, no sampling left to chance)', async () => {
    const { x } = gaussianBlobs(3, 30, 6, { spacing: 4 });
    const k = 9;
    const exact = await nearestNeighbours(x, k);
    const approx = await approximateNeighbours(x, k, { trees: 1, leafSize: x.rows });
    expect([...approx.indices]).toEqual([...exact.indices]);
    for (let e = 0; e < exact.distances.length; e++)
      expect(approx.distances[e]).toBeCloseTo(exact.distances[e], 9);
  });

  it('fills every list even when the forest is empty, and rejects bad arguments', async () => {
    const { x } = gaussianBlobs(2, 10, 3);
    const lists = await approximateNeighbours(x, 5, { trees: 0, iterations: 3 });
    for (let e = 0; e < lists.indices.length; e++) expect(lists.indices[e]).toBeGreaterThanOrEqual(0);
    await expect(approximateNeighbours(x, 20)).rejects.toThrow(InvalidArgumentError);
    await expect(approximateNeighbours(x, 3, { leafSize: 1 })).rejects.toThrow(/'leafSize'/);
    await expect(approximateNeighbours(x, 3, { maxCandidates: 0 })).rejects.toThrow(/'maxCandidates'/);
  });
});

describeEachBackend('tsne neighbors', (backend) => {
  it('approximate neighbours leave the map of 2,500 MNIST digits as trustworthy as exact ones (within 0.003)', async () => {
    if (backend !== 'cpu') return;
    const x = await mnist50(2500);
    const run = (neighbors: 'exact' | 'approximate') =>
      tsne(x, { method: 'barnes-hut', neighbors, perplexity: 30, iterations: 500, seed: 1 });
    const exact = await run('exact');
    const approx = await run('approximate');
    expect(exact.neighbors).toBe('exact');
    expect(approx.neighbors).toBe('approximate');
    const tExact = await trustworthiness(x, exact.embedding, { k: 10 });
    const tApprox = await trustworthiness(x, approx.embedding, { k: 10 });
    expect(tExact).toBeGreaterThan(0.97);
    expect(Math.abs(tApprox - tExact)).toBeLessThanOrEqual(0.003);
  }, 400_000);

  it('picks approximate search from 5,000 points on the cpu backend without SIMD kernels, refuses it where every pair is used, and unknown values', async () => {
    const { x } = gaussianBlobs(2, 15, 3);
    await expect(tsne(x, { method: 'exact', neighbors: 'approximate', perplexity: 5 })).rejects.toThrow(
      /'neighbors' passed to 'tsne' must be 'auto' or 'exact' with method 'exact'/,
    );
    await expect(
      tsne(x, { neighbors: 'nndescent' as 'approximate', perplexity: 5, method: 'barnes-hut' }),
    ).rejects.toThrow(/'neighbors'/);
    const small = await tsne(x, { perplexity: 5, iterations: 10, method: 'barnes-hut' });
    expect(small.neighbors).toBe('exact');
    const exactMethod = await tsne(x, { perplexity: 5, iterations: 10, method: 'exact' });
    expect(exactMethod.neighbors).toBe('all');
    if (backend !== 'cpu') return;
    const big = gaussianBlobs(4, 1250, 3).x;
    const auto = await tsne(big, { perplexity: 5, iterations: 1, method: 'barnes-hut' });
    // Where WebAssembly SIMD runs the exact search (not through the cpu backend's JavaScript matmul), it
    // stays exact up to APPROXIMATE_NEIGHBORS_AUTO_LIMIT_KERNELS.
    expect(auto.neighbors).toBe(vizSimdSupported() ? 'exact' : 'approximate');
  }, 200_000);
});
