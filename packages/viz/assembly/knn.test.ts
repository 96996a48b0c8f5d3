import { Random } from '@wordloom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { VizKernels } from '../src/kernels/viz-kernels.js';
import type { DenseMatrix } from '../src/matrix/dense-matrix.js';
import { kernelNeighbours } from '../src/tsne/knn.js';

/** Brute force in float64: every pair by the sequential Σ (x_ia − x_ja)², sorted by (distance, index). */
function bruteForce(x: DenseMatrix, k: number) {
  const { rows: n, cols: d, data } = x;
  const indices: number[] = [];
  const distances: number[] = [];
  for (let i = 0; i < n; i++) {
    const all: Array<{ j: number; s: number }> = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let a = 0; a < d; a++) {
        const diff = data[i * d + a] - data[j * d + a];
        s += diff * diff;
      }
      all.push({ j, s });
    }
    all.sort((a, b) => a.s - b.s || a.j - b.j);
    for (const e of all.slice(0, k)) {
      indices.push(e.j);
      distances.push(e.s);
    }
  }
  return { indices, distances };
}

describe.each([1, 2])('knnRows via kernelNeighbours (%i threads)', (threads) => {
  const started = VizKernels.start(threads);
  afterAll(async () => (await started).close());

  it('equals float64 brute force bit for bit: odd n and d, partial query and candidate blocks', async () => {
    const kernels = await started;
    const rng = new Random(8);
    for (const [n, d, k] of [
      [103, 7, 10],
      [9, 3, 8],
      [50, 50, 1],
      [2, 1, 1],
    ]) {
      const x = { data: Float64Array.from({ length: n * d }, () => rng.normal()), rows: n, cols: d };
      const want = bruteForce(x, k);
      const got = kernelNeighbours(kernels, x, k);
      expect(got.k).toBe(k);
      expect(Array.from(got.indices)).toEqual(want.indices);
      expect(Array.from(got.distances)).toEqual(want.distances);
    }
  });

  it('breaks ties by the smaller index (a grid with many equal distances, duplicate rows)', async () => {
    const kernels = await started;
    const rows: number[] = [];
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) rows.push(a, b);
    rows.push(2, 3, 2, 3, 0, 0); // duplicates of rows 15 and 0
    const x = { data: Float64Array.from(rows), rows: rows.length / 2, cols: 2 };
    const k = 9;
    const want = bruteForce(x, k);
    const got = kernelNeighbours(kernels, x, k);
    expect(Array.from(got.indices)).toEqual(want.indices);
    expect(Array.from(got.distances)).toEqual(want.distances);
    // The duplicate of row 15 is its nearest neighbour, at distance 0.
    expect(got.indices[15 * k]).toBe(36);
    expect(got.distances[15 * k]).toBe(0);
  });

  it('refuses a k outside [1, n − 1]', async () => {
    const kernels = await started;
    const x = { data: new Float64Array(12), rows: 4, cols: 3 };
    expect(() => kernelNeighbours(kernels, x, 4)).toThrow(/'k' passed to 'kernelNeighbours'/);
    expect(() => kernelNeighbours(kernels, x, 0)).toThrow(/'k' passed to 'kernelNeighbours'/);
  });
});
